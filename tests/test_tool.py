"""The generator as a tool of other repositories: the config in their pyproject.toml, output that does not
depend on the current folder, template overrides, the Python API, colour and progress on a terminal, the
extras the README's commands need."""

from __future__ import annotations

import io
import os
import pty
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import GENERATED, ROOT, SPEC, import_fresh, run_cli

import generator
from generator import app, cli
from generator.config import Flags, options
from generator.outputs import FORMER_TOOLS, TOOL, header
from generator.targets.python import FIXED_MODULES
from generator.terminal import ProgressLine
from generator.write import is_byproduct

#: The console script of this project, beside the interpreter of the venv it is installed in.
IDLGEN = Path(sys.executable).with_name("idlgen")

TINY = """\
idl: 1
package:
  name: tiny
  version: "1.0"
  languages: [en, es]
  title: {en: Tiny, es: Diminuto}
  description: {en: A tiny spec., es: Una especificación diminuta.}
  document: {root: Thing, load_function: load_thing}
classes:
  Thing:
    description: {en: A thing., es: Una cosa.}
    fields:
      name: {type: str, description: {en: The name., es: El nombre.}}
"""

PYPROJECT = """\
[project]
name = "my-service"
version = "1.0"

[tool.idl-generator]
spec_dir = "idl"
out = "src/generated"
targets = ["package", "docs", "schema"]
"""


def idlgen(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the console script as a user would, from ``cwd``."""
    assert IDLGEN.exists(), f"{IDLGEN} is missing: install this project (pip install -e .)"
    environ = {**os.environ, "PYTHONPATH": str(ROOT), **env}  # this checkout's code, as the editable install has it
    return subprocess.run([str(IDLGEN), *args], cwd=cwd, env=environ, capture_output=True, text=True, timeout=300)


def new_repository(root: Path, pyproject: str = PYPROJECT) -> Path:
    """A repository holding only a pyproject.toml and a spec."""
    (root / "idl").mkdir(parents=True)
    (root / "idl" / "tiny.yml").write_text(TINY, encoding="utf-8")
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return root


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not is_byproduct(p.relative_to(root))
    }


# -- the config --------------------------------------------------------------------------------


def test_a_new_repository_gets_its_package_docs_and_schema_with_one_command(tmp_path: Path) -> None:
    repo = new_repository(tmp_path / "repo")
    result = idlgen("generate", cwd=repo)
    assert result.returncode == 0, result.stderr
    out = repo / "src" / "generated"
    assert sorted(p.name for p in out.iterdir()) == ["tiny", "tiny_docs", "tiny_schema"]
    models = (out / "tiny" / "tiny" / "models.py").read_text(encoding="utf-8")
    assert "from idl/tiny.yml: DO NOT EDIT" in models  # named from the project root, a .yml spec found
    tiny = import_fresh("tiny", out / "tiny")
    assert tiny.Thing.from_dict({"name": "x"}).name == "x"
    for cwd, args in (
        (repo, ()),
        (repo / "src", ()),  # the config is found upward
        (tmp_path, ("--config", "repo/pyproject.toml")),
        (tmp_path, ("--spec-dir", "repo/idl")),  # the config is found from the specs
        (Path("/"), ("--spec-dir", str(repo / "idl"), "--out", str(out))),
    ):
        result = idlgen("check", *args, cwd=cwd)
        assert result.returncode == 0, (cwd, args, result.stdout + result.stderr)
        assert result.stdout.endswith("is up to date\n")


def test_flags_override_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    repo = new_repository(tmp_path)
    monkeypatch.chdir(repo)
    assert cli.main(["generate", "--out", "elsewhere", "--targets", "schema"]) == 0
    assert "generated 1 changed file in elsewhere/" in capsys.readouterr().out
    assert sorted(p.name for p in (repo / "elsewhere").iterdir()) == ["tiny_schema"]
    assert not (repo / "src").exists()


def test_a_config_file_of_its_own_holds_the_keys_at_the_top(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = new_repository(tmp_path, pyproject="[project]\nname = 'x'\n")
    config = 'specs = ["idl/tiny.yml"]\nout = "gen"\ntargets = "package,schema"\ntemplates = "tpl"\ncache = false\n'
    (repo / "codegen.toml").write_text(config, encoding="utf-8")
    (repo / "tpl" / "python").mkdir(parents=True)
    (repo / "tpl" / "python" / "py.typed.j2").write_text('{{ header("#") }}\n# typed, says the user\n', encoding="utf-8")
    (repo / "sub").mkdir()
    monkeypatch.chdir(repo / "sub")  # paths in the config are relative to its folder
    assert cli.main(["generate", "--config", "../codegen.toml"]) == 0
    assert sorted(p.name for p in (repo / "gen").iterdir()) == ["tiny", "tiny_schema"]
    schema = next((repo / "gen" / "tiny_schema").iterdir()).read_text(encoding="utf-8")
    assert "idl/tiny.yml" in schema
    assert (repo / "gen" / "tiny" / "tiny" / "py.typed").read_text(encoding="utf-8").endswith("\n# typed, says the user\n")
    capsys.readouterr()
    assert cli.main(["check", "--config", "../codegen.toml"]) == 0


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('spec-dir = "idl"', "pyproject.toml:5:1: unknown key 'spec-dir' (did you mean \"spec_dir\"?); the keys: specs, "),
        ('targets = ["package", "pydntic"]', "pyproject.toml:5:1: unknown target pydntic: choose among package, docs"),
        ("out = 3", "pyproject.toml:5:1: out must be a path (a string)"),
        ("cache = true", "pyproject.toml:5:1: cache must be a folder, or false for no cache"),
        ('out = "x', "pyproject.toml:5:9: Illegal character '\\n'"),
    ],
)
def test_config_mistakes_are_told_with_their_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], table: str, message: str
) -> None:
    new_repository(tmp_path, pyproject=f"[project]\nname = 'x'\n\n[tool.idl-generator]\n{table}\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["generate"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and "Traceback" not in err
    assert not (tmp_path / "generated").exists()


def test_headers_name_the_spec_from_the_project_root_whatever_the_current_folder(tmp_path: Path) -> None:
    """Check from a subfolder of this repository (the config found upward) and from outside it."""
    for cwd, args in ((ROOT / "tests", ()), (tmp_path, ("--spec-dir", str(ROOT / "spec"), "--out", str(GENERATED)))):
        result = idlgen("check", "--targets", "package,docs,schema", *args, cwd=cwd)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr


def test_headers_are_the_same_bytes_from_idlgen_and_python_m_generator(tmp_path: Path) -> None:
    repo = new_repository(tmp_path)
    assert idlgen("generate", cwd=repo).returncode == 0
    models = (repo / "src" / "generated" / "tiny" / "tiny" / "models.py").read_text(encoding="utf-8")
    assert models.startswith("# Generated by idl-generator (`idlgen generate`) from idl/tiny.yml: DO NOT EDIT.\n")
    result = run_cli("generate", "--out", "other", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert tree(repo / "other") == tree(repo / "src" / "generated")


def test_files_with_the_header_of_an_earlier_version_are_replaced_and_removed(tmp_path: Path) -> None:
    """An output folder written before the headers named ``idlgen``: still the generator's, not hand-written."""
    repo = new_repository(tmp_path)
    assert idlgen("generate", cwd=repo).returncode == 0
    out = repo / "src" / "generated"
    written = tree(out)
    for rel, data in written.items():
        (out / rel).write_bytes(data.replace(TOOL.encode(), FORMER_TOOLS[0].encode()))
    stale = out / "tiny_docs" / "docs" / "en" / "Gone.md"
    stale.write_text(header("<!--", "idl/tiny.yml", FORMER_TOOLS[0]) + "\n# Gone\n", encoding="utf-8")
    assert idlgen("check", cwd=repo).returncode == 1  # out of date, not refused as hand-written
    result = idlgen("generate", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert tree(out) == written and not stale.exists()


def test_git_ignores_what_installing_and_building_the_generated_folders_leave_in_them(tmp_path: Path) -> None:
    """pip install -e makes an egg-info, pip install and mkdocs build a build/: a repository that ignores
    nothing itself commits none of them; each folder's .gitignore is generated (checked, regenerated)."""
    repo = new_repository(tmp_path)
    assert idlgen("generate", cwd=repo).returncode == 0
    out = repo / "src" / "generated"
    left = ["tiny/tiny.egg-info/PKG-INFO", "tiny/build/lib/tiny/models.py", "tiny/tiny/__pycache__/models.cpython-312.pyc"]
    left += ["tiny_docs/build/site/index.html", "tiny_docs/hooks/__pycache__/search.cpython-312.pyc"]
    for rel in left:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text("made by a tool\n", encoding="utf-8")
    alone = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}  # no ignore file of the user's
    git = ["git", "-c", "core.excludesFile=" + os.devnull]
    subprocess.run([*git, "init", "-q"], cwd=repo, env=alone, check=True)
    untracked = subprocess.run(
        [*git, "status", "--porcelain", "--untracked-files=all"], cwd=repo, env=alone, check=True, capture_output=True, text=True
    ).stdout.splitlines()
    assert untracked and not [line for line in untracked if any(rel in line for rel in left)], untracked
    assert "?? src/generated/tiny/.gitignore" in untracked and "?? src/generated/tiny_docs/.gitignore" in untracked
    assert not (out / "tiny_schema" / ".gitignore").exists()  # nothing builds there
    assert idlgen("check", cwd=repo).returncode == 0
    ignore = out / "tiny" / ".gitignore"
    ignore.write_text(ignore.read_text(encoding="utf-8").replace("build/\n", ""), encoding="utf-8")
    stale = idlgen("check", cwd=repo)
    assert stale.returncode == 1 and "+build/" in stale.stdout  # a generated file: compared
    assert idlgen("generate", cwd=repo).returncode == 0 and "build/\n" in ignore.read_text(encoding="utf-8")
    assert all((out / rel).exists() for rel in left)  # the byproducts kept


def test_a_hand_written_gitignore_in_a_generated_folder_is_kept_and_check_agrees(tmp_path: Path) -> None:
    repo = new_repository(tmp_path)
    assert idlgen("generate", cwd=repo).returncode == 0
    ignore = repo / "src" / "generated" / "tiny" / ".gitignore"
    ignore.write_text("*.log\n", encoding="utf-8")  # the user's (no generated header): replaces nothing of theirs
    for command in ("generate", "check"):
        result = idlgen(command, cwd=repo)
        assert result.returncode == 0 and result.stderr == "", (command, result.stderr)
        assert ignore.read_text(encoding="utf-8") == "*.log\n"


# -- the Python API ----------------------------------------------------------------------------


def test_the_python_api_returns_what_it_did(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    repo = new_repository(tmp_path)
    monkeypatch.chdir(repo)
    result = generator.generate(targets=["package"])
    assert result.ok and result.exit_code == 0 and result.problems == [] and result.error is None
    assert "tiny/tiny/models.py" in result.files and result.out == Path("src/generated")
    assert generator.check(targets="package").ok
    models = repo / "src" / "generated" / "tiny" / "tiny" / "models.py"
    models.write_text(models.read_text(encoding="utf-8").replace("class Thing", "class Thang"), encoding="utf-8")
    stale = generator.check(targets="package")
    assert not stale.ok and stale.exit_code == 1 and stale.files == ["tiny/tiny/models.py"]
    assert "-class Thang" in stale.diff and "+class Thing" in stale.diff
    (repo / "idl" / "tiny.yml").write_text(TINY.replace("root: Thing", "root: Thingy"), encoding="utf-8")
    bad = generator.generate()
    assert bad.exit_code == 2 and [str(p) for p in bad.problems] == [
        'idl/tiny.yml:8:20: document root "Thingy" is not a class (did you mean "Thing"?)'
    ]
    assert "class Thang" in models.read_text(encoding="utf-8")  # nothing written
    assert generator.generate(targets="pydntic").error == "unknown target pydntic: choose among package, docs, schema, pydantic"
    assert generator.check(config="nowhere.toml").error == "nowhere.toml: no such config file"
    assert capsys.readouterr() == ("", "")  # the API prints nothing


# -- template overrides ------------------------------------------------------------------------

#: Replaces one macro of the string, integer, number and boolean codecs: loaded strings are stripped (those that
#: accept other scalars keep their own loader).
LOAD_MACRO = """\
{% macro load(c, x) %}{% if c.model.accepts %}{{ c.loader }}({{ x }}){% else %}_runtime.load_{{ c.model.scalar }}({{ x }}){% if c.model.scalar == "str" %}.strip(){% endif %}{% endif %}{% endmacro %}
"""
INDEX_PAGE = '{% include "builtin/docs/index.md.j2" %}\n\n{{ _("Made with %(tool)s.", tool="idlgen") }}\n'


def test_templates_replace_one_macro_and_one_page_and_nothing_else(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    (templates / "python" / "kinds").mkdir(parents=True)
    (templates / "docs").mkdir()
    (templates / "python" / "kinds" / "scalar.py.j2").write_text(LOAD_MACRO, encoding="utf-8")
    (templates / "docs" / "index.md.j2").write_text(INDEX_PAGE, encoding="utf-8")
    out = tmp_path / "out"
    result = generator.generate([SPEC], out=out, targets="package,docs,schema", templates=templates, cache=tmp_path / "cache")
    assert result.ok, result.problems or result.error
    expected = {
        k: v for k, v in tree(GENERATED).items() if k.startswith("aml_entities") and not k.startswith("aml_entities_pydantic/")
    }
    actual = tree(out)
    assert set(actual) == set(expected)
    changed = sorted(k for k in actual if actual[k] != expected[k])
    assert changed == [
        "aml_entities/aml_entities/models.py",
        "aml_entities_docs/docs/en/index.md",
        "aml_entities_docs/docs/es/index.md",
    ]
    old = expected["aml_entities/aml_entities/models.py"].decode().splitlines()
    new = actual["aml_entities/aml_entities/models.py"].decode().splitlines()
    assert len(old) == len(new)
    different = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    assert different and all(re.sub(r"(_runtime\.load_str\([^()]*\))", r"\1.strip()", a) == b for a, b in different)
    compile(actual["aml_entities/aml_entities/models.py"], "models.py", "exec")
    for lang in ("en", "es"):
        page = actual[f"aml_entities_docs/docs/{lang}/index.md"].decode()
        assert page == expected[f"aml_entities_docs/docs/{lang}/index.md"].decode() + "\nMade with idlgen.\n"

    # the user's templates are part of the cache key: a changed macro is not served from the cache
    (templates / "python" / "kinds" / "scalar.py.j2").write_text(LOAD_MACRO.replace("strip", "lstrip"), encoding="utf-8")
    again = generator.check([SPEC], out=out, targets="package", templates=templates, cache=tmp_path / "cache")
    assert again.files == ["aml_entities/aml_entities/models.py"] and ".lstrip()" in again.diff


# -- a person at a terminal --------------------------------------------------------------------


def on_a_terminal(args: list[str], cwd: Path, **env: str) -> tuple[int, str]:
    """Run the console script with stdout and stderr on a pseudo-terminal; returns (exit code, what it showed)."""
    leader, follower = pty.openpty()
    environ = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm", **env}
    if "NO_COLOR" not in env:
        environ.pop("NO_COLOR", None)
    proc = subprocess.Popen([str(IDLGEN), *args], cwd=cwd, env=environ, stdout=follower, stderr=follower, stdin=subprocess.DEVNULL)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return proc.wait(timeout=300), b"".join(chunks).decode("utf-8", "replace")


def test_colour_on_a_terminal_none_when_piped_or_with_no_color(tmp_path: Path) -> None:
    repo = new_repository(tmp_path)
    assert idlgen("generate", cwd=repo).returncode == 0
    models = repo / "src" / "generated" / "tiny" / "tiny" / "models.py"
    models.write_text(models.read_text(encoding="utf-8").replace("class Thing", "class Thang"), encoding="utf-8")
    code, shown = on_a_terminal(["check"], repo)
    assert code == 1
    assert "\033[31m-class Thang" in shown and "\033[32m+class Thing" in shown and "\033[1m--- a/tiny/tiny/models.py" in shown
    code, shown = on_a_terminal(["check"], repo, NO_COLOR="1")
    assert code == 1 and "\033[" not in shown and "-class Thang" in shown
    piped = idlgen("check", cwd=repo)
    assert piped.returncode == 1 and "\033[" not in piped.stdout + piped.stderr

    (repo / "idl" / "tiny.yml").write_text(TINY.replace("root: Thing", "root: Thingy"), encoding="utf-8")
    code, shown = on_a_terminal(["generate"], repo)
    assert code == 2
    assert "\033[1midl/tiny.yml:8:20:\033[0m\033[31m document root" in shown
    code, shown = on_a_terminal(["generate"], repo, NO_COLOR="1")
    assert code == 2 and "\033[" not in shown and "idl/tiny.yml:8:20: document root" in shown
    piped = idlgen("generate", cwd=repo)
    assert piped.returncode == 2 and "\033[" not in piped.stderr and "idl/tiny.yml:8:20: document root" in piped.stderr


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_the_progress_line_shows_after_a_second_and_is_erased() -> None:
    now = [0.0]
    stream = Terminal()
    progress = ProgressLine(stream, clock=lambda: now[0])
    progress("[1/1] spec/x.yaml: loading")
    assert stream.getvalue() == ""  # a short run shows nothing
    now[0] = 1.5
    progress("[1/1] spec/x.yaml: docs")
    progress("[1/1] spec/x.yaml: formatting")
    progress.done()
    assert stream.getvalue() == "\r\033[K[1/1] spec/x.yaml: docs\r\033[K[1/1] spec/x.yaml: formatting\r\033[K"
    piped = io.StringIO()
    quiet = ProgressLine(piped, clock=lambda: now[0] * 10)
    quiet("anything")
    quiet.done()
    assert piped.getvalue() == ""


def test_a_run_tells_its_steps_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = new_repository(tmp_path)
    monkeypatch.chdir(repo)
    monkeypatch.setattr(app, "ProgressLine", lambda stream: ProgressLine(stream, after=0.0))
    err, out = Terminal(), io.StringIO()
    assert app.generate(options(Flags(targets=("package", "schema"), cache=False)), stdout=out, stderr=err) == 0
    shown = err.getvalue()
    for step in ("[1/1] idl/tiny.yml: loading", "[1/1] idl/tiny.yml: package", "[1/1] idl/tiny.yml: schema", "[1/1] idl/tiny.yml: formatting", "writing src/generated/"):
        assert f"\r\033[K{step}" in shown
    assert shown.endswith("\r\033[K") and "docs" not in shown
    # the package's pyproject, .gitignore, __init__, models, py.typed and its runtime modules; the schema
    assert out.getvalue() == f"generated {5 + len(FIXED_MODULES) + 1} changed files in src/generated/\n"


# -- extras ------------------------------------------------------------------------------------


def test_the_docs_extra_installs_what_the_generated_site_needs() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert extras["docs"] == ["mkdocs==1.6.1", "mkdocs-material==9.8.1", "mkdocs-static-i18n==1.3.1"]
    assert set(extras["docs"]) <= set(extras["test"])  # the versions the docs site tests build with
    site = (GENERATED / "aml_entities_docs" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "name: material" in site and "i18n" in site


def test_the_console_script_is_installed() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts == {"idlgen": "generator.cli:main"}
    assert shutil.which("idlgen", path=str(IDLGEN.parent)) == str(IDLGEN)
