"""The view-models of the docs pages: every spec text already Markdown, every type already linked.

:class:`Views` builds them (the classes of :mod:`.pages`, which this module re-exports) for one
package in one language; the templates of ``templates/docs/`` only lay them out.
"""

from __future__ import annotations

from functools import cached_property

from ...model import ClassModel, Constraints, Deprecation, EnumModel, FieldModel, MethodModel, Package, Param, Text
from ...spec.names import document_key
from ...spec.typeexpr import TypeExpr
from ..python.plan import shown_default
from .examples import document_example, example_class, example_yaml
from .markdown import enums_of, fence_for, link, md_block, md_code, md_inline, md_type, page_names, summary
from .pages import (
    AttributeView,
    ChangelogVersion,
    ClassPage,
    Deprecated,
    DocumentView,
    Entry,
    EnumPage,
    ExampleView,
    ExclusiveView,
    Fact,
    IndexPage,
    Item,
    KeysView,
    LanguageConfig,
    MethodView,
    RaiseView,
    SiteConfig,
    SubclassView,
    Value,
    yaml_str,
)
from .signatures import parameter_default

__all__ = [
    "WRITER", "AttributeView", "ChangelogVersion", "ClassPage", "Deprecated", "DocumentView", "Entry", "EnumPage",
    "ExampleView", "ExclusiveView", "Fact", "IndexPage", "Item", "KeysView", "LanguageConfig", "MethodView",
    "RaiseView", "SiteConfig", "SubclassView", "Value", "Views", "yaml_str",
]  # fmt: skip

#: The method of the Python package that writes an object's document form.
WRITER = "to_dict()"


class Views:
    """Builds the view-models of one package in one language."""

    def __init__(
        self, package: Package, lang: str, signatures: dict[str, str], examples: dict[str, str] | None = None
    ) -> None:
        self.package = package
        self.signatures = signatures
        #: The YAML example of each class by name, the same in every language: made once for all of them.
        self.examples = {} if examples is None else examples
        self.lang = lang
        self.pages = page_names(package)
        self.enums = {e.name: e for e in package.enums}

    def text(self, text: Text) -> str:
        return md_inline(text[self.lang])

    def block(self, text: Text) -> str:
        return md_block(text[self.lang])

    def type(self, expr: TypeExpr) -> str:
        return md_type(expr, self.pages)

    def field_item(self, f: FieldModel) -> Item:
        default = md_code(shown_default(f.default))
        return Item(
            md_code(f.name), self.type(f.type), default, f.required, md_code(f.key), self.block(f.description),
            accepts=", ".join(md_code(t) for t in f.accepts), constraints=self.facts(f.constraints),
            deprecated=self.deprecation(f.deprecated), renamed=f.key != f.name,
            written_by=md_code(WRITER) if f.dump_always else "",
        )  # fmt: skip

    @staticmethod
    def facts(constraints: Constraints) -> tuple[Fact, ...]:
        """A field's constraints as the docs show them: numbers and sizes as written, a pattern as code."""
        return tuple(Fact(c.keyword, md_code(str(c.value) if c.keyword == "pattern" else c.shown)) for c in constraints.checks)

    def deprecation(self, deprecated: Deprecation | None) -> Deprecated | None:
        if deprecated is None:
            return None
        return Deprecated(self.text(deprecated.note) if deprecated.note is not None else "")

    def param_item(self, p: Param) -> Item:
        name = md_code(f"**{p.name}" if p.variadic else p.name)
        return Item(name, self.type(p.type), md_code(parameter_default(p.default)), p.required, "", self.block(p.description))

    def values(self, enum: EnumModel) -> list[Value]:
        values = []
        for m in enum.members:
            aliases = ", ".join(md_code(a) for a in m.aliases)
            values.append(Value(md_code(m.name), md_code(m.value), self.text(m.description), aliases, self.deprecation(m.deprecated)))
        return values

    def attribute(self, cls: ClassModel, f: FieldModel) -> AttributeView:
        enums = enums_of(f.type, self.enums)
        return AttributeView(
            name=f.name,
            key=md_code(f.key) if f.in_document else "",
            renamed=f.key != f.name and f.in_document,
            readonly=not f.init,
            description=self.block(f.description),
            fixed=md_code(repr(f.fixed)) if f.fixed is not None else "",
            inherited_from=link(f.owner, self.pages) if f.owner != cls.name else "",
            values_of=[link(e.name, self.pages) for e in enums],
            values=[v for e in enums for v in self.values(e)],
            returns=self.block(f.returns) if f.returns is not None else "",
            return_type=self.type(f.type),
            constraints=self.facts(f.constraints),
            deprecated=self.deprecation(f.deprecated),
        )

    def method(self, method: MethodModel, owner: ClassModel, cls: ClassModel) -> MethodView:
        return MethodView(
            name=method.name,
            anchor=method.name.lower(),  # the id Python-Markdown's toc gives the heading `name`
            summary=md_inline(summary(method.description[self.lang])),
            description=self.block(method.description),
            signature=self.signatures[f"{owner.name}.{method.name}"],
            params=[self.param_item(p) for p in method.params],
            returns=self.block(method.returns_description) if method.returns_description else "",
            return_type=self.type(method.returns),
            raises=[RaiseView(md_code(r.type), self.text(r.description)) for r in method.raises],
            inherited_from=link(owner.name, self.pages) if owner is not cls else "",
        )

    def selector(self, cls: ClassModel) -> str:
        """``type: command``: how a document picks ``cls`` in its family ("" outside one)."""
        root = cls.family_root
        if root is None or cls.discriminator_value is None:
            return ""
        return md_code(f"{root.discriminator_key}: {cls.discriminator_value}")

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
            params=[self.field_item(f) for f in cls.init_fields],
            examples=[ExampleView(self.text(e.title), fence_for(e.code), e.code.rstrip("\n")) for e in cls.examples],
            document=self.document(cls),
            keys=self.keys(cls),
            methods=[self.method(m, owners[m.name], cls) for m in methods],
            attributes=[self.attribute(cls, f) for f in attributes],
            exclusive=[ExclusiveView(", ".join(md_code(k) for k in g.keys), g.required) for g in cls.exclusive],
            selector_aliases=", ".join(md_code(a) for a in cls.discriminator_aliases),
            selector_any_case=cls.family_root is not None and cls.family_root.discriminator_match == "case_insensitive",
            deprecated=self.deprecation(cls.deprecated),
            fallback=md_code(cls.discriminator_key or "") if self.is_fallback(cls) else "",
            fallback_keyless=self.is_fallback(cls) and cls.discriminator_default is None,
        )

    @staticmethod
    def is_fallback(cls: ClassModel) -> bool:
        """Whether ``cls`` is a concrete family root without a value of its own: it loads the documents
        whose discriminator value no class of the family has."""
        return cls.family_root is cls and not cls.abstract and cls.discriminator_value is None

    def keys(self, cls: ClassModel) -> KeysView:
        """The key style (when the class declares fields and it is not snake_case) and the
        unknown-keys policy of a class that documents load (not of an abstract one)."""
        style = md_code(cls.key_style) if cls.key_style != "snake_case" and cls.own_fields else ""
        derived = (f for f in cls.own_fields if f.key != f.name and f.key == document_key(f.name, cls.key_style))
        example = next(derived, None) if style else None
        unknown = "" if cls.abstract else cls.unknown_keys
        return KeysView(
            style,
            md_code(example.name) if example else "",
            md_code(example.key) if example else "",
            unknown,
            md_code("obj.unknown_keys"),
            md_code(WRITER),
            not cls.abstract and cls.key_order == "document" and cls.unknown_keys != "keep",
        )

    def document(self, cls: ClassModel) -> DocumentView | None:
        """The YAML example of ``cls``'s document form (None for a class no document holds)."""
        shown = example_class(cls)
        if shown is None:
            return None
        code = self.examples.get(cls.name)
        if code is None:
            data = document_example(cls)
            if data is None:
                return None
            code = self.examples[cls.name] = example_yaml(data).rstrip("\n")
        root = self.package.root
        in_root_family = shown is root or (root.family_root is not None and shown.family_root is root.family_root)
        loader = f"{self.package.load_function}()" if in_root_family else f"{shown.name}.from_dict()"
        return DocumentView(fence_for(code), code, md_code(loader), link(shown.name, self.pages) if shown is not cls else "")

    def enum_page(self, enum: EnumModel) -> EnumPage:
        used_by = self.enum_users.get(enum.name, [])
        return EnumPage(
            enum.name, md_code(enum.name), self.block(enum.description), enum.open, self.values(enum), used_by,
            enum.match == "case_insensitive",
        )

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
            reads=[self.text(form.description) for form in p.reads],
        )

    def changelog_page(self) -> list[ChangelogVersion]:
        return [
            ChangelogVersion(v.version, [md_inline(t[self.lang]) for t in v.changes], [md_code(i) for i in v.acknowledged_breaking])
            for v in self.package.changelog
        ]
