"""The pre-commit hooks end to end, with the real pre-commit: a scratch repository holding a spec and a
pyproject.toml uses this project's .pre-commit-hooks.yaml at a commit. pre-commit installs this project
with pip from a local clone (the package registry is the only network it needs); one hook environment
is shared by the tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT
from test_tool import PYPROJECT, TINY, idlgen

#: What ``pip install .`` of this project needs.
SOURCES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "generator", "templates")

#: TINY with one more field: removing it breaks the Python API and documents.
GROWN = TINY + "      size: {type: int, default: 1, description: {en: The size., es: La talla.}}\n"
#: A 2.0 that removes it and says so.
ACKNOWLEDGED = TINY.replace('version: "1.0"', 'version: "2.0"').replace(
    "  document: {root: Thing, load_function: load_thing}\n",
    "  document: {root: Thing, load_function: load_thing}\n"
    "  changelog:\n"
    '    - version: "2.0"\n'
    "      changes: [{en: Things lose their size., es: Las cosas pierden su talla.}]\n"
    "      acknowledged_breaking: [field-removed:Thing.size]\n",
)


def git(*args: str, cwd: Path) -> str:
    env = {**os.environ, **IDENTITY}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


IDENTITY = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,  # no signing, hooks or templates of the person running the tests
}


@pytest.fixture(scope="session")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, Path]]:
    """(a git repository of this project's sources at a commit, that commit, pre-commit's home).

    The sources are those of this checkout, committed changes or not (what the tests test)."""
    repo = tmp_path_factory.mktemp("hook-repository")
    if (ROOT / ".git").exists():
        listed = git("ls-files", "-co", "--exclude-standard", "--", *SOURCES, cwd=ROOT).splitlines()
    else:  # a copy of the sources without their history
        listed = [p.relative_to(ROOT).as_posix() for s in SOURCES for p in sorted([ROOT / s, *(ROOT / s).rglob("*")])]
    for rel in listed:
        source = ROOT / rel
        if source.is_file() and "__pycache__" not in source.parts:
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / rel)
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", ".", cwd=repo)
    git("commit", "-q", "-m", "the generator", cwd=repo)
    yield repo, git("rev-parse", "HEAD", cwd=repo).strip(), tmp_path_factory.mktemp("pre-commit-home")


def pre_commit(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **IDENTITY, "PRE_COMMIT_HOME": str(home), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PYTHONPATH", None)  # the hooks run the generator pre-commit installed, alone
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.fixture
def new_project(tmp_path: Path, hooks: tuple[Path, str, Path]) -> Path:
    """A new repository without commits: a spec, a pyproject.toml, the pre-commit config; generated with one command, staged."""
    repo, rev, _home = hooks
    (tmp_path / "idl").mkdir()
    (tmp_path / "idl" / "tiny.yml").write_text(GROWN, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo}\n    rev: {rev}\n    hooks:\n      - id: generator-check\n      - id: generator-diff\n",
        encoding="utf-8",
    )
    result = idlgen("generate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    git("init", "-q", "-b", "main", cwd=tmp_path)
    git("add", ".", cwd=tmp_path)
    return tmp_path


@pytest.fixture
def project(new_project: Path) -> Path:
    """The new repository, its first commit made (on main)."""
    git("commit", "-q", "-m", "a spec and its package", cwd=new_project)
    return new_project


def commit_with_hooks(project: Path, home: Path, message: str) -> subprocess.CompletedProcess[str]:
    """``git commit`` with the hooks pre-commit installed (what they print is in its output)."""
    env = {**os.environ, **IDENTITY, "PRE_COMMIT_HOME": str(home)}
    env.pop("PYTHONPATH", None)
    return subprocess.run(["git", "commit", "-m", message], cwd=project, env=env, capture_output=True, text=True)


def test_the_first_commit_passes_both_hooks(new_project: Path, hooks: tuple[Path, str, Path]) -> None:
    home = hooks[2]
    installed = pre_commit("install", cwd=new_project, home=home)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    commit = commit_with_hooks(new_project, home, "a spec and its package")
    told = commit.stdout + commit.stderr
    assert commit.returncode == 0 and told.count("Passed") == 2, told
    assert git("log", "--format=%s", cwd=new_project).splitlines() == ["a spec and its package"]


def test_generator_diff_without_its_base_branch_says_how_to_name_another(
    project: Path, hooks: tuple[Path, str, Path]
) -> None:
    git("branch", "-m", "main", "master", cwd=project)  # a repository whose branch is not main
    ran = pre_commit("run", "generator-diff", "--all-files", cwd=project, home=hooks[2])
    assert ran.returncode == 1, ran.stdout + ran.stderr  # pre-commit fails on any exit code but 0
    assert 'unknown git revision "main": no branch or tag of that name' in ran.stdout
    assert "(its branches: master)" in ran.stdout and "args: [--against, BRANCH]" in ran.stdout


def test_generator_check_fails_on_a_spec_edited_without_regenerating_and_passes_after(
    project: Path, hooks: tuple[Path, str, Path]
) -> None:
    home = hooks[2]
    installed = pre_commit("install", cwd=project, home=home)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    ran = pre_commit("run", "--all-files", cwd=project, home=home)
    assert ran.returncode == 0, ran.stdout + ran.stderr

    spec = project / "idl" / "tiny.yml"
    spec.write_text(GROWN.replace("The size.", "How big it is."), encoding="utf-8")
    git("add", ".", cwd=project)
    commit = commit_with_hooks(project, home, "edit the spec")
    told = commit.stdout + commit.stderr  # git shows what the hook printed
    assert commit.returncode == 1, told
    assert "generated code is up to date with the spec" in told and "Failed" in told
    assert any(line.startswith("+") and "How big it is." in line for line in told.splitlines())  # the diff
    assert "update it with: idlgen generate" in told
    assert git("log", "--format=%s", cwd=project).splitlines() == ["a spec and its package"]  # nothing committed

    assert idlgen("generate", cwd=project).returncode == 0  # the command the hook told
    git("add", ".", cwd=project)
    ran = pre_commit("run", "generator-check", cwd=project, home=home)
    assert ran.returncode == 0 and "Passed" in ran.stdout, ran.stdout + ran.stderr


def test_generator_diff_fails_on_an_unacknowledged_breaking_change(project: Path, hooks: tuple[Path, str, Path]) -> None:
    home = hooks[2]
    git("checkout", "-q", "-b", "feature", cwd=project)
    spec = project / "idl" / "tiny.yml"
    spec.write_text(TINY, encoding="utf-8")  # Thing.size removed
    assert idlgen("generate", cwd=project).returncode == 0
    git("add", ".", cwd=project)
    ran = pre_commit("run", "--all-files", cwd=project, home=home)
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert "generated code is up to date with the spec" in ran.stdout  # regenerated: only the diff hook fails
    assert ran.stdout.count("Passed") == 1 and ran.stdout.count("Failed") == 1
    assert "field-removed:Thing.size" in ran.stdout and "1 breaking change not acknowledged" in ran.stdout

    spec.write_text(ACKNOWLEDGED, encoding="utf-8")
    assert idlgen("generate", cwd=project).returncode == 0
    git("add", ".", cwd=project)
    ran = pre_commit("run", "--all-files", cwd=project, home=home)
    assert ran.returncode == 0, ran.stdout + ran.stderr
