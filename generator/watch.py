"""``idlgen watch``: regenerate whenever a spec, a file it includes or a template (ours or the user's) changes.

It polls modification times (no dependency), and each time something changed it runs what
``generate`` runs (:func:`generator.app.generate`). A spec or template error is printed with its
location and the output folder keeps the last good generation: nothing is written unless every
spec generated. It names what the user edits (the specs, their templates); ours are watched
without a word, and only in a checkout of this project (an editable install): installed, they
change with a new install only.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import jinja2

from .api import template_location
from .app import EXIT_OK, GenerateOptions, generate
from .outputs import TEMPLATES
from .pipeline import display_name

Snapshot = dict[str, tuple[int, int]]


def built_in_templates() -> Path | None:
    """Our templates when they may change while a watch runs: those of a checkout of this project (an
    editable install runs from one); None when they are installed inside the package."""
    return None if TEMPLATES.is_relative_to(Path(__file__).resolve().parent) else TEMPLATES


@dataclass
class WatchOptions:
    """What to generate, what to watch and how long; ``cycles`` counts generations (the first one included).

    ``templates``: the built-in templates to watch (None: not watched); the user's
    (``generation.templates``) are watched too.
    """

    generation: GenerateOptions = field(default_factory=GenerateOptions)
    templates: Path | None = field(default_factory=built_in_templates)
    interval: float = 0.5
    cycles: int | None = None
    timeout: float | None = None


def _ignored(path: Path) -> bool:
    """Editor swap, backup and lock files, caches."""
    name = path.name
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".pyc")) or "__pycache__" in path.parts


def snapshot(options: WatchOptions, included: list[Path] | None = None) -> Snapshot:
    """The modification time and size of every watched file (``included``: the files the specs include)."""
    files = [*options.generation.spec_list(), *(included or [])]
    for folder in _template_folders(options):
        files += sorted(p for p in folder.rglob("*") if p.is_file() and not _ignored(p))
    out: Snapshot = {}
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        out[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return out


def includes_of(specs: list[Path]) -> list[Path]:
    """The files the specs include (read as they are now), each once."""
    from .spec.loader import included_files

    found: dict[str, None] = {}
    for spec in specs:
        found.update(dict.fromkeys(included_files(str(spec))))
    return [Path(p) for p in found]


def _template_folders(options: WatchOptions) -> list[Path]:
    """The folders of templates a generation reads: the user's, then ours."""
    user = options.generation.templates
    return [folder for folder in (user, options.templates) if folder is not None and folder.is_dir()]


def _clear_caches() -> None:
    """Forget what generator modules cached from files (translation catalogs, environments)."""
    for name, module in list(sys.modules.items()):
        if name != "generator" and not name.startswith("generator."):
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and getattr(value, "__module__", None) == name:
                clear()


def regenerate(options: WatchOptions, stdout: TextIO, stderr: TextIO) -> bool:
    """Generate once, as ``generate`` does; prints what happened. False when the output was kept."""
    kept = f"{options.generation.out}/ keeps the last good output"
    _clear_caches()
    try:
        return generate(options.generation, stdout=stdout, stderr=stderr, kept=kept) == EXIT_OK
    except jinja2.TemplateError as exc:
        print(f"{template_location(exc, Path.cwd())}: template error: {exc.message}; {kept}", file=stderr, flush=True)
    except Exception as exc:  # a template that renders broken Python, say: keep watching
        print(f"error: {type(exc).__name__}: {exc}; {kept}", file=stderr, flush=True)
    return False


def watch(
    options: WatchOptions,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Generate now, then again after every change, until ``cycles`` generations, ``timeout`` or Ctrl-C.

    Returns 0 when the last generation succeeded, 2 when it failed (the output kept its last good state).
    """
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    start = clock()
    seen: Snapshot | None = None
    ok = True
    runs = 0
    gen = options.generation
    here = Path.cwd()
    names = ", ".join(display_name(p, here) for p in gen.specs) or f"{gen.spec_dir.as_posix()}/*.{{yaml,yml}}"
    user = gen.templates
    mine = f" and {display_name(user, here)}/" if user is not None and user.is_dir() else ""  # ours: not the user's concern
    print(f"watching {names}{mine} (Ctrl-C to stop)", file=out, flush=True)
    included: list[Path] = []
    try:
        while True:
            now = snapshot(options, included)
            if now != seen:
                included = includes_of(gen.spec_list())  # a spec may include other files now
                seen = snapshot(options, included)  # taken before generating: a change made meanwhile is seen next time
                ok = regenerate(options, out, err)
                runs += 1
            if options.cycles is not None and runs >= options.cycles:
                break
            if options.timeout is not None and clock() - start >= options.timeout:
                break
            sleep(options.interval)
    except KeyboardInterrupt:
        print("stopped", file=out, flush=True)
    return 0 if ok else 2
