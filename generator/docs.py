"""Target: the bilingual (English, Spanish) reference site of a package, as Markdown pages plus an mkdocs config.

One page per class and per enum and an index, in every language of :data:`LANGUAGES`, under
``<pkg>_docs/docs/<lang>/``, and ``<pkg>_docs/mkdocs.yml`` (mkdocs, material theme, mkdocs-static-i18n
for the language switcher, search). The fixed words of the pages come from a gettext catalog per
language (``templates/docs/locale/<lang>.po``, read by :func:`parse_po`; English is the msgids
themselves) through jinja2's i18n extension; every text of the spec comes from its ``Text``.

Templates only lay out: this module turns the :class:`Package` into small view-models per language,
with every spec text already escaped for Markdown (:func:`md_inline`, :func:`md_block`) and every
type already rendered with links to its page (:func:`md_type`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property

import jinja2

from .changelog import changelog_view
from .model import ClassModel, EnumModel, FieldModel, MethodModel, Package, Param, Text
from .render import TEMPLATES, OutputFile, environment, header
from .typeexpr import TypeExpr, parse_type

#: The languages of the site, the default first; each one but English has a catalog in ``LOCALE``.
LANGUAGES: tuple[tuple[str, str], ...] = (("en", "English"), ("es", "Español"))
LOCALE = TEMPLATES / "docs" / "locale"


# -- the translation catalog ------------------------------------------------------------------


class CatalogError(ValueError):
    """A catalog file that does not parse; the message says where."""


_PO_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_PO_LINE = re.compile(r'(msgid|msgstr)?\s*"((?:[^"\\]|\\.)*)"\s*$')


def _po_string(body: str, where: str) -> str:
    out: list[str] = []
    chars = iter(body)
    for ch in chars:
        if ch != "\\":
            out.append(ch)
            continue
        nxt = next(chars, "")
        if nxt not in _PO_ESCAPES:
            raise CatalogError(f"{where}: unknown escape \\{nxt} in a string")
        out.append(_PO_ESCAPES[nxt])
    return "".join(out)


def parse_po(text: str, name: str = "<catalog>") -> dict[str, str]:
    """The translations of a gettext ``.po`` text: msgid → msgstr.

    Supports what our catalogs use: comments, ``msgid`` / ``msgstr`` with continuation strings and
    the usual escapes. The header entry (empty msgid), fuzzy entries and untranslated entries are
    left out, as gettext does. Anything else (plurals, contexts, a stray line) is a CatalogError.
    """
    entries: dict[str, str] = {}
    current: dict[str, list[str]] = {}
    key = ""
    fuzzy = False
    start = 0

    def flush() -> None:
        nonlocal current, fuzzy, key
        if current:
            where = f"{name}:{start}"
            if "msgid" not in current or "msgstr" not in current:
                raise CatalogError(f"{where}: an entry needs both msgid and msgstr")
            msgid, msgstr = "".join(current["msgid"]), "".join(current["msgstr"])
            if msgid in entries:
                raise CatalogError(f"{where}: msgid {msgid!r} is repeated")
            if msgid and msgstr and not fuzzy:
                entries[msgid] = msgstr
        current, fuzzy, key = {}, False, ""

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        where = f"{name}:{number}"
        if not line:
            flush()
            continue
        if line.startswith("#"):
            if current:
                flush()
            if line.startswith("#,") and "fuzzy" in (flag.strip() for flag in line[2:].split(",")):
                fuzzy = True
            continue
        match = _PO_LINE.match(line)
        if match is None:
            raise CatalogError(f"{where}: expected msgid \"...\", msgstr \"...\" or a continuation string")
        keyword, body = match.group(1), _po_string(match.group(2), where)
        if keyword is None:
            if not key:
                raise CatalogError(f"{where}: a continuation string outside an entry")
            current[key].append(body)
            continue
        if keyword == "msgid" and "msgid" in current:
            flush()
        if keyword in current:
            raise CatalogError(f"{where}: {keyword} repeated in one entry")
        if keyword == "msgstr" and "msgid" not in current:
            raise CatalogError(f"{where}: msgstr without a msgid")
        if not current:
            start = number
        key = keyword
        current[key] = [body]
    flush()
    return entries


@cache
def catalog(lang: str) -> dict[str, str]:
    """The translations of ``lang`` (empty for English, whose words are the msgids)."""
    if lang == "en":
        return {}
    path = LOCALE / f"{lang}.po"
    return parse_po(path.read_text(encoding="utf-8"), path.relative_to(TEMPLATES.parent).as_posix())


def translator(lang: str) -> Callable[[str], str]:
    """``gettext`` for ``lang``: a word without a translation stays as it is (English)."""
    table = catalog(lang)
    return lambda message: table.get(message, message)


def docs_environment(lang: str) -> jinja2.Environment:
    """The render environment (same settings and filters) with jinja2's i18n extension in ``lang``."""
    env = environment()
    env.add_extension("jinja2.ext.i18n")
    gettext = translator(lang)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    return env


# -- Markdown escaping --------------------------------------------------------------------------

#: Plain-text characters that could start Markdown or HTML, and what stands for each.
_PLAIN = {
    "\\": "\\\\",
    "`": "\\`",
    "*": "\\*",
    "_": "\\_",
    "[": "\\[",
    "]": "\\]",
    "{": "\\{",
    "}": "\\}",
    "<": "&lt;",
    ">": "&gt;",
    "&": "&amp;",
    "|": "&#124;",
}
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_LIST_START = re.compile(r"^(\d+)([.)])")


def _plain(text: str) -> str:
    return "".join(_PLAIN.get(ch, ch) for ch in text)


def md_code(text: str) -> str:
    """``text`` shown literally as inline code, safe anywhere inline (table cells included)."""
    text = " ".join(text.split())
    if not text:
        return ""
    if any(ch in text for ch in "`|&"):
        # inline HTML with every punctuation mark as an entity: nothing in it is Markdown any more (and
        # no "&#1" is taken for an entity, as Python-Markdown does inside a code span)
        return "<code>" + "".join(ch if ch.isalnum() or ch == " " else f"&#{ord(ch)};" for ch in text) + "</code>"
    return f"`{text}`"


def md_inline(text: str) -> str:
    """A spec text as one line of Markdown: `code spans` kept, everything else shown as written.

    Whitespace (newlines included) collapses to single spaces, so the result is safe in a table
    cell, a list item or a heading: no HTML, link, emphasis, table pipe or block start gets through.
    """
    text = " ".join(text.split())
    out: list[str] = []
    pos = 0
    for match in _CODE_SPAN.finditer(text):
        out.append(_plain(text[pos : match.start()]))
        out.append(md_code(match.group(2)) or _plain(match.group(0)))
        pos = match.end()
    out.append(_plain(text[pos:]))
    line = "".join(out)
    numbered = _LIST_START.match(line)
    if numbered:  # "1. " would start an ordered list
        line = f"{numbered.group(1)}\\{numbered.group(2)}{line[numbered.end() :]}"
    elif line[:1] in ("#", "-", "+"):
        line = "\\" + line
    elif line[:1] in ("=", "~", ":"):
        line = f"&#{ord(line[0])};{line[1:]}"
    return line


def md_block(text: str) -> str:
    """A spec text as Markdown paragraphs (blank lines separate them), each as :func:`md_inline`."""
    paragraphs = [md_inline(p) for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def fence_for(code: str) -> str:
    """A backtick fence longer than any backtick run in ``code``."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    return "`" * max(3, longest + 1)


# -- types, signatures and links ------------------------------------------------------------------


def page_names(package: Package) -> dict[str, str]:
    """The page (file stem) of every type: its name, made unique without regard to case."""
    taken = {"index"}
    pages: dict[str, str] = {}
    for name in [e.name for e in package.enums] + [c.name for c in package.classes]:
        stem, n = name, 1
        while stem.lower() in taken:
            n += 1
            stem = f"{name}-{n}"
        taken.add(stem.lower())
        pages[name] = stem
    return pages


def type_parts(expr: TypeExpr) -> list[tuple[str, str]]:
    """A type as (text, type name to link or "") parts, ``Optional[...]`` / ``Union[...]`` style."""
    if expr.name == "Union":
        nullable = expr.args[-1].name == "None"
        options = expr.args[:-1] if nullable else expr.args
        inner = type_parts(options[0]) if len(options) == 1 else _generic("Union", options)
        return [("Optional[", ""), *inner, ("]", "")] if nullable else inner
    if expr.args:
        return _generic(expr.name, expr.args)
    return [(expr.name, expr.name)]


def _generic(name: str, args: tuple[TypeExpr, ...]) -> list[tuple[str, str]]:
    parts: list[tuple[str, str]] = [(f"{name}[", "")]
    for i, arg in enumerate(args):
        if i:
            parts.append((", ", ""))
        parts.extend(type_parts(arg))
    parts.append(("]", ""))
    return parts


def md_type(expr: TypeExpr, pages: dict[str, str]) -> str:
    """A type as inline Markdown: code, with each class and enum linked to its page."""
    out: list[str] = []
    plain = ""

    def flush() -> None:
        # a code span drops its edge spaces: keep them outside ("`,` " between two links)
        out.append(" " * (len(plain) - len(plain.lstrip())) + md_code(plain) + " " * (len(plain) - len(plain.rstrip())))

    for text, name in type_parts(expr):
        if name in pages:
            if plain:
                flush()
                plain = ""
            out.append(f"[`{text}`]({pages[name]}.md)")
        else:
            plain += text
    if plain:
        flush()
    return "".join(out)


def link(name: str, pages: dict[str, str]) -> str:
    """A link to the page of a type (its name, as code)."""
    return f"[`{name}`]({pages[name]}.md)"


def shown_default(default_py: str | None, default_doc: str | None) -> str:
    """The default of a parameter as Python shows it (``[]`` for a list factory)."""
    if default_py in ("list", "dict"):
        return default_doc or ("[]" if default_py == "list" else "{}")
    return default_py or ""


def _parameter(name: str, py_type: str, default: str | None, variadic: bool = False) -> str:
    if variadic:
        return f"**{name}: {py_type}"
    return f"{name}: {py_type}" + (f" = {default}" if default else "")


#: Longest signature shown on one line; a longer one gets a parameter a line, as black lays out a ``def``.
SIGNATURE_WIDTH = 88


def layout_signature(name: str, params: list[str], returns: str = "") -> str:
    """``name(a, b) -> R`` on one line when it fits, else one parameter a line (trailing commas)."""
    one_line = f"{name}({', '.join(params)}){returns}"
    if len(one_line) <= SIGNATURE_WIDTH or not params:
        return one_line
    return f"{name}(\n" + "".join(f"    {p},\n" for p in params) + f"){returns}"


def constructor_signature(cls: ClassModel) -> str:
    """The constructor as Python declares it, laid out."""
    params = [_parameter(f.name, f.py_type, shown_default(f.default_py, f.default_doc)) for f in cls.init_fields]
    return layout_signature(cls.name, ["*", *params] if params else [])


def method_signature(method: MethodModel) -> str:
    """A method's signature as Python declares it, without ``self``, laid out."""
    params = [_parameter(p.name, p.py_type, p.default_py, p.variadic) for p in method.params]
    return layout_signature(method.name, params, f" -> {method.returns_py}")


def all_signatures(package: Package) -> dict[str, str]:
    """The laid-out signature of every constructor (by class name) and method (``Class.method``)."""
    out: dict[str, str] = {}
    for cls in package.classes:
        out[cls.name] = constructor_signature(cls)
        for method in cls.methods:
            out[f"{cls.name}.{method.name}"] = method_signature(method)
    return out


def enums_of(expr: TypeExpr, enums: dict[str, EnumModel]) -> list[EnumModel]:
    """The enums a type mentions, in order of appearance."""
    found: list[EnumModel] = []
    stack = [expr]
    while stack:
        node = stack.pop(0)
        if node.name in enums and enums[node.name] not in found:
            found.append(enums[node.name])
        stack.extend(node.args)
    return found


# -- view-models -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """A row of a parameter table: every cell already Markdown."""

    name: str
    type: str
    default: str
    required: bool
    description: str


@dataclass(frozen=True)
class Value:
    """A member of an enum, as a list item or a table row."""

    name: str
    value: str
    description: str


@dataclass(frozen=True)
class AttributeView:
    name: str
    readonly: bool
    description: str
    fixed: str
    inherited_from: str
    values_of: list[str]
    values: list[Value]
    returns: str
    return_type: str


@dataclass(frozen=True)
class RaiseView:
    type: str
    description: str


@dataclass(frozen=True)
class MethodView:
    name: str
    description: str
    signature: str
    params: list[Row]
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
class SubclassView:
    link: str
    selector: str


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
    params: list[Row]
    examples: list[ExampleView]
    methods: list[MethodView]
    attributes: list[AttributeView]


@dataclass
class EnumPage:
    name: str
    description: str
    open: bool
    members: list[Value]
    used_by: list[str]


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
    classes: list[tuple[str, str]] = field(default_factory=list)
    enums: list[tuple[str, str]] = field(default_factory=list)


def yaml_str(text: str) -> str:
    """A YAML double-quoted scalar (a JSON string, on one line). Characters YAML will not read
    raw (C1 controls, DEL, the non-characters U+FFFE/U+FFFF) and its line breaks NEL, LS and PS
    are written as ``\\u`` escapes."""
    return _YAML_RAW_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(" ".join(text.split()), ensure_ascii=False))


_YAML_RAW_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


class Views:
    """Builds the view-models of one package in one language."""

    def __init__(self, package: Package, lang: str, signatures: dict[str, str]) -> None:
        self.package = package
        self.signatures = signatures
        self.lang = lang
        self.pages = page_names(package)
        self.enums = {e.name: e for e in package.enums}

    def text(self, text: Text) -> str:
        return md_inline(text[self.lang])

    def block(self, text: Text) -> str:
        return md_block(text[self.lang])

    def type(self, expr: TypeExpr) -> str:
        return md_type(expr, self.pages)

    def field_row(self, f: FieldModel) -> Row:
        default = shown_default(f.default_py, f.default_doc)
        return Row(md_code(f.name), self.type(f.type), md_code(default), f.required, self.text(f.description))

    def param_row(self, p: Param) -> Row:
        name = md_code(f"**{p.name}" if p.variadic else p.name)
        required = p.default_py is None and not p.variadic
        return Row(name, self.type(parse_type(p.type_text)), md_code(p.default_py or ""), required, self.text(p.description))

    def values(self, enum: EnumModel) -> list[Value]:
        return [Value(md_code(m.name), md_code(m.value), self.text(m.description)) for m in enum.members]

    def attribute(self, cls: ClassModel, f: FieldModel) -> AttributeView:
        enums = enums_of(f.type, self.enums)
        return AttributeView(
            name=f.name,
            readonly=not f.init,
            description=self.block(f.description),
            fixed=md_code(repr(f.fixed)) if f.fixed is not None else "",
            inherited_from=link(f.owner, self.pages) if f.owner != cls.name else "",
            values_of=[link(e.name, self.pages) for e in enums],
            values=[v for e in enums for v in self.values(e)],
            returns=self.block(f.returns) if f.returns is not None else "",
            return_type=self.type(f.type),
        )

    def method(self, method: MethodModel, owner: ClassModel, cls: ClassModel) -> MethodView:
        return MethodView(
            name=method.name,
            description=self.block(method.description),
            signature=self.signatures[f"{owner.name}.{method.name}"],
            params=[self.param_row(p) for p in method.params],
            returns=self.block(method.returns_description) if method.returns_description else "",
            return_type=self.type(parse_type(method.returns_text)),
            raises=[RaiseView(md_code(r.type), self.text(r.description)) for r in method.raises],
            inherited_from=link(owner.name, self.pages) if owner is not cls else "",
        )

    def selector(self, cls: ClassModel) -> str:
        """``type: command``: how a document picks ``cls`` in its family ("" outside one)."""
        root = cls.family_root
        if root is None or cls.discriminator_value is None:
            return ""
        key = next(f.key for f in root.fields if f.name == root.discriminator)
        return md_code(f"{key}: {cls.discriminator_value}")

    def class_page(self, cls: ClassModel) -> ClassPage:
        owners: dict[str, ClassModel] = {}
        for klass in cls.mro:
            for m in klass.methods:
                owners.setdefault(m.name, klass)
        methods = sorted(cls.all_methods, key=lambda m: m.name)
        attributes = sorted((f for f in cls.fields if not f.init or f.returns is not None), key=lambda f: f.name)
        return ClassPage(
            name=cls.name,
            description=self.block(cls.description),
            abstract=cls.abstract,
            bases=[link(b.name, self.pages) for b in cls.bases],
            chain=[md_code(cls.name)] + [link(b.name, self.pages) for b in cls.mro[1:]],
            subclasses=[SubclassView(link(s.name, self.pages), self.selector(s)) for s in cls.descendants()],
            selector=self.selector(cls),
            signature=self.signatures[cls.name],
            params=[self.field_row(f) for f in cls.init_fields],
            examples=[ExampleView(self.text(e.title), fence_for(e.code), e.code.rstrip("\n")) for e in cls.examples],
            methods=[self.method(m, owners[m.name], cls) for m in methods],
            attributes=[self.attribute(cls, f) for f in attributes],
        )

    def enum_page(self, enum: EnumModel) -> EnumPage:
        used_by = self.enum_users.get(enum.name, [])
        return EnumPage(enum.name, self.block(enum.description), enum.open, self.values(enum), used_by)

    @cached_property
    def enum_users(self) -> dict[str, list[str]]:
        """For each enum, the fields that use it (``Class: field``), in spec order: one pass for all pages."""
        users: dict[str, list[str]] = {}
        for cls in self.package.classes:
            for f in cls.own_fields:
                for enum in enums_of(f.type, self.enums):
                    users.setdefault(enum.name, []).append(f"{link(cls.name, self.pages)}: {md_code(f.name)}")
        return users

    def index_page(self) -> IndexPage:
        p = self.package
        return IndexPage(
            title=self.text(p.title),
            description=self.block(p.description),
            version=md_code(p.version),
            document=self.block(p.document_description) if p.document_description else "",
            root=link(p.root.name, self.pages),
            load_function=md_code(f"{p.load_function}(source)"),
            classes=[Entry(link(c.name, self.pages), self.text(c.description)) for c in p.classes],
            enums=[Entry(link(e.name, self.pages), self.text(e.description)) for e in p.enums],
        )

    def changelog_page(self) -> list[ChangelogVersion]:
        return [
            ChangelogVersion(v.version, [md_inline(t) for t in v.changes], [md_code(i) for i in v.acknowledged_breaking])
            for v in changelog_view(self.package.changelog, self.lang)
        ]


#: Navigation sections of the site, translated through the catalog like the pages.
NAV_SECTIONS = ("Home", "Classes", "Enums", "Changelog")


def site_config(package: Package) -> SiteConfig:
    """What ``mkdocs.yml`` says: site names, languages with their nav translations, the nav."""
    pages = page_names(package)
    languages = []
    for i, (locale, name) in enumerate(LANGUAGES):
        gettext = translator(locale)
        translations = [(yaml_str(s), yaml_str(gettext(s))) for s in NAV_SECTIONS if gettext(s) != s]
        languages.append(LanguageConfig(locale, yaml_str(name), i == 0, yaml_str(package.title[locale]), translations))
    return SiteConfig(
        site_name=yaml_str(package.title.en),
        site_description=yaml_str(package.description.en),
        languages=languages,
        classes=[(yaml_str(c.name), f"{pages[c.name]}.md") for c in package.classes],
        enums=[(yaml_str(e.name), f"{pages[e.name]}.md") for e in package.enums],
    )


# -- the target -----------------------------------------------------------------------------------------


def render_docs(package: Package, env: jinja2.Environment) -> list[OutputFile]:
    """Every file of the docs site of ``package``, under ``<pkg>_docs/`` (``env`` is not used: the
    pages need the i18n extension, so each language gets its own environment of the same settings)."""
    del env
    top = f"{package.name}_docs"
    md_header = header("<!--", package.spec_file)
    pages = page_names(package)
    signatures = all_signatures(package)
    files: list[OutputFile] = []
    for lang, _name in LANGUAGES:
        lenv = docs_environment(lang)
        views = Views(package, lang, signatures)
        base = f"{top}/docs/{lang}"

        def page(template: str, path: str, **context: object) -> None:
            text = lenv.get_template(f"docs/{template}").render(header=md_header, lang=lang, **context)  # noqa: B023
            files.append(OutputFile(f"{base}/{path}", text, False))  # noqa: B023

        page("index.md.j2", "index.md", index=views.index_page())
        page("changelog.md.j2", "changelog.md", versions=views.changelog_page())
        for enum in package.enums:
            page("enum.md.j2", f"{pages[enum.name]}.md", enum=views.enum_page(enum))
        for cls in package.classes:
            page("class.md.j2", f"{pages[cls.name]}.md", cls=views.class_page(cls))
    env_en = docs_environment("en")
    site = env_en.get_template("docs/mkdocs.yml.j2").render(header=header("#", package.spec_file), site=site_config(package))
    css = env_en.get_template("docs/docs.css.j2").render(header=header(" *", package.spec_file))
    files.append(OutputFile(f"{top}/mkdocs.yml", site, False))
    files.append(OutputFile(f"{top}/docs/stylesheets/docs.css", css, False))
    return files


__all__ = [
    "LANGUAGES",
    "CatalogError",
    "catalog",
    "docs_environment",
    "md_block",
    "md_code",
    "md_inline",
    "md_type",
    "page_names",
    "parse_po",
    "render_docs",
]
