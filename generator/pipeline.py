"""The stages end to end: spec file → checked model → rendered, formatted files → output tree."""

from __future__ import annotations

import difflib
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache
from .outputs import OutputFile
from .targets import TARGET_NAMES, name_rules, renderer
from .write import is_byproduct, is_generated, write_tree

if TYPE_CHECKING:
    from .model import Package
    from .spec.loader import Document


@dataclass
class Generation:
    """What one spec generates: its files, and the top-level folders it owns."""

    files: list[OutputFile]
    owned: list[str]


def build_model(doc: Document) -> Package:
    """Validate and resolve a loaded spec, with every target's rules for names (raises SpecError)."""
    from .resolve import resolve  # the stages load on a cache miss only
    from .spec.validate import validate

    validate(doc)
    return resolve(doc, name_rules())


def build_package(spec: Path, display: str | None = None) -> Package:
    """Load, validate and resolve one spec file (raises SpecError)."""
    from .spec.loader import load_file

    return build_model(load_file(str(spec), display or spec.as_posix()))


def generate_files(
    spec: Path, display: str | None = None, *, use_cache: bool = True, only: tuple[str, ...] = TARGET_NAMES
) -> Generation:
    """What one spec generates (every target, or those named in ``only``), formatted, without
    writing anything.

    With ``use_cache``, an unchanged spec (same bytes, templates, generator and tools) reuses
    the output stored by an earlier run, and nothing else runs.
    """
    name = display or spec.as_posix()
    key = cache.output_key(spec.read_bytes(), f"{name}\0{','.join(only)}") if use_cache else ""
    files = cache.load_outputs(key) if use_cache else None
    if files is None:
        with _no_cyclic_gc():
            files = render_all(build_package(spec, name), use_cache=use_cache, only=only)
        if use_cache:
            cache.store_outputs(key, files)
    owned = sorted({f.path.split("/", 1)[0] for f in files})
    return Generation(files, owned)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector: a generation builds hundreds of thousands of
    short-lived objects (YAML nodes, the model, template output) that reference counting frees,
    and the collector's passes over them took half of loading a 1,000-entity spec."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def render_all(package: Package, *, use_cache: bool = True, only: tuple[str, ...] = TARGET_NAMES) -> list[OutputFile]:
    """Run the targets (every one, or those named in ``only``) on a resolved package and
    black-format the Python files."""
    from . import fmt
    from .render import environment

    env = environment()
    files = [f for name in TARGET_NAMES if name in only for f in renderer(name)(package, env)]
    python = [i for i, f in enumerate(files) if f.python]
    formatted = fmt.format_many(
        [files[i].text for i in python], use_cache=use_cache, laid_out=[files[i].laid_out for i in python]
    )
    for i, text in zip(python, formatted, strict=True):
        files[i] = OutputFile(files[i].path, text, True)
    return files


def spec_files(spec_dir: Path) -> list[Path]:
    """The spec files of a folder, in name order."""
    return sorted(p for p in spec_dir.glob("*.yaml") if p.is_file())


def display_name(path: Path, base: Path) -> str:
    """How a spec file is named in messages and headers: relative to ``base`` when inside it."""
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def generate_all(
    specs: list[Path], base: Path, *, use_cache: bool = True, only: tuple[str, ...] = TARGET_NAMES
) -> list[Generation]:
    """Generate every spec (all must succeed before anything is written); ``only``: the targets."""
    return [generate_files(s, display_name(s, base), use_cache=use_cache, only=only) for s in specs]


def write_all(out: Path, generations: list[Generation]) -> list[str]:
    """Write every generation into ``out`` in one swap; returns the changed paths."""
    files = [f for gen in generations for f in gen.files]
    owned = sorted({top for gen in generations for top in gen.owned})
    return write_tree(out, files, owned)


def diff_all(out: Path, generations: list[Generation]) -> str:
    """A unified diff from what ``out`` holds to what it should hold ('' when in sync)."""
    chunks: list[str] = []
    for gen in generations:
        wanted = {f.path: f.text for f in gen.files}
        present: dict[str, str] = {}
        for top in gen.owned:
            root = out / top
            if root.exists():
                for path in sorted(root.rglob("*")):
                    if path.is_file() and not is_byproduct(path.relative_to(root)) and is_generated(path):
                        present[path.relative_to(out).as_posix()] = path.read_text(encoding="utf-8", errors="replace")
        for rel in sorted(set(wanted) | set(present)):
            old, new = present.get(rel), wanted.get(rel)
            if old == new:
                continue
            chunks.extend(
                difflib.unified_diff(
                    (old or "").splitlines(keepends=True),
                    (new or "").splitlines(keepends=True),
                    fromfile=f"a/{rel}" if old is not None else "/dev/null",
                    tofile=f"b/{rel}" if new is not None else "/dev/null",
                )
            )
    return "".join(chunks)
