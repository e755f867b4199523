"""The command line: exit codes, messages, and an output folder left untouched on errors."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import GENERATED, SPEC, run_cli


def copy_generated(tmp_path: Path) -> Path:
    out = tmp_path / "generated"
    shutil.copytree(GENERATED, out, ignore=shutil.ignore_patterns("__pycache__", ".*", "*.egg-info", "build"))
    return out


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_check_exits_1_with_a_diff_and_the_command_when_out_of_date(tmp_path: Path) -> None:
    out = copy_generated(tmp_path)
    models = out / "aml_entities" / "aml_entities" / "models.py"
    models.write_text(models.read_text().replace("class CommandJob(", "class CommandJobX("))
    result = run_cli("check", "--out", str(out), str(SPEC))
    assert result.returncode == 1
    assert "-class CommandJobX(" in result.stdout and "+class CommandJob(" in result.stdout
    assert "python -m generator generate" in result.stderr


def test_check_exits_1_when_a_generated_file_is_missing(tmp_path: Path) -> None:
    out = copy_generated(tmp_path)
    (out / "aml_entities" / "aml_entities" / "enums.py").unlink()
    assert run_cli("check", "--out", str(out), str(SPEC)).returncode == 1


def test_generate_then_check_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli("generate", "--out", str(out), str(SPEC)).returncode == 0
    assert run_cli("check", "--out", str(out), str(SPEC)).returncode == 0


def test_bad_spec_exits_2_without_traceback_and_leaves_output_untouched(tmp_path: Path) -> None:
    out = copy_generated(tmp_path)
    before = snapshot(out)
    bad = tmp_path / "bad.yaml"
    bad.write_text(SPEC.read_text().replace("bases: [Job, ParameterizedCommand, JobIOMixin]", "bases: [Jobb, ParameterizedCommand, JobIOMixin]"))
    for command in ("generate", "check"):
        result = run_cli(command, "--out", str(out), str(bad))
        assert result.returncode == 2, command
        assert "Traceback" not in result.stderr
        assert 'base "Jobb" is unknown (did you mean "Job"?)' in result.stderr
        assert f"{bad}:" in result.stderr
    assert snapshot(out) == before


def test_hand_written_file_in_generated_folder_is_never_touched(tmp_path: Path) -> None:
    out = copy_generated(tmp_path)
    mine = out / "aml_entities" / "aml_entities" / "notes.py"
    mine.write_text("# my own notes\n")
    result = run_cli("generate", "--out", str(out), str(SPEC))
    assert result.returncode == 2
    assert "hand-written" in result.stderr and "notes.py" in result.stderr
    assert mine.read_text() == "# my own notes\n"


def test_generate_removes_stale_generated_files(tmp_path: Path) -> None:
    out = copy_generated(tmp_path)
    stale = out / "aml_entities" / "aml_entities" / "old_module.py"
    stale.write_text("# @generated\n")
    assert run_cli("generate", "--out", str(out), str(SPEC)).returncode == 0
    assert not stale.exists()
    assert run_cli("check", "--out", str(out), str(SPEC)).returncode == 0


def test_targets_generates_only_the_folders_named_and_leaves_the_others(tmp_path: Path) -> None:
    out = copy_generated(tmp_path)
    models = out / "aml_entities" / "aml_entities" / "models.py"
    models.write_text(models.read_text() + "# stale\n")
    (out / "aml_entities_pydantic" / "aml_entities_pydantic" / "models.py").write_text("# @generated stale\n")
    result = run_cli("generate", "--targets", "package,docs", "--out", str(out), str(SPEC))
    assert result.returncode == 0, result.stderr
    assert "# stale" not in models.read_text()  # regenerated
    assert (out / "aml_entities_pydantic" / "aml_entities_pydantic" / "models.py").read_text() == "# @generated stale\n"
    assert run_cli("check", "--targets", "package,docs,schema", "--out", str(out), str(SPEC)).returncode == 0
    assert run_cli("check", "--out", str(out), str(SPEC)).returncode == 1  # the pydantic target is out of date


def test_an_unknown_target_is_an_error_that_names_the_known_ones(tmp_path: Path) -> None:
    result = run_cli("generate", "--targets", "package,pydntic", "--out", str(tmp_path / "out"), str(SPEC))
    assert result.returncode == 2
    assert "unknown target pydntic: choose among package, docs, schema, pydantic" in result.stderr
    assert not (tmp_path / "out").exists()
