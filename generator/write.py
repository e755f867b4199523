"""Stage 6: put the generated tree in place without ever destroying work.

The new output folder is built beside the old one, then the two are exchanged in one atomic
rename, so a run killed at any moment leaves the output entirely as it was (or, after the
swap, entirely as it should be). Only files that carry the generated mark are replaced or
removed: a hand-written file found among them stops the run with a clear error, before
anything changes.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import sys
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from .outputs import GENERATED_MARK, OutputFile


class WriteError(Exception):
    """The output folder cannot be updated safely; nothing was changed."""


def is_generated(path: Path) -> bool:
    """True when ``path`` is a file this generator wrote (its first lines carry the mark)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            head = handle.read(400)
    except OSError:
        return False
    return GENERATED_MARK in head


def safe_relative(path: str) -> PurePosixPath:
    """A relative path that stays inside the output folder, or WriteError."""
    rel = PurePosixPath(path)
    if rel.is_absolute() or not rel.parts or any(part in ("", ".", "..") for part in rel.parts):
        raise WriteError(f"refusing to write {path!r}: outside the output folder")
    return rel


def plan_tree(out: Path, files: list[OutputFile], owned: list[str]) -> None:
    """Check that writing ``files`` under ``out`` replaces or removes only generated files.

    ``owned`` are the top-level folders under ``out`` that this run regenerates: a file in one
    of them that is not in ``files`` is stale and will be removed (if it is generated).
    """
    wanted = {str(safe_relative(f.path)) for f in files}
    for top in owned:
        root = out / top
        if not root.exists():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_symlink() or path.is_file():
                rel = path.relative_to(out).as_posix()
                if is_byproduct(path.relative_to(root)):
                    continue
                if not is_generated(path):
                    verb = "overwrite" if rel in wanted else "remove"
                    raise WriteError(f"{path}: hand-written file in a generated folder; refusing to {verb} it (move it elsewhere)")


def write_tree(out: Path, files: list[OutputFile], owned: list[str]) -> list[str]:
    """Replace the ``owned`` folders of ``out`` with ``files``; returns the paths that changed.

    The whole new ``out`` is built beside it (files it keeps are hard-linked, not copied) and
    swapped in with one atomic exchange, so a run killed at any moment leaves ``out`` entirely
    old or entirely new. Nothing is written when nothing changed.
    """
    plan_tree(out, files, owned)
    wanted = {safe_relative(f.path).as_posix(): f.text for f in files}
    changed = [rel for rel, text in wanted.items() if not _holds(out / rel, text)]
    stale = [f"{top}/{rel}" for top in owned for rel in _listing(out / top) if f"{top}/{rel}" not in wanted]
    if not changed and not stale:
        return []
    parent = out.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}{STAGING}", dir=parent))
    try:
        if out.exists():
            _link_kept(out, stage, set(owned))
        for rel, text in wanted.items():
            target = stage / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        if out.exists():
            exchange(stage, out)  # the new tree takes the old one's place at once
        else:
            os.replace(stage, out)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return changed


#: The staging folder of a run is ``.<out>.generating-XXXX`` beside the output folder.
STAGING = ".generating-"


def _holds(path: Path, text: str) -> bool:
    try:
        return path.read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        return False


def _link_kept(old: Path, new: Path, owned: set[str]) -> None:
    """Put into ``new`` what ``out`` keeps: everything outside the owned folders, and the
    byproducts inside them (hard links: the old tree is removed after the swap)."""
    for path in sorted(old.rglob("*")):
        rel = path.relative_to(old)
        top = rel.parts[0]
        if top in owned and not is_byproduct(rel.relative_to(top) if len(rel.parts) > 1 else Path()):
            continue
        target = new / rel
        if path.is_symlink():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(os.readlink(path), target)
        elif path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif path.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, target)
            except OSError:  # a file system without hard links
                shutil.copy2(path, target)


def exchange(new: Path, old: Path) -> None:
    """Swap two folders atomically (Linux renameat2 RENAME_EXCHANGE); two renames elsewhere.

    After it, ``old``'s path holds the new tree and ``new``'s path the old one.
    """
    swapped = _renameat2 is not None and _renameat2(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(old), _RENAME_EXCHANGE) == 0
    if swapped:
        return
    parked = Path(tempfile.mkdtemp(prefix=".replaced-", dir=old.parent)) / old.name
    os.replace(old, parked)
    os.replace(new, old)
    os.replace(parked, new)
    parked.parent.rmdir()


def _load_renameat2() -> Any:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_renameat2 = _load_renameat2() if sys.platform == "linux" else None


def is_byproduct(rel: Path) -> bool:
    """Caches and build folders that tools leave in a generated tree (kept, never compared)."""
    return any(part.startswith(".") or part in _BYPRODUCTS or part.endswith(".egg-info") for part in rel.parts) or rel.suffix == ".pyc"


_BYPRODUCTS = frozenset({"__pycache__", "build", "dist"})


def _listing(root: Path) -> list[str]:
    if not root.exists():
        return []
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and not is_byproduct(p.relative_to(root))
    )


def cleanup_leftovers(out: Path) -> None:
    """Remove the staging folder a killed run left beside ``out`` (and, inside it, those of
    earlier versions of this writer)."""
    parent = out.absolute().parent
    if parent.is_dir():
        for item in parent.iterdir():
            if item.name.startswith(f".{out.name}{STAGING}") and item.is_dir():
                shutil.rmtree(item, ignore_errors=True)
    if out.is_dir():
        for item in out.iterdir():
            if item.name.startswith((".generating-", ".replaced-")) and item.is_dir():
                shutil.rmtree(item, ignore_errors=True)
