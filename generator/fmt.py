"""Stage 5: format generated Python with black (pinned: its version decides the output bytes).

Formatting dominates generation time on large specs, so results are cached by the hash of the
input text and the black version: text black has already formatted is never formatted again.
Files left to format are spread over the machine's cores.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import black
from black.mode import Mode, TargetVersion

from . import cache

BLACK_VERSION: str = black.__version__  # type: ignore[attr-defined]
MODE = Mode(target_versions={TargetVersion.PY311})


def cache_dir() -> Path:
    """Where formatted texts are cached."""
    return cache.cache_dir() / f"black-{BLACK_VERSION}"


def _key(text: str) -> str:
    return hashlib.sha256(f"{BLACK_VERSION}\0{MODE!r}\0{text}".encode()).hexdigest()


def format_source(text: str) -> str:
    """black-format one Python source text (no cache)."""
    return black.format_str(text, mode=MODE)


def format_many(texts: list[str], *, use_cache: bool = True, jobs: int | None = None) -> list[str]:
    """Format every text, in order, using and filling the cache; parallel when there are several."""
    cache = cache_dir()
    out: list[str | None] = [None] * len(texts)
    todo: list[int] = []
    for i, text in enumerate(texts):
        hit = cache / _key(text)[:2] / _key(text) if use_cache else None
        if hit is not None and hit.is_file():
            out[i] = hit.read_text(encoding="utf-8")
        else:
            todo.append(i)
    if todo:
        workers = min(len(todo), jobs or os.cpu_count() or 1)
        pending = [texts[i] for i in todo]
        big = sum(len(t) for t in pending) > 200_000
        if workers > 1 and big:
            with ProcessPoolExecutor(workers) as pool:
                results = list(pool.map(format_source, pending))
        else:
            results = [format_source(t) for t in pending]
        for i, result in zip(todo, results, strict=True):
            out[i] = result
            if use_cache:
                _store(cache, _key(texts[i]), result)
    return [t for t in out if t is not None]


def _store(cache: Path, key: str, text: str) -> None:
    folder = cache / key[:2]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temp = folder / f".{key}.{os.getpid()}.tmp"
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, folder / key)
    except OSError:
        pass  # a cache that cannot be written only costs time
