"""The changelog a spec records (``package.changelog``), and the versions it speaks of.

Each entry names a version, says in every language of the spec what changed in it, and lists the
breaking changes that version makes on purpose (``acknowledged_breaking``: the change ids that
``diff`` prints), so that a diff across it exits 0. The docs target renders the entries as a
changelog page.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import SpecProblem
from ..model import ChangelogEntry, Text
from .loader import Document

_VERSION = re.compile(r"^([0-9]+(?:\.[0-9]+)*)([ab]|rc)?([0-9]*)$")
_PRE_RANK = {"a": 0, "b": 1, "rc": 2, "": 3}


def version_key(version: str) -> tuple[tuple[int, ...], int, int]:
    """A sort key: ``1.2 == 1.2.0 < 1.10``, and ``2.0a1 < 2.0b1 < 2.0rc1 < 2.0``.

    ``version`` has the form the IDL allows (``package.version``); anything else sorts first.
    """
    match = _VERSION.match(version)
    if match is None:
        return ((), -1, 0)
    release = [int(part) for part in match.group(1).split(".")]
    while len(release) > 1 and release[-1] == 0:
        release.pop()
    pre = match.group(2) or ""
    return (tuple(release), _PRE_RANK[pre], int(match.group(3) or 0))


def is_major_bump(old: str, new: str) -> bool:
    """True when ``new`` may break what ``old`` promised (semantic versioning: 0.x counts minors)."""
    old_release, new_release = version_key(old)[0], version_key(new)[0]
    old_major = old_release[:1] or (0,)
    new_major = new_release[:1] or (0,)
    if new_major > old_major:
        return True
    if new_major == old_major == (0,):
        old_minor = old_release[1:2] or (0,)
        new_minor = new_release[1:2] or (0,)
        return new_minor > old_minor
    return False


def read_changelog(doc: Document, languages: tuple[str, ...]) -> list[ChangelogEntry]:
    """The entries of a validated spec's ``package.changelog``, newest version first."""
    package: dict[str, Any] = doc.data["package"]
    entries = [
        ChangelogEntry(
            version=raw["version"],
            changes=tuple(Text(tuple((lang, c.get(lang, "")) for lang in languages)) for c in raw["changes"]),
            acknowledged_breaking=tuple(raw.get("acknowledged_breaking", [])),
        )
        for raw in package.get("changelog", [])
    ]
    return sorted(entries, key=lambda e: version_key(e.version), reverse=True)


def check_changelog(doc: Document) -> list[SpecProblem]:
    """Mistakes in a validated spec's changelog: a version told twice, or one newer than the package's."""
    package: dict[str, Any] = doc.data["package"]
    current = version_key(package["version"])
    problems: list[SpecProblem] = []
    seen: dict[tuple[tuple[int, ...], int, int], str] = {}
    for i, raw in enumerate(package.get("changelog", [])):
        where = doc.where(("package", "changelog", i, "version"))
        key = version_key(raw["version"])
        if key in seen:
            problems.append(
                SpecProblem(where, f'changelog: version "{raw["version"]}" is already described (as "{seen[key]}")')
            )
        elif key > current:
            problems.append(
                SpecProblem(
                    where,
                    f'changelog: version "{raw["version"]}" is newer than the package version "{package["version"]}"',
                )
            )
        seen.setdefault(key, raw["version"])
    return problems


def acknowledged(entries: list[ChangelogEntry], old_version: str, new_version: str) -> set[str]:
    """The change ids acknowledged by the versions after ``old_version`` up to ``new_version``.

    The entry of ``new_version`` itself always counts (a spec whose version was not bumped yet).
    """
    low, high = version_key(old_version), version_key(new_version)
    ids: set[str] = set()
    for entry in entries:
        key = version_key(entry.version)
        if low < key <= high or key == high:
            ids.update(entry.acknowledged_breaking)
    return ids
