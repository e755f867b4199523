"""Stage 6: put the generated tree in place without ever destroying work.

The new output folder is built beside the old one, then the two are exchanged in one atomic
rename, so a run killed at any moment leaves the output entirely as it was (or, after the
swap, entirely as it should be). Only files that start with the generated header are replaced
or removed: a hand-written file found among them stops the run with a clear error, before
anything changes. A hand-written ``.gitignore`` at the top of a generated folder is the user's
(``is_kept``): kept as it is, and the generated one is not written there.

- One run at a time: a run holds the output folder's lock while it writes (``staging``), and
  removes only the staging folders of runs that are gone.
- An output folder that is a symbolic link is written through: the swap happens where it points.
- An output folder that cannot be renamed (a mount point, or its parent is not writable) is
  updated folder by folder: each generated folder is built inside it and exchanged atomically.
- A read-only output folder, a mount point inside it, or a generated folder that is a symbolic
  link is refused. The folders keep their permission bits, and replaced files theirs.
- A failure while writing (a full disk, a file name too long) is a one-line :class:`WriteError`,
  and the output is left as it was.
"""

from __future__ import annotations

import ctypes
import errno
import fnmatch
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from .headers import is_generated
from .outputs import BYPRODUCTS, IGNORE_FILE, OutputFile
from .staging import (
    LOCK_WAIT,
    NEW,
    OLD_SUFFIX,
    STAGING,
    OutputBusy,
    WriteError,
    make_stage,
    output_lock,
    remove_leftovers,
    try_lock,
)
from .writetree import build_tree, check_folder, entries, is_mount_point, read_regular

__all__ = [
    "STAGING", "OutputBusy", "WriteError", "cleanup_leftovers", "exchange", "is_byproduct", "is_generated",
    "is_kept", "kept_out", "plan_tree", "safe_relative", "write_tree",
]


def safe_relative(path: str) -> PurePosixPath:
    """A relative path that stays inside the output folder, or WriteError."""
    rel = PurePosixPath(path)
    if rel.is_absolute() or not rel.parts or any(part in ("", ".", "..") for part in rel.parts):
        raise WriteError(f"refusing to write {path!r}: outside the output folder")
    return rel


def is_byproduct(rel: Path | PurePosixPath) -> bool:
    """Caches and build folders that tools leave in a generated folder (kept, never compared): a path
    (relative to the folder) with a part that a pattern of :data:`BYPRODUCTS` names, or a dot-name
    but the folder's own :data:`IGNORE_FILE`."""
    if PurePosixPath(rel) == PurePosixPath(IGNORE_FILE):
        return False
    return any(part.startswith(".") or any(fnmatch.fnmatchcase(part, p.rstrip("/")) for p in BYPRODUCTS) for part in rel.parts)


def is_kept(root: Path, rel: Path | PurePosixPath) -> bool:
    """What a run keeps as it is in the generated folder ``root`` and never compares: its byproducts
    (:func:`is_byproduct`), and a hand-written :data:`IGNORE_FILE` at its top (one without the generated
    header is the user's, as it was before the generator wrote its own: no generated one replaces it)."""
    if PurePosixPath(rel) == PurePosixPath(IGNORE_FILE):
        path = root / IGNORE_FILE
        return os.path.lexists(path) and not is_generated(path)
    return is_byproduct(rel)


def kept_out(out: Path, wanted: dict[str, str]) -> dict[str, str]:
    """The ``wanted`` files (path under ``out`` → text) but those that :func:`is_kept` keeps in their
    generated folder (a generated ``.gitignore`` where the user has their own)."""
    return {rel: text for rel, text in wanted.items() if not _kept_under(out, rel)}


def _kept_under(out: Path, rel: str) -> bool:
    """Whether :func:`is_kept` keeps ``rel`` (a path under ``out``: its generated folder first)."""
    top, _, inner = rel.partition("/")
    return bool(inner) and is_kept(out / top, PurePosixPath(inner))


def plan_tree(out: Path, files: list[OutputFile], owned: list[str], shown: str | None = None) -> None:
    """Check that writing ``files`` under ``out`` replaces or removes only generated files.

    ``owned`` are the top-level folders under ``out`` that this run regenerates: anything in one
    of them that is not in ``files`` is stale and will be removed, if it is a generated file.
    ``shown`` names ``out`` in messages.
    """
    wanted = {str(safe_relative(f.path)) for f in files}
    for top in owned:
        for rel, path in entries(out / top):
            if is_kept(out / top, PurePosixPath(rel)):
                continue
            if not is_generated(path):
                verb = "overwrite" if f"{top}/{rel}" in wanted else "remove"
                where = f"{shown}/{top}/{rel}" if shown else path
                raise WriteError(f"{where}: hand-written file in a generated folder; refusing to {verb} it (move it elsewhere)")


def resolve_output(out: Path) -> Path:
    """The folder to write: ``out``, or where it points when it is a symbolic link."""
    try:
        target = out.resolve()
    except (OSError, RuntimeError) as exc:
        raise WriteError(f"{out}/: cannot follow its symbolic links ({exc})") from None
    if os.path.lexists(target) and not target.is_dir():
        raise WriteError(f"{out} is not a folder; refusing to replace it")
    return target


def write_tree(out: Path, files: list[OutputFile], owned: list[str], *, wait: float = LOCK_WAIT) -> list[str]:
    """Replace the ``owned`` folders of ``out`` with ``files``; returns the paths that changed.

    The whole new ``out`` is built beside it (files it keeps are hard-linked, not copied) and
    swapped in with one atomic exchange, so a run killed at any moment leaves ``out`` entirely
    old or entirely new. Nothing is written when nothing changed. Waits up to ``wait`` seconds
    for another run writing the same folder (then :class:`OutputBusy`).
    """
    shown = str(out).rstrip("/") or "/"
    target = resolve_output(out)
    wanted = {safe_relative(f.path).as_posix(): f.text for f in files}
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _failure(exc, shown, None, False) from None
    with output_lock(target, shown, wait):
        _cleanup(target)
        plan_tree(target, files, owned, shown)
        wanted = kept_out(target, wanted)
        changed = [rel for rel, text in wanted.items() if read_regular(target / rel) != text]
        stale = [f"{top}/{rel}" for top in owned for rel, _ in entries(target / top) if f"{top}/{rel}" not in wanted]
        stale = [rel for rel in stale if not _kept_under(target, rel)]
        if not changed and not stale:
            return []
        check_folder(target, shown, owned, wanted)
        if target.is_dir() and (is_mount_point(target) or not os.access(target.parent, os.W_OK)):
            _swap_folders(target, shown, wanted, owned)
        else:
            try:
                _swap_whole(target, shown, wanted, owned)
            except _Busy:  # a mount point the mount table did not tell
                _swap_folders(target, shown, wanted, owned)
    return changed


class _Busy(Exception):
    """The output folder cannot be renamed (EBUSY: a mount point; EXDEV: on another file system
    than its parent); nothing was changed."""


def _swap_whole(target: Path, shown: str, wanted: dict[str, str], owned: list[str]) -> None:
    """Build the whole new tree beside ``target`` and exchange the two in one rename."""
    tops = set(owned)
    stage: Path | None = None
    try:
        stage = make_stage(target.parent, f".{target.name}{STAGING}")
        new = stage / NEW
        old = target if target.exists() else None
        build_tree(old, new, wanted, lambda rel: rel.parts[0] in tops and not _kept_under(target, rel.as_posix()))
        if old is None:
            os.replace(new, target)
        else:
            try:
                exchange(new, target)  # the new tree takes the old one's place at once
            except OSError as exc:
                if exc.errno in (errno.EBUSY, errno.EXDEV):
                    raise _Busy from None
                raise
    except (OSError, UnicodeError) as exc:
        raise _failure(exc, shown, stage and stage / NEW, False) from None
    finally:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)


def _swap_folders(target: Path, shown: str, wanted: dict[str, str], owned: list[str]) -> None:
    """Build each generated folder inside ``target`` and exchange them one by one (each atomically)."""
    stage: Path | None = None
    swapped = False
    try:
        stage = make_stage(target, STAGING)
        for top in owned:
            mine = {rel.split("/", 1)[1]: text for rel, text in wanted.items() if rel.split("/", 1)[0] == top}
            old = target / top
            build_tree(old if old.exists() else None, stage / top, mine, _replaced(old))
        for top in owned:
            if (target / top).exists():
                exchange(stage / top, target / top)
            else:
                os.replace(stage / top, target / top)
            swapped = True
    except (OSError, UnicodeError) as exc:
        raise _failure(exc, shown, stage, swapped) from None
    finally:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)


def _replaced(root: Path) -> Callable[[PurePosixPath], bool]:
    """Whether a run replaces a path of the generated folder ``root``: all but what :func:`is_kept` keeps."""
    return lambda rel: not is_kept(root, rel)


def _failure(exc: OSError | UnicodeError, shown: str, stage: Path | None, swapped: bool) -> WriteError:
    """The one-line error of a failed write, naming the output path rather than the staging one."""
    kept = "some of its folders were replaced, the others left as they were" if swapped else "nothing was changed"
    if isinstance(exc, UnicodeError):
        return WriteError(f"cannot write {shown}/: a text cannot be encoded as UTF-8 ({exc}); {kept}")
    where = str(exc.filename) if exc.filename else ""
    if stage is not None and where.startswith(str(stage)):
        where = shown + where[len(str(stage)):]
    problem = {
        errno.ENOSPC: "no space left on the device",
        errno.EDQUOT: "disk quota exceeded",
        errno.EROFS: "the file system is read-only",
        errno.ENAMETOOLONG: "a file name is too long",
    }.get(exc.errno or 0, exc.strerror or str(exc))
    return WriteError(f"cannot write {shown}/: {problem}{f' ({where})' if where else ''}; {kept}")


def exchange(new: Path, old: Path) -> None:
    """Swap two folders atomically (Linux renameat2 RENAME_EXCHANGE); two renames elsewhere.

    After it, ``old``'s path holds the new tree and ``new``'s path the old one. Between the two
    renames of the fallback, the old tree waits at ``<new>.old`` (a killed run's cleanup puts it
    back). EBUSY (``old`` is a mount point) is raised before anything moves.
    """
    if _renameat2 is not None:
        if _renameat2(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(old), _RENAME_EXCHANGE) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
            raise OSError(code, os.strerror(code), str(old))
    parked = new.with_name(new.name + OLD_SUFFIX)
    os.replace(old, parked)
    os.replace(new, old)
    os.replace(parked, new)


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


def _cleanup(target: Path) -> None:
    """Remove what killed runs left (the lock is held): their staging folders, beside ``target``
    and inside it; a tree one had moved aside goes back first."""
    remove_leftovers(target.parent, f".{target.name}{STAGING}", target)
    if target.is_dir() and not target.is_symlink():
        remove_leftovers(target, STAGING, target)


def cleanup_leftovers(out: Path) -> None:
    """Remove the staging folders that runs killed while writing ``out`` left (only those whose
    process is gone; nothing while another run holds the lock)."""
    try:
        target = resolve_output(out)
    except WriteError:
        return
    if not target.parent.is_dir():
        return
    with try_lock(target) as held:
        if held:
            _cleanup(target)

