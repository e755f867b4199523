"""The changelog a spec records (``package.changelog``), and the versions it speaks of.

Each entry names a version, says in every language of the docs what changed in it, and lists the
breaking changes that version makes on purpose (``acknowledged_breaking``: the change ids that
``python -m generator diff`` prints), so that a diff across it exits 0. The docs target renders
the entries as a changelog page with :func:`changelog_markdown` (or lays out :func:`changelog_view`
itself).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import SpecProblem
from .loader import Document
from .model import Text

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


@dataclass(frozen=True)
class ChangelogEntry:
    """One version of the changelog: what changed, and the breaking changes it acknowledges."""

    version: str
    changes: tuple[Text, ...]
    acknowledged_breaking: tuple[str, ...] = ()


def read_changelog(doc: Document) -> list[ChangelogEntry]:
    """The entries of a validated spec's ``package.changelog``, newest version first."""
    package: dict[str, Any] = doc.data["package"]
    entries = [
        ChangelogEntry(
            version=raw["version"],
            changes=tuple(Text(c["en"], c["es"]) for c in raw["changes"]),
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


# -- the docs page ----------------------------------------------------------------------------

#: The fixed words of the changelog page, by language.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Changelog",
        "intro": "What changed in each version of the package and of its document format, newest first.",
        "empty": "No version has recorded changes yet.",
        "breaking": "Breaking changes made on purpose",
        "version": "Version",
    },
    "es": {
        "title": "Registro de cambios",
        "intro": "Qué cambió en cada versión del paquete y de su formato de documento, de la más reciente a la más antigua.",
        "empty": "Ninguna versión ha registrado cambios todavía.",
        "breaking": "Cambios incompatibles hechos a propósito",
        "version": "Versión",
    },
}


@dataclass(frozen=True)
class ChangelogVersionView:
    """One version of the changelog page in one language: texts as the spec wrote them (not escaped)."""

    version: str
    changes: tuple[str, ...]
    acknowledged_breaking: tuple[str, ...]


def changelog_view(entries: list[ChangelogEntry], lang: str) -> list[ChangelogVersionView]:
    """The changelog in one language (``"en"`` or ``"es"``), newest version first."""
    ordered = sorted(entries, key=lambda e: version_key(e.version), reverse=True)
    return [
        ChangelogVersionView(e.version, tuple(t[lang] for t in e.changes), e.acknowledged_breaking) for e in ordered
    ]


def _escape(text: str) -> str:
    """Minimal Markdown escaping for one line of spec text (the docs target passes its own)."""
    out = " ".join(text.split())
    return re.sub(r"([\\*_\[\]<>#|])", r"\\\1", out)


def changelog_markdown(
    entries: list[ChangelogEntry], lang: str, *, escape: Callable[[str], str] = _escape, heading_level: int = 1
) -> str:
    """The changelog page body in Markdown, in ``lang``: a heading, then one section per version.

    ``escape`` turns one spec text into inline Markdown (the docs target passes its ``md_inline``).
    Change ids are shown as code spans.
    """
    words = WORDS[lang]
    hashes = "#" * heading_level
    lines = [f"{hashes} {words['title']}", "", words["intro"], ""]
    views = changelog_view(entries, lang)
    if not views:
        lines += [words["empty"], ""]
    for view in views:
        lines += [f"{hashes}# {words['version']} {view.version}", ""]
        lines += [f"- {escape(text)}" for text in view.changes]
        lines.append("")
        if view.acknowledged_breaking:
            lines += [f"{words['breaking']}:", ""]
            lines += [f"- `{change_id}`" for change_id in view.acknowledged_breaking]
            lines.append("")
    return "\n".join(lines)
