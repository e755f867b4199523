"""datamodel-code-generator's models are laid out without black for the shapes it writes
(generator/targets/pydantic/layout.py). These tests hold that layout to black's: every block it lays
out, of the golden specs' models and a synthetic spec's, and of each shape around the line limit,
is what black makes of it; a block of any other shape goes to black.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GENERATED, LIBRARY_SPEC, ROOT, SPEC

from bench import synth_to_idl
from generator import fmt
from generator.pipeline import build_package
from generator.render import environment
from generator.targets.pydantic import layout, pydantic_job, pydantic_source


def models_of(spec: Path) -> str:
    """datamodel-code-generator's models of a spec, unformatted."""
    job = pydantic_job(build_package(spec, spec.relative_to(ROOT).as_posix()), environment())
    return pydantic_source(job.schema_text, job.file_header, job.base_class, use_cache=False)


def laid_out_blocks(source: str) -> tuple[int, int]:
    """Check each block laid out against black; (blocks laid out, blocks left to black)."""
    done = left = 0
    for block in fmt.split_blocks(source):
        try:
            laid = layout.block(block)
        except layout.Refused:
            left += 1
            continue
        assert laid == fmt.format_source(block), block
        done += 1
    return done, left


@pytest.mark.parametrize(
    "spec",
    [SPEC, ROOT / "spec" / "github_workflow.yaml", LIBRARY_SPEC],
    ids=["CommandJob", "workflows", "library"],
)
def test_blocks_laid_out_are_what_black_makes_of_them(spec: Path) -> None:
    done, _left = laid_out_blocks(models_of(spec))
    assert done >= 5  # a class with a long Literal (the enumerations' spellings) goes to black


def test_synthetic_models_need_black_for_their_enumerations_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENERATOR_CACHE", str(tmp_path / "cache"))
    files = synth_to_idl.make_spec(60, tmp_path)
    job = pydantic_job(build_package(files["spec"]), environment())
    source = pydantic_source(job.schema_text, job.file_header, job.base_class, use_cache=False)
    done, left = laid_out_blocks(source)
    enums = sum(1 for block in fmt.split_blocks(source) if block.startswith("class E"))
    assert left <= enums + 1  # the module's imports, and the enumerations' long Literal
    assert done > 3 * left


def test_the_module_is_what_black_makes_of_it() -> None:
    source = models_of(SPEC)
    formatted = layout.layout_models(source, lambda blocks: [fmt.format_source(b) for b in blocks])
    assert formatted == fmt.join_blocks([fmt.format_source(b) for b in fmt.split_blocks(source)])
    assert formatted == (GENERATED / "aml_entities_pydantic" / "aml_entities_pydantic" / "models.py").read_text(encoding="utf-8")


def field(name: str, annotation: str, arguments: str) -> str:
    return f"class Model(StrictBaseModel):\n    {name}: {annotation} = Field({arguments})\n"


@pytest.mark.parametrize(
    "shape",
    [
        lambda n: field("f" * n, "StrictStr | None", f"None, description='{'d' * n}'"),
        lambda n: field("f" * n, "list[StrictStr]", f"[], description='{'d' * n}', min_length=1"),
        lambda n: field("f", "dict[StrictStr, Other] | None", f"None, description='{'d' * 2 * n}', title='{'t' * n}'"),
        lambda n: field("f", "StrictStr", f"'{'v' * n}', description=\"it's {'d' * n}\""),
        lambda n: field("f", "Literal['a', 'b']", f"..., examples=['{'x' * n}', 'y']"),
        lambda n: field("f", "constr(pattern=r'^[a-z]+$', strict=True)", f"..., description='{'d' * n}'"),
        lambda n: f'class {"M" * n}(StrictBaseModel):\n    """\n    {("w " * n).strip()}\n\n      indented\n    """\n'
        f"    model_config = ConfigDict(\n        extra='forbid',\n        title='{'t' * n}',\n    )\n    x: StrictInt\n",
        lambda n: f"{'M' * n}.model_rebuild()\nOther.model_rebuild()\n",
    ],
    ids=["optional", "list", "two cuts", "quotes", "list argument", "raw string", "docstring and config", "rebuild"],
)
def test_each_shape_around_the_line_limit_is_laid_out_as_black_does(shape: object) -> None:
    laid = 0
    for n in range(1, 120, 3):
        block = shape(n)  # type: ignore[operator]
        try:
            result = layout.block(block)
        except layout.Refused:
            continue
        assert result == fmt.format_source(block), block
        laid += 1
    assert laid >= 10


@pytest.mark.parametrize(
    "block",
    [
        field("f", "StrictInt", "..., ge=-1"),  # an operator the grammar does not know
        field("f", "StrictInt", "..., ge=1e+16"),  # a number black writes otherwise
        field("f", "StrictStr", "..., description='a' 'b'"),  # two strings in a row
        field("f", "StrictStr", "..., description=u'x'"),  # a prefix black drops
        field("f", "StrictStr", "None, examples=['a',]"),  # a trailing comma black explodes
        field("f", "StrictStr", "None,  description='x'"),  # spacing black changes
        "class A(B):\n    x: int\n\n    y: int\n",  # a blank line
        "class A(B):\n    @field_validator('x')\n    def check(cls, v):\n        return v\n",
        "class A(B):\n    \"\"\"\n    Text\\\\n.\n    \"\"\"\n    x: int\n",  # a backslash in a docstring
    ],
)
def test_other_shapes_go_to_black(block: str) -> None:
    with pytest.raises(layout.Refused):
        layout.block(block)
