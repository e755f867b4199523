"""One bad spec per mistake: each gives its exact message (file:line:col), exit 2, no traceback,
and leaves the output folder untouched.

Every case runs the command line in this process (``generator.cli.main``: an exception would fail the
test, so "no traceback" holds); a few run it as a real subprocess too, the way a user does.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from generator.cli import main

BAD = ROOT / "tests" / "bad_specs"
#: A case is ``NAME.yaml``, or a folder ``NAME/`` holding ``NAME.yaml`` and the files it includes; its
#: message is ``NAME.expected``.
CASES = sorted([p.stem for p in BAD.glob("*.yaml")] + [p.name for p in BAD.iterdir() if p.is_dir()])
#: One mistake of each stage (YAML, IDL schema, resolve) also goes through a real process.
IN_A_SUBPROCESS = ["yaml_syntax_error", "unknown_field_key", "mro_conflict"]


def test_there_are_at_least_forty_kinds_of_mistake() -> None:
    assert len(CASES) >= 40
    assert set(IN_A_SUBPROCESS) <= set(CASES)


def prepare(name: str, tmp_path: Path) -> tuple[Path, Path, str]:
    """An output folder holding one generated file, the spec under spec/, and its expected message."""
    out = tmp_path / "generated"
    (out / "shop").mkdir(parents=True)
    keep = out / "shop" / "models.py"
    keep.write_text("# @generated\nprevious = True\n")
    spec = tmp_path / "spec" / f"{name}.yaml"
    expected = (BAD / f"{name}.expected").read_text()
    if (BAD / name).is_dir():  # a spec and the files it includes
        shutil.copytree(BAD / name, spec.parent, symlinks=True)  # a symbolic link stays one
        return out, keep, expected.replace(f"tests/bad_specs/{name}/", "spec/")
    spec.parent.mkdir()
    shutil.copy(BAD / f"{name}.yaml", spec)
    return out, keep, expected.replace(f"tests/bad_specs/{name}.yaml", f"spec/{name}.yaml")


def assert_untouched(out: Path, keep: Path) -> None:
    assert sorted(p.name for p in out.rglob("*")) == ["models.py", "shop"]
    assert keep.read_text() == "# @generated\nprevious = True\n"


def assert_message(stderr: str, expected: str) -> None:
    lines = stderr.splitlines()
    assert lines[-1].endswith("left untouched")
    assert "\n".join(lines[:-1]) + "\n" == expected


@pytest.mark.parametrize("name", CASES)
def test_bad_spec_gives_its_exact_message(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out, keep, expected = prepare(name, tmp_path)
    monkeypatch.chdir(tmp_path)
    for command in ("generate", "check"):
        code = main([command, "--out", str(out), f"spec/{name}.yaml"])
        captured = capsys.readouterr()
        assert code == 2, (command, captured.out, captured.err)
        assert_message(captured.err, expected)
    assert_untouched(out, keep)


@pytest.mark.parametrize("name", IN_A_SUBPROCESS)
def test_bad_spec_in_a_real_process_gives_no_traceback(name: str, tmp_path: Path) -> None:
    out, keep, expected = prepare(name, tmp_path)
    for command in ("generate", "check"):
        result = run_cli(command, "--out", str(out), f"spec/{name}.yaml", cwd=tmp_path)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        assert_message(result.stderr, expected)
    assert_untouched(out, keep)
