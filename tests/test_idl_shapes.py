"""The IDL's vocabulary for values a document may write in several ways (issue 14), on a CI-pipeline-like
spec (``tests/specs/pipeline``): enum and discriminator spellings (aliases, case ignored), strings that
accept other scalars, unions told apart by shape or by a required key, keys that exclude each other. Python
sees one value; ``dump`` writes back the spelling read; the three judges agree on documents that use it all."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from conftest import ROOT, generate_into, import_fresh
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from judges import Documents, Judges, mutate

from generator.pipeline import build_package

PIPELINE = ROOT / "tests" / "specs" / "pipeline" / "pipeline.yaml"
EXAMPLES = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

DOC = """\
name: ci
version: 2
trigger: {push: {branches: [main]}, pull-request: {branches-ignore: [wip]}}
env: {A: 1, B: true, C: x, D: 1.5}
agent: {kind: Container, image: python}
jobs:
  build:
    runs-on: [linux, x64]
    steps:
      - uses: actions/checkout
        levels: [q, loud, silent]
        level: silent
      - run: make
        shell: PowerShell_Core
    shell: SH
  call:
    uses: ./other.yml
    with: {a: 1}
"""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pipeline")
    generate_into(PIPELINE, folder)
    return folder


@pytest.fixture(scope="module")
def pipeline(out: Path) -> ModuleType:
    return import_fresh("pipeline_entities", out / "pipeline_entities")


@pytest.fixture(scope="module")
def judges(out: Path, pipeline: ModuleType) -> Iterator[Judges]:
    models = import_fresh("pipeline_entities_pydantic", out / "pipeline_entities_pydantic")
    yield Judges.load(build_package(PIPELINE), out, pipeline, models)


def load(pipeline: ModuleType, text: str) -> Any:
    return pipeline.load_pipeline(io.StringIO(text))


def dumped(pipeline: ModuleType, obj: object) -> str:
    stream = io.StringIO()
    pipeline.dump_pipeline(obj, stream)
    return stream.getvalue()


def problems(pipeline: ModuleType, text: str) -> list[str]:
    with pytest.raises(pipeline.DocumentError) as err:
        load(pipeline, text)
    return [f"{p.line}:{p.column}: {p.location}: expected {p.expected}, found {p.found}" for p in err.value.problems]


def test_python_sees_the_member_and_dump_writes_the_spelling_read(pipeline: ModuleType) -> None:
    job = load(pipeline, DOC)
    build = job.jobs["build"]
    assert build.shell is pipeline.Shell.BASH  # "SH": an alias, its case ignored
    assert build.steps[1].shell is pipeline.Shell.PWSH  # "PowerShell_Core": an alias, as written
    assert build.steps[0].levels == [pipeline.Level.QUIET, pipeline.Level.LOUD, pipeline.Level.QUIET]
    assert isinstance(job.agent, pipeline.DockerAgent) and job.agent.kind == "docker"  # "Container"
    assert yaml.safe_load(dumped(pipeline, job)) == yaml.safe_load(DOC)


def test_a_value_set_in_python_is_written_canonically(pipeline: ModuleType) -> None:
    job = load(pipeline, DOC)
    step = job.jobs["build"].steps[0]
    step.level = pipeline.Level.LOUD
    step.levels.append(pipeline.Level.LOUD)  # changed in place: the list is written anew
    job.jobs["build"].shell = pipeline.Shell.BASH  # the same member again: its spelling stays
    again = yaml.safe_load(dumped(pipeline, job))["jobs"]["build"]
    assert again["steps"][0]["level"] == "loud"
    assert again["steps"][0]["levels"] == ["quiet", "loud", "quiet", "loud"]
    assert again["shell"] == "SH"
    made = pipeline.BuildJob(runs_on="x", steps=[pipeline.Step(run="make", shell=pipeline.Shell.PWSH)])
    assert made.to_dict() == {"runs-on": "x", "steps": [{"run": "make", "shell": "pwsh"}]}


def test_a_string_that_accepts_numbers_reads_their_text_and_writes_the_number(pipeline: ModuleType) -> None:
    job = load(pipeline, DOC)
    assert job.version == "2"
    assert job.env == {"A": "1", "B": "true", "C": "x", "D": "1.5"}
    written = yaml.safe_load(dumped(pipeline, job))
    assert written["version"] == 2 and written["env"] == {"A": 1, "B": True, "C": "x", "D": 1.5}
    job.version = "3"
    assert yaml.safe_load(dumped(pipeline, job))["version"] == "3"
    # only the types the field accepts: a list is no string
    assert problems(pipeline, "name: a\nversion: [2]\njobs: {}\n") == [
        "2:10: version: expected a string, an integer or a number, found a list"
    ]
    assert problems(pipeline, "name: a\nversion: true\njobs: {}\n") == [
        "2:10: version: expected a string, an integer or a number, found the boolean true"
    ]


def test_unions_told_apart_by_shape_and_by_a_required_key(pipeline: ModuleType) -> None:
    assert load(pipeline, "name: a\ntrigger: push\njobs: {}\n").trigger == "push"
    assert load(pipeline, "name: a\ntrigger: [push, pull-request]\njobs: {}\n").trigger == ["push", "pull-request"]
    assert isinstance(load(pipeline, "name: a\ntrigger: {push: {}}\njobs: {}\n").trigger, pipeline.Triggers)
    jobs = load(pipeline, DOC).jobs
    assert isinstance(jobs["build"], pipeline.BuildJob) and isinstance(jobs["call"], pipeline.CallJob)
    assert problems(pipeline, "name: a\njobs: {j: {steps: []}}\n") == [
        '2:11: jobs.j: expected a mapping with the key "runs-on" (BuildJob) or "uses" (CallJob), '
        "found a mapping with none of those keys"
    ]
    # both keys: the first class that requires one reads it, and the other key is unknown to it
    (both,) = problems(pipeline, "name: a\njobs: {j: {runs-on: x, steps: [], uses: y}}\n")
    assert both.startswith("2:35: jobs.j.uses: expected a known key")


def test_keys_that_exclude_each_other(pipeline: ModuleType) -> None:
    assert problems(pipeline, "name: a\njobs: {j: {runs-on: x, steps: [{uses: a, run: b}]}}\n") == [
        "2:47: jobs.j.steps[0].run: expected no \"run\" beside \"uses\" (they exclude each other), found the string 'b'"
    ]
    assert problems(pipeline, "name: a\njobs: {j: {runs-on: x, steps: [{name: a}]}}\n") == [
        '2:32: jobs.j.steps[0]: expected a mapping with one of the keys "uses" or "run", found none of them'
    ]
    # a group that is not required takes neither key
    assert load(pipeline, "name: a\ntrigger: {push: {}}\njobs: {}\n").trigger.push == pipeline.Filters()
    # a constructed object is checked when it is written
    bad = pipeline.Pipeline(name="a", jobs={"j": pipeline.BuildJob(runs_on="x", steps=[pipeline.Step(uses="a", run="b")])})
    with pytest.raises(pipeline.DocumentError, match=re.escape("jobs.j.steps[0].run")):
        dumped(pipeline, bad)


def test_a_discriminator_spelled_otherwise_picks_its_class(pipeline: ModuleType) -> None:
    for spelling in ("vm", "VM", "VirtualMachine", "virtualMACHINE"):
        agent = load(pipeline, f"name: a\nagent: {{kind: {spelling}, size: 4}}\njobs: {{}}\n").agent
        assert isinstance(agent, pipeline.VmAgent) and agent.kind == "vm" and agent.size == "4"
        assert pipeline.VmAgent.from_dict({"kind": spelling}).to_dict() == {"kind": spelling}
    assert problems(pipeline, "name: a\nagent: {kind: Vm_, size: 4}\njobs: {}\n") == [
        "2:15: agent.kind: expected one of \"docker\", \"vm\", found the string 'Vm_'"
    ]
    with pytest.raises(pipeline.DocumentError, match='expected "docker"'):
        pipeline.DockerAgent.from_dict({"kind": "vm", "image": "x"})


@EXAMPLES
@given(data=st.data())
def test_documents_that_use_every_feature_get_one_verdict(judges: Judges, data: st.DataObject) -> None:
    doc = data.draw(Documents(judges.package).document())
    assert judges.assert_agree(doc), doc
    judges.assert_agree(mutate(data.draw, judges.package, doc))


@EXAMPLES
@given(data=st.data())
def test_a_valid_document_is_written_back_as_it_was_read(judges: Judges, pipeline: ModuleType, data: st.DataObject) -> None:
    """Spellings, numbers where strings are expected, shapes: ``dump(load(x))`` parses to ``x``."""
    doc = data.draw(Documents(judges.package).document())
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    again = yaml.safe_load(dumped(pipeline, load(pipeline, text)))
    assert again == yaml.safe_load(text)
