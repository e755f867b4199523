"""Stage 5: format generated Python with black (pinned: its version decides the output bytes).

The templates write black's layout themselves (``pysource``), so black runs only on the
top-level blocks that have a line too long for those rules: a long union, a long name. Its
results are cached by the hash of the input text and the black version (text black has already
formatted is never formatted again; an entry is used only when the hash of its content, stored
with it, matches), and the blocks left to format are spread over the machine's cores.
"""

from __future__ import annotations

import hashlib
import os
import re
from concurrent.futures import ProcessPoolExecutor
from functools import cache as _once
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache
from .targets.python.pysource import needs_black

if TYPE_CHECKING:
    from black.mode import Mode

BLACK_VERSION: str = version("black")
#: The mode's settings, as part of the cache key (black itself is imported only when it runs).
MODE_KEY = "target py311, line length 88"


@_once
def mode() -> Mode:
    """black's mode for generated code: Python 3.11, the default line length (88)."""
    from black.mode import Mode, TargetVersion

    return Mode(target_versions={TargetVersion.PY311})


def cache_dir() -> Path:
    """Where formatted texts are cached: entries sealed with their hash (``cache.seal``), in a folder
    of their own (the writers before them kept bare texts in ``black-<version>/``, and read those)."""
    return cache.cache_dir() / f"black-{BLACK_VERSION}-sealed"


def _key(text: str) -> str:
    return hashlib.sha256(f"{BLACK_VERSION}\0{MODE_KEY}\0{text}".encode()).hexdigest()


def format_source(text: str) -> str:
    """black-format one Python source text (no cache)."""
    import black  # slow to import: only when a block needs it

    return black.format_str(text, mode=mode())


#: Spaces at the end of a line, which black removes.
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)

#: Where a module splits into blocks black formats alone: two or more blank lines, then a
#: top-level statement (a class, a function, a decorator or a name) at the start of a line. Black
#: puts exactly two blank lines there, whatever the input had.
_BLOCK = re.compile(r"\n\s*\n\s*\n(?=[A-Za-z_@])")


def split_blocks(text: str) -> list[str]:
    """A module's top-level blocks, each ending with one newline."""
    return [part.rstrip() + "\n" for part in _BLOCK.split(text)]


def join_blocks(blocks: list[str]) -> str:
    """The module of formatted blocks: two blank lines between top-level blocks, as black puts them."""
    return "\n\n".join(blocks)


def format_many(
    texts: list[str], *, use_cache: bool = True, jobs: int | None = None, laid_out: list[bool] | None = None
) -> list[str]:
    """Format every text, in order.

    Each module is cut into its top-level blocks. A block of a text the templates wrote
    (``laid_out``, one flag a text; by default none) whose lines all fit is taken as it is: the
    templates write black's layout (``pysource``; the tests check that black leaves such blocks
    unchanged). black runs on the other blocks it has not seen before (cached by text and black
    version), spread over the machine's cores. Top-level blocks separated by two blank lines
    format the same alone as in their module, so an edit of one class re-formats that class
    only.
    """
    folder = cache_dir()
    ours = laid_out or [False] * len(texts)
    plans: list[list[str]] = []
    for text, by_us in zip(texts, ours, strict=True):
        # an empty text in a template line leaves trailing spaces, which black strips (never
        # inside a string: string literals in generated code are one line, docstrings aside)
        plans.append(split_blocks(_TRAILING_SPACE.sub("", text) if by_us else text))
    done: dict[str, str] = {}
    todo: list[str] = []
    trusted = {b for plan, mine in zip(plans, ours, strict=True) if mine for b in plan}
    for block in dict.fromkeys(b for plan in plans for b in plan):
        if block in trusted and not needs_black(block):
            done[block] = block  # the templates wrote it as black would: nothing to do
            continue
        hit = cache.load_text(folder, _key(block)) if use_cache else None
        if hit is None:
            todo.append(block)
        else:
            done[block] = hit
    if todo:
        workers = min(len(todo), jobs or os.cpu_count() or 1)
        if workers > 1 and sum(len(t) for t in todo) > 100_000:
            with ProcessPoolExecutor(workers) as pool:
                results = list(pool.map(format_source, todo, chunksize=max(1, len(todo) // (workers * 4))))
        else:
            results = [format_source(t) for t in todo]
        for block, result in zip(todo, results, strict=True):
            done[block] = result
            if use_cache:
                cache.store_text(folder, _key(block), result)
    return [done[plan[0]] if len(plan) == 1 else join_blocks([done[b] for b in plan]) for plan in plans]


