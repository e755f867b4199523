"""``python -m generator watch``: regenerate whenever a spec or a template changes.

It polls modification times (no dependency), and each time something changed it runs what
``generate`` runs (:func:`generator.app.generate`). A spec or template error is printed with its
location and the output folder keeps the last good generation: nothing is written unless every
spec generated.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import jinja2

from .app import EXIT_OK, GenerateOptions, generate
from .outputs import TEMPLATES
from .pipeline import display_name

Snapshot = dict[str, tuple[int, int]]


@dataclass
class WatchOptions:
    """What to generate, what to watch and how long; ``cycles`` counts generations (the first one included)."""

    generation: GenerateOptions = field(default_factory=GenerateOptions)
    templates: Path = TEMPLATES
    interval: float = 0.5
    cycles: int | None = None
    timeout: float | None = None


def _ignored(path: Path) -> bool:
    """Editor swap, backup and lock files, caches."""
    name = path.name
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".pyc")) or "__pycache__" in path.parts


def snapshot(options: WatchOptions) -> Snapshot:
    """The modification time and size of every watched file."""
    files = [*options.generation.spec_list()]
    if options.templates.is_dir():
        files += sorted(p for p in options.templates.rglob("*") if p.is_file() and not _ignored(p))
    out: Snapshot = {}
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        out[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return out


def _clear_caches() -> None:
    """Forget what generator modules cached from files (translation catalogs, environments)."""
    for name, module in list(sys.modules.items()):
        if name != "generator" and not name.startswith("generator."):
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and getattr(value, "__module__", None) == name:
                clear()


def _template_location(exc: BaseException, base: Path) -> str:
    """``templates/x.j2:LINE`` of a template error, from the error or its traceback."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.lineno:
        name = exc.filename or exc.name or "<template>"
        return f"{display_name(Path(name), base)}:{exc.lineno}"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    if frames:
        return f"{display_name(Path(frames[-1].filename), base)}:{frames[-1].lineno}"
    return "templates"


def regenerate(options: WatchOptions, stdout: TextIO, stderr: TextIO) -> bool:
    """Generate once, as ``generate`` does; prints what happened. False when the output was kept."""
    kept = f"{options.generation.out}/ keeps the last good output"
    _clear_caches()
    try:
        return generate(options.generation, stdout=stdout, stderr=stderr, kept=kept) == EXIT_OK
    except jinja2.TemplateError as exc:
        base = options.generation.base
        print(f"{_template_location(exc, base)}: template error: {exc.message}; {kept}", file=stderr, flush=True)
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
    names = ", ".join(display_name(p, gen.base) for p in gen.specs) or f"{gen.spec_dir.as_posix()}/*.yaml"
    print(f"watching {names} and {display_name(options.templates, gen.base)}/ (Ctrl-C to stop)", file=out, flush=True)
    try:
        while True:
            now = snapshot(options)
            if now != seen:
                seen = now  # taken before generating: a change made meanwhile is seen next time
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
