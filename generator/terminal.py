"""What a person watching a terminal sees besides the plain text: colour and a progress line.

Both only on a terminal: colour when the stream is one and ``NO_COLOR`` is not set (see
https://no-color.org) and ``TERM`` is not ``dumb``; the progress line when stderr is one and the
run has lasted about a second. Piped output stays plain text, byte for byte what a test reads.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable
from typing import TextIO

RESET = "\033[0m"
BOLD, RED, GREEN, CYAN = "\033[1m", "\033[31m", "\033[32m", "\033[36m"
#: Erase the current line and go back to its start.
CLEAR_LINE = "\r\033[K"

_LOCATION = re.compile(r"^(\S+?:\d+(?::\d+)?:)( .*)$")


def located(message: str) -> bool:
    """True when a message starts with where it happened (``file:line:`` or ``file:line:col:``)."""
    return _LOCATION.match(message) is not None


def is_terminal(stream: TextIO) -> bool:
    """True when ``stream`` is a terminal (a person is watching)."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # closed
        return False


def wants_colour(stream: TextIO) -> bool:
    """Colour on ``stream``: a terminal, ``NO_COLOR`` unset or empty, and ``TERM`` not ``dumb``."""
    return is_terminal(stream) and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


class Paint:
    """Colours text for one stream, or leaves it as it is."""

    def __init__(self, stream: TextIO) -> None:
        self.enabled = wants_colour(stream)

    def _wrap(self, code: str, text: str) -> str:
        return f"{code}{text}{RESET}" if self.enabled and text else text

    def problem(self, line: str) -> str:
        """``file:line:col: message``: the location bold, the message red."""
        found = _LOCATION.match(line)
        if not self.enabled or not found:
            return self.error(line)
        return self._wrap(BOLD, found[1]) + self._wrap(RED, found[2])

    def error(self, line: str) -> str:
        """A line that says something failed."""
        return self._wrap(RED, line)

    def ok(self, line: str) -> str:
        """A line that says all is well."""
        return self._wrap(GREEN, line)

    def diff(self, text: str) -> str:
        """A unified diff: file headers bold, hunk headers cyan, removed lines red, added ones green."""
        if not self.enabled:
            return text
        lines = []
        for line in text.splitlines(keepends=True):
            body, end = (line[:-1], "\n") if line.endswith("\n") else (line, "")
            if body.startswith(("--- ", "+++ ")):
                body = self._wrap(BOLD, body)
            elif body.startswith("@@"):
                body = self._wrap(CYAN, body)
            elif body.startswith("-"):
                body = self._wrap(RED, body)
            elif body.startswith("+"):
                body = self._wrap(GREEN, body)
            lines.append(body + end)
        return "".join(lines)


class ProgressLine:
    """A one-line progress on a terminal, shown once a run has lasted ``after`` seconds, each
    step overwriting the last; :meth:`done` erases it. On anything but a terminal it writes nothing."""

    def __init__(self, stream: TextIO, *, after: float = 1.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.enabled = is_terminal(stream)
        self.after = after
        self.clock = clock
        self.start = clock()
        self.shown = False

    def __call__(self, step: str) -> None:
        """Tell the step the run is at now."""
        if not self.enabled or self.clock() - self.start < self.after:
            return
        width = max(shutil.get_terminal_size((80, 24)).columns - 1, 10)
        text = step if len(step) <= width else step[: width - 1] + "…"
        self.stream.write(CLEAR_LINE + text)
        self.stream.flush()
        self.shown = True

    def done(self) -> None:
        """Erase the progress line, if one was shown (before the run's own messages)."""
        if self.shown:
            self.stream.write(CLEAR_LINE)
            self.stream.flush()
            self.shown = False
