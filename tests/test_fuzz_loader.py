"""The generated loader under fuzzing, short version (``python -m bench.fuzz_loader`` runs 100,000 cases).

Nothing but ``DocumentError`` escapes ``load_job`` and ``Job.from_dict``, and no input takes a second (of
CPU: a loaded CI machine does not make the test fail). Below, the minimal reproducers of the failures the
long fuzz found (all fixed): a failure found and not fixed yet goes there as a strict xfail, and in
``bench.fuzz_loader.KNOWN`` so that the fuzzer counts it apart.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import aml_entities
import pytest
import yaml
from conftest import SPEC, growth
from hypothesis import HealthCheck, given, settings

from bench import fuzz_loader
from generator.pipeline import build_package

DOCUMENTS = fuzz_loader.Documents(build_package(SPEC, "spec/aml_entities.yaml")).root()


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(DOCUMENTS)
def test_every_valid_shaped_document_loads(document: object) -> None:
    """The fuzzer's documents before mutation are valid: the mutations are what the loader must reject."""
    job = aml_entities.Job.from_dict(document)
    again = aml_entities.load_job(io.StringIO(yaml.safe_dump(document, allow_unicode=True)))
    assert type(again) is type(job)


def test_a_short_fuzz_finds_nothing_new_and_nothing_slow() -> None:
    report = fuzz_loader.fuzz(cases=500, seed_value=6, limit=1.0)
    assert report.cases >= 500 and report.inputs >= 1000
    assert report.accepted and report.rejected  # both sides of the loader were exercised
    assert not report.new_failures, "\n".join(f"{f.signature}: {f.message}\n  {f.smallest[:500]!r}" for f in report.new_failures)
    assert report.slowest < 1.0, report.slowest_input


@pytest.mark.parametrize(
    "text",
    [
        "name: 2001-13-45\n",  # a date pattern, not a date: ValueError
        "!!timestamp x\n",  # AttributeError
        "command: !!int x\n",  # ValueError
        "command: !!float x\n",  # ValueError
        "command: !!bool maybe\n",  # KeyError
        "command: " + "1" * 5000 + "\n",  # int of more than 4300 digits: ValueError
    ],
    ids=["invalid-date", "bad-timestamp", "bad-int", "bad-float", "bad-bool", "5000-digit-int"],
)
def test_a_scalar_yaml_cannot_construct_is_a_document_error(text: str) -> None:
    with pytest.raises(aml_entities.DocumentError):
        aml_entities.load_job(io.StringIO(text))


def test_an_escape_past_the_last_code_point_in_a_document_with_an_alias_is_a_document_error() -> None:
    with pytest.raises(aml_entities.DocumentError):  # without the alias, libyaml reports it as it should
        aml_entities.load_job(io.StringIO('x: &a 1\ny: "\\U00110000"\nz: *a\n'))


def test_a_huge_integer_in_data_is_a_document_error() -> None:
    with pytest.raises(aml_entities.DocumentError):
        aml_entities.Job.from_dict({"command": 10**5000})


def test_rejecting_unknown_keys_grows_linearly_with_their_number() -> None:
    def reject(count: int) -> Callable[[], None]:
        text = "command: x\nenvironment: e\n" + "".join(f"k{i}: 1\n" for i in range(count))

        def run() -> None:
            with pytest.raises(aml_entities.DocumentError):
                aml_entities.load_job(io.StringIO(text))

        return run

    # ten times the keys: about ten times the time (13 on a quiet machine); a quadratic loader takes a
    # hundred times; the bound leaves room for a busy one
    assert growth(reject(2_000), reject(20_000)) < 40
