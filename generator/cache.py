"""Caches that make an unchanged spec cost (almost) nothing to regenerate or check.

Generation is a pure function of the spec's bytes, its display name, the templates, the
generator's own code and the versions of the tools it runs (black, datamodel-code-generator,
jinja2, pyyaml). The whole output of a spec is stored under a hash of all of them; a hit skips
every stage and even the import of those tools.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
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


def load_outputs(key: str) -> list[OutputFile] | None:
    """The cached output for ``key``, or None."""
    path = cache_dir() / "outputs" / f"{key}.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return [OutputFile(item["path"], item["text"], item["python"]) for item in raw]


def store_outputs(key: str, files: list[OutputFile]) -> None:
    """Remember the output for ``key`` (a cache that cannot be written only costs time)."""
    folder = cache_dir() / "outputs"
    data = json.dumps([{"path": f.path, "text": f.text, "python": f.python} for f in files])
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temp = folder / f".{key}.{os.getpid()}.tmp"
        temp.write_text(data, encoding="utf-8")
        os.replace(temp, folder / f"{key}.json")
    except OSError:
        pass
