"""One bad spec per mistake: each gives its exact message (file:line:col), exit 2, no traceback,
and leaves the output folder untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

BAD = ROOT / "tests" / "bad_specs"
CASES = sorted(p.stem for p in BAD.glob("*.yaml"))


def test_there_are_at_least_forty_kinds_of_mistake() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("name", CASES)
def test_bad_spec_gives_its_exact_message(name: str, tmp_path: Path) -> None:
    out = tmp_path / "generated"
    (out / "shop").mkdir(parents=True)
    keep = out / "shop" / "models.py"
    keep.write_text("# @generated\nprevious = True\n")
    spec = tmp_path / "spec" / f"{name}.yaml"
    spec.parent.mkdir()
    shutil.copy(BAD / f"{name}.yaml", spec)
    expected = (BAD / f"{name}.expected").read_text().replace(f"tests/bad_specs/{name}.yaml", f"spec/{name}.yaml")
    for command in ("generate", "check"):
        result = run_cli(command, "--out", str(out), f"spec/{name}.yaml", cwd=tmp_path)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        lines = result.stderr.splitlines()
        assert lines[-1].endswith("left untouched")
        assert "\n".join(lines[:-1]) + "\n" == expected
    assert sorted(p.name for p in out.rglob("*")) == ["models.py", "shop"]
    assert keep.read_text() == "# @generated\nprevious = True\n"
