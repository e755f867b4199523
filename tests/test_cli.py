"""The command line: exit codes, messages, and an output folder left untouched on errors."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from subprocess import PIPE

import pytest
from conftest import GENERATED, ROOT, SPEC, run_cli
from test_tool import TINY, idlgen

import generator
from generator import __version__, app, cli
from generator.outputs import header


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
    (tmp_path / "aml_dump.py").write_bytes((SPEC.parent / "aml_dump.py").read_bytes())  # the module it ships
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
    stale.write_text(header("#", "spec/aml_entities.yaml") + "\n")
    assert run_cli("generate", "--out", str(out), str(SPEC)).returncode == 0
    assert not stale.exists()
    assert run_cli("check", "--out", str(out), str(SPEC)).returncode == 0


def test_targets_generates_only_the_folders_named_and_leaves_the_others(tmp_path: Path) -> None:
    out = copy_generated(tmp_path)
    models = out / "aml_entities" / "aml_entities" / "models.py"
    models.write_text(models.read_text() + "# stale\n")
    pydantic = out / "aml_entities_pydantic" / "aml_entities_pydantic" / "models.py"
    stale = pydantic.read_text() + "# stale\n"  # still a generated file (its header), not a hand-written one
    pydantic.write_text(stale)
    result = run_cli("generate", "--targets", "package,docs", "--out", str(out), str(SPEC))
    assert result.returncode == 0, result.stderr
    assert "# stale" not in models.read_text()  # regenerated
    assert pydantic.read_text() == stale
    assert run_cli("check", "--targets", "package,docs,schema", "--out", str(out), str(SPEC)).returncode == 0
    assert run_cli("check", "--out", str(out), str(SPEC)).returncode == 1  # the pydantic target is out of date


def test_check_prints_the_diff_of_changed_files_and_only_the_paths_of_missing_and_stale_ones(tmp_path: Path) -> None:
    out = tmp_path / "out"
    absent = run_cli("check", "--targets", "package", "--out", str(out), str(SPEC))
    assert absent.returncode == 1
    assert "files missing from" in absent.stdout and "  aml_entities/aml_entities/models.py\n" in absent.stdout
    assert "class CommandJob" not in absent.stdout  # no file's text: a path a line
    assert len(absent.stdout.splitlines()) < 60
    assert "\n+class CommandJob(" in generator.check([SPEC], out=out, targets="package").diff  # the API keeps it all

    assert run_cli("generate", "--targets", "package", "--out", str(out), str(SPEC)).returncode == 0
    package = out / "aml_entities" / "aml_entities"
    (package / "enums.py").rename(package / "old_enums.py")  # one generated file missing, one no longer generated
    runtime = package / "_runtime.py"
    runtime.write_text(runtime.read_text() + "# changed\n")
    stale = run_cli("check", "--targets", "package", "--out", str(out), str(SPEC))
    assert stale.returncode == 1
    assert "+++ b/aml_entities/aml_entities/_runtime.py" in stale.stdout and "-# changed" in stale.stdout
    assert f"1 file missing from {out}/:\n  aml_entities/aml_entities/enums.py\n" in stale.stdout
    assert f"1 file no longer generated but still in {out}/:\n  aml_entities/aml_entities/old_enums.py\n" in stale.stdout
    assert "class JobStatus" not in stale.stdout


def test_an_unknown_target_is_an_error_that_names_the_known_ones(tmp_path: Path) -> None:
    result = run_cli("generate", "--targets", "package,pydntic", "--out", str(tmp_path / "out"), str(SPEC))
    assert result.returncode == 2
    assert "unknown target pydntic: choose among package, docs, schema, pydantic" in result.stderr
    assert not (tmp_path / "out").exists()


# -- the console script, its arguments and its messages ----------------------------------------


def test_check_tells_the_command_that_updates_the_output_with_the_arguments_used(tmp_path: Path) -> None:
    out = copy_generated(tmp_path)
    models = out / "aml_entities" / "aml_entities" / "models.py"
    models.write_text(models.read_text().replace("class CommandJob(", "class CommandJobX("))
    args = ["--targets", "package,docs", "--out", "copy of generated", str(SPEC)]
    (tmp_path / "generated").rename(tmp_path / "copy of generated")
    result = idlgen("check", *args, cwd=tmp_path)
    assert result.returncode == 1
    hint = result.stderr.rsplit("update it with: ", 1)[1].rstrip("\n")
    assert hint == shlex.join(["idlgen", "generate", *args])
    assert idlgen(*shlex.split(hint)[1:], cwd=tmp_path).returncode == 0
    assert idlgen("check", *args, cwd=tmp_path).returncode == 0
    result = run_cli("check", "--out", str(tmp_path / "nowhere"), str(SPEC), cwd=tmp_path)
    assert result.stderr.endswith(f"update it with: python -m generator generate --out {tmp_path / 'nowhere'} {SPEC}\n")


def test_version() -> None:
    assert idlgen("--version", cwd=ROOT).stdout == f"idlgen {__version__}\n"
    assert run_cli("--version").stdout == f"python -m generator {__version__}\n"


def test_the_console_script_never_runs_a_generator_package_of_the_current_folder(tmp_path: Path) -> None:
    fake = tmp_path / "generator"
    fake.mkdir()
    (fake / "__init__.py").write_text("print('FAKE generator')\n")
    (fake / "__main__.py").write_text("print('FAKE main')\n")
    (fake / "cli.py").write_text("def main():\n    print('FAKE cli')\n")
    result = idlgen("--version", cwd=tmp_path)
    assert result.stdout == f"idlgen {__version__}\n" and "FAKE" not in result.stdout + result.stderr
    result = idlgen("check", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr == "error: no spec files (*.yaml, *.yml) in spec\n"
    assert "FAKE" in run_cli("--version", cwd=tmp_path).stdout  # what python -m generator does there: why the script


def test_spec_files_ending_in_yml_are_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "spec").mkdir()
    (tmp_path / "spec" / "tiny.yml").write_text(TINY)
    (tmp_path / "spec" / "notes.txt").write_text("not a spec")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["generate", "--targets", "schema"]) == 0
    assert (tmp_path / "generated" / "tiny_schema").is_dir()


def test_two_specs_with_the_same_package_name_are_an_error_at_the_second_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "spec").mkdir()
    (tmp_path / "spec" / "a.yaml").write_text(TINY)
    (tmp_path / "spec" / "b.yml").write_text(TINY.replace('version: "1.0"', 'version: "2.0"'))
    monkeypatch.chdir(tmp_path)
    assert cli.main(["generate"]) == 2
    assert capsys.readouterr().err == (
        'spec/b.yml:3:9: package "tiny" is also the package of spec/a.yaml:3:9 (both would write tiny/); give each '
        "spec its own package name\n1 error; generated/ left untouched\n"
    )
    assert not (tmp_path / "generated").exists()


def test_a_spec_that_cannot_be_read_is_an_error_without_traceback(tmp_path: Path) -> None:
    result = run_cli("generate", "--out", "out", "missing.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "missing.yaml:1:1: cannot read the spec: No such file or directory\n1 error; out/ left untouched\n"


#: Runs the command line with its generation waiting, once it has begun, for a line on stdin (that never comes).
WAITING = """\
import sys
from generator import cli, pipeline

generate_files = pipeline.generate_files

def waiting(*args, **kwargs):
    print("generating", flush=True)
    sys.stdin.readline()
    return generate_files(*args, **kwargs)

pipeline.generate_files = waiting
sys.exit(cli.main(sys.argv[1:]))
"""


def test_ctrl_c_while_generating_says_interrupted_and_leaves_the_output(tmp_path: Path) -> None:
    """A real Ctrl-C (SIGINT) reaches a generation under way: exit 130, one line, the output as it was."""
    out = copy_generated(tmp_path)
    before = snapshot(out)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", WAITING, "generate", "--no-cache", "--out", str(out), str(SPEC)]
    proc = subprocess.Popen(command, cwd=tmp_path, env=env, stdin=PIPE, stdout=PIPE, stderr=PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "generating\n"
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 130 and stderr == "interrupted\n" and stdout == ""
    assert snapshot(out) == before


@pytest.mark.parametrize("command", [["check", "--out", "out"], ["diff", "--against", "main"], ["generate"]])
def test_ctrl_c_exits_130_without_traceback(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(*_args: object, **_kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(app, "run", interrupted)
    monkeypatch.setattr(app, "_diff_sides", interrupted)
    monkeypatch.chdir(tmp_path)
    assert cli.main(command) == 130
    assert capsys.readouterr() == ("", "interrupted\n")
