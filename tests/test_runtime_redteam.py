"""The generated runtime on documents and values a red-team pass found mishandled: each test here failed
before the fix it checks (the runtime modules under ``generator/targets/python/runtime/``)."""

from __future__ import annotations

import io
from types import ModuleType

import pytest
from aml_entities import (
    CommandJob,
    DocumentError,
    JobResourceConfiguration,
    dump_all_job,
    dump_job,
    load_all_job,
    load_job,
)
from conftest import ROOT, import_fresh


@pytest.fixture(scope="module")
def gh() -> ModuleType:
    return import_fresh("github_workflow", ROOT / "generated" / "github_workflow")


JOB = "command: python train.py\nenvironment: azureml:env:1\n"


def problems(text: str) -> list[str]:
    """Each problem of loading ``text``, as it is printed."""
    with pytest.raises(DocumentError) as err:
        load_job(io.StringIO(text))
    return [str(p) for p in err.value.problems]


def test_a_nan_key_given_twice_is_a_key_given_twice_not_a_crash() -> None:
    # pyyaml makes every .nan one float object, which a dict finds by identity though nan != nan:
    # looking for the first place of the key by equality found none (StopIteration escaped)
    assert problems(f"{JOB}properties: {{.nan: a, .NaN: b}}\n") == [
        "<stream>:3:14: properties.nan: expected a string key, found the number nan",
        "<stream>:3:23: properties..NaN: expected each key once in a mapping"
        " (this one is the same key to Python as '.nan' at line 3, column 14), found it again",
    ]


def test_a_date_is_described_by_its_text_not_by_the_runtime_class_holding_it() -> None:
    # "found a value of type IsoDate": the name of the runtime's class, in a message about a document
    assert problems(f"{JOB}tags: {{a: 2001-01-01, b: 2001-12-14 21:59:43.10Z}}\n2002-02-02: x\n") == [
        "<stream>:3:11: tags.a: expected null or a string, found the date 2001-01-01",
        "<stream>:3:26: tags.b: expected null or a string, found the date and time 2001-12-14 21:59:43.10Z",
        "<stream>:4:1: 2002-02-02: expected a string key, found the date 2002-02-02",
    ]


def test_to_dict_gives_data_of_its_own_however_deep(gh: ModuleType) -> None:
    # a field typed Any, and a kept unknown key, were written as the object held them: changing the
    # lists and dicts inside what to_dict gave changed the object (its next to_dict, its dump)
    job = CommandJob(
        command="x", environment="azureml:env:1", resources=JobResourceConfiguration(properties={"a": {"b": [1]}})
    )
    data = job.to_dict()
    data["resources"]["properties"]["a"]["b"].append(2)
    assert job.resources is not None and job.resources.properties == {"a": {"b": [1]}}
    workflow = gh.load_workflow(
        io.StringIO("on: push\njobs:\n  a:\n    runs-on: x\n    strategy: {matrix: {os: [a], include: [{os: b, x: [1]}]}}\n"
                    "    steps: [{run: a}]\n")
    )
    data = workflow.to_dict()
    matrix = data["jobs"]["a"]["strategy"]["matrix"]
    matrix["os"].append("kept unknown key")
    matrix["include"][0]["x"].append("any value")
    assert workflow.to_dict()["jobs"]["a"]["strategy"]["matrix"] == {"os": ["a"], "include": [{"os": "b", "x": [1]}]}


def test_a_value_that_holds_itself_is_still_reported_by_dump() -> None:
    looped: list[object] = []
    looped.append(looped)
    job = CommandJob(command="x", environment="azureml:env:1", resources=JobResourceConfiguration(properties={"a": looped}))
    copied = job.to_dict()["resources"]["properties"]["a"]
    assert copied is not looped and copied[0] is copied  # the copy holds itself as the value did
    with pytest.raises(DocumentError) as err:
        job.dump(io.StringIO())
    assert [p.location for p in err.value.problems] == ["resources.properties.a[0]"]


def test_dumping_a_value_that_is_no_job_is_a_problem_at_its_place_not_an_attribute_error() -> None:
    job = CommandJob(command="x", environment="azureml:env:1")
    with pytest.raises(DocumentError) as err:
        dump_all_job([job, 3], io.StringIO())  # type: ignore[list-item]
    assert [str(p) for p in err.value.problems] == ["[1]: expected a mapping, found the integer 3"]
    stream = io.StringIO()
    with pytest.raises(DocumentError) as err:
        dump_job(None, stream)  # type: ignore[arg-type]
    assert [str(p) for p in err.value.problems] == ["expected a mapping, found null"] and stream.getvalue() == ""


def test_the_message_of_a_stream_of_several_documents_counts_them_not_the_document() -> None:
    text = "type: command\ncommand: 1\n---\ntype: command\ncommand: x\nlimits: {timeout: a}\n"
    with pytest.raises(DocumentError) as err:
        load_all_job(io.StringIO(text))
    assert str(err.value).splitlines()[0] == "2 problems in the 2 documents:"
    with pytest.raises(DocumentError) as err:
        load_all_job(io.StringIO("type: command\ncommand: 1\n"))
    assert str(err.value).splitlines()[0] == "1 problem in the document:"
    with pytest.raises(DocumentError) as err:
        dump_all_job([CommandJob(command="x"), CommandJob(command="y"), 3], io.StringIO())  # type: ignore[list-item]
    assert str(err.value).splitlines()[0] == "1 problem in the 3 documents:"


def test_a_copy_or_a_pickle_of_a_job_writes_back_the_keys_given_with_their_default_value() -> None:
    """``MISSING`` is told by identity; a deepcopy or a pickle made another, and the copy's ``to_dict``
    dropped ``type: uri_folder`` (an input's default, given)."""
    import copy
    import pickle

    job = load_job(io.StringIO("type: command\ncommand: x\ninputs:\n  d:\n    type: uri_folder\n    path: p\n"))
    want = {"type": "uri_folder", "path": "p"}
    assert job.to_dict()["inputs"]["d"] == want
    assert copy.deepcopy(job).to_dict()["inputs"]["d"] == want
    assert pickle.loads(pickle.dumps(job)).to_dict()["inputs"]["d"] == want
