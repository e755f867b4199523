"""The patterns a spec may write (``generator.spec.patterns``): what Python's ``re`` and ECMA-262 read
alike, without what Python warns will change meaning, and without the repetitions that backtrack for
an exponential time. The mistakes as a spec makes them are tests/bad_specs cases
(``constraint_pattern_*``)."""

from __future__ import annotations

import re
import warnings

import pytest
from conftest import ROOT

from generator.cli import main
from generator.spec.backtracking import SPACE
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
    r"^\d{1,3}(\.\d{1,3}){3}$",  # a bounded repetition of few rounds, read round by round
    # what formats such as Kubernetes' write: repetitions side by side that match apart, or apart from
    # what can follow them
    r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",  # a DNS-1123 subdomain
    r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$",  # a DNS-1123 label
    r"^([a-z0-9]+(-[a-z0-9]+)*\.)+[a-z]{2,}$",
    r"^(\w+=\w+;)*$",
    r"^([a-z]+:[0-9]+,)*$",
    r"^(\s*,\s*\w+)*$",  # no character is both a space and a word character
    r"^(x(a+)?(b+)?)+$",  # two repetitions in one round, which match apart
    r"^([0-9a-f]{2})*$",  # a bounded repetition of one fixed sequence of characters
    r"^([0-9a-f]{32})*$",  # ... of any number of rounds
    r"^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$",
    r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
    r"^(a?){0,20}a{20}$",  # the engine does not start a round after one that matched nothing
    r"^(?:a|b?){0,5}$",
    r"^(a?){2,}b$",  # the rounds it must match may match nothing, but only two
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
    r"^(x(a+)?(a+)?)+$": "can take exponential time to match",  # two repetitions side by side that match alike
    r"^(\w+\s?){1,50}$": "can take exponential time to match",  # many rounds: polynomial of degree 50
    r"^(a+){1,40}$": "can take exponential time to match",
    r"^(a?){20}a{20}$": "can take exponential time to match",  # the rounds it must match may match nothing
    r"^((a?){2})*$": "can take exponential time to match",
    r"^(\d{1,3}){1,20}$": "can take exponential time to match",
    r"^(a|a){30}$": "can take exponential time to match",
    r"^((a|a){5}){5}$": "can take exponential time to match",  # 25 rounds in all
    r"^(?=(a+)+b)": "can take exponential time to match",  # a lookahead is read too
    r"^(a)(\1|a)*$": "can take exponential time to match",  # a back reference is read as any text
    r"^(\W+\w)*$": "can take exponential time to match",  # a known refusal: \W and \w beyond ASCII are not told apart
    r"^[a-": "does not compile",
    "a?" * 300: "is too intricate to check",  # each position can follow any before it: read in bounded time
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


def test_the_spaces_the_check_knows_are_those_of_re() -> None:
    """What ``\\s`` matches, which no ``\\w`` matches: ``(\\s*,\\s*\\w+)*`` is read as linear for it."""
    text = "".join(map(chr, range(0x110000)))
    spaces = tuple((ord(run[0]), ord(run[-1])) for run in re.findall(r"\s+", text))
    assert spaces == SPACE
    assert not re.search(r"(?=\w)\s", text)
