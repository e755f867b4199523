"""What the docs templates lay out: the view-models of the pages (a class's, an enum's, the index,
the changelog), every part already Markdown, and the config of the site (``mkdocs.yml``), every
text already a YAML string (:func:`yaml_str`). :class:`~.views.Views` builds them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Fact:
    """A constraint of a field as its docs show it: its keyword (the template words it) and its value
    as Markdown."""

    keyword: str
    value: str


@dataclass(frozen=True)
class Deprecated:
    """A deprecated class, field or member: ``note`` (Markdown) says what to use instead ('' for none)."""

    note: str


@dataclass(frozen=True)
class Item:
    """A parameter as a stacked entry: name and type, then default (or required), document key,
    constraints, whether it is deprecated, and description; every part already Markdown.
    ``renamed``: the document key is not the name (the page puts it first). ``written_by``: the
    method that writes the field's default all the same (``dump_default: always``; ``""`` for the
    others)."""

    name: str
    type: str
    default: str
    required: bool
    key: str
    description: str
    #: The other scalar types a document may write for a string, read as text (``int``, ``bool``).
    accepts: str = ""
    constraints: tuple[Fact, ...] = ()
    deprecated: Deprecated | None = None
    renamed: bool = False
    written_by: str = ""


@dataclass(frozen=True)
class Value:
    """A member of an enum, as a list item or a table row, with the other spellings a document may use."""

    name: str
    value: str
    description: str
    aliases: str = ""
    deprecated: Deprecated | None = None


@dataclass(frozen=True)
class AttributeView:
    name: str
    key: str
    renamed: bool
    readonly: bool
    description: str
    fixed: str
    inherited_from: str
    values_of: list[str]
    values: list[Value]
    returns: str
    return_type: str
    constraints: tuple[Fact, ...] = ()
    deprecated: Deprecated | None = None


@dataclass(frozen=True)
class RaiseView:
    type: str
    description: str


@dataclass(frozen=True)
class MethodView:
    name: str
    anchor: str
    summary: str
    description: str
    signature: str
    params: list[Item]
    returns: str
    return_type: str
    raises: list[RaiseView]
    inherited_from: str


@dataclass(frozen=True)
class ExampleView:
    title: str
    fence: str
    code: str


@dataclass(frozen=True)
class DocumentView:
    """A class's document form: a YAML example, the function that loads it, and the class it
    shows when that is a subclass (a family root's example is one of its members')."""

    fence: str
    code: str
    loader: str
    shown: str


@dataclass(frozen=True)
class KeysView:
    """What a document's keys are for a class: the key style of the fields it declares (``""``
    when snake_case, the names themselves), and what loading does with a key no field models
    (``unknown_keys``; ``""`` for an abstract class, whose documents are its subclasses')."""

    style: str
    #: A field of the class whose key the style made, and that key (``""`` when none differs).
    example_name: str
    example_key: str
    unknown: str
    #: The attribute that reads the keys a ``keep`` class kept, and the method that writes them back.
    kept_in: str
    written_by: str
    #: It writes a loaded mapping's keys in its document's order, keeping no unknown key (``key_order``).
    document_order: bool = False


@dataclass(frozen=True)
class SubclassView:
    link: str
    selector: str


@dataclass(frozen=True)
class ExclusiveView:
    """Document keys of a class that exclude each other: at most one given, or exactly one."""

    keys: str
    required: bool


@dataclass
class ClassPage:
    name: str
    description: str
    abstract: bool
    bases: list[str]
    chain: list[str]
    subclasses: list[SubclassView]
    selector: str
    signature: str
    params: list[Item]
    examples: list[ExampleView]
    document: DocumentView | None
    keys: KeysView
    methods: list[MethodView]
    attributes: list[AttributeView]
    exclusive: list[ExclusiveView] = field(default_factory=list)
    #: The other spellings of its discriminator value, and whether its family ignores case.
    selector_aliases: str = ""
    selector_any_case: bool = False
    deprecated: Deprecated | None = None
    #: A concrete family root's discriminator key (documents of no subclass's value load as it), and
    #: whether a document without the key does too (the family has no default).
    fallback: str = ""
    fallback_keyless: bool = False


@dataclass
class EnumPage:
    name: str
    code_name: str
    description: str
    open: bool
    members: list[Value]
    used_by: list[str]
    #: Its values (and aliases) are matched whatever the case of their ASCII letters.
    any_case: bool = False


@dataclass(frozen=True)
class Entry:
    """A line of the index: a linked type and its description."""

    link: str
    description: str


@dataclass
class IndexPage:
    title: str
    description: str
    version: str
    document: str
    root: str
    load_function: str
    classes: list[Entry]
    enums: list[Entry]
    #: The other forms of a document the load function reads (``package.document.reads``), each described.
    reads: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ChangelogVersion:
    """One version of the changelog page: its changes as inline Markdown, acknowledged ids as code."""

    version: str
    changes: list[str]
    acknowledged_breaking: list[str]


@dataclass(frozen=True)
class LanguageConfig:
    locale: str
    name: str
    default: bool
    site_name: str
    nav_translations: list[tuple[str, str]]


@dataclass
class SiteConfig:
    site_name: str
    site_description: str
    languages: list[LanguageConfig]
    hook: str
    classes: list[tuple[str, str]] = field(default_factory=list)
    enums: list[tuple[str, str]] = field(default_factory=list)


def yaml_str(text: str) -> str:
    """A YAML double-quoted scalar (a JSON string, on one line). Characters YAML will not read
    raw (C1 controls, DEL, the non-characters U+FFFE/U+FFFF) and its line breaks NEL, LS and PS
    are written as ``\\u`` escapes."""
    return _YAML_RAW_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(" ".join(text.split()), ensure_ascii=False))


_YAML_RAW_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")
