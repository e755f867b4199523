"""The patterns a spec may write (``generator.spec.patterns``): what Python's ``re`` and ECMA-262 read
alike, without what Python warns will change meaning, and without the repetitions that backtrack for
an exponential time. The mistakes as a spec makes them are tests/bad_specs cases
(``constraint_pattern_*``)."""

from __future__ import annotations

import warnings

import pytest
from conftest import ROOT

from generator.cli import main
from generator.spec.patterns import parse, pattern_problem

#: Patterns both dialects read alike, which backtrack no more than linearly: kept.
KEPT = [
    r"^[a-z]+(-[a-z]+)*$",  # a separator begins each round, which the inner repetition does not match
    r"^([^-]+-)*$",  # ... or ends it
    r"^[0-9]+(\.[0-9]+)*([ab]|rc)?[0-9]*$",
    r"^(\d+\.)*\d+$",
    r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*$",
    r"^(foo|bar)+$",  # alternatives that begin apart
    r"^(?:ab?)*$",
    r"^\d+(\.\d+|\*)?$",
    r"^(?=a)\w{2,}(?<!b)$",
    r"^[\]\[-]+\{2\}$",
    r"x{2,5}?(a)\1",  # a lazy repetition, a group reference
    r"^\d{1,3}(\.\d{1,3}){3}$",  # a bounded repetition holds any
]
#: What each pattern is refused for (the start of :func:`pattern_problem`'s message).
REFUSED = {
    r"(?P<code>[A-Z]+)": "uses a named group",
    r"(a)(?P=x)": "does not compile",  # no such group: Python says so first
    r"(?P<x>a)(?P=x)": "uses a named group",
    r"a(?#note)": "uses a comment group",
    r"(?i)abc": "uses inline flags",
    r"(?s:.)": "uses inline flags",
    r"(?>ab)": "uses an atomic group",
    r"(a)?(?(1)b|c)": "uses a conditional group",
    r"a*+": "uses a possessive repetition",
    r"[a]{2}+": "uses a possessive repetition",
    r"\Aabc": "uses \\A",
    r"abc\Z": "uses \\Z",
    r"\a": "uses \\a",
    r"\N{BULLET}": "uses \\N",
    r"\U0001F600": "uses \\U",
    r"\012": "uses an octal escape",
    r"a{,3}": 'uses a repetition "{,n}"',
    r"a{b": 'uses a "{" that starts no repetition',
    r"a}": 'uses a "}" outside a class',
    r"a]": 'uses a "]" outside a class',
    r"[]a]": 'uses "]" first in a class',
    r"[^]a]": 'uses "]" first in a class',
    r"^[[a-z]+$": "has what Python warns will change meaning (possible nested set",
    r"^[a-z&&b]$": "has what Python warns will change meaning (possible set intersection",
    r"^(a+)+$": "can take exponential time to match",
    r"^(a*)*$": "can take exponential time to match",
    r"^(\w+\s?)*$": "can take exponential time to match",
    r"^(.+/)+x$": "can take exponential time to match",
    r"^(-[a-z-]+)*$": "can take exponential time to match",  # the inner repetition matches the separator
    r"^(ab|a.)*$": "can take exponential time to match",  # alternatives that begin alike
    r"^(.|\r)*$": "can take exponential time to match",  # Python's . matches \r
    r"^(x(a+)?(b+)?)+$": "can take exponential time to match",  # two repetitions in one round
    r"^[a-": "does not compile",
}


@pytest.mark.parametrize("pattern", KEPT)
def test_a_portable_linear_pattern_is_kept(pattern: str) -> None:
    assert pattern_problem(pattern) == ""


@pytest.mark.parametrize(("pattern", "why"), sorted(REFUSED.items()))
def test_a_pattern_is_refused_for_what_it_uses(pattern: str, why: str) -> None:
    assert pattern_problem(pattern).startswith(why), pattern_problem(pattern)


def test_what_python_warns_about_a_pattern_is_caught_not_shown() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning that escaped would raise here
        assert parse("[[a]")[1] == ["Possible nested set at position 1"]
        assert pattern_problem("[[a]").startswith("has what Python warns")


def test_generate_prints_no_warning_for_a_pattern(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    """The spec of tests/bad_specs whose pattern Python warns about: its message, and nothing else."""
    spec = ROOT / "tests" / "bad_specs" / "constraint_pattern_nested_set.yaml"
    with warnings.catch_warnings():
        warnings.simplefilter("default")  # as a user's terminal shows them
        assert main(["generate", "--out", str(tmp_path), str(spec)]) == 2
    err = capsys.readouterr().err
    assert "Warning" not in err and err.count("\n") == 2 and "possible nested set at position 2" in err
