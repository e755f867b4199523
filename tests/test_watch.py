"""``python -m generator watch``: regenerates on a change of a spec or a template, prints errors with their
location, keeps the last good output, and stops after N generations or a timeout."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest
from conftest import ROOT, run_cli

from generator import api as api_module
from generator import watch as watch_module
from generator.app import GenerateOptions
from generator.outputs import TEMPLATES
from generator.watch import WatchOptions, built_in_templates, snapshot, watch

SPEC = """\
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
BROKEN = SPEC.replace("root: Thing", "root: Thingy")  # line 7, column 20
GROWN = SPEC + "      size: {type: int, default: 1, description: {en: The size., es: La talla.}}\n"


def tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def write(path: Path, text: str) -> None:
    """Write and move the modification time on, as an editor saving a second later would."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "spec").mkdir()
    write(tmp_path / "spec" / "tiny.yaml", SPEC)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def options(project: Path, **extra: object) -> WatchOptions:
    templates = project / "templates"
    templates.mkdir(exist_ok=True)
    generation = GenerateOptions(specs=[], spec_dir=Path("spec"), out=Path("out"), base=project)
    return WatchOptions(generation, templates=templates, interval=0.01, **extra)  # type: ignore[arg-type]


def scripted(steps: list[Callable[[], None]]) -> Callable[[float], None]:
    """A ``sleep`` that runs the next step of a script instead of waiting."""
    pending = list(steps)

    def sleep(_seconds: float) -> None:
        if pending:
            pending.pop(0)()

    return sleep


def test_regenerates_on_change_and_keeps_the_last_good_output(project: Path) -> None:
    spec = project / "spec" / "tiny.yaml"
    out, err = io.StringIO(), io.StringIO()
    seen: list[dict[str, str]] = []
    steps = [
        lambda: seen.append(tree(project / "out")),  # after the first generation
        lambda: write(spec, BROKEN),
        lambda: seen.append(tree(project / "out")),  # after the failed one
        lambda: write(spec, GROWN),
    ]
    code = watch(options(project, cycles=3), stdout=out, stderr=err, sleep=scripted(steps))
    assert code == 0
    assert out.getvalue().splitlines()[0] == "watching spec/*.{yaml,yml} (Ctrl-C to stop)"  # not our templates: watched, unnamed
    assert out.getvalue().count("generated ") == 2
    assert err.getvalue() == (
        'spec/tiny.yaml:8:20: document root "Thingy" is not a class (did you mean "Thing"?)\n'
        "1 error; out/ keeps the last good output\n"
    )
    first, after_error = seen
    assert first == after_error and "tiny/tiny/models.py" in first
    assert "size: int = 1" in (project / "out" / "tiny" / "tiny" / "models.py").read_text()


def test_nothing_changed_nothing_regenerated(project: Path) -> None:
    out = io.StringIO()
    code = watch(options(project, cycles=2, timeout=0.3), stdout=out, stderr=io.StringIO(), sleep=scripted([]))
    assert code == 0 and out.getvalue().count("generated ") == 1


def test_a_template_change_regenerates(project: Path) -> None:
    opts = options(project, cycles=2)
    template = opts.templates / "page.md.j2"
    write(template, "x")
    swap = opts.templates / ".page.md.j2.swp"
    out = io.StringIO()
    steps = [lambda: write(swap, "editor noise"), lambda: write(template, "y")]
    assert watch(opts, stdout=out, stderr=io.StringIO(), sleep=scripted(steps)) == 0
    assert out.getvalue().count("generated ") == 2
    assert str(swap) not in snapshot(opts) and str(template) in snapshot(opts)


def test_a_change_of_the_users_templates_regenerates(project: Path) -> None:
    opts = options(project, cycles=2)
    mine = project / "mine"
    (mine / "python").mkdir(parents=True)
    typed = mine / "python" / "py.typed.j2"
    write(typed, '{{ header("#") }}\n# first\n')
    opts.generation.templates = mine
    out = io.StringIO()
    steps = [lambda: write(typed, '{{ header("#") }}\n# second\n')]
    assert watch(opts, stdout=out, stderr=io.StringIO(), sleep=scripted(steps)) == 0
    assert out.getvalue().splitlines()[0] == "watching spec/*.{yaml,yml} and mine/ (Ctrl-C to stop)"
    assert out.getvalue().count("generated ") == 2
    assert (project / "out" / "tiny" / "tiny" / "py.typed").read_text().endswith("# second\n")


def test_our_templates_are_watched_in_a_checkout_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert built_in_templates() == TEMPLATES == ROOT / "templates"  # this checkout (installed editable)
    installed = Path(watch_module.__file__).resolve().parent / "templates"  # where an installed package has them
    monkeypatch.setattr(watch_module, "TEMPLATES", installed)
    assert built_in_templates() is None and WatchOptions().templates is None
    opts = WatchOptions(GenerateOptions(specs=[tmp_path / "tiny.yaml"], out=tmp_path / "out"))
    assert snapshot(opts) == {}  # the spec is missing, and nothing else is watched


def test_a_new_spec_file_in_the_folder_is_watched(project: Path) -> None:
    opts = options(project, cycles=2)
    extra = project / "spec" / "other.yaml"
    out = io.StringIO()
    steps = [lambda: write(extra, SPEC.replace("name: tiny", "name: other"))]
    assert watch(opts, stdout=out, stderr=io.StringIO(), sleep=scripted(steps)) == 0
    assert (project / "out" / "other" / "other" / "models.py").is_file()


def test_template_errors_are_told_with_their_location(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = str(project / "templates" / "python" / "models.py.j2")

    def broken(*_args: object, **_kwargs: object) -> object:
        raise jinja2.TemplateSyntaxError("unexpected '}'", lineno=12, name="python/models.py.j2", filename=name)

    monkeypatch.setattr(api_module, "generate_all", broken)
    err = io.StringIO()
    assert watch(options(project, cycles=1), stdout=io.StringIO(), stderr=err, sleep=scripted([])) == 2
    assert (
        err.getvalue()
        == "templates/python/models.py.j2:12: template error: unexpected '}'; out/ keeps the last good output\n"
    )


def test_errors_while_rendering_keep_watching(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> object:
        raise ValueError("Cannot parse: 3:4: def (")

    monkeypatch.setattr(api_module, "generate_all", broken)
    err = io.StringIO()
    assert watch(options(project, cycles=1), stdout=io.StringIO(), stderr=err, sleep=scripted([])) == 2
    assert err.getvalue() == "error: ValueError: Cannot parse: 3:4: def (; out/ keeps the last good output\n"


def test_timeout_stops(project: Path) -> None:
    ticks = iter([0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0])
    out = io.StringIO()
    code = watch(
        options(project, timeout=2.0), stdout=out, stderr=io.StringIO(), sleep=scripted([]), clock=lambda: next(ticks)
    )
    assert code == 0 and out.getvalue().count("generated ") == 1


def test_ctrl_c_stops(project: Path) -> None:
    def interrupt(_seconds: float) -> None:
        raise KeyboardInterrupt

    out = io.StringIO()
    assert watch(options(project), stdout=out, stderr=io.StringIO(), sleep=interrupt) == 0
    assert out.getvalue().endswith("stopped\n")


def test_no_spec_files(project: Path) -> None:
    shutil.rmtree(project / "spec")
    (project / "spec").mkdir()
    err = io.StringIO()
    assert watch(options(project, cycles=1), stdout=io.StringIO(), stderr=err, sleep=scripted([])) == 2
    assert err.getvalue() == "error: no spec files (*.yaml, *.yml) in spec; out/ keeps the last good output\n"


def test_command_line(project: Path) -> None:
    result = run_cli("watch", "--out", "out", "--cycles", "1", "spec/tiny.yaml", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "watching spec/tiny.yaml" in result.stdout and (project / "out" / "tiny" / "tiny" / "models.py").is_file()
    before = tree(project / "out")
    write(project / "spec" / "tiny.yaml", BROKEN)
    result = run_cli("watch", "--out", "out", "--timeout", "0", cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "spec/tiny.yaml:8:20: document root" in result.stderr
    assert tree(project / "out") == before
