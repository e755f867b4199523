"""The docs' YAML examples are written by libyaml's emitter when their data is plain
(generator/targets/docs/examples.py): it must write what PyYAML's own emitter writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import LIBRARY_SPEC, ROOT, SPEC
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.pipeline import build_package
from generator.targets.docs.examples import _plain, document_example, example_yaml


def python_emitter(data: Any) -> str:
    text: str = yaml.dump(
        data, Dumper=yaml.SafeDumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=70
    )
    return text


@pytest.mark.parametrize("spec", [SPEC, ROOT / "spec" / "github_workflow.yaml", LIBRARY_SPEC], ids=["CommandJob", "workflows", "library"])
def test_examples_of_the_specs_are_what_the_python_emitter_writes(spec: Path) -> None:
    examples = [d for c in build_package(spec).classes if (d := document_example(c)) is not None]
    assert sum(_plain(d) for d in examples) >= len(examples) // 2  # the fast emitter does write most
    for data in examples:
        assert example_yaml(data) == python_emitter(data)


_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=90)
_data = st.recursive(
    _scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.text(max_size=12), _data, min_size=1, max_size=5))
def test_any_example_is_what_the_python_emitter_writes(data: dict[str, Any]) -> None:
    assert example_yaml(data) == python_emitter(data)
