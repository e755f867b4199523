"""The generator's code and the generated package are typed and lint-clean; the generator's modules
and classes are of a size a reader can hold; the generated package installs and imports in a clean
virtual environment without the generator."""

from __future__ import annotations

import ast
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import GENERATED, ROOT


def run(*cmd: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(cmd), cwd=cwd, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("package", ["aml_entities", "github_workflow"])
def test_generated_package_is_mypy_strict_clean(package: str) -> None:
    result = run(sys.executable, "-m", "mypy", "--strict", package, cwd=GENERATED / package)
    assert result.returncode == 0, result.stdout + result.stderr


def test_type_checkers_see_every_public_name_of_the_lazy_package(tmp_path: Path) -> None:
    """The package's ``__init__`` imports its modules on first use; mypy still knows each name's type."""
    user = tmp_path / "user.py"
    user.write_text(
        "import aml_entities\nfrom aml_entities import JobStatus, load_job\n"
        "job: aml_entities.CommandJob = load_job('job.yml')\n"  # load_job returns the base class: an error
        "status: JobStatus = aml_entities.JobStatus('Running')\n"
        "problem: aml_entities.Problem = aml_entities.DocumentError([]).problems[0]\n",
        encoding="utf-8",
    )
    result = run(sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(user), cwd=GENERATED / "aml_entities")
    lines = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert len(lines) == 1 and ':3: error: Incompatible types in assignment (expression has type "Job"' in lines[0], (
        result.stdout
    )


def test_generator_is_mypy_strict_clean() -> None:
    result = run(sys.executable, "-m", "mypy", "--strict", "generator")
    assert result.returncode == 0, result.stdout + result.stderr


def test_generator_and_tests_are_ruff_clean() -> None:
    result = run(sys.executable, "-m", "ruff", "check", "generator", "tests")
    assert result.returncode == 0, result.stdout + result.stderr


#: The most lines a module of generator/ may have, and a class of it (issue 12: "no module over about
#: 400 lines, no class over about 250").
MODULE_LINES = 450
CLASS_LINES = 260
#: Modules still over MODULE_LINES, owned by work in progress on other parts (issue 12): each is to
#: be split, and then taken off this list (the last test below fails once one is no longer over).
KNOWN_LONG_MODULES: set[str] = set()


def generator_modules() -> dict[str, str]:
    """Every Python module of generator/, by its path from the project root."""
    return {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in sorted((ROOT / "generator").rglob("*.py"))}


def test_no_module_of_the_generator_is_over_450_lines() -> None:
    long = {path: len(text.splitlines()) for path, text in generator_modules().items() if len(text.splitlines()) > MODULE_LINES}
    assert {path: n for path, n in long.items() if path not in KNOWN_LONG_MODULES} == {}


def test_no_class_of_the_generator_is_over_260_lines() -> None:
    long: dict[str, int] = {}
    for path, text in generator_modules().items():
        for node in ast.walk(ast.parse(text, path)):
            if isinstance(node, ast.ClassDef):
                assert node.end_lineno is not None
                size = node.end_lineno - node.lineno + 1
                if size > CLASS_LINES:
                    long[f"{path}:{node.name}"] = size
    assert long == {}


def test_every_known_long_module_is_still_over_the_limit() -> None:
    """A module split since it was listed comes off KNOWN_LONG_MODULES (so that it stays split)."""
    modules = generator_modules()
    assert {path for path in KNOWN_LONG_MODULES if len(modules.get(path, "").splitlines()) <= MODULE_LINES} == set()


def test_generated_package_installs_and_imports_without_the_generator(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    install = run(str(python), "-m", "pip", "install", "-q", str(GENERATED / "aml_entities"), cwd=tmp_path)
    assert install.returncode == 0, install.stdout + install.stderr
    script = (
        "import importlib.util as u, aml_entities as a\n"
        "assert all(u.find_spec(m) is None for m in ('generator', 'jinja2', 'black'))\n"
        "j = a.CommandJob(command='echo', limits=a.CommandJobLimits(timeout=1))\n"
        "assert a.CommandJob.from_dict(j.to_dict()) == j\n"
        "print(a.__version__)\n"
    )
    result = run(str(python), "-c", script, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "0.1.0"
