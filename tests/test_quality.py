"""The generator's code and the generated package are typed and lint-clean; the generated
package installs and imports in a clean virtual environment without the generator."""

from __future__ import annotations

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


def test_generator_is_mypy_strict_clean() -> None:
    result = run(sys.executable, "-m", "mypy", "--strict", "generator")
    assert result.returncode == 0, result.stdout + result.stderr


def test_generator_and_tests_are_ruff_clean() -> None:
    result = run(sys.executable, "-m", "ruff", "check", "generator", "tests")
    assert result.returncode == 0, result.stdout + result.stderr


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
