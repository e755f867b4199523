"""Serializers of the generated package: the corpus, faithful round trips, dump, errors, hostile input."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import aml_entities
import pytest
import yaml
from aml_entities import (
    CommandJob,
    CommandJobLimits,
    DocumentError,
    Input,
    InputMode,
    InputType,
    JobStatus,
    Output,
    OutputMode,
    load_all_job,
    load_job,
)
from conftest import CORPUS, growth, impure_values

EXPECTED = {
    row["file"].split("/")[-1]: row
    for row in csv.DictReader((CORPUS.parent / "EXPECTED.tsv").open(encoding="utf-8"), delimiter="\t")
}
DOCS = sorted(p.name for p in CORPUS.glob("*.yml"))
SCHEMA_REJECTED = {name for name, row in EXPECTED.items() if row["reason_if_rejected"].startswith("schema")}


def test_corpus_is_all_there() -> None:
    assert len(DOCS) == 39 and set(DOCS) == set(EXPECTED)
    assert {"jobs__nebulaml__cifar10_deepspeed__job.yml"} == SCHEMA_REJECTED


@pytest.mark.parametrize("name", sorted(set(DOCS) - SCHEMA_REJECTED))
def test_corpus_document_loads_and_round_trips_faithfully(name: str, tmp_path: Path) -> None:
    path = CORPUS / name
    job = load_job(path)
    assert isinstance(job, CommandJob)
    original = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert job.to_dict() == original  # dump writes back what was read: no prefixes, no absolute paths, no extra keys
    assert impure_values(job.to_dict()) == []  # plain data: enum members are written as their values
    out = tmp_path / "dumped.yml"
    job.dump(out)
    again = load_job(out)
    assert again == job
    assert yaml.safe_load(out.read_text(encoding="utf-8")) == original
    second = tmp_path / "second.yml"
    again.dump(second)
    assert second.read_bytes() == out.read_bytes()  # a stable key order


def test_the_schema_rejected_document_is_rejected_with_a_clear_message() -> None:
    name = next(iter(SCHEMA_REJECTED))
    with pytest.raises(DocumentError) as err:
        load_job(CORPUS / name)
    (problem,) = err.value.problems
    assert problem.path == ("environment",)
    assert problem.line == 8 and problem.column == 14
    assert str(problem).endswith(
        "environment: expected a string starting with \"azureml:\" or \"file:\", found the string '< your environment name >'"
    )


def test_load_from_path_pathlike_and_stream() -> None:
    path = CORPUS / "jobs__basics__hello-world.yml"
    by_str, by_path = load_job(str(path)), load_job(path)
    with path.open(encoding="utf-8") as stream:
        by_stream = load_job(stream)
    assert by_str == by_path == by_stream


def test_paths_are_kept_as_written_and_never_checked_on_disk() -> None:
    job = load_job(io.StringIO("code: ./does/not/exist\ncommand: ls\nenvironment: {image: x, conda_file: missing.yml}\n"))
    assert job.code == "./does/not/exist"  # type: ignore[attr-defined]
    assert job.to_dict()["environment"] == {"image": "x", "conda_file": "missing.yml"}


def page_job() -> CommandJob:
    return CommandJob(
        code="./src",
        command="python train.py --ss {search_space.ss}",
        inputs={"input1": Input(path="trial.csv")},
        outputs={"default": Output(path="./foo")},
        compute="trial",
        environment="azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu:33",
        limits=CommandJobLimits(timeout=120),
    )


def test_dump_to_a_new_path_never_overwrites(tmp_path: Path) -> None:
    dest = tmp_path / "job.yml"
    page_job().dump(dest)
    text = dest.read_text()
    assert "code: ./src\n" in text and "path: trial.csv" in text and "azureml:./src" not in text
    with pytest.raises(FileExistsError):
        page_job().dump(dest)
    with pytest.raises(FileExistsError):
        page_job().dump(str(dest))
    assert dest.read_text() == text
    assert sorted(os.listdir(tmp_path)) == ["job.yml"]


def test_dump_leaves_no_partial_file_when_it_fails(tmp_path: Path) -> None:
    job = CommandJob(command="x", tags={"bad": object()})  # type: ignore[dict-item]
    with pytest.raises(DocumentError, match=r"tags\.bad: expected null or a string, found a value of type object"):
        job.dump(tmp_path / "job.yml")
    assert os.listdir(tmp_path) == []


def test_only_documents_the_package_loads_are_written(tmp_path: Path) -> None:
    """``dump`` loads what it is about to write: every value that does not fit is reported, with its
    path, and nothing is written; ``to_dict`` writes values as they are."""
    job = CommandJob(command=5, limits=CommandJobLimits(timeout="soon"), inputs={"a": Input(mode="sideways")})  # type: ignore[arg-type]
    assert job.to_dict()["command"] == 5
    with pytest.raises(DocumentError) as err:
        job.dump(tmp_path / "job.yml")
    assert [p.location for p in err.value.problems] == ["command", "inputs.a.mode", "limits.timeout"]
    assert os.listdir(tmp_path) == []
    job.limits = 7  # type: ignore[assignment]
    assert job.to_dict()["limits"] == 7  # an object field holding something else: written as it is, never a crash
    stream = io.StringIO()
    with pytest.raises(DocumentError, match="limits: expected a mapping"):
        job.dump(stream)
    assert stream.getvalue() == ""


def test_dump_all_writes_documents_load_all_reads_back_and_checks_every_one_first(tmp_path: Path) -> None:
    jobs = [page_job(), CommandJob(command="echo", environment="azureml:env:1", tags={"n": "2"})]
    dest = tmp_path / "jobs.yml"
    aml_entities.dump_all_job(jobs, dest)
    text = dest.read_text(encoding="utf-8")
    assert text.count("\n---\n") == 1 and not text.startswith("---") and load_all_job(dest) == jobs
    with pytest.raises(FileExistsError):  # as dump: never over a file
        aml_entities.dump_all_job(jobs, dest)
    assert dest.read_text(encoding="utf-8") == text
    stream = io.StringIO()
    aml_entities.dump_all_job(iter(jobs), stream, explicit_start=True)  # any iterable; the writer's options
    assert stream.getvalue() == "---\n" + text and load_all_job(io.StringIO(stream.getvalue())) == jobs
    # every document checked before anything is written; a problem names its document's index
    unwritable = CommandJob.from_dict({"command": "x", "parameters": {"p": [1]}})
    unwritable.parameters["p"] = (1, 2)  # type: ignore[attr-defined]  # the loader takes it, YAML cannot write it back
    bad = [page_job(), CommandJob(command=5), unwritable]  # type: ignore[arg-type]
    with pytest.raises(DocumentError) as err:
        aml_entities.dump_all_job(bad, tmp_path / "bad.yml")
    assert [(p.location, p.expected) for p in err.value.problems] == [
        ("[1].command", "a string"), ("[2].parameters.p", "a list (a tuple would be read back as a list)"),
    ]
    assert sorted(os.listdir(tmp_path)) == ["jobs.yml"]
    with pytest.raises(TypeError, match="dump does not take version="):
        aml_entities.dump_all_job(jobs, io.StringIO(), version=(1, 1))
    aml_entities.dump_all_job([], tmp_path / "none.yml")
    assert load_all_job(tmp_path / "none.yml") == []


def test_dump_to_streams(tmp_path: Path) -> None:
    stream = io.StringIO()
    page_job().dump(stream)
    assert load_job(io.StringIO(stream.getvalue())).to_dict() == page_job().to_dict()
    read_only = tmp_path / "ro.yml"
    read_only.write_text("")
    with read_only.open(encoding="utf-8") as handle, pytest.raises(ValueError, match="not writable"):
        page_job().dump(handle)


def test_dump_passes_kwargs_to_the_yaml_serializer() -> None:
    stream = io.StringIO()
    page_job().dump(stream, indent=4)
    assert "\n    input1:\n" in stream.getvalue()


@pytest.mark.parametrize("option", ["version", "tags", "encoding", "Dumper", "stream", "core"])
def test_dump_refuses_options_that_would_write_another_text(option: str) -> None:
    stream = io.StringIO()
    for dump in (page_job().dump, lambda dest, **kw: aml_entities.dump_job(page_job(), dest, **kw)):
        with pytest.raises(TypeError, match=f"dump does not take {option}="):
            dump(stream, **{option: True})
    assert stream.getvalue() == ""


def test_every_problem_with_its_path_and_position() -> None:
    text = (
        "command: python x.py\n"
        "foo: 1\n"
        "limits:\n"
        "  timeout: abc\n"
        "inputs:\n"
        "  input1:\n"
        "    type: uri_file\n"
        "    mode: sideways\n"
        "identity:\n"
        "  type: robot\n"
        "comand: typo\n"
    )
    with pytest.raises(DocumentError) as err:
        load_job(io.StringIO(text))
    found = {(p.location, p.line, p.column) for p in err.value.problems}
    assert found == {
        ("foo", 2, 1),
        ("limits.timeout", 4, 12),
        ("inputs.input1.mode", 8, 11),
        ("identity.type", 10, 9),
        ("comand", 11, 1),
    }
    typo = next(p for p in err.value.problems if p.location == "comand")
    assert 'did you mean "command"?' in str(typo)
    assert isinstance(err.value, ValueError)


def test_strict_scalars() -> None:
    with pytest.raises(DocumentError) as err:
        CommandJob.from_dict({"command": "x", "limits": {"timeout": "7200"}, "resources": {"instance_count": True}})
    assert {p.location for p in err.value.problems} == {"limits.timeout", "resources.instance_count"}


def test_missing_required_key() -> None:
    with pytest.raises(DocumentError) as err:
        load_job(io.StringIO("compute: x\n"))
    assert [p.location for p in err.value.problems] == ["command"]


def test_to_dict_writes_members_as_plain_strings_that_any_serializer_takes() -> None:
    job = CommandJob(
        command="python train.py",
        inputs={"data": Input(type=InputType.URI_FILE, path="./d.csv", mode=InputMode.DOWNLOAD)},
        outputs={"model": Output(mode=OutputMode.UPLOAD)},
    )
    data = job.to_dict()
    assert impure_values(data) == []
    assert data["inputs"]["data"] == {"type": "uri_file", "path": "./d.csv", "mode": "download"}
    job = CommandJob.from_dict({**data, "status": "SomethingNew"})  # an open enum's unlisted value
    assert isinstance(job.status, JobStatus) and job.status.name is None
    data = job.to_dict()
    assert data["status"] == "SomethingNew" and type(data["status"]) is str and impure_values(data) == []
    assert yaml.safe_load(yaml.safe_dump(data)) == data and json.loads(json.dumps(data)) == data
    assert CommandJob.from_dict(data) == job
    job.inputs["data"].mode = "ro_mount"  # a plain string where a member is expected: written as it is
    assert job.to_dict()["inputs"]["data"]["mode"] == "ro_mount"


def test_unknown_status_loads() -> None:
    job = CommandJob.from_dict({"command": "x", "status": "Hibernating"})
    assert job.status == "Hibernating" and isinstance(job.status, JobStatus)
    assert job.to_dict()["status"] == "Hibernating"


def test_literal_inputs_keep_their_types() -> None:
    job = load_job(io.StringIO("command: x\ninputs:\n  lr: 0.01\n  epochs: 3\n  flag: true\n  name: abc\n"))
    assert job.inputs == {"lr": 0.01, "epochs": 3, "flag": True, "name": "abc"}  # type: ignore[attr-defined]


def test_objects_whose_documents_differ_in_the_types_of_their_values_are_not_equal() -> None:
    one, true, point = (aml_entities.LiteralInput(value=v) for v in (1, True, 1.0))  # written 1, true, 1.0
    assert one != true and one != point and true != point and one == aml_entities.LiteralInput(value=1)

    def job(text: str) -> CommandJob:
        loaded = load_job(io.StringIO(f"command: x\n{text}\n"))
        assert isinstance(loaded, CommandJob)
        return loaded

    # through dicts, lists and sets, and in the keys of a mapping held by a field of any value
    for a, b in [("inputs: {n: 1}", "inputs: {n: true}"), ("parameters: {p: [1, {q: 2}]}", "parameters: {p: [1, {q: 2.0}]}"),
                 ("parameters: {p: {1: a}}", "parameters: {p: {true: a}}"), ("parameters: {p: !!set {1}}", "parameters: {p: !!set {1.0}}")]:
        assert job(a) == job(a) and job(a) != job(b), (a, b)
    # what a document writes alike stays equal: a member of a str enum and its string
    assert job("parameters: {s: Running}") == CommandJob.from_dict({"command": "x", "parameters": {"s": JobStatus.RUNNING}})


def test_polymorphic_blocks() -> None:
    data = {
        "command": "x",
        "identity": {"type": "managed", "client_id": "c"},
        "distribution": {"type": "ray", "port": 6379, "include_dashboard": True},
        "services": {"a": {"type": "ssh", "ssh_public_keys": "k", "nodes": "all"}, "b": {"type": "future_kind"}},
    }
    job = CommandJob.from_dict(data)
    assert type(job.identity).__name__ == "ManagedIdentityConfiguration"
    assert type(job.distribution).__name__ == "RayDistribution"
    assert job.services is not None and type(job.services["a"]).__name__ == "SshJobService"
    assert type(job.services["b"]) is aml_entities.JobService and job.services["b"].type == "future_kind"
    assert job.to_dict() == data


@pytest.mark.parametrize(
    "text",
    [
        "!!python/object/apply:os.system ['echo hacked']\n",
        "command: !!python/name:os.system\n",
        "- a list\n",
        "",
        "command: [unclosed\n",
    ],
)
def test_bad_yaml_gives_the_package_error(text: str) -> None:
    with pytest.raises(DocumentError):
        load_job(io.StringIO(text))


def test_alias_bombs_are_refused_before_they_expand() -> None:
    def bomb(levels: int) -> Callable[[], None]:
        lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
        for i in range(1, levels):
            refs = ", ".join([f"*a{i - 1}"] * 10)
            lines.append(f"a{i}: &a{i} [{refs}]")
        text = "command: x\nparameters:\n" + "\n".join("  " + line for line in lines) + "\n"

        def run() -> None:
            with pytest.raises(DocumentError) as err:
                load_job(io.StringIO(text))
            assert "alias" in str(err.value)

        return run

    # 10^12 values against 10^6: refused at the same budget, so about the same time, not a million times more
    assert growth(bomb(6), bomb(12)) < 10


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_deep_nesting_is_refused(depth: int) -> None:
    text = "command: x\nparameters:\n  p: " + "[" * depth + "]" * depth + "\n"
    with pytest.raises(DocumentError):
        load_job(io.StringIO(text))
    with pytest.raises(DocumentError):
        CommandJob.from_dict({"command": "x", "services": _nested_dict(depth)})


@pytest.mark.parametrize(
    "nesting",
    [
        "[']', " * 150 + "]" * 150,  # brackets in quotes cannot hide the depth: the parser counts it
        "\n" + "".join("  " * i + "- \n" for i in range(1, 150)),  # block nesting
    ],
    ids=["flow, with brackets in quotes", "block"],
)
def test_deep_nesting_is_refused_however_it_is_written(nesting: str) -> None:
    with pytest.raises(DocumentError) as err:
        load_job(io.StringIO(f"command: x\nparameters:\n  p: {nesting}\n"))
    assert "nested at most 100 levels deep" in str(err.value)


@pytest.mark.parametrize(
    "text",
    [
        "- " * 100_000 + "x\n",  # compact nesting on the first line
        "? " * 100_000 + "x\n",
        "command: x\rparameters:\r  p:\r" + "".join(" " * (2 * i) + "- \r" for i in range(2, 200)),  # CR breaks
    ],
    ids=["dashes", "question marks", "carriage returns"],
)
def test_deep_nesting_of_any_spelling_is_refused_without_a_crash(text: str, tmp_path: Path) -> None:
    """libyaml's composer recurses in C: a document it is handed must not be deep enough to overflow the
    stack (a crash, not an exception), so this runs in a process of its own."""
    path = tmp_path / "deep.yml"
    path.write_text(text, encoding="utf-8", newline="")
    code = (
        "import sys\nfrom aml_entities import DocumentError, load_job\n"
        "try:\n    load_job(sys.argv[1])\nexcept DocumentError as exc:\n    print(exc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-500:]
    assert "nested at most 100 levels deep" in result.stdout


def test_a_document_with_many_flow_lists_loads_as_written() -> None:
    # more brackets than the depth limit: the depth is counted, then the document loads normally
    text = "command: x\nparameters:\n" + "".join(f"  p{i}: [a, [b, {{c: d}}]]\n" for i in range(200))
    job = load_job(io.StringIO(text))
    assert job.parameters == {f"p{i}": ["a", ["b", {"c": "d"}]] for i in range(200)}


def _nested_dict(depth: int) -> dict[str, object]:
    root: dict[str, object] = {}
    node = root
    for _ in range(depth):
        child: dict[str, object] = {}
        node["n"] = child
        node = child
    return root


def test_items_of_a_union_in_a_dict_are_each_loaded_or_told_where_they_are() -> None:
    """A dict of a union tests its items' options in its own loop (no union loader is called): each
    kind of item loads as it does in a field, and every item that fits no option is told at its key,
    in document order, by the union's words."""
    job = CommandJob.from_dict(
        {
            "command": "x",
            "inputs": {"n": 3, "flag": True, "lit": {"value": 0.5}, "data": {"path": "d"}},
            "outputs": {"none": None, "model": {"mode": "upload"}},
            "tags": {"a": None, "b": "c"},
        }
    )
    assert job.inputs == {"n": 3, "flag": True, "lit": aml_entities.LiteralInput(value=0.5), "data": Input(path="d")}
    assert job.outputs == {"none": None, "model": Output(mode="upload")}
    assert job.tags == {"a": None, "b": "c"}
    with pytest.raises(DocumentError) as caught:
        CommandJob.from_dict(
            {"command": "x", "inputs": {"ok": 1, "bad": [1]}, "outputs": {"o": 5}, "tags": {"t": 1.5, "u": "v"}}
        )
    assert [(p.path, p.expected) for p in caught.value.problems] == [
        (("inputs", "bad"), 'a boolean, an integer, a number, a string or a mapping with the key "value" (LiteralInput), or a mapping of Input'),
        (("outputs", "o"), "null or a mapping (Output)"),
        (("tags", "t"), "null or a string"),
    ]
