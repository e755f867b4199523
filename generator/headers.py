"""Which files this generator wrote: those that start with its header, exactly.

A file is generated when its first lines are :func:`generator.outputs.header` for some spec file
(naming the generator as now, or as earlier versions did: their files are replaced and removed too),
in one of the forms it is written in:

- ``# ...`` lines (Python, TOML, YAML, ``py.typed``);
- one ``<!-- ... -->`` line (Markdown pages);
- `` * ...`` lines inside ``/*`` and `` */`` (the docs' stylesheet);
- the ``$comment`` that is the first key of a JSON object (the JSON Schema), as one line.

The marker text alone (``@generated`` in a hand-written file's notes, say) does not make a file
generated: only the whole header does, so a hand-written file is never replaced or removed.
"""

from __future__ import annotations

import json
import os
import re
import stat
from functools import cache
from pathlib import Path

from .outputs import FORMER_TOOLS, TOOL, header

#: Stands for the spec file's name while the header's patterns are built.
_SPEC = "\x00spec\x00"
#: How much of a file is read to find its header (the spec's name may be a long path).
HEAD_BYTES = 8192
#: The start of the JSON Schema file, up to its ``$comment``'s string.
_JSON_COMMENT = re.compile(r'\{\s*"\$comment"\s*:\s*("(?:[^"\\\n]|\\.)*")')


def _pattern(text: str) -> str:
    """A regular expression of ``text`` with any one-line spec name where the placeholder is."""
    return "[^\n]+".join(re.escape(part) for part in text.split(_SPEC))


@cache
def _headers() -> re.Pattern[str]:
    """Every form of the header at the start of a text, followed by the end of a line or of the text."""
    forms: list[str] = []
    for tool in (TOOL, *FORMER_TOOLS):
        forms.append(_pattern(header("#", _SPEC, tool)))
        forms.append(_pattern(header("<!--", _SPEC, tool)))
        forms.append(re.escape("/*\n") + _pattern(header(" *", _SPEC, tool)) + re.escape("\n */"))
    return re.compile(f"(?:{'|'.join(forms)})(?:\n|\\Z)")


@cache
def _one_line() -> re.Pattern[str]:
    """The header as one line (as the JSON Schema's ``$comment`` holds it)."""
    forms = [" ".join(line.removeprefix("# ") for line in header("#", _SPEC, tool).splitlines()) for tool in (TOOL, *FORMER_TOOLS)]
    return re.compile("|".join(f"(?:{_pattern(form)})" for form in forms))


def has_generated_header(text: str) -> bool:
    """True when ``text`` starts with the generated header, in one of the forms it is written in."""
    if _headers().match(text):
        return True
    found = _JSON_COMMENT.match(text)
    if not found:
        return False
    try:
        comment = json.loads(found.group(1))
    except ValueError:
        return False
    return isinstance(comment, str) and _one_line().fullmatch(comment) is not None


def is_generated(path: Path) -> bool:
    """True when ``path`` is a regular file (or a link to one) that starts with the generated header.

    A FIFO, a device or a folder is never generated (and opening it never blocks).
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        head = os.read(fd, HEAD_BYTES)
    except OSError:
        return False
    finally:
        os.close(fd)
    return has_generated_header(head.decode("utf-8", errors="replace"))
