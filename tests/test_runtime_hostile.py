"""The generated package's runtime on hostile input: nothing but its ``DocumentError`` (with the path and
position of each problem) or an ``OSError`` naming the file escapes its loaders and dumpers, a value that
loads also reprs and dumps, and its messages say what is wrong in plain words.

Each test here failed before the fix it checks (the runtime modules, ``_runtime.py`` and ``_yamlio.py``).
"""

from __future__ import annotations

import codecs
import enum
import io
import os
import subprocess
import sys
import textwrap
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aml_entities
import pytest
import yaml
from aml_entities import CommandJob, CommandJobLimits, DocumentError, JobStatus, load_all_job, load_job
from aml_entities._runtime import MAX_HINTS, MAX_PROBLEMS

JOB = "command: python train.py\nenvironment: azureml:env:1\n"


def problems(text: str) -> list[tuple[str, int | None, int | None]]:
    """(path, line, column) of each problem of loading ``text``."""
    with pytest.raises(DocumentError) as err:
        load_job(io.StringIO(text))
    return [(p.location, p.line, p.column) for p in err.value.problems]


def message(text: str | bytes, tmp_path: Path) -> str:
    """The message of loading ``text`` from a file."""
    path = tmp_path / "job.yml"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    with pytest.raises(DocumentError) as err:
        load_job(path)
    return str(err.value)


# -- 1. integers too long to print -----------------------------------------------------------------------

LONG = {
    "decimal": "9" * 5000,
    "hexadecimal": "0x" + "f" * 4000,
    "binary": "0b" + "1" * 15000,
    "octal": "0" + "7" * 5500,
    "sexagesimal": "190" + ":20" * 3000,
}


@pytest.mark.parametrize("number", LONG.values(), ids=LONG.keys())
def test_an_integer_too_long_to_print_is_a_located_problem_as_a_value(number: str) -> None:
    assert problems(f"{JOB}parameters:\n  p: {number}\n") == [("parameters.p", 4, 6)]
    with pytest.raises(DocumentError, match=r"expected an integer of at most 4,300 digits"):
        load_job(io.StringIO(f"{JOB}parameters:\n  p: {number}\n"))


@pytest.mark.parametrize("number", [LONG["decimal"], LONG["hexadecimal"]], ids=["decimal", "hexadecimal"])
def test_an_integer_too_long_to_print_is_a_located_problem_as_a_key(number: str) -> None:
    ((where, line, column),) = problems(f"{JOB}parameters:\n  ? {number}\n  : x\n")
    assert where.startswith("parameters.") and where.endswith("...") and (line, column) == (4, 5)


def test_an_integer_too_long_to_print_given_to_from_dict_reprs_and_dump_reports_it() -> None:
    job = CommandJob.from_dict({"command": "x", "parameters": {"p": 10**5000, "q": {10**5000: 1}}})
    assert "parameters={'p': <an integer of 16610 bits>, 'q': {<an integer of 16610 bits>: 1}}" in repr(job)
    with pytest.raises(DocumentError) as err:
        job.dump(io.StringIO())
    assert [p.location for p in err.value.problems] == ["parameters.p", "parameters.q.<an integer of 16610 bits>"]
    with pytest.raises(DocumentError, match=r"tags\.<an integer of 16610 bits>: expected a string key"):
        CommandJob.from_dict({"command": "x", "tags": {10**5000: "v"}})


# -- 2. text that is not UTF-8 -----------------------------------------------------------------------------

WIDE = {
    "utf-8 with a BOM": codecs.BOM_UTF8 + JOB.encode("utf-8"),
    "utf-16-le with a BOM": codecs.BOM_UTF16_LE + JOB.encode("utf-16-le"),
    "utf-16-be with a BOM": codecs.BOM_UTF16_BE + JOB.encode("utf-16-be"),
    "utf-32-le with a BOM": codecs.BOM_UTF32_LE + JOB.encode("utf-32-le"),
    "utf-32-be with a BOM": codecs.BOM_UTF32_BE + JOB.encode("utf-32-be"),
}


@pytest.mark.parametrize("data", WIDE.values(), ids=WIDE.keys())
def test_utf_16_and_32_with_a_byte_order_mark_load_as_yaml_allows(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "job.yml"
    path.write_bytes(data)
    assert load_job(path) == load_job(io.StringIO(JOB)) == load_job(io.BytesIO(data))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("data", "found"),
    [
        (JOB.encode("utf-16-le"), "what looks like UTF-16 (little-endian) without a byte-order mark"),
        (JOB.encode("utf-16-be"), "what looks like UTF-16 (big-endian) without a byte-order mark"),
        (JOB.encode("utf-32-le"), "what looks like UTF-32 (little-endian) without a byte-order mark"),
    ],
    ids=["utf-16-le", "utf-16-be", "utf-32-le"],
)
def test_utf_16_or_32_without_a_byte_order_mark_is_refused_plainly(data: bytes, found: str, tmp_path: Path) -> None:
    assert f"job.yml:1:1: expected UTF-8 text (or UTF-16 or UTF-32 that starts with a byte-order mark), found {found}" in (
        message(data, tmp_path)
    )


def test_a_latin_1_file_is_refused_at_the_line_and_column_of_its_first_bad_byte(tmp_path: Path) -> None:
    text = message(f"{JOB}description: café crème\n".encode("latin-1"), tmp_path)
    assert "job.yml:3:17: expected UTF-8 text, found the byte 0xe9 (byte 68 of the file), which is not UTF-8 (" in text


def test_invalid_utf_8_in_a_binary_stream_and_in_a_text_stream_of_another_encoding(tmp_path: Path) -> None:
    data = f"{JOB}description: \xff\xfe bytes\n".encode("latin-1")
    with pytest.raises(DocumentError, match=r"<stream>:3:14: expected UTF-8 text, found the byte 0xff \(byte 65 of the file\)"):
        load_job(io.BytesIO(data))  # type: ignore[arg-type]
    path = tmp_path / "job.yml"
    path.write_bytes(data)
    with path.open(encoding="utf-8") as stream, pytest.raises(DocumentError, match=r"job.yml:3:14: .* of the stream\)"):
        load_job(stream)


def test_a_utf_16_file_with_a_bad_surrogate_pair_is_located(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + JOB.encode("utf-16-le") + b"\x00\xd8\x41\x00"  # a high surrogate, then "A"
    assert "job.yml:3:1: expected UTF-16 text, found the byte 0x00" in message(data, tmp_path)


# -- 3. values YAML cannot write or read back, given in Python -------------------------------------------


class Level(enum.IntEnum):
    HIGH = 1


class Number(float):
    pass


CANNOT_DUMP: dict[str, tuple[dict[str, Any], str, str]] = {
    "frozenset": ({"parameters": {"p": frozenset({1})}}, "parameters.p", "a value of type frozenset"),
    "object": ({"parameters": {"p": object()}}, "parameters.p", "a value of type object"),
    "IntEnum": ({"parameters": {"p": Level.HIGH}}, "parameters.p", "a value of type Level (an int subclass, not an int)"),
    "float subclass": ({"parameters": {"p": Number(1.5)}}, "parameters.p", "a value of type Number (a float subclass"),
    "OrderedDict": ({"parameters": {"p": OrderedDict(a=1)}}, "parameters.p", "a value of type OrderedDict (a mapping"),
    "tuple key": ({"parameters": {"p": {(1, 2): "x"}}}, "parameters.p.(1, 2)", "a value of type tuple"),
    "tuple": ({"environment_variables": {"a": (1, 2)}}, "environment_variables.a", "a tuple"),
    "surrogate value": ({"command": "run \ud800"}, "command", "the string 'run \\ud800'"),
    "surrogate key": ({"tags": {"\udc00": "v"}}, "tags.'\\udc00'", "the string '\\udc00'"),
    "surrogate in any": ({"parameters": {"p": ["\ud800"]}}, "parameters.p[0]", "the string '\\ud800'"),
}


@pytest.mark.parametrize(("data", "where", "found"), CANNOT_DUMP.values(), ids=CANNOT_DUMP.keys())
def test_dump_reports_a_value_yaml_cannot_write_at_its_path(
    data: dict[str, Any], where: str, found: str, tmp_path: Path
) -> None:
    job = CommandJob.from_dict({"command": "x", **data})
    repr(job)  # loads, so it reprs
    stream = io.StringIO()
    with pytest.raises(DocumentError) as err:
        job.dump(stream)
    (problem,) = err.value.problems
    assert problem.location == where and problem.found.startswith(found), str(problem)
    with pytest.raises(DocumentError):
        aml_entities.dump_job(job, tmp_path / "job.yml")
    assert stream.getvalue() == "" and os.listdir(tmp_path) == []


def test_ordered_maps_pairs_and_sets_read_back_as_they_are_read() -> None:
    text = f"{JOB}parameters:\n  a: !!omap [x: 1, y: 2]\n  b: !!pairs [x: 1, x: 2]\n  c: !!set {{gamma, alpha, beta, 3}}\n"
    job = load_job(io.StringIO(text))
    assert job.parameters == {"a": {"x": 1, "y": 2}, "b": [["x", 1], ["x", 2]], "c": {"alpha", "beta", "gamma", 3}}
    assert list(job.parameters["a"]) == ["x", "y"]
    dumped = set()
    for seed in ("1", "2"):  # a set's order in Python depends on the hash seed; its text does not
        code = f"import io, sys, aml_entities; j = aml_entities.load_job(io.StringIO({text!r})); j.dump(sys.stdout)"
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": seed}, check=True)
        dumped.add(run.stdout)
    (out,) = dumped
    assert "  c: !!set\n    3: null\n    alpha: null\n    beta: null\n    gamma: null\n" in out
    assert load_job(io.StringIO(out)) == job
    assert problems(f"{JOB}parameters: {{a: !!omap [x: 1, x: 2]}}\n") == [("parameters.a[1].x", 3, 31)]
    assert problems(f"{JOB}parameters: {{a: !!pairs [x, y]}}\n") == [("<document>", 3, 17)]


def test_a_typed_field_names_a_subclass_it_refuses() -> None:
    with pytest.raises(DocumentError, match=r"limits\.timeout: expected an integer, found a value of type Level \(an int"):
        CommandJob(command="x", limits=CommandJobLimits(timeout=Level.HIGH)).dump(io.StringIO())


def test_what_yaml_writes_and_reads_back_dumps(tmp_path: Path) -> None:
    job = CommandJob.from_dict({"command": "x", "parameters": {"set": {1, 2}, "list": [1, "a"], "bytes": b"\x00"}})
    job.dump(tmp_path / "job.yml")
    assert load_job(tmp_path / "job.yml") == job  # a tuple would read back as a list: dump refuses one


# -- 4. dump's destinations -----------------------------------------------------------------------------


def test_dump_to_a_binary_stream_is_a_value_error() -> None:
    for stream in (io.BytesIO(), io.BufferedWriter(io.BytesIO())):
        with pytest.raises(ValueError, match=r"is a binary stream: dump writes text"):
            CommandJob(command="x").dump(stream)  # type: ignore[arg-type]


def test_dump_into_a_missing_folder_names_the_file_it_was_to_make(tmp_path: Path) -> None:
    dest = tmp_path / "no" / "such" / "folder" / "job.yml"
    with pytest.raises(FileNotFoundError) as err:
        CommandJob(command="x").dump(dest)
    assert err.value.filename == str(dest) and ".tmp" not in str(err.value)


def test_dump_makes_files_as_open_does(tmp_path: Path) -> None:
    CommandJob(command="x").dump(tmp_path / "job.yml")
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "job.yml").stat().st_mode & 0o777 == 0o666 & ~umask  # not a temporary file's 0o600


def test_dump_without_hard_links_writes_the_whole_file_and_leaves_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_link(src: str, dst: str) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_link)
    job = CommandJob(command="x", description="y" * 10_000)
    job.dump(tmp_path / "job.yml")
    assert load_job(tmp_path / "job.yml") == job and os.listdir(tmp_path) == ["job.yml"]
    with pytest.raises(FileExistsError):
        job.dump(tmp_path / "job.yml")
    assert os.listdir(tmp_path) == ["job.yml"]


def test_dump_without_hard_links_on_a_disk_that_fills_up_leaves_no_partial_file(tmp_path: Path) -> None:
    """The disk fills up once the new file is written and flushed, as dump puts it in place: the file is
    then whole, or not there at all (a file size limit stands for the full disk: it fails any write past
    it)."""
    code = textwrap.dedent(
        """
        import os, resource, signal, sys
        from aml_entities import CommandJob
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG), no signal
        def full_disk_and_no_link(src, dst):
            resource.setrlimit(resource.RLIMIT_FSIZE, (100, resource.RLIM_INFINITY))
            raise PermissionError(1, "Operation not permitted")
        os.link = full_disk_and_no_link
        try:
            CommandJob(command="x", description="y" * 10_000).dump(sys.argv[1])
        except OSError as exc:
            print("failed:", exc)
        """
    )
    dest = tmp_path / "job.yml"
    result = subprocess.run([sys.executable, "-c", code, str(dest)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    if dest.exists():
        assert load_job(dest).description == "y" * 10_000  # type: ignore[union-attr]
    assert os.listdir(tmp_path) in ([], ["job.yml"])


# -- 5. characters YAML does not allow ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "found"),
    [
        ("\x00", "the control character U+0000"),
        ("\x1b", "the control character U+001B"),
        ("\x7f", "the control character U+007F"),
        ("\x9b", "the control character U+009B"),
        ("\ufffe", "the noncharacter U+FFFE"),
        ("\ud800", "the lone surrogate U+D800"),
    ],
    ids=["NUL", "ESC", "DEL", "C1", "U+FFFE", "surrogate"],
)
def test_a_character_yaml_does_not_allow_is_located(char: str, found: str) -> None:
    text = f"{JOB}description: é {char} x\n"
    with pytest.raises(DocumentError) as err:
        load_job(io.StringIO(text))
    (problem,) = err.value.problems
    assert (problem.line, problem.column) == (3, 16) and problem.found.startswith(found), str(problem)
    assert "double-quoted string" in problem.expected


# -- 6. nesting: what dump writes, load reads --------------------------------------------------------------


def nested(depth: int) -> dict[str, Any]:
    """A ``parameters`` value of ``depth`` nested mappings."""
    value: dict[str, Any] = {}
    for _ in range(depth - 1):
        value = {"n": value}
    return value


def outcome(action: Callable[[], object]) -> str:
    try:
        action()
    except DocumentError as exc:
        assert "nested at most 100 levels deep" in str(exc)
        return "refused"
    return "taken"


def test_dump_writes_a_nesting_exactly_when_load_reads_it_back() -> None:
    outcomes = []
    for depth in (97, 98, 99, 150):
        data = {"command": "x", "parameters": {"p": nested(depth)}}
        job = CommandJob.from_dict(data)
        stream = io.StringIO()
        dumped = outcome(lambda: job.dump(stream))  # noqa: B023 - called at once
        loaded = outcome(lambda: load_job(io.StringIO(yaml.safe_dump(data))))  # noqa: B023 - called at once
        assert not stream.getvalue() or load_job(io.StringIO(stream.getvalue())) == job
        outcomes.append((depth, dumped, loaded))
    # the document's root and parameters hold the nested value: 2 + 98 levels
    assert outcomes == [(97, "taken", "taken"), (98, "taken", "taken"), (99, "refused", "refused"), (150, "refused", "refused")]


def test_dump_refuses_a_value_that_holds_itself() -> None:
    loop: list[Any] = []
    loop.append(loop)
    job = CommandJob.from_dict({"command": "x", "parameters": {"p": loop}})
    with pytest.raises(DocumentError, match=r"parameters\.p\[0\]: expected a value that does not hold itself"):
        job.dump(io.StringIO())


@pytest.mark.parametrize(
    ("value", "alias"),
    [("&l {x: 1, <<: *l}", "3:21"), ("&l\n  x: 1\n  <<: *l", "5:7"), ("&l\n  x: 1\n  <<: [*l]", "5:8"),
     ("&l [a, [*l]]", "3:15"), ("&l {a: {b: *l}}", "3:18")],
    ids=["self-merge", "block self-merge", "self-merge in a list", "list", "mapping"],
)
def test_an_alias_inside_the_value_it_names_is_located(value: str, alias: str) -> None:
    with pytest.raises(DocumentError) as err:
        load_job(io.StringIO(f"{JOB}tags: {value}\n"))
    assert [str(p) for p in err.value.problems] == [
        f"<stream>:{alias}: expected a value that does not hold itself, found the alias '*l' inside the value it names"
        " (at line 3, column 7)"
    ]
    with pytest.raises(DocumentError, match=f"<stream>:{int(alias[0]) + 3}:"):  # the same place in a second document
        load_all_job(io.StringIO(f"{JOB}---\n{JOB}tags: {value}\n"))


def test_deep_nesting_is_told_where_it_gets_too_deep() -> None:
    with pytest.raises(DocumentError) as err:
        load_job(io.StringIO(f"{JOB}parameters:\n  p: {'[' * 150}{']' * 150}\n"))
    assert [(p.line, p.column) for p in err.value.problems] == [(4, 6 + 98)]  # the root and parameters: 2 levels


# -- 7. open enums: a member's name is not its value ---------------------------------------------------------


def test_a_member_name_written_as_an_open_enum_value_is_an_unlisted_value_not_that_member() -> None:
    job = load_job(io.StringIO(f"{JOB}status: RUNNING\n"))
    status = job.status
    assert status is not None and status == "RUNNING" and status != JobStatus.RUNNING
    assert status.name is None and repr(status) == "JobStatus('RUNNING')"
    assert JobStatus("RUNNING") is not JobStatus.RUNNING and JobStatus("RUNNING").name is None
    assert JobStatus("RUNNING") not in list(JobStatus) and JobStatus["RUNNING"] is JobStatus.RUNNING
    assert load_job(io.StringIO(f"{JOB}status: Running\n")).status is JobStatus.RUNNING
    assert job.to_dict()["status"] == "RUNNING"  # written back as read


# -- 8. many problems -----------------------------------------------------------------------------------------


def many_bad_tags(count: int, bad: int) -> str:
    """A document with ``count`` tags, the first ``bad`` of them integers (tags are strings)."""
    return f"{JOB}tags:\n" + "".join(f"  k{i}: {i if i < bad else 'v'}\n" for i in range(count))


def test_a_document_with_many_problems_lists_the_first_thousand_and_counts_the_others() -> None:
    with pytest.raises(DocumentError) as err:
        load_job(io.StringIO(many_bad_tags(5_000, 5_000)))
    assert err.value.count == 5_000 and len(err.value.problems) == MAX_PROBLEMS == 1_000
    assert [p.location for p in err.value.problems[:2]] == ["tags.k0", "tags.k1"]
    assert err.value.problems[-1].location == "tags.k999"
    lines = str(err.value).splitlines()
    assert lines[0] == "5000 problems in the document:" and lines[-1] == "  and 4000 more problems"
    assert len(lines) == 1 + 1_000 + 1


def test_rejecting_a_document_looks_for_a_did_you_mean_only_for_the_problems_it_lists(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A misspelled key in each of 2,000 or 20,000 inputs: the did-you-mean (a fuzzy match against every
    known key, the costly part of a problem) is looked for only for the unknown keys the error lists, so a
    problem that is not listed costs only its finding."""
    calls: list[str] = []
    import difflib  # the runtime imports it on the error path only

    real = difflib.get_close_matches

    def counted(word: str, *args: Any, **kwargs: Any) -> list[str]:
        calls.append(word)
        return real(word, *args, **kwargs)

    monkeypatch.setattr(difflib, "get_close_matches", counted)
    for bad in (2_000, 20_000):
        calls.clear()
        text = f"{JOB}inputs:\n" + "".join(f"  i{i}:\n    {'moed' if i < bad else 'mode'}: download\n" for i in range(bad))
        with pytest.raises(DocumentError) as err:
            load_job(io.StringIO(text))
        assert err.value.count == bad and len(err.value.problems) == MAX_PROBLEMS
        assert len(calls) == MAX_HINTS
        assert 'did you mean "mode"' in str(err.value.problems[0])


# -- 9. duplicate keys --------------------------------------------------------------------------------------


def test_a_key_given_twice_is_located_at_both_places(tmp_path: Path) -> None:
    text = f"{JOB}tags:\n  a: x\n  b: y\n  a: z\ncommand: again\n"
    want = [
        "job.yml:6:3: tags.a: expected each key once in a mapping (this one is first given at line 4, column 3), found it again",
        "job.yml:7:1: command: expected each key once in a mapping (this one is first given at line 1, column 1), found it again",
    ]
    assert message(text, tmp_path).replace(f"{tmp_path}{os.sep}", "").splitlines()[1:] == [f"  {line}" for line in want]
    with pytest.raises(DocumentError) as err:
        load_job(io.StringIO(text))
    assert [(p.location, p.line, p.column) for p in err.value.problems] == [("tags.a", 6, 3), ("command", 7, 1)]
    with pytest.raises(DocumentError, match=r"<stream>:6:1: \[1\]\.command: expected each key once in a mapping \(this one is first given at line 4"):
        load_all_job(io.StringIO(f"{JOB}---\n{JOB}command: again\n"))


def test_a_key_given_twice_beside_an_alias_or_a_merge_key_is_located_too() -> None:
    # a document with an alias or a merge key is built by pyyaml's constructor, held to the same rules
    assert problems(f"{JOB}tags: &t {{a: x}}\nproperties:\n  <<: *t\n  b: y\n  b: z\n") == [("properties.b", 7, 3)]
    # a key a merge brings in may be given again: that is what merging is for
    job = load_job(io.StringIO(f"{JOB}tags: &t {{a: x}}\nproperties:\n  <<: *t\n  a: y\n"))
    assert job.properties == {"a": "y"}


def test_a_merge_key_given_twice_is_a_key_given_twice() -> None:
    text = f"{JOB}tags: &t {{a: x}}\nproperties: &p {{b: y}}\nparameters:\n  <<: *t\n  <<: *p\n"
    with pytest.raises(DocumentError) as err:
        load_job(io.StringIO(text))
    assert [str(p) for p in err.value.problems] == [
        "<stream>:7:3: parameters.<<: expected each key once in a mapping (this one is first given at line 6, column 3), found it again"
    ]
    # told once each, beside the document's other problems; a list of mappings is how to merge several
    assert problems(f"{JOB}tags: {{<<: {{a: x}}, <<: {{b: y}}, <<: {{c: z}}}}\nname: 5\n") == [
        ("tags.<<", 3, 20), ("tags.<<", 3, 32), ("name", 4, 7),
    ]
    assert load_job(io.StringIO(f"{JOB}tags: &t {{a: x}}\nparameters: {{<<: [*t, {{b: y}}]}}\n")).parameters == {"a": "x", "b": "y"}


def test_keys_python_holds_equal_are_given_twice() -> None:
    with pytest.raises(DocumentError, match=r"expected each key once in a mapping \(this one is the same key to Python as '1'"):
        load_job(io.StringIO(f"{JOB}parameters:\n  1: one\n  true: two\n"))


def test_a_problem_of_the_text_itself_hides_no_other_problem_of_the_document() -> None:
    # a key given twice, a scalar its tag cannot hold: told with every other problem, in document order
    assert problems("name: 5\ncommand: x\ntags: {a: b, a: c}\nlimits: {timeout: soon}\n") == [
        ("name", 1, 7), ("tags.a", 3, 14), ("limits.timeout", 4, 19),
    ]
    assert problems("name: 5\ncommand: x\nlimits: {timeout: !!int x}\n") == [("name", 1, 7), ("limits.timeout", 3, 19)]
    # the loader checks the last value of a key given twice; a bad scalar is told once, by what it is
    assert problems(f"{JOB}limits: {{timeout: 1}}\nlimits: {{timeout: soon}}\n") == [("limits", 4, 1)]
    with pytest.raises(DocumentError) as err:
        load_job(io.StringIO(f"{JOB}!!int x: 1\nname: 3\n"))
    assert [(p.location, p.expected) for p in err.value.problems] == [
        ("x", "a value the tag !!int can hold"), ("name", "a string"),
    ]
    # an alias repeats a bad scalar: one problem, at its anchor (pyyaml's constructor builds such a text)
    assert problems(f"{JOB}name: &a !!int x\ndisplay_name: *a\n") == [("name", 3, 7)]
    with pytest.raises(DocumentError) as err:
        load_all_job(io.StringIO(f"{JOB}name: !!int x\n---\n{JOB}name: 3\n"))
    assert [(p.location, p.line) for p in err.value.problems] == [("[0].name", 3), ("[1].name", 7)]
    assert load_job(io.StringIO(f"{JOB}name: &a n\ndisplay_name: *a\n")).display_name == "n"


def test_a_document_that_declares_yaml_12_is_told_each_value_yaml_11_reads_otherwise() -> None:
    values = "{A: yes, B: 012, C: 1_000, D: 0o17, E: 1e3, F: 2024-01-01, G: 'yes', H: 12, I: true, J: 1.5, K: ~, L: !!bool on}"
    text = f"%YAML 1.2\n---\n{JOB}environment_variables: {values}\n"
    with pytest.raises(DocumentError) as err:
        load_job(io.StringIO(text))
    assert [p.location for p in err.value.problems] == [f"environment_variables.{k}" for k in "ABCDEF"]
    assert err.value.problems[1].expected.endswith("1.2 reads it as the integer 12 (quote it, or write it as both read it)")
    assert err.value.problems[1].found == "'012', read as the integer 10 by YAML 1.1"
    # without the directive (or with %YAML 1.1) the document is YAML 1.1, as pyyaml and azure-ai-ml read it
    for head in ("", "%YAML 1.1\n---\n"):
        assert load_job(io.StringIO(f"{head}{JOB}environment_variables: {values}\n")).environment_variables["B"] == 10
    assert load_job(io.StringIO(f"%YAML 1.2\n---\n{JOB}environment_variables: {{G: 'yes', H: 12}}\n"))


# -- 10. problems in document order ----------------------------------------------------------------------------


def test_problems_come_in_document_order_whatever_order_the_loader_finds_them_in() -> None:
    text = "limits:\n  timeout: soon\nresources:\n  instance_count: many\ncommand: 5\nname: 6\n"
    assert [p[0] for p in problems(text)] == ["limits.timeout", "resources.instance_count", "command", "name"]
    data = {"limits": {"timeout": "soon"}, "resources": {"instance_count": "many"}, "command": 5, "name": 6}
    with pytest.raises(DocumentError) as err:
        CommandJob.from_dict(data)
    assert [p.location for p in err.value.problems] == ["limits.timeout", "resources.instance_count", "command", "name"]


# -- 11. syntax errors in plain words ----------------------------------------------------------------------------

SYNTAX = {
    "bad indentation": ("command: x\nlimits:\n  timeout: 1\n retries: 2\n", "4:2", "where a key of the mapping at line 1, column 1 should be (check its indentation)"),
    "unclosed double quote": ('command: "python x\nname: y\n', "3:1", "the end of the text in the string quoted at line 1, column 10 (is its closing quote missing?)"),
    "unclosed single quote": ("command: 'python x\n", "2:1", "the string quoted at line 1, column 10"),
    "unclosed bracket": ("command: x\ntags: [a, b\nname: y\n", "3:5", "where a ',' or the ']' closing the list opened at line 2, column 7 should be"),
    "unclosed brace": ("command: x\ntags: {a: b\n", "3:1", "where a ',' or the '}' closing the mapping opened at line 2, column 7 should be"),
    "tab": ("command: x\nlimits:\n\ttimeout: 1\n", "3:1", "a tab: YAML indents with spaces, never tabs"),
    "mapping values": ("command: python -c x: y\n", "1:21", "a ': ' where no mapping can start (quote a value that holds ': ')"),
    "undefined alias": ("command: *run\n", "1:10", "the alias '*run', which no anchor before it defines"),
    "unknown tag": ("command: !shell x\n", "1:10", "found the tag !shell"),
    "python tag": ("command: !!python/object/apply:os.system [ls]\n", "1:10", "found the tag !!python/object/apply:os.system"),
    "key without colon": ("command: x\nname\ndisplay_name: y\n", "2:1", "'name', a key with no ': ' after it"),
    "list item in a mapping": ("command: x\n- y\n", "2:1", "'-' where a key of the mapping at line 1, column 1 should be"),
    "reserved character": ("command: @x\n", "1:10", "'@', which cannot start a plain value (quote the value)"),
    "unknown escape": ('command: "a\\qb"\n', "1:12", "the escape '\\\\q', which YAML does not have"),
    "duplicate anchor": ("command: &a x\nname: &a y\n", "2:7", "the anchor '&a' again (it is first defined at line 1, column 10)"),
    "content after the end": ("command: x\n...\nname: y\n", "3:1", "'name:' after the end of the document"),
    "a key that is a list": ("? [a]\n: x\n", "1:3", "a key that is a mapping or a list"),
}


@pytest.mark.parametrize(("text", "where", "found"), SYNTAX.values(), ids=SYNTAX.keys())
def test_a_syntax_error_says_what_is_wrong_in_plain_words(text: str, where: str, found: str, tmp_path: Path) -> None:
    shown = message(text, tmp_path)
    assert f"job.yml:{where}: " in shown and found in shown, shown
    for jargon in ("<document>", "<unicode string>", "but found", "while parsing", "while scanning", "found found"):
        assert jargon not in shown, shown


def test_a_second_document_names_the_function_that_loads_them_all(tmp_path: Path) -> None:
    assert message(f"{JOB}---\n{JOB}", tmp_path).endswith(
        "job.yml:3:1: expected one document (use load_all_job to load every document of a file), found a second document"
    )


def test_load_all_skips_documents_with_no_content_and_keeps_the_others_places() -> None:
    # a trailing ---, two in a row, a document of comments only: nothing to load, as kubectl skips them
    assert len(load_all_job(io.StringIO(f"---\n---\n{JOB}---\n# only a comment\n---\n{JOB}---\n"))) == 2
    assert load_all_job(io.StringIO("# only comments\n# here\n")) == []
    # the other documents' problems keep their lines; their index is among the documents loaded
    text = f"---\n# nothing\n---\n{JOB}name: 5\n---\n---\n{JOB}name: !!int x\n"
    with pytest.raises(DocumentError) as err:
        load_all_job(io.StringIO(text))
    assert [(p.location, p.line, p.column) for p in err.value.problems] == [("[0].name", 6, 7), ("[1].name", 11, 7)]
    # an explicit null is a document, and not a job
    for null in ("--- null\n", "--- ~\n", "--- !!null\n", "---\n!!null\n", "--- &a\n"):
        with pytest.raises(DocumentError, match=r"<stream>:\d+:\d+: \[1\]: expected a mapping, found null"):
            load_all_job(io.StringIO(f"{JOB}{null}"))


@pytest.mark.parametrize(
    ("text", "line"),
    [("", 1), ("# a\n# b\n", 2), ("# a\n# b", 2), ("---\n# only a comment\n", 2), ("# a\n---\n# b\n\n", 4), ("---\n", 1)],
)
def test_an_empty_document_is_told_at_the_last_line_of_its_text(text: str, line: int) -> None:
    with pytest.raises(DocumentError) as err:
        load_job(io.StringIO(text))
    assert [(p.expected, p.found, p.line, p.column) for p in err.value.problems] == [("a mapping", "an empty document", line, 1)]


def test_a_scalar_its_tag_cannot_hold_is_located(tmp_path: Path) -> None:
    shown = message(f"{JOB}name: !!int seven\ndescription: 2001-13-45\n", tmp_path)
    assert "job.yml:3:7: name: expected a value the tag !!int can hold, found 'seven'" in shown
    assert "job.yml:4:14: description: expected a valid date or time (quote a value that only looks like one), found '2001-13-45'" in shown


#: Scalars whose tag their text is no value of (pyyaml reads ``!!null foo`` as null, ``!!int 1:70`` as 130).
TAGGED_OTHERWISE = ["!!null foo", "!!null 0", "!!bool yEs", "!!bool 1", "!!int 1:70", "!!int ' 12'", "!!int 0o17", "!!float infinity", "!!float ' 1.5'"]
#: Scalars whose text is a value of their tag, in YAML 1.1 (or 1.2, for a float).
TAGGED = {"!!null": None, "!!null ~": None, "!!null ''": None, "!!bool yes": True, "!!bool FALSE": False, "!!int 0x10": 16,
          "!!int 1:30": 90, "!!int '7'": 7, "!!float 1": 1.0, "!!float 1e3": 1000.0, "!!float -.inf": float("-inf")}


@pytest.mark.parametrize("value", TAGGED_OTHERWISE)
def test_a_tag_on_a_text_that_is_no_value_of_it_is_located_not_read_as_part_of_it(value: str) -> None:
    with pytest.raises(DocumentError) as err:
        load_job(io.StringIO(f"{JOB}parameters:\n  a: {value}\n"))
    ((location, expected, line, column),) = [(p.location, p.expected, p.line, p.column) for p in err.value.problems]
    assert (location, line, column) == ("parameters.a", 4, 6)
    assert expected == f"a value the tag {value.split()[0]} can hold"


def test_a_tag_on_a_text_that_is_a_value_of_it_reads_as_that_value() -> None:
    text = "".join(f"  k{i}: {value}\n" for i, value in enumerate(TAGGED))
    parameters = load_job(io.StringIO(f"{JOB}parameters:\n{text}")).parameters
    assert list(parameters.values()) == list(TAGGED.values())
    assert [type(v) for v in parameters.values()] == [type(v) for v in TAGGED.values()]


# -- 12. unknown keys ----------------------------------------------------------------------------------------


def test_an_unknown_key_gets_its_closest_known_key_not_the_list_of_them_all(tmp_path: Path) -> None:
    shown = message(f"{JOB}comand: x\nzzzzzz: y\n", tmp_path)
    assert 'job.yml:3:1: comand: expected a known key (did you mean "command"?), found an unknown key' in shown
    assert "job.yml:4:1: zzzzzz: expected a known key, found an unknown key" in shown
    assert "experiment_name" not in shown


# -- 13. on/off/yes/no keys -----------------------------------------------------------------------------------


def test_yaml_1_1_booleans_as_keys_are_strings_and_as_values_booleans(tmp_path: Path) -> None:
    text = f"{JOB}tags:\n  on: push\n  Off: pull\n  YES: y\n  no: n\nparameters:\n  flag: on\n"
    job = load_job(io.StringIO(text))
    assert job.tags == {"on": "push", "Off": "pull", "YES": "y", "no": "n"}
    assert job.parameters == {"flag": True}  # values keep YAML 1.1's meaning
    job.dump(tmp_path / "job.yml")
    assert load_job(tmp_path / "job.yml").to_dict() == job.to_dict() == yaml.safe_load(text) | {
        "tags": {"on": "push", "Off": "pull", "YES": "y", "no": "n"}
    }
    for key in ("!!bool on", "true"):  # tagged as a boolean, or a boolean in YAML 1.2 too
        with pytest.raises(DocumentError, match=r"tags\.True: expected a string key, found the boolean true"):
            load_job(io.StringIO(f"{JOB}tags:\n  {key}: x\n"))


def test_a_key_that_is_no_string_is_placed_at_itself_and_in_document_order() -> None:
    # paths name such a key by its value (true is True): positions were looked up by its text, missed,
    # and fell back to its mapping, out of document order
    text = f"{JOB}tags:\n  a: b\n  true: y\n  ~: z\n  0x10: w\nlimits: {{timeout: x}}\n"
    assert problems(text) == [
        ("tags.True", 5, 3),
        ("tags.None", 6, 3),
        ("tags.16", 7, 3),
        ("limits.timeout", 8, 19),
    ]
    assert problems(f"true: 1\n{JOB}") == [("True", 1, 1)]


def test_loaded_objects_copy_deeply_and_pickle(tmp_path: Path) -> None:
    import copy
    import pickle

    # a document that only wrote a discriminator, one that kept spellings, one with nothing beyond values
    for text in (f"type: command\n{JOB}", f"{JOB}identity: {{type: managed}}\n", JOB):
        job = load_job(io.StringIO(text))
        for twin in (copy.deepcopy(job), pickle.loads(pickle.dumps(job))):
            assert twin == job and twin.to_dict() == job.to_dict()
            twin.dump(tmp_path / f"{len(list(tmp_path.iterdir()))}.yml")  # the copy is a whole object


def test_a_document_error_pickles_with_its_problems() -> None:
    import pickle

    with pytest.raises(DocumentError) as err:
        load_job(io.StringIO("command: 1\nlimits: {timeout: x}\nbogus: 1\n" + "".join(f"k{i}: 1\n" for i in range(MAX_PROBLEMS))))
    again = pickle.loads(pickle.dumps(err.value))
    assert type(again) is DocumentError and str(again) == str(err.value)
    assert again.count == err.value.count > len(again.problems)
    assert [(p.location, p.line, p.column) for p in again.problems] == [
        (p.location, p.line, p.column) for p in err.value.problems
    ]
