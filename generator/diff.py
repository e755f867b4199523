"""What changed between two versions of a spec, and whom it breaks.

Both sides are loaded, validated and resolved like ``generate`` does; the two resolved models are
compared (never the text): the package's names and document root, enums and their members, classes,
their MROs, fields (keyword, type, default, required-ness, read-only, YAML key, prefix), methods
(parameters, return types, exceptions), and the discriminator values of each polymorphic family.

Every change is classified twice, the way buf separates source from wire compatibility:

- for the **Python API** (code that imports the generated package): ``breaking`` when code that
  worked may stop working (a name removed or renamed, a keyword that became required, a type
  narrowed, a base removed from an MRO, a new exception), ``compatible`` when it keeps working;
- for the **document format** (YAML documents already written): ``breaking`` when a document that
  loaded may be rejected or read differently (a key removed or renamed, a key's type narrowed, an
  enum or discriminator value removed, a new required key, a changed default), ``compatible``
  otherwise;

and ``none`` for a side the change does not touch. A type is *narrowed* when it accepts fewer values
(``float`` → ``int``, ``X | None`` → ``X``), *widened* when it accepts more, *changed* when neither.
For read-only attributes and return values, which code only reads, the two directions swap. A
change of default is breaking, as buf's ``FIELD_SAME_DEFAULT``: what omitting the value means
changed. A field is told as renamed when the new spec says ``rename_of: <old name>``.

A change found in a class and in its subclasses alike is reported once, at the class it comes from.
"""

from __future__ import annotations

import builtins
import dataclasses
import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .changelog import ChangelogEntry, acknowledged, check_changelog, is_major_bump, read_changelog, version_key
from .errors import Position, SpecError, SpecProblem
from .loader import load_text
from .model import ClassModel, Codec, EnumModel, FieldModel, MethodModel, Package
from .resolve import resolve
from .typeexpr import TypeExpr, TypeSyntaxError, parse_type
from .validate import validate

BREAKING, COMPATIBLE, NONE = "breaking", "compatible", "none"

#: Every kind of change, with what it is (each has a spec pair in tests/spec_pairs).
KINDS: dict[str, str] = {
    "package-renamed": "the import name of the package changed",
    "load-function-renamed": "the package-level function that loads a document was renamed",
    "document-root-changed": "a document loads as another class",
    "class-added": "a class was added",
    "class-removed": "a class was removed",
    "class-became-abstract": "a class can no longer be instantiated",
    "class-became-concrete": "an abstract class can now be instantiated",
    "base-added": "a class gained a class in its MRO",
    "base-removed": "a class lost a class from its MRO",
    "bases-reordered": "a class lists the same bases in another order",
    "field-added": "an optional field (or a read-only attribute) was added",
    "required-field-added": "a field without a default was added: a required keyword and document key",
    "field-removed": "a field was removed",
    "field-renamed": "a field was renamed (rename_of)",
    "key-renamed": "a field's YAML key changed",
    "field-became-required": "a field lost its default",
    "field-became-optional": "a field gained a default",
    "field-became-readonly": "a constructor keyword became a read-only attribute",
    "field-became-writable": "a read-only attribute became a constructor keyword",
    "field-type-narrowed": "a field accepts fewer values",
    "field-type-widened": "a field accepts more values",
    "field-type-changed": "a field's type changed to one neither wider nor narrower",
    "default-changed": "a field's default changed",
    "prefix-changed": "the prefix a field's document strings carry changed",
    "enum-added": "an enum was added",
    "enum-removed": "an enum was removed",
    "enum-member-added": "an enum gained a member",
    "enum-member-removed": "an enum lost a member",
    "enum-member-renamed": "an enum member's Python name changed (same value)",
    "enum-value-changed": "an enum member's document value changed",
    "enum-closed": "an open enum no longer loads unlisted values",
    "enum-opened": "an enum now loads unlisted values",
    "discriminator-value-added": "a polymorphic family gained a discriminator value",
    "discriminator-value-removed": "a polymorphic family lost a discriminator value",
    "discriminator-value-changed": "a class of a family is selected by another discriminator value",
    "discriminator-default-changed": "a document without the discriminator key loads as another class",
    "method-added": "a method was added",
    "method-removed": "a method was removed",
    "parameter-added": "a method gained a parameter",
    "parameter-removed": "a method lost a parameter",
    "parameter-became-required": "a method parameter lost its default",
    "parameter-became-optional": "a method parameter gained a default",
    "parameter-type-narrowed": "a method parameter accepts fewer values",
    "parameter-type-widened": "a method parameter accepts more values",
    "parameter-type-changed": "a method parameter's type changed to one neither wider nor narrower",
    "parameter-default-changed": "a method parameter's default changed",
    "return-type-narrowed": "a method returns fewer kinds of values",
    "return-type-widened": "a method returns more kinds of values",
    "return-type-changed": "a method's return type changed to one neither wider nor narrower",
    "exception-added": "a method raises a new exception",
    "exception-removed": "a method no longer raises an exception",
}


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


class DiffError(Exception):
    """A side of a diff cannot be read (a git revision that does not exist, no git repository...)."""


@dataclass
class Side:
    """One side of a diff: where it comes from, its resolved model and its changelog."""

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


# -- reading the sides ------------------------------------------------------------------------


def build_side(text: str, label: str) -> Side:
    """Load, validate and resolve a spec's text (raises SpecError with ``label:line:col`` positions)."""
    doc = load_text(text, label)
    validate(doc)
    problems = check_changelog(doc)
    try:
        package = resolve(doc)
    except SpecError as exc:
        raise SpecError([*exc.problems, *problems]) from None
    if problems:
        raise SpecError(problems)
    return Side(label, package, read_changelog(doc))


def read_text(path: Path, label: str) -> str:
    """The text of a spec file (SpecError at ``label:1:1`` when it cannot be read)."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError([SpecProblem(Position(label, 1, 1), f"cannot read the spec: {exc}")]) from None


def read_file_side(path: Path, label: str | None = None) -> Side:
    """A side read from a spec file."""
    name = label or path.as_posix()
    return build_side(read_text(path, name), name)


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False)
    except OSError as exc:
        raise DiffError(f"cannot run git: {exc}") from None


def git_text(rev: str, path: Path) -> tuple[str, str] | None:
    """The text of the spec ``path`` (relative to the current folder) at git revision ``rev``, and its label.

    None when the revision exists but has no such file (a spec new since ``rev``).
    """
    folder = path.resolve().parent
    while not folder.is_dir():
        folder = folder.parent
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise DiffError(f"{path}: not in a git repository, so it has no revision {rev!r}")
    root = Path(top.stdout.decode().strip()).resolve()
    try:
        rel = path.resolve().relative_to(root).as_posix()
    except ValueError:
        raise DiffError(f"{path}: outside the git repository {root}") from None
    if _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").returncode != 0:
        raise DiffError(f'unknown git revision "{rev}" (in {root})')
    shown = _git(root, "show", f"{rev}:{rel}")
    label = f"{rev}:{rel}"
    if shown.returncode != 0:
        return None
    try:
        return shown.stdout.decode("utf-8"), label
    except UnicodeDecodeError as exc:
        raise SpecError([SpecProblem(Position(label, 1, 1), f"cannot read the spec: {exc}")]) from None


def parse_side_argument(arg: str) -> tuple[str | None, Path]:
    """``spec.yaml`` → (None, path); ``REV:spec.yaml`` (when no such file exists) → (REV, path)."""
    if Path(arg).exists() or ":" not in arg:
        return None, Path(arg)
    rev, _, path = arg.partition(":")
    return rev, Path(path)


# -- comparing ---------------------------------------------------------------------------------

_CLS = "\x00cls\x00"  # stands for the class name in a message until the change is placed


@dataclass(frozen=True)
class _Pending:
    """A change found in one class, before it is placed at the class it comes from."""

    kind: str
    member: str
    api: str
    document: str
    en: str
    es: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.kind, self.member, self.en, self.es)


def _options(expr: TypeExpr) -> tuple[TypeExpr, ...]:
    return expr.args if expr.name == "Union" else (expr,)


def _document_types(package: Package) -> set[str]:
    """Names of the classes and enums that documents can hold, from the document root down."""
    seen: set[str] = set()
    visited: set[int] = set()
    stack: list[Codec] = [package.root_codec]
    while stack:
        codec = stack.pop()
        if id(codec) in visited:
            continue
        visited.add(id(codec))
        classes: list[ClassModel] = []
        if codec.kind == "class" and isinstance(codec.target, ClassModel):
            classes.append(codec.target)
        elif codec.kind == "family":
            classes += [m for _, m in codec.members] + ([codec.fallback] if codec.fallback else [])
        elif codec.kind == "enum" and isinstance(codec.target, EnumModel):
            seen.add(codec.target.name)
        for cls in classes:
            if cls.name not in seen:
                seen.add(cls.name)
                stack += [f.codec for f in cls.fields if f.codec is not None]
        if codec.item is not None:
            stack.append(codec.item)
        stack += [b.codec for b in codec.branches]
    return seen


def _shown(default: str | None) -> str:
    return default if default is not None else "nothing"


def _exception(name: str) -> type[BaseException] | None:
    found = getattr(builtins, name, None)
    return found if isinstance(found, type) and issubclass(found, BaseException) else None


def _parse(text: str) -> TypeExpr:
    try:
        return parse_type(text)
    except TypeSyntaxError:  # resolve has checked it; never reached for a resolved model
        return TypeExpr(text)


class _Differ:
    """Compares two resolved packages; ``run`` returns the changes, sorted by subject and kind."""

    def __init__(self, old: Package, new: Package) -> None:
        self.old, self.new = old, new
        self.old_classes = {c.name: c for c in old.classes}
        self.new_classes = {c.name: c for c in new.classes}
        self.old_enums = {e.name: e for e in old.enums}
        self.new_enums = {e.name: e for e in new.enums}
        self.documented = _document_types(old) | _document_types(new)
        self.changes: list[Change] = []

    # -- helpers ---------------------------------------------------------------------------
    def add(self, kind: str, subject: str, api: str, document: str, en: str, es: str) -> None:
        assert kind in KINDS, kind
        if api == NONE and document == NONE:
            return  # nobody is affected
        self.changes.append(Change(kind, subject, api, document, en, es))

    def in_documents(self, name: str) -> bool:
        """True when documents can hold the class (or enum) ``name``, or a subclass of it, on either side."""
        if name in self.documented:
            return True
        for classes in (self.old_classes, self.new_classes):
            cls = classes.get(name)
            if cls is not None and any(d.name in self.documented for d in cls.descendants()):
                return True
        return False

    def doc(self, name: str, impact: str) -> str:
        return impact if self.in_documents(name) else NONE

    def is_subtype(self, narrow: TypeExpr, narrow_pkg: Package, wide: TypeExpr, wide_pkg: Package) -> bool:
        """True when every value of ``narrow`` (a type of ``narrow_pkg``) is a value of ``wide``."""
        return all(any(self.option_in(o, narrow_pkg, w, wide_pkg) for w in _options(wide)) for o in _options(narrow))

    def option_in(self, o: TypeExpr, o_pkg: Package, w: TypeExpr, w_pkg: Package) -> bool:
        if w.name == "Any":
            return True
        if o.name in ("list", "dict"):
            return w.name == o.name and self.is_subtype(o.args[-1], o_pkg, w.args[-1], w_pkg)
        if o.name == w.name:
            return True
        if o.name == "int" and w.name == "float":
            return True
        o_classes = self.old_classes if o_pkg is self.old else self.new_classes
        o_enums = self.old_enums if o_pkg is self.old else self.new_enums
        if o.name in o_enums:
            return w.name == "str"  # members are strings (StrEnum), in Python and in documents
        cls = o_classes.get(o.name)
        return cls is not None and any(c.name == w.name for c in cls.mro)

    def direction(self, old: TypeExpr, new: TypeExpr) -> str | None:
        """``narrowed``, ``widened``, ``changed``, or None when both accept the same values."""
        wider = self.is_subtype(old, self.old, new, self.new)
        narrower = self.is_subtype(new, self.new, old, self.old)
        if wider and narrower:
            return None
        return "widened" if wider else "narrowed" if narrower else "changed"

    # -- the steps -------------------------------------------------------------------------
    def run(self) -> list[Change]:
        self.compare_package()
        self.compare_enums()
        self.compare_classes()
        self.compare_families()
        return sorted(self.changes, key=lambda c: (c.subject, c.kind))

    def compare_package(self) -> None:
        old, new = self.old, self.new
        if old.name != new.name:
            self.add(
                "package-renamed",
                old.name,
                BREAKING,
                NONE,
                f'package renamed from "{old.name}" to "{new.name}": imports of "{old.name}" fail',
                f'paquete renombrado de "{old.name}" a "{new.name}": las importaciones de "{old.name}" fallan',
            )
        if old.load_function != new.load_function:
            self.add(
                "load-function-renamed",
                old.load_function,
                BREAKING,
                NONE,
                f'load function renamed from "{old.load_function}" to "{new.load_function}"',
                f'función de carga renombrada de "{old.load_function}" a "{new.load_function}"',
            )
        if old.root.name != new.root.name:
            old_root, new_root = TypeExpr(old.root.name), TypeExpr(new.root.name)
            way = self.direction(old_root, new_root)
            # documents: every class that loaded still loads? code: load returns a narrower type?
            before = {c.name for c in [old.root, *old.root.descendants()] if not c.abstract}
            after = {c.name for c in [new.root, *new.root.descendants()] if not c.abstract}
            document = COMPATIBLE if before <= after else BREAKING
            api = COMPATIBLE if way == "narrowed" else BREAKING
            self.add(
                "document-root-changed",
                "document",
                api,
                document,
                f'documents now load as "{new.root.name}" instead of "{old.root.name}"'
                f" ({new.load_function} returns {new.root.name})",
                f'los documentos se cargan ahora como "{new.root.name}" en lugar de "{old.root.name}"'
                f" ({new.load_function} devuelve {new.root.name})",
            )

    def compare_enums(self) -> None:
        for name in self.old_enums:
            if name not in self.new_enums:
                self.add("enum-removed", name, BREAKING, NONE, f'enum "{name}" removed', f'enum "{name}" eliminado')
        for name in self.new_enums:
            if name not in self.old_enums:
                self.add("enum-added", name, COMPATIBLE, NONE, f'enum "{name}" added', f'enum "{name}" añadido')
        for name, old in self.old_enums.items():
            new = self.new_enums.get(name)
            if new is not None:
                self.compare_enum(old, new)

    def compare_enum(self, old: EnumModel, new: EnumModel) -> None:
        name = old.name
        before = {m.name: m for m in old.members}
        after = {m.name: m for m in new.members}
        by_value = {m.value: m for m in new.members if m.name not in before}
        renamed: set[str] = set()
        for member in old.members:
            if member.name in after:
                value = after[member.name].value
                if value != member.value:
                    self.add(
                        "enum-value-changed",
                        f"{name}.{member.name}",
                        BREAKING,
                        self.doc(name, COMPATIBLE if new.open else BREAKING),
                        f'enum "{name}": member {member.name} now has the value "{value}" instead of "{member.value}"',
                        f'enum "{name}": el miembro {member.name} tiene ahora el valor "{value}" en lugar de "{member.value}"',
                    )
            elif member.value in by_value:
                to = by_value[member.value].name
                renamed.add(to)
                self.add(
                    "enum-member-renamed",
                    f"{name}.{member.name}",
                    BREAKING,
                    NONE,
                    f'enum "{name}": member {member.name} renamed to {to} (same value "{member.value}")',
                    f'enum "{name}": miembro {member.name} renombrado a {to} (mismo valor "{member.value}")',
                )
            else:
                self.add(
                    "enum-member-removed",
                    f"{name}.{member.name}",
                    BREAKING,
                    self.doc(name, COMPATIBLE if new.open else BREAKING),
                    f'enum "{name}": member {member.name} (value "{member.value}") removed'
                    + (" (the enum is open: documents with it still load)" if new.open else ""),
                    f'enum "{name}": miembro {member.name} (valor "{member.value}") eliminado'
                    + (" (el enum es abierto: los documentos que lo usan se siguen cargando)" if new.open else ""),
                )
        for member in new.members:
            if member.name not in before and member.name not in renamed:
                self.add(
                    "enum-member-added",
                    f"{name}.{member.name}",
                    COMPATIBLE,
                    self.doc(name, COMPATIBLE),
                    f'enum "{name}": member {member.name} (value "{member.value}") added',
                    f'enum "{name}": miembro {member.name} (valor "{member.value}") añadido',
                )
        if old.open and not new.open:
            self.add(
                "enum-closed",
                name,
                BREAKING,
                self.doc(name, BREAKING),
                f'enum "{name}" is no longer open: values it does not list are rejected',
                f'el enum "{name}" ya no es abierto: se rechazan los valores que no enumera',
            )
        elif new.open and not old.open:
            self.add(
                "enum-opened",
                name,
                COMPATIBLE,
                self.doc(name, COMPATIBLE),
                f'enum "{name}" is now open: values it does not list load too',
                f'el enum "{name}" es ahora abierto: también se cargan valores que no enumera',
            )

    def compare_classes(self) -> None:
        for name in self.old_classes:
            if name not in self.new_classes:
                self.add("class-removed", name, BREAKING, NONE, f'class "{name}" removed', f'clase "{name}" eliminada')
        for name in self.new_classes:
            if name not in self.old_classes:
                self.add("class-added", name, COMPATIBLE, NONE, f'class "{name}" added', f'clase "{name}" añadida')
        both = [n for n in self.old_classes if n in self.new_classes]
        found = {n: self.class_changes(self.old_classes[n], self.new_classes[n]) for n in both}
        for name in both:
            old_mro = [c.name for c in self.old_classes[name].mro[1:]]
            new_mro = {c.name for c in self.new_classes[name].mro[1:]}
            ancestors = [a for a in old_mro if a in new_mro and a in found]
            inherited = {p.key for a in ancestors for p in found[a]}
            for p in found[name]:
                if p.key not in inherited:
                    self.add(
                        p.kind, name + p.member, p.api, p.document, p.en.replace(_CLS, name), p.es.replace(_CLS, name)
                    )

    def class_changes(self, old: ClassModel, new: ClassModel) -> list[_Pending]:
        out: list[_Pending] = []
        c = _CLS
        if new.abstract and not old.abstract:
            out.append(
                _Pending(
                    "class-became-abstract",
                    "",
                    BREAKING,
                    NONE,
                    f'class "{c}" became abstract: it can no longer be instantiated',
                    f'la clase "{c}" pasó a ser abstracta: ya no se puede instanciar',
                )
            )
        elif old.abstract and not new.abstract:
            out.append(
                _Pending(
                    "class-became-concrete",
                    "",
                    COMPATIBLE,
                    NONE,
                    f'class "{c}" is no longer abstract: it can be instantiated',
                    f'la clase "{c}" ya no es abstracta: se puede instanciar',
                )
            )
        old_mro = [k.name for k in old.mro[1:]]
        new_mro = [k.name for k in new.mro[1:]]
        for base in old_mro:
            if base not in new_mro:
                out.append(
                    _Pending(
                        "base-removed",
                        f"({base})",
                        BREAKING,
                        NONE,
                        f'class "{c}" no longer inherits from "{base}": isinstance checks against it fail',
                        f'la clase "{c}" ya no hereda de "{base}": fallan las comprobaciones isinstance con ella',
                    )
                )
        for base in new_mro:
            if base not in old_mro:
                out.append(
                    _Pending(
                        "base-added",
                        f"({base})",
                        COMPATIBLE,
                        NONE,
                        f'class "{c}" now inherits from "{base}"',
                        f'la clase "{c}" hereda ahora de "{base}"',
                    )
                )
        old_bases = [b.name for b in old.bases]
        new_bases = [b.name for b in new.bases]
        if old_bases != new_bases and sorted(old_bases) == sorted(new_bases):
            mro = ", ".join(k.name for k in new.mro)
            out.append(
                _Pending(
                    "bases-reordered",
                    "",
                    COMPATIBLE,
                    NONE,
                    f'class "{c}": bases reordered from ({", ".join(old_bases)}) to ({", ".join(new_bases)}); MRO now {mro}',
                    f'clase "{c}": bases reordenadas de ({", ".join(old_bases)}) a ({", ".join(new_bases)}); MRO ahora {mro}',
                )
            )
        out += self.field_changes(old, new)
        out += self.method_changes(old, new)
        return out

    # -- fields ----------------------------------------------------------------------------
    def field_changes(self, old: ClassModel, new: ClassModel) -> list[_Pending]:
        out: list[_Pending] = []
        docs = self.in_documents(new.name) or self.in_documents(old.name)

        def doc(impact: str) -> str:
            return impact if docs else NONE

        before = {f.name: f for f in old.fields}
        after = {f.name: f for f in new.fields}
        renames = {
            f.rename_of: f
            for f in new.fields
            if f.rename_of and f.rename_of in before and f.rename_of not in after and f.name not in before
        }
        c = _CLS
        for name, f in before.items():
            if name in after or name in renames:
                continue
            what = "read-only attribute" if f.readonly else "field"
            what_es = "atributo de solo lectura" if f.readonly else "campo"
            out.append(
                _Pending(
                    "field-removed",
                    f".{name}",
                    BREAKING,
                    doc(BREAKING),
                    f'{what} "{c}.{name}" removed (document key "{f.key}")',
                    f'{what_es} "{c}.{name}" eliminado (clave de documento "{f.key}")',
                )
            )
        renamed_to = {f.name for f in renames.values()}
        for name, f in after.items():
            if name in before or name in renamed_to:
                continue
            if f.required:
                out.append(
                    _Pending(
                        "required-field-added",
                        f".{name}",
                        BREAKING,
                        doc(BREAKING),
                        f'required field "{c}.{name}" added: a required keyword, and a required document key "{f.key}"',
                        f'campo obligatorio "{c}.{name}" añadido: una palabra clave obligatoria y una clave de documento obligatoria "{f.key}"',
                    )
                )
            else:
                what = "read-only attribute" if f.readonly else "optional field"
                what_es = "atributo de solo lectura" if f.readonly else "campo opcional"
                out.append(
                    _Pending(
                        "field-added",
                        f".{name}",
                        COMPATIBLE,
                        doc(COMPATIBLE),
                        f'{what} "{c}.{name}" added (document key "{f.key}")',
                        f'{what_es} "{c}.{name}" añadido (clave de documento "{f.key}")',
                    )
                )
        pairs = [(before[n], after[n]) for n in before if n in after] + [(before[o], n) for o, n in renames.items()]
        for o, n in pairs:
            out += self.field_pair(o, n, doc)
        return out

    def field_pair(self, o: FieldModel, n: FieldModel, doc: Callable[[str], str]) -> list[_Pending]:
        out: list[_Pending] = []
        c = _CLS
        s = f"{c}.{n.name}"
        if o.name != n.name:
            key_moved = o.key != n.key
            tail = f'; document key "{o.key}" is now "{n.key}"' if key_moved else f'; the document key stays "{n.key}"'
            tail_es = (
                f'; la clave de documento "{o.key}" es ahora "{n.key}"'
                if key_moved
                else f'; la clave de documento sigue siendo "{n.key}"'
            )
            out.append(
                _Pending(
                    "field-renamed",
                    f".{n.name}",
                    BREAKING,
                    doc(BREAKING if key_moved else NONE),
                    f'field "{c}.{o.name}" renamed to "{n.name}"{tail}',
                    f'campo "{c}.{o.name}" renombrado a "{n.name}"{tail_es}',
                )
            )
        elif o.key != n.key:
            out.append(
                _Pending(
                    "key-renamed",
                    f".{n.name}",
                    NONE,
                    doc(BREAKING),
                    f'field "{s}": document key renamed from "{o.key}" to "{n.key}"',
                    f'campo "{s}": clave de documento renombrada de "{o.key}" a "{n.key}"',
                )
            )
        way = self.direction(o.type, n.type)
        if way is not None:
            reads_only = o.readonly and n.readonly
            api = {
                "narrowed": COMPATIBLE if reads_only else BREAKING,
                "widened": BREAKING if reads_only else COMPATIBLE,
            }.get(way, BREAKING)
            document = COMPATIBLE if way == "widened" else BREAKING
            es_way = {"narrowed": "restringido", "widened": "ampliado", "changed": "cambiado"}[way]
            out.append(
                _Pending(
                    f"field-type-{way}",
                    f".{n.name}",
                    api,
                    doc(document),
                    f'field "{s}": type {way} from "{o.py_type}" to "{n.py_type}"',
                    f'campo "{s}": tipo {es_way} de "{o.py_type}" a "{n.py_type}"',
                )
            )
        if o.prefix != n.prefix:
            document = COMPATIBLE if not n.prefix else BREAKING
            out.append(
                _Pending(
                    "prefix-changed",
                    f".{n.name}",
                    NONE,
                    doc(document),
                    f'field "{s}": document strings must start with "{n.prefix}" instead of "{o.prefix}"'
                    if n.prefix
                    else f'field "{s}": document strings no longer need the prefix "{o.prefix}"',
                    f'campo "{s}": las cadenas del documento deben empezar por "{n.prefix}" en lugar de "{o.prefix}"'
                    if n.prefix
                    else f'campo "{s}": las cadenas del documento ya no necesitan el prefijo "{o.prefix}"',
                )
            )
        if o.fixed is not None or n.fixed is not None:
            return out  # a discriminator field: its value is compared with the families
        if o.readonly != n.readonly:
            if n.readonly:
                out.append(
                    _Pending(
                        "field-became-readonly",
                        f".{n.name}",
                        BREAKING,
                        doc(COMPATIBLE if o.required else NONE),
                        f'field "{s}" became a read-only attribute: no longer a constructor keyword',
                        f'el campo "{s}" pasó a ser un atributo de solo lectura: ya no es una palabra clave del constructor',
                    )
                )
            else:
                out.append(
                    _Pending(
                        "field-became-writable",
                        f".{n.name}",
                        BREAKING if n.required else COMPATIBLE,
                        doc(BREAKING if n.required else NONE),
                        f'read-only attribute "{s}" became a {"required" if n.required else "optional"} constructor keyword',
                        f'el atributo de solo lectura "{s}" pasó a ser una palabra clave {"obligatoria" if n.required else "opcional"} del constructor',
                    )
                )
            return out
        if n.required and not o.required:
            out.append(
                _Pending(
                    "field-became-required",
                    f".{n.name}",
                    BREAKING,
                    doc(BREAKING),
                    f'field "{s}" became required (its default was {_shown(o.default_doc)}): a required keyword and document key "{n.key}"',
                    f'el campo "{s}" pasó a ser obligatorio (su valor por defecto era {_shown(o.default_doc)}): palabra clave y clave de documento "{n.key}" obligatorias',
                )
            )
        elif o.required and not n.required:
            out.append(
                _Pending(
                    "field-became-optional",
                    f".{n.name}",
                    COMPATIBLE,
                    doc(COMPATIBLE),
                    f'field "{s}" became optional (default {_shown(n.default_doc)})',
                    f'el campo "{s}" pasó a ser opcional (valor por defecto {_shown(n.default_doc)})',
                )
            )
        elif not n.required and o.default_doc != n.default_doc:
            out.append(
                _Pending(
                    "default-changed",
                    f".{n.name}",
                    BREAKING,
                    doc(BREAKING),
                    f'field "{s}": default changed from {_shown(o.default_doc)} to {_shown(n.default_doc)}'
                    " (code and documents that omit it get another value)",
                    f'campo "{s}": valor por defecto cambiado de {_shown(o.default_doc)} a {_shown(n.default_doc)}'
                    " (el código y los documentos que lo omiten obtienen otro valor)",
                )
            )
        return out

    # -- methods ---------------------------------------------------------------------------
    def method_changes(self, old: ClassModel, new: ClassModel) -> list[_Pending]:
        out: list[_Pending] = []
        c = _CLS
        before = {m.name: m for m in old.all_methods}
        after = {m.name: m for m in new.all_methods}
        for name in before:
            if name not in after:
                out.append(
                    _Pending(
                        "method-removed",
                        f".{name}()",
                        BREAKING,
                        NONE,
                        f'method "{c}.{name}()" removed',
                        f'método "{c}.{name}()" eliminado',
                    )
                )
        for name in after:
            if name not in before:
                out.append(
                    _Pending(
                        "method-added",
                        f".{name}()",
                        COMPATIBLE,
                        NONE,
                        f'method "{c}.{name}()" added',
                        f'método "{c}.{name}()" añadido',
                    )
                )
        for name, o in before.items():
            if name in after:
                out += self.method_pair(o, after[name])
        return out

    def method_pair(self, o: MethodModel, n: MethodModel) -> list[_Pending]:
        out: list[_Pending] = []
        m = f"{_CLS}.{n.name}"
        before = {p.name: p for p in o.params}
        after = {p.name: p for p in n.params}
        for name in before:
            if name not in after:
                out.append(
                    _Pending(
                        "parameter-removed",
                        f".{n.name}({name})",
                        BREAKING,
                        NONE,
                        f'method "{m}()": parameter "{name}" removed',
                        f'método "{m}()": parámetro "{name}" eliminado',
                    )
                )
        for name, p in after.items():
            if name not in before:
                required = p.default_py is None and not p.variadic
                how, how_es = ("required", "obligatorio") if required else ("optional", "opcional")
                out.append(
                    _Pending(
                        "parameter-added",
                        f".{n.name}({name})",
                        BREAKING if required else COMPATIBLE,
                        NONE,
                        f'method "{m}()": {how} parameter "{name}" added',
                        f'método "{m}()": parámetro {how_es} "{name}" añadido',
                    )
                )
        for name, po in before.items():
            pn = after.get(name)
            if pn is None:
                continue
            sub = f".{n.name}({name})"
            way = self.direction(_parse(po.type_text), _parse(pn.type_text))
            if way is not None:
                es_way = {"narrowed": "restringido", "widened": "ampliado", "changed": "cambiado"}[way]
                out.append(
                    _Pending(
                        f"parameter-type-{way}",
                        sub,
                        COMPATIBLE if way == "widened" else BREAKING,
                        NONE,
                        f'method "{m}()": parameter "{name}" type {way} from "{po.py_type}" to "{pn.py_type}"',
                        f'método "{m}()": tipo del parámetro "{name}" {es_way} de "{po.py_type}" a "{pn.py_type}"',
                    )
                )
            req_o = po.default_py is None and not po.variadic
            req_n = pn.default_py is None and not pn.variadic
            if req_n and not req_o:
                out.append(
                    _Pending(
                        "parameter-became-required",
                        sub,
                        BREAKING,
                        NONE,
                        f'method "{m}()": parameter "{name}" became required',
                        f'método "{m}()": el parámetro "{name}" pasó a ser obligatorio',
                    )
                )
            elif req_o and not req_n:
                out.append(
                    _Pending(
                        "parameter-became-optional",
                        sub,
                        COMPATIBLE,
                        NONE,
                        f'method "{m}()": parameter "{name}" became optional (default {pn.default_py})',
                        f'método "{m}()": el parámetro "{name}" pasó a ser opcional (valor por defecto {pn.default_py})',
                    )
                )
            elif not req_n and po.default_py != pn.default_py:
                out.append(
                    _Pending(
                        "parameter-default-changed",
                        sub,
                        BREAKING,
                        NONE,
                        f'method "{m}()": parameter "{name}" default changed from {po.default_py} to {pn.default_py}',
                        f'método "{m}()": valor por defecto del parámetro "{name}" cambiado de {po.default_py} a {pn.default_py}',
                    )
                )
        way = self.direction(_parse(o.returns_text), _parse(n.returns_text))
        if way is not None:
            es_way = {"narrowed": "restringido", "widened": "ampliado", "changed": "cambiado"}[way]
            out.append(
                _Pending(
                    f"return-type-{way}",
                    f".{n.name}()",
                    COMPATIBLE if way == "narrowed" else BREAKING,
                    NONE,
                    f'method "{m}()": return type {way} from "{o.returns_py}" to "{n.returns_py}"',
                    f'método "{m}()": tipo de retorno {es_way} de "{o.returns_py}" a "{n.returns_py}"',
                )
            )
        raised_before = [r.type for r in o.raises]
        raised_after = [r.type for r in n.raises]
        for name in raised_after:
            if name in raised_before:
                continue
            exc = _exception(name)
            covered = [
                b
                for b in raised_before
                if exc is not None and (base := _exception(b)) is not None and issubclass(exc, base)
            ]
            note = f' (a kind of "{covered[0]}", which it already raised)' if covered else ""
            note_es = f' (un tipo de "{covered[0]}", que ya generaba)' if covered else ""
            out.append(
                _Pending(
                    "exception-added",
                    f".{n.name}[{name}]",
                    COMPATIBLE if covered else BREAKING,
                    NONE,
                    f'method "{m}()" now raises {name}{note}',
                    f'el método "{m}()" genera ahora {name}{note_es}',
                )
            )
        for name in raised_before:
            if name not in raised_after:
                out.append(
                    _Pending(
                        "exception-removed",
                        f".{n.name}[{name}]",
                        COMPATIBLE,
                        NONE,
                        f'method "{m}()" no longer raises {name}',
                        f'el método "{m}()" ya no genera {name}',
                    )
                )
        return out

    # -- polymorphic families --------------------------------------------------------------
    @staticmethod
    def families(package: Package) -> dict[str, dict[str, str]]:
        """Each family root's discriminator values, with the class each selects."""
        out: dict[str, dict[str, str]] = {}
        for cls in package.classes:
            root = cls.family_root
            if root is not None and root is cls:
                out.setdefault(cls.name, {})
            if root is not None and not cls.abstract and cls.discriminator_value is not None:
                out.setdefault(root.name, {})[cls.discriminator_value] = cls.name
        return out

    @staticmethod
    def keyless(root: ClassModel, values: dict[str, str]) -> str | None:
        """The class a document of the family without the discriminator key loads as (None: rejected)."""
        if root.discriminator_default is not None:
            return values.get(root.discriminator_default)
        if not root.abstract and root.discriminator_value is None:
            return root.name
        return None

    def compare_families(self) -> None:
        old_families, new_families = self.families(self.old), self.families(self.new)
        for root, before in old_families.items():
            after = new_families.get(root)
            if after is None or not self.in_documents(root):
                continue
            key = next(f.key for f in self.new_classes[root].fields if f.name == self.new_classes[root].discriminator)
            by_class = {cls: value for value, cls in after.items()}
            moved: set[str] = set()
            for value, cls in before.items():
                if value in after:
                    continue
                to = by_class.get(cls)
                if to is not None and to not in before:
                    moved.add(to)
                    self.add(
                        "discriminator-value-changed",
                        f"{root}[{value}]",
                        NONE,
                        BREAKING,
                        f'class "{cls}" is now selected by {key}: "{to}" instead of "{value}"',
                        f'la clase "{cls}" se elige ahora con {key}: "{to}" en lugar de "{value}"',
                    )
                else:
                    self.add(
                        "discriminator-value-removed",
                        f"{root}[{value}]",
                        NONE,
                        BREAKING,
                        f'family "{root}": documents with {key}: "{value}" (class "{cls}") no longer load',
                        f'familia "{root}": los documentos con {key}: "{value}" (clase "{cls}") ya no se cargan',
                    )
            for value, cls in after.items():
                if value not in before and value not in moved:
                    self.add(
                        "discriminator-value-added",
                        f"{root}[{value}]",
                        NONE,
                        COMPATIBLE,
                        f'family "{root}": documents with {key}: "{value}" load as "{cls}"',
                        f'familia "{root}": los documentos con {key}: "{value}" se cargan como "{cls}"',
                    )
            was = self.keyless(self.old_classes[root], before)
            now = self.keyless(self.new_classes[root], after)
            if was != now:
                document = COMPATIBLE if was is None else BREAKING
                was_text = f'loaded as "{was}"' if was else "were rejected"
                was_es = f'se cargaban como "{was}"' if was else "se rechazaban"
                now_text = f'load as "{now}"' if now else "are rejected"
                now_es = f'se cargan como "{now}"' if now else "se rechazan"
                self.add(
                    "discriminator-default-changed",
                    root,
                    NONE,
                    document,
                    f'family "{root}": documents without "{key}" {now_text} (they {was_text})',
                    f'familia "{root}": los documentos sin "{key}" {now_es} (antes {was_es})',
                )


def compare_packages(old: Package, new: Package) -> list[Change]:
    """Every change from ``old`` to ``new``, sorted by subject then kind."""
    return _Differ(old, new).run()


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
    return compare(read_file_side(old), read_file_side(new))


# -- output ------------------------------------------------------------------------------------

FORMATS = ("text", "markdown", "json", "changelog-entry")


def _title(comparison: Comparison) -> str:
    old, new = comparison.old.package, comparison.new.package
    names = old.name if old.name == new.name else f"{old.name} → {new.name}"
    return f"{names} {old.version} → {new.version}"


def _summary(comparison: Comparison) -> str:
    changes = comparison.changes
    if not changes:
        return "no changes to the Python API or the document format"
    breaking = [c for c in changes if c.breaking]
    api = sum(c.api_breaking for c in changes)
    doc = sum(c.doc_breaking for c in changes)
    acked = sum(c.acknowledged for c in changes)
    plural = "s" if len(changes) != 1 else ""
    text = f"{len(changes)} change{plural}, {len(breaking)} breaking ({api} for the Python API, {doc} for documents)"
    return text + (f", {acked} acknowledged" if acked else "")


def _order(changes: list[Change]) -> list[Change]:
    return sorted(changes, key=lambda c: (not c.breaking, c.acknowledged, c.subject, c.kind))


def render_text(comparisons: list[Comparison]) -> str:
    """For a terminal: one line per change, breaking first."""
    blocks: list[str] = []
    for comp in comparisons:
        lines = [f"{_title(comp)}  ({comp.old.label} → {comp.new.label})"]
        if comp.changes:
            lines.append(f"  {'Python API':<11} {'Document':<11} Change")
        for c in _order(comp.changes):
            mark = "  (acknowledged)" if c.acknowledged else ""
            lines.append(f"  {c.api:<11} {c.document:<11} {c.message}  [{c.id}]{mark}")
        lines += [f"note: {n}" for n in comp.notes]
        lines.append(_summary(comp))
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_").replace("<", "&lt;")


def render_markdown(comparisons: list[Comparison]) -> str:
    """For a changelog or a pull request: a table per spec, breaking changes first."""
    blocks: list[str] = []
    for comp in comparisons:
        lines = [f"## {_md(_title(comp))}", "", f"`{comp.old.label}` → `{comp.new.label}`: {_summary(comp)}.", ""]
        if comp.changes:
            lines += ["| Change | Python API | Document | Id |", "| --- | --- | --- | --- |"]
            for c in _order(comp.changes):
                cells = [f"**{w}**" if w == BREAKING else w for w in (c.api, c.document)]
                ack = " (acknowledged)" if c.acknowledged else ""
                lines.append(f"| {_md(c.message)} | {cells[0]} | {cells[1]} | `{c.id}`{ack} |")
            lines.append("")
        lines += [f"> Note: {_md(n)}" for n in comp.notes]
        blocks.append("\n".join(lines).rstrip("\n") + "\n")
    return "\n".join(blocks)


def render_json(comparisons: list[Comparison], fail_on: str = "any") -> str:
    """For tools: every comparison with its changes, and whether an unacknowledged breaking change was found."""
    data = {
        "breaking": any(comp.failing(fail_on) for comp in comparisons),
        "comparisons": [
            {
                "old": {"spec": comp.old.label, "package": comp.old.package.name, "version": comp.old.package.version},
                "new": {"spec": comp.new.label, "package": comp.new.package.name, "version": comp.new.package.version},
                "changes": [c.as_json() for c in comp.changes],
                "notes": comp.notes,
            }
            for comp in comparisons
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_changelog_entry(comparisons: list[Comparison]) -> str:
    """A draft ``package.changelog`` entry per spec (YAML), to edit and paste into the new spec."""
    blocks: list[str] = []
    for comp in comparisons:
        entry: dict[str, Any] = {
            "version": comp.new.package.version,
            "changes": [
                {
                    "en": c.message[:1].upper() + c.message[1:] + ".",
                    "es": c.message_es[:1].upper() + c.message_es[1:] + ".",
                }
                for c in _order(comp.changes)
            ],
        }
        ids = [c.id for c in _order(comp.changes) if c.breaking]
        if ids:
            entry["acknowledged_breaking"] = ids
        text = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=120)
        blocks.append(f"# package.changelog entry for {comp.new.label}\n{text}")
    return "\n".join(blocks)


def render(comparisons: list[Comparison], fmt: str, fail_on: str = "any") -> str:
    """The comparisons in one of :data:`FORMATS`."""
    if fmt == "markdown":
        return render_markdown(comparisons)
    if fmt == "json":
        return render_json(comparisons, fail_on)
    if fmt == "changelog-entry":
        return render_changelog_entry(comparisons)
    return render_text(comparisons)
