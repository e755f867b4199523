"""``python -m generator diff``: spec pairs with their expected classification, the output formats, exit
codes, acknowledgement in the spec's changelog, git revisions, and the changelog page data."""

from __future__ import annotations

import copy
import json
import os
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, SPEC, run_cli

from generator import cli
from generator.diff import KINDS, Comparison, Side, compare, compare_files, compare_packages
from generator.diff.rules import RULES, msgids
from generator.diff.sides import read_file_side
from generator.model import ChangelogEntry, Text
from generator.spec.changelog import acknowledged, is_major_bump, version_key
from generator.spec.typeexpr import parse_type
from generator.targets.docs.catalog import catalog
from generator.targets.docs.views import Views

PAIRS = ROOT / "tests" / "spec_pairs"
CASES = sorted(p.name for p in PAIRS.iterdir() if p.is_dir())
#: Kinds no valid spec pair can show yet (every method ``implements`` dump_yaml, which returns None).
UNIT_TESTED = {"return-type-narrowed", "return-type-widened", "return-type-changed"}


def expected(case: str) -> list[dict[str, str]]:
    data: list[dict[str, str]] = json.loads((PAIRS / case / "expected.json").read_text(encoding="utf-8"))["changes"]
    return data


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line in this process (fast); returns (exit code, stdout, stderr)."""
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def pair(case: str) -> tuple[str, str]:
    return str(PAIRS / case / "old.yaml"), str(PAIRS / case / "new.yaml")


@cache
def side(path: Path) -> Side:
    """A spec pair's side, read once for all the tests (comparing never changes a side)."""
    return read_file_side(path)


def compare_pair(case: str, *, reverse: bool = False) -> Comparison:
    old, new = side(PAIRS / case / "old.yaml"), side(PAIRS / case / "new.yaml")
    return compare(new, old) if reverse else compare(old, new)


# -- the spec pairs ---------------------------------------------------------------------------


def test_there_is_a_pair_for_every_kind_of_change() -> None:
    assert len(CASES) >= 25
    shown = {c["kind"] for case in CASES for c in expected(case)}
    assert shown | UNIT_TESTED == set(KINDS)
    assert not shown & UNIT_TESTED


@pytest.mark.parametrize("case", CASES)
def test_spec_pair_gives_its_expected_classification(case: str) -> None:
    comparison = compare_pair(case)
    got = [{"kind": c.kind, "subject": c.subject, "api": c.api, "document": c.document} for c in comparison.changes]
    assert got == expected(case)


@pytest.mark.parametrize("case", CASES)
def test_reversed_pair_is_classified_too(case: str) -> None:
    """NEW → OLD compares without error, and an added thing comes back as removed."""
    comparison = compare_pair(case, reverse=True)
    kinds = {c.kind for c in comparison.changes}
    forward = {c["kind"] for c in expected(case)}
    inverse = {"class-added": "class-removed", "enum-added": "enum-removed", "method-added": "method-removed"}
    for kind, back in inverse.items():
        if kind in forward:
            assert back in kinds
    assert bool(comparison.changes) == bool(forward)


def test_identical_specs_have_no_changes() -> None:
    assert compare_files(SPEC, SPEC).changes == []


def test_change_ids_are_unique_and_spaceless() -> None:
    for case in CASES:
        ids = [f"{c['kind']}:{c['subject']}" for c in expected(case)]
        assert len(ids) == len(set(ids)) and not any(" " in i for i in ids)


def test_return_types_of_methods() -> None:
    """Outputs: a narrower return type is compatible, a wider or other one breaks callers."""
    old = side(PAIRS / "no_change" / "old.yaml").package

    def returning(text: str) -> object:
        package = copy.deepcopy(old)
        order = next(c for c in package.classes if c.name == "Order")
        order.methods[0].returns = parse_type(text)
        return package

    cases = [
        ("None", "Optional[str]", "return-type-widened", "breaking"),
        ("Optional[str]", "str", "return-type-narrowed", "compatible"),
        ("str", "int", "return-type-changed", "breaking"),
    ]
    for old_text, new_text, kind, api in cases:
        changes = compare_packages(returning(old_text), returning(new_text))  # type: ignore[arg-type]
        assert [(c.kind, c.subject, c.api, c.document) for c in changes] == [(kind, "Order.dump()", api, "none")]
        assert f'to "{new_text}"' in changes[0].message and f'a "{new_text}"' in changes[0].message_es


def test_messages_are_in_english_and_spanish() -> None:
    changes = compare_pair("field_renamed").changes
    assert changes[0].message == 'field "Order.note" renamed to "remark"; document key "note" is now "remark"'
    assert (
        changes[0].message_es
        == 'campo "Order.note" renombrado a "remark"; la clave de documento "note" es ahora "remark"'
    )


# -- the command line -------------------------------------------------------------------------


def test_exit_1_on_a_breaking_change_0_on_a_compatible_one(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "diff", *pair("field_removed"))
    assert code == 1
    assert 'breaking    breaking    field "Order.note" removed' in out and "[field-removed:Order.note]" in out
    assert "not acknowledged" in err and "--allow-breaking" in err
    code, out, _ = run(capsys, "diff", *pair("field_added"))
    assert code == 0 and "compatible  compatible" in out
    code, out, _ = run(capsys, "diff", *pair("no_change"))
    assert code == 0 and "no changes" in out


def test_allow_breaking_and_fail_on(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "diff", "--allow-breaking", *pair("field_removed"))[0] == 0
    # a change that breaks documents only: fails unless only the Python API counts
    assert run(capsys, "diff", *pair("key_renamed"))[0] == 1
    assert run(capsys, "diff", "--fail-on", "api", *pair("key_renamed"))[0] == 0
    assert run(capsys, "diff", "--fail-on", "document", *pair("key_renamed"))[0] == 1
    assert run(capsys, "diff", "--fail-on", "document", *pair("method_removed"))[0] == 0


def test_json_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "diff", "--format", "json", *pair("readonly_type_narrowed"))
    data = json.loads(out)
    assert code == 1 and data["breaking"] is True
    (comparison,) = data["comparisons"]
    assert comparison["old"] == {
        "spec": "tests/spec_pairs/readonly_type_narrowed/old.yaml",
        "package": "shop",
        "version": "1.0",
    }
    (change,) = comparison["changes"]
    assert change["id"] == "field-type-narrowed:Order.status"
    assert (change["api"], change["document"], change["breaking"], change["acknowledged"]) == (
        "compatible",
        "breaking",
        True,
        False,
    )
    assert change["message"].startswith('field "Order.status": type narrowed') and change["message_es"].startswith(
        "campo"
    )


def test_markdown_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "diff", "--format", "markdown", *pair("required_field_added"))
    assert code == 1
    assert out.startswith("## shop 1.0 → 1.0\n")
    assert "| Change | Python API | Document | Id |" in out
    assert (
        '| required field "Order.customer" added: a required keyword, and a required document key "customer" | **breaking** | **breaking** | `required-field-added:Order.customer` |'
        in out
    )


def with_changelog(source: Path, target: Path, version: str, entries: list[Any]) -> Path:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["package"]["version"] = version
    data["package"]["changelog"] = entries
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for module in data["package"].get("modules", {}).values():  # the modules it ships go with it
        (target.parent / module).write_bytes((source.parent / module).read_bytes())
    return target


def test_breaking_change_acknowledged_in_the_spec(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old, _ = pair("field_removed")
    new = with_changelog(
        PAIRS / "field_removed" / "new.yaml",
        tmp_path / "new.yaml",
        "2.0",
        [
            {
                "version": "2.0",
                "changes": [{"en": "Orders lose their note.", "es": "Los pedidos pierden su nota."}],
                "acknowledged_breaking": ["field-removed:Order.note"],
            }
        ],
    )
    code, out, err = run(capsys, "diff", old, str(new))
    assert code == 0, err
    assert "[field-removed:Order.note]  (acknowledged)" in out and "1 acknowledged" in out
    assert "note:" not in out  # 1.0 → 2.0 is a major bump
    data = json.loads(run(capsys, "diff", "--format", "json", old, str(new))[1])
    assert data["breaking"] is False and data["comparisons"][0]["changes"][0]["acknowledged"] is True


def test_acknowledging_something_else_does_not_help(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old, _ = pair("field_removed")
    new = with_changelog(
        PAIRS / "field_removed" / "new.yaml",
        tmp_path / "new.yaml",
        "1.1",
        [
            {
                "version": "1.1",
                "changes": [{"en": "x", "es": "x"}],
                "acknowledged_breaking": ["field-removed:Order.count"],
            }
        ],
    )
    code, out, _ = run(capsys, "diff", old, str(new))
    assert code == 1
    assert 'note: the changelog acknowledges "field-removed:Order.count", which is not a breaking change' in out
    assert "note: breaking changes usually call for a new major version" in out


def test_changelog_entry_format_drafts_an_entry_that_acknowledges(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    old, new = pair("enum_member_removed")
    code, out, _ = run(capsys, "diff", "--format", "changelog-entry", old, new)
    assert code == 1
    assert out.startswith("# package.changelog entry for tests/spec_pairs/enum_member_removed/new.yaml\n")
    entries = yaml.safe_load(out)
    assert entries == [
        {
            "version": "1.0",
            "changes": [
                {
                    "en": 'Enum "Color": member GREEN (value "green") removed.',
                    "es": 'Enum "Color": miembro GREEN (valor "green") eliminado.',
                }
            ],
            "acknowledged_breaking": ["enum-member-removed:Color.GREEN"],
        }
    ]
    entries[0]["version"] = "2.0"
    pasted = with_changelog(Path(new), tmp_path / "new.yaml", "2.0", entries)
    assert run(capsys, "diff", old, str(pasted))[0] == 0


def test_bad_specs_exit_2_with_positions_of_both_sides(capsys: pytest.CaptureFixture[str]) -> None:
    bad = ROOT / "tests" / "bad_specs"
    code, out, err = run(capsys, "diff", str(bad / "unknown_field_key.yaml"), str(bad / "inheritance_cycle.yaml"))
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[-1] == "2 errors"
    assert any(line.endswith("inheritance_cycle.yaml:30:3: inheritance cycle: Item → Extra → Item") for line in lines)
    assert any(':35:9: unknown key "defualt" in field "sku" of class "Item"' in line for line in lines)


def test_bad_changelog_exits_2_with_its_position(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    old, _ = pair("no_change")
    entry = {"version": "0.9", "changes": [{"en": "x", "es": "x"}]}
    new = with_changelog(
        PAIRS / "no_change" / "new.yaml",
        tmp_path / "new.yaml",
        "1.0",
        [entry, dict(entry, version="0.9.0"), dict(entry, version="3.0")],
    )
    code, _, err = run(capsys, "diff", old, str(new))
    assert code == 2
    text = new.read_text()
    assert 'changelog: version "0.9.0" is already described (as "0.9")' in err
    assert 'changelog: version "3.0" is newer than the package version "1.0"' in err
    line = text.splitlines().index("  - version: '3.0'") + 1
    assert f"new.yaml:{line}:14: changelog" in err
    bad_id = with_changelog(
        PAIRS / "no_change" / "new.yaml",
        tmp_path / "bad.yaml",
        "1.0",
        [dict(entry, acknowledged_breaking=["removed Order.note"])],
    )
    code, _, err = run(capsys, "diff", old, str(bad_id))
    assert code == 2 and "it must be a change id as `generator diff` prints it" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "diff", "only-one.yaml")
    assert code == 2 and "needs OLD and NEW" in err
    code, _, err = run(capsys, "diff", str(tmp_path / "missing.yaml"), pair("no_change")[1])
    assert code == 2 and "missing.yaml:1:1: cannot read the spec" in err


def test_a_user_sees_no_traceback_and_the_exit_codes() -> None:
    assert run_cli("diff", *pair("field_added")).returncode == 0
    result = run_cli("diff", *pair("enum_closed"))
    assert result.returncode == 1 and "enum-closed:Stage" in result.stdout
    result = run_cli("diff", str(ROOT / "tests" / "bad_specs" / "mro_conflict.yaml"), pair("no_change")[1])
    assert result.returncode == 2 and "Traceback" not in result.stderr and "mro_conflict.yaml:" in result.stderr


# -- git revisions ----------------------------------------------------------------------------


def git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository with one commit on main holding spec/shop.yaml (the base of the pairs)."""
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "spec").mkdir()
    (tmp_path / "spec" / "shop.yaml").write_text((PAIRS / "no_change" / "old.yaml").read_text())
    git(tmp_path, "add", "spec/shop.yaml")
    git(tmp_path, "commit", "-q", "-m", "spec")
    git(tmp_path, "checkout", "-q", "-b", "feature")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_against_a_git_revision(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = repo / "spec" / "shop.yaml"
    assert run(capsys, "diff", "--against", "main")[0] == 0
    spec.write_text((PAIRS / "field_removed" / "new.yaml").read_text())
    code, out, _ = run(capsys, "diff", "--against", "main")
    assert code == 1
    assert "(main:spec/shop.yaml → spec/shop.yaml)" in out and "[field-removed:Order.note]" in out
    assert run(capsys, "diff", "--against", "main", "spec/shop.yaml")[0] == 1
    # a side named REV:path, from a sub-folder too
    git(repo, "commit", "-q", "-am", "remove note")
    code, out, _ = run(capsys, "diff", "main:spec/shop.yaml", "HEAD:spec/shop.yaml")
    assert code == 1 and "(main:spec/shop.yaml → HEAD:spec/shop.yaml)" in out
    os.chdir(repo / "spec")
    code, out, _ = run(capsys, "diff", "--against", "main", "shop.yaml")
    assert code == 1 and "main:spec/shop.yaml → shop.yaml" in out


def test_against_a_revision_without_the_spec_or_unknown(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "spec" / "new.yaml").write_text((PAIRS / "no_change" / "old.yaml").read_text())
    code, _, err = run(capsys, "diff", "--against", "main")
    assert code == 0 and "spec/new.yaml: not in main, nothing to compare (a new spec)" in err
    code, _, err = run(capsys, "diff", "--against", "nope")  # a mistyped branch: the branches, how to name one
    assert code == 2 and 'unknown git revision "nope": no branch or tag of that name' in err
    assert "(its branches: feature, main)" in err and "args: [--against, BRANCH]" in err
    code, _, err = run(capsys, "diff", "--against", "main~5")  # past the history
    assert code == 2 and 'unknown git revision "main~5"' in err and "git cannot resolve it to a commit" in err
    code, _, err = run(capsys, "diff", "main:spec/new.yaml", "spec/new.yaml")
    assert code == 2 and "spec/new.yaml: no such file in main" in err


def test_against_a_revision_before_the_first_commit_passes_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    git(tmp_path, "init", "-q", "-b", "main")  # no commit yet: the hook runs while the first one is made
    (tmp_path / "spec").mkdir()
    for name in ("shop.yaml", "other.yaml"):
        (tmp_path / "spec" / name).write_text((PAIRS / "no_change" / "old.yaml").read_text())
    git(tmp_path, "add", "spec")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "diff", "--against", "main")
    assert code == 0 and out == ""
    assert err == 'nothing to compare against: the repository has no commits yet, so no "main" (every spec is new)\n'
    code, _, err = run(capsys, "diff", "main:spec/shop.yaml", "spec/shop.yaml")  # a side named at a revision
    assert code == 2 and "error: nothing to compare against: the repository has no commits yet" in err


def test_against_a_bad_old_revision_names_it(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = repo / "spec" / "shop.yaml"
    spec.write_text(spec.read_text().replace("load_function: load_order", "load_function: class"))
    git(repo, "commit", "-q", "-am", "break it")
    git(repo, "checkout", "-q", "-b", "fixed")
    spec.write_text((PAIRS / "no_change" / "old.yaml").read_text())
    code, _, err = run(capsys, "diff", "--against", "feature")
    assert code == 2
    assert "feature:spec/shop.yaml:9:" in err and 'load function "class" is a Python keyword' in err


def test_not_a_git_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.yaml").write_text((PAIRS / "no_change" / "old.yaml").read_text())
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    code, _, err = run(capsys, "diff", "--against", "main", "s.yaml")
    assert code == 2 and "not in a git repository" in err


# -- the pre-commit hooks ---------------------------------------------------------------------


def test_pre_commit_hooks_run_commands_of_this_cli() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["generator-check", "generator-diff"]
    parser = cli._parser()
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook) and hook["language"] == "python"
        assert hook["pass_filenames"] is False
        prefix = "idlgen "
        assert hook["entry"].startswith(prefix)
        parser.parse_args(hook["entry"].removeprefix(prefix).split() + hook.get("args", []))
    assert "--against" in hooks[1]["entry"] + " ".join(hooks[1].get("args", []))


# -- the changelog ----------------------------------------------------------------------------


def test_versions_sort_like_releases() -> None:
    ordered = ["0.9", "1.0a1", "1.0b2", "1.0rc1", "1.0", "1.0.1", "1.2", "1.10"]
    assert sorted(reversed(ordered), key=version_key) == ordered
    assert version_key("1.2") == version_key("1.2.0")
    assert is_major_bump("1.4", "2.0") and not is_major_bump("1.4", "1.9")
    assert is_major_bump("0.1.0", "0.2.0") and not is_major_bump("0.1.0", "0.1.5")


def test_acknowledged_counts_the_versions_after_old_up_to_new() -> None:
    entries = [ChangelogEntry(v, (), (f"k:{v}",)) for v in ("1.0", "1.1", "2.0", "3.0")]
    assert acknowledged(entries, "1.0", "2.0") == {"k:1.1", "k:2.0"}
    assert acknowledged(entries, "2.0", "2.0") == {"k:2.0"}


def test_changelog_page_data(tmp_path: Path) -> None:
    spec = with_changelog(
        SPEC,
        tmp_path / "s.yaml",
        "2.0",
        [
            {"version": "1.0", "changes": [{"en": "First *release*.", "es": "Primera versión."}]},
            {"version": "2.0", "changes": [{"en": "Removed `note`.", "es": "Se quitó `note`."}],
             "acknowledged_breaking": ["field-removed:Order.note"]},
        ],
    )
    package = read_file_side(spec).package
    english = Views(package, "en", {}).changelog_page()
    assert [v.version for v in english] == ["2.0", "1.0"]
    assert english[0].changes == ["Removed `note`."] and english[0].acknowledged_breaking == ["`field-removed:Order.note`"]
    assert english[1].changes == ["First \\*release\\*."]
    assert Views(package, "es", {}).changelog_page()[1].changes == ["Primera versión."]


def test_the_spec_changelog_is_read_newest_first(tmp_path: Path) -> None:
    entry = {"changes": [{"en": "a", "es": "b"}]}
    spec = with_changelog(
        SPEC,
        tmp_path / "s.yaml",
        "0.3.0",
        [dict(entry, version="0.1.0"), dict(entry, version="0.3.0"), dict(entry, version="0.2.0")],
    )
    side = read_file_side(spec)
    assert [e.version for e in side.changelog] == ["0.3.0", "0.2.0", "0.1.0"]
    assert side.changelog[0].changes == (Text.of(en="a", es="b"),)


def test_every_message_has_a_spanish_translation_with_the_same_placeholders() -> None:
    import string

    spanish = catalog("es")
    for msgid in msgids():
        assert msgid in spanish, msgid
        fields = {f for _, f, _, _ in string.Formatter().parse(msgid) if f}
        assert {f for _, f, _, _ in string.Formatter().parse(spanish[msgid]) if f} == fields, msgid
    assert set(RULES) == set(KINDS)


def test_changelog_entry_of_an_english_only_spec_has_texts_in_english_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # it drafted an "es" text whatever the spec's languages: pasted, the spec was refused
    source = ROOT / "tests" / "specs" / "inheritance" / "inheritance.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    del data["classes"]["Job"]["fields"]["retries"]
    new = tmp_path / "new.yaml"
    new.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    code, out, _ = run(capsys, "diff", "--format", "changelog-entry", str(source), str(new))
    entries = yaml.safe_load(out)
    assert code == 1 and entries[0]["changes"] and all(set(c) == {"en"} for c in entries[0]["changes"])
    entries[0]["version"] = "2.0"
    pasted = with_changelog(new, tmp_path / "pasted.yaml", "2.0", entries)
    assert run(capsys, "diff", str(source), str(pasted))[0] == 0
