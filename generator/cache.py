"""Caches that make an unchanged spec cost (almost) nothing to regenerate or check.

Generation is a pure function of the spec's bytes (and those of the files it includes), its display
name, the templates, the generator's own code and the versions of the tools it runs (black,
datamodel-code-generator, jinja2, pyyaml). The whole output of a spec is stored under a hash of all
of them but the included files, which the entry lists with the hash of each: a hit (every included
file still what it was) skips every stage and even the import of those tools.

Every entry starts with a line naming its key and the hash of the rest of it, and is used only
when both match: an entry edited, cut short, or copied over another one's name (or a cache
folder of another shape: a file where a folder should be, garbage, a FIFO) is a miss, and the
run regenerates and stores a good one. A cache that cannot be read or written only costs time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import sys
from collections.abc import Sequence
from functools import cache
from importlib import metadata
from pathlib import Path

from .outputs import TEMPLATES, OutputFile

GENERATOR = Path(__file__).resolve().parent
TOOLS = ("black", "datamodel-code-generator", "jinja2", "pyyaml", "pydantic")


def cache_dir() -> Path:
    """The cache folder: ``$GENERATOR_CACHE``, else the user's cache folder."""
    base = os.environ.get("GENERATOR_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "idl-generator"
    )
    return Path(base)


@cache
def _code_digest() -> str:
    """A hash of everything besides the spec that decides the output."""
    digest = hashlib.sha256()
    for root in (GENERATOR, TEMPLATES):
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    for tool in TOOLS:
        try:
            digest.update(f"{tool}={metadata.version(tool)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{tool}=none".encode())
    digest.update(f"python={sys.version_info[:2]}".encode())
    return digest.hexdigest()


def output_key(spec_bytes: bytes, display: str) -> str:
    """The key of one spec's whole output."""
    return hashlib.sha256(_code_digest().encode() + b"\0" + display.encode() + b"\0" + spec_bytes).hexdigest()


def seal(key: str, payload: bytes) -> bytes:
    """A cache entry: a first line with its key and the hash of ``payload``, then ``payload``."""
    return f"{key} {hashlib.sha256(payload).hexdigest()}\n".encode() + payload


def unseal(key: str, entry: bytes | None) -> bytes | None:
    """The payload of a cache entry made by :func:`seal` for ``key``; None if it is not one."""
    if entry is None:
        return None
    first, newline, payload = entry.partition(b"\n")
    if not newline or first != f"{key} {hashlib.sha256(payload).hexdigest()}".encode():
        return None
    return payload


def read_entry(path: Path, limit: int = 1 << 30) -> bytes | None:
    """The bytes of a regular file of at most ``limit`` bytes, else None (never blocks on a FIFO)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read(limit + 1)
    except OSError:
        return None
    finally:
        os.close(fd)


def write_entry(folder: Path, name: str, data: bytes) -> None:
    """Store ``data`` as ``folder/name`` atomically; a failure (a full disk, a folder of another
    shape) leaves no temporary file and is not an error."""
    temp = folder / f".{name}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temp.write_bytes(data)
        os.replace(temp, folder / name)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()


#: A file a spec includes, as an entry remembers it: its path relative to the spec's folder, the hash of its bytes.
Include = tuple[str, str]


def digest(data: bytes) -> str:
    """The hash of a file's bytes that an entry remembers for each file the spec includes."""
    return hashlib.sha256(data).hexdigest()


def load_outputs(key: str, folder: Path | None = None) -> list[OutputFile] | None:
    """The cached output for ``key``, or None (also when the entry is damaged or not for ``key``, and when
    a file the spec includes, relative to ``folder``, the spec's, is gone or no longer what it was)."""
    payload = unseal(key, read_entry(cache_dir() / "outputs" / f"{key}.json"))
    if payload is None:
        return None
    try:
        entry = json.loads(payload.decode("utf-8"))
    except ValueError:
        return None
    if not isinstance(entry, dict) or not isinstance(entry.get("files"), list) or not isinstance(entry.get("includes"), list):
        return None
    for item in entry["includes"]:
        if not (isinstance(item, list) and len(item) == 2 and all(isinstance(part, str) for part in item)):
            return None
        if folder is None:
            return None
        data = read_entry(folder / item[0])
        if data is None or digest(data) != item[1]:
            return None
    raw = entry["files"]
    files: list[OutputFile] = []
    for item in raw:
        if not isinstance(item, dict):
            return None
        path, text, python = item.get("path"), item.get("text"), item.get("python")
        if not isinstance(path, str) or not isinstance(text, str) or not isinstance(python, bool):
            return None
        files.append(OutputFile(path, text, python))
    return files


def store_outputs(key: str, files: list[OutputFile], includes: Sequence[Include] = ()) -> None:
    """Remember the output for ``key``, and the files the spec includes (each as :data:`Include`), which
    a later run checks before it uses the entry (a cache that cannot be written only costs time)."""
    listed = [{"path": f.path, "text": f.text, "python": f.python} for f in files]
    data = json.dumps({"includes": [list(item) for item in includes], "files": listed}, ensure_ascii=False)
    try:
        payload = data.encode("utf-8")
    except UnicodeEncodeError:
        return
    write_entry(cache_dir() / "outputs", f"{key}.json", seal(key, payload))


def load_text(folder: Path, key: str) -> str | None:
    """A text stored by :func:`store_text` under ``key``, only if its entry is whole and for ``key``."""
    payload = unseal(key, read_entry(folder / key[:2] / key))
    try:
        return payload.decode("utf-8") if payload is not None else None
    except UnicodeDecodeError:
        return None


def store_text(folder: Path, key: str, text: str) -> None:
    """Store ``text`` under ``key``, sealed with its hash (a text that is no UTF-8 is not stored)."""
    try:
        payload = text.encode("utf-8")
    except UnicodeEncodeError:
        return
    write_entry(folder / key[:2], key, seal(key, payload))  # a cache that cannot be written only costs time
