"""What the resolve steps share: the spec being resolved, the problems found, and the model so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import Position, SpecProblem
from ..model import ClassModel, Codec, Deprecation, EnumModel, Package, Text
from ..spec.loader import Document, Path
from .naming import IdlNames, NameRules, first


@dataclass
class Resolution:
    """The state one resolution builds up, step by step (see ``resolve.STEPS``)."""

    doc: Document
    #: The targets' rules for names, then the IDL's.
    rules: list[NameRules] = field(default_factory=list)
    problems: list[SpecProblem] = field(default_factory=list)
    #: The languages of the spec's texts (``package.languages``; the texts step reads them).
    languages: tuple[str, ...] = ("en",)
    enums: dict[str, EnumModel] = field(default_factory=dict)
    classes: dict[str, ClassModel] = field(default_factory=dict)
    #: The classes with every base before the classes that use it (spec order otherwise).
    order: list[ClassModel] = field(default_factory=list)
    #: Codecs by the type (and prefix) they read.
    codecs: dict[str, Codec] = field(default_factory=dict)
    #: The first codec made for each (name, kind): two spellings of one type share it.
    codec_by_name: dict[tuple[str, str], Codec] = field(default_factory=dict)
    #: Codec names taken, with what took each.
    names: dict[str, str] = field(default_factory=dict)
    package: Package | None = None

    @property
    def spec(self) -> dict[str, Any]:
        data: dict[str, Any] = self.doc.data
        return data

    def raw_class(self, name: str) -> dict[str, Any]:
        raw: dict[str, Any] = self.spec.get("classes", {})[name]
        return raw

    def fail(self, path: Path, message: str, *, key: bool = False) -> None:
        """Record a problem at the value (or the key) at ``path``."""
        self.problems.append(SpecProblem(self.doc.where(path, key=key), message))

    def check_name(self, path: Path, message: str | None, *, key: bool = True) -> None:
        """Record a naming rule's objection (``message``; None when there is none) at ``path``."""
        if message is not None:
            self.fail(path, message, key=key)

    def type_name(self, name: str, what: str, path: Path) -> None:
        self.check_name(path, first([r.type_name(name, what) for r in self.all_rules]))

    def member_name(self, name: str, what: str, path: Path, *, key: bool = True) -> None:
        self.check_name(path, first([r.member_name(name, what) for r in self.all_rules]), key=key)

    @property
    def all_rules(self) -> list[NameRules]:
        return [*self.rules, IdlNames()]

    def at(self, path: Path, *, key: bool = False) -> Position:
        return self.doc.where(path, key=key)

    def text(self, raw: dict[str, str]) -> Text:
        """A text of the spec in its languages (the texts step has reported any that is missing)."""
        return Text(tuple((lang, raw.get(lang, "")) for lang in self.languages))

    def deprecation(self, raw: Any) -> Deprecation | None:
        """``deprecated`` of a class, a field or an enum member: true, or a text (None when absent)."""
        if raw is None:
            return None
        return Deprecation(self.text(raw) if isinstance(raw, dict) else None)

    def claim(self, stem: str, owner: str) -> str:
        """A codec name for ``owner``, unique: a taken stem gets ``_2``, ``_3``..."""
        candidate, n = stem, 1
        while self.names.setdefault(candidate, owner) != owner:
            n += 1
            candidate = f"{stem}_{n}"
        return candidate
