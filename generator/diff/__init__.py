"""What changed between two versions of a spec, and whom it breaks.

Both sides are loaded, validated and resolved like ``generate`` does; the two models are
compared (never the text): the package's names and document root, enums and their members,
classes, their MROs, fields (keyword, type, default, required-ness, read-only, YAML key,
prefix), methods (parameters, return types, exceptions), and the discriminator values of each
polymorphic family (:mod:`.compare`).

Every change is classified twice, the way buf separates source from wire compatibility, by the
rule of its kind (:mod:`.rules`): for the **Python API** (code that imports the generated
package) and for the **document format** (YAML documents already written), each ``breaking``,
``compatible`` or ``none``. Its messages come from the rule's msgid, translated through the same
catalogs as the docs (``templates/locale/<lang>.po``). Reading the sides (files, git revisions)
is :mod:`.sides`; the output formats are :mod:`.report`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import ChangelogEntry, Package
from ..spec.changelog import acknowledged, is_major_bump, version_key
from .compare import Differ, Finding
from .rules import BREAKING, COMPATIBLE, KINDS, NONE, RULES

__all__ = [
    "BREAKING",
    "COMPATIBLE",
    "KINDS",
    "NONE",
    "Change",
    "Comparison",
    "Side",
    "compare",
    "compare_files",
    "compare_packages",
    "message",
]


def message(finding: Finding, lang: str) -> str:
    """The message of a change in ``lang``, from its rule's msgid and the catalog of ``lang``."""
    from ..targets.docs.catalog import translator  # the catalogs are the docs'

    return translator(lang)(RULES[finding.kind].msgid(dict(finding.facts))).format(**dict(finding.facts))


@dataclass(frozen=True)
class Change:
    """One change between two specs, classified for the Python API and for the document format."""

    kind: str
    subject: str
    api: str  # breaking | compatible | none
    document: str  # breaking | compatible | none
    message: str
    message_es: str
    acknowledged: bool = False

    @classmethod
    def of(cls, finding: Finding) -> Change:
        return cls(finding.kind, finding.subject, finding.api, finding.document, message(finding, "en"), message(finding, "es"))

    @property
    def id(self) -> str:
        """What ``acknowledged_breaking`` lists to accept this change: ``kind:subject``."""
        return f"{self.kind}:{self.subject}"

    @property
    def api_breaking(self) -> bool:
        return self.api == BREAKING

    @property
    def doc_breaking(self) -> bool:
        return self.document == BREAKING

    @property
    def breaking(self) -> bool:
        return self.api_breaking or self.doc_breaking

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "subject": self.subject,
            "api": self.api,
            "document": self.document,
            "breaking": self.breaking,
            "acknowledged": self.acknowledged,
            "message": self.message,
            "message_es": self.message_es,
        }


@dataclass
class Side:
    """One side of a diff: where it comes from, its model and its changelog."""

    label: str
    package: Package
    changelog: list[ChangelogEntry]


@dataclass
class Comparison:
    """Two sides and the changes from the old to the new."""

    old: Side
    new: Side
    changes: list[Change]
    notes: list[str]

    def failing(self, fail_on: str = "any") -> list[Change]:
        """The breaking changes not acknowledged, for ``api``, ``document`` or ``any`` side."""
        return [
            c
            for c in self.changes
            if not c.acknowledged
            and ((fail_on in ("any", "api") and c.api_breaking) or (fail_on in ("any", "document") and c.doc_breaking))
        ]


def compare_packages(old: Package, new: Package) -> list[Change]:
    """Every change from ``old`` to ``new``, sorted by subject then kind."""
    return [Change.of(f) for f in Differ(old, new).run()]


def compare(old: Side, new: Side) -> Comparison:
    """Compare two sides; marks the breaking changes the new side's changelog acknowledges."""
    changes = compare_packages(old.package, new.package)
    old_version, new_version = old.package.version, new.package.version
    accepted = acknowledged(new.changelog, old_version, new_version)
    changes = [dataclasses.replace(c, acknowledged=c.breaking and c.id in accepted) for c in changes]
    notes: list[str] = []
    breaking_ids = {c.id for c in changes if c.breaking}
    for change_id in sorted(accepted - breaking_ids):
        notes.append(f'the changelog acknowledges "{change_id}", which is not a breaking change between these specs')
    if version_key(new_version) < version_key(old_version):
        notes.append(f"the version went down: {old_version} → {new_version}")
    elif breaking_ids and not is_major_bump(old_version, new_version):
        notes.append(
            f"breaking changes usually call for a new major version (0.x: a new minor version): {old_version} → {new_version}"
        )
    elif changes and old_version == new_version:
        notes.append(f"the version is unchanged: {new_version}")
    return Comparison(old, new, changes, notes)


def compare_files(old: Path, new: Path) -> Comparison:
    """Compare two spec files."""
    from .sides import read_file_side

    return compare(read_file_side(old), read_file_side(new))
