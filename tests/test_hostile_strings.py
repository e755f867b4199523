"""Hostile strings: whatever text a spec holds cannot break out of a docstring, a string literal, a TOML or
YAML value, the JSON Schema or a doc page.

A hypothesis test puts arbitrary text (quotes, triple quotes, backslashes, Jinja delimiters, HTML, Markdown
table pipes and fences, non-ASCII, invisible and control characters, very long lines) into the descriptions,
titles, string defaults, document keys, examples and enum values of a small spec, runs the whole pipeline
(render, black, write), then checks that every generated module compiles, that each text comes back from its
docstring (whitespace-normalized: docstrings are wrapped) and each value exactly, and that the Markdown pages
keep the structure of the same pages made from plain text: no raw HTML tag, no extra or missing table cell.
"""

from __future__ import annotations

import ast
import functools
import io
import json
import os
import tempfile
import tomllib
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from typing import Any

import markdown
import pytest
import yaml
from conftest import import_fresh
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from generator import fmt
from generator.pipeline import generate_all, write_all

PACKAGE = "hostile"

#: Pieces that have broken generators before; hypothesis glues them to random text.
FRAGMENTS = [
    '"', "'", '"""', "'''", '\\', '\\"', "\\'", '\\n', '\\x00', '\\u0041', '\\N{BULLET}', "{{ x }}", "{%", "%}", "{#",
    "#}", "{{", "}}", "<script>alert(1)</script>", "<b>", "</td>", "<!--", "&amp;", "&#124;", "|", "| a | b |", "||",
    "`", "```", "~~~", "*", "_", "# ", "- ", "1. ", "> ", "[x](y)", "![i](j)", "<http://x>", "---", "===", "\n",
    "\n\n", "\r\n", "\t", "    ", "é", "ñ", "中文", "🙂", "\u200b", "\u202e", "\u2028", "\x85", "\x00", "\x1b[31m",
    "\x7f", "\ufeff", "$(rm -rf /)", "%s", "{0}", "'''\"\"\"", "x" * 300, " ".join(["word"] * 60), "True", "None",
    "null", "~", "yes", "@generated", "#!", "\\\\\\",
]

hostile_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), min_size=1, max_size=6
).map("".join).filter(bool)  # the IDL wants non-empty texts, values and keys


def normal(text: str) -> str:
    """Whitespace-normalized text (docstrings are wrapped and indented)."""
    return " ".join(text.split())


def readable(text: str) -> str:
    """What a reader of a page can see of a text, for comparing: its visible characters in order. Control
    characters go (HTML has no way to show them; Python-Markdown drops the STX and ETX it uses for its
    placeholders, the docs drop the others), and so do invisible format characters (a byte-order mark in a
    code block does not survive Python-Markdown), backticks (a code span shows its content) and whitespace
    (the page wraps and collapses it; Python counts some control characters as whitespace)."""
    shown = (ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf"))
    return "".join("".join(shown).split()).replace("`", "")


# -- the spec ---------------------------------------------------------------------------------------


def make_spec(title: str, en: str, es: str, default: str, v1: str, v2: str, code: str, key: str) -> dict[str, Any]:
    text = {"en": en, "es": es}
    return {
        "idl": 1,
        "package": {
            "name": PACKAGE,
            "version": "1.0",
            "languages": ["en", "es"],
            "title": {"en": title, "es": title},
            "description": {"en": title, "es": title},
            "document": {"root": "Order", "load_function": "load_order", "description": text},
        },
        "enums": {
            "Color": {
                "description": text,
                "members": {
                    "RED": {"value": v1, "description": text},
                    "GREEN": {"value": v2, "description": text},
                },
            }
        },
        "classes": {
            "Order": {
                "description": text,
                "examples": [{"title": text, "code": code}],
                "fields": {
                    "number": {"type": "int", "description": text},
                    "note": {"type": "str", "default": default, "description": text},
                    "color": {"type": "Color", "default": v2, "description": text},
                    "extra": {"type": "Optional[str]", "default": None, "key": key, "description": text},
                    "state": {"type": "Optional[str]", "readonly": True, "description": text, "returns": text},
                    "items": {"type": "list[Item]", "default": [], "description": text},
                },
            },
            "Item": {
                "description": text,
                "fields": {"sku": {"type": "str", "description": text}},
                "methods": {
                    "dump": {
                        "description": text,
                        "implements": "dump_yaml",
                        "params": {"dest": {"type": "str", "description": text}},
                        "raises": [{"type": "FileExistsError", "description": text}],
                    }
                },
            },
        },
    }


def spec_yaml(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=80)


def faithful(data: dict[str, Any]) -> bool:
    """True when pyyaml writes the spec faithfully (if not, that is pyyaml's limit, not the generator's)."""
    return yaml.safe_load(spec_yaml(data)) == data


@functools.cache
def cache_folder() -> str:
    """A black cache for this module only: the runtime module is formatted once, random texts never pollute
    the user's cache."""
    return tempfile.mkdtemp(prefix="hostile-black-cache-")


def generate(data: dict[str, Any], folder: Path) -> Path:
    spec = folder / "hostile.yaml"
    spec.write_text(spec_yaml(data), encoding="utf-8")
    out = folder / "out"
    old = os.environ.get("GENERATOR_CACHE")
    os.environ["GENERATOR_CACHE"] = cache_folder()
    try:
        write_all(out, generate_all([spec], folder))
    finally:
        if old is None:
            del os.environ["GENERATOR_CACHE"]
        else:
            os.environ["GENERATOR_CACHE"] = old
    return out


# -- reading the results back -----------------------------------------------------------------------


def docstrings(source: str) -> dict[str, str]:
    """Every docstring of a module by dotted name; an attribute's docstring is the string after it."""
    found: dict[str, str] = {}

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for i, node in enumerate(body):
            if isinstance(node, ast.ClassDef | ast.FunctionDef):
                doc = ast.get_docstring(node, clean=False)
                if doc is not None:
                    found[prefix + node.name] = doc
                if isinstance(node, ast.ClassDef):
                    visit(node.body, f"{prefix}{node.name}.")
            target = None
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                target = node.target.id
            elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                target = node.targets[0].id
            nxt = body[i + 1] if i + 1 < len(body) else None
            if target and isinstance(nxt, ast.Expr) and isinstance(nxt.value, ast.Constant) and isinstance(nxt.value.value, str):
                found[prefix + target] = nxt.value.value

    visit(ast.parse(source).body, "")
    return found


class Html(HTMLParser):
    """Tags, table rows (cells' text) and visible text of rendered Markdown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.tables: list[list[int]] = []
        self.cells = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.cells = 0
        elif tag in ("td", "th"):
            self.cells += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self.tables[-1].append(self.cells)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@functools.cache
def site_markdown(config_text: str) -> markdown.Markdown:
    """Python-Markdown with the extensions of the generated mkdocs.yml."""
    names: list[str] = []
    configs: dict[str, Any] = {}
    for item in yaml.safe_load(config_text)["markdown_extensions"]:
        name = item if isinstance(item, str) else next(iter(item))
        names.append(name)
        if isinstance(item, dict):
            configs[name] = item[name] or {}
    return markdown.Markdown(extensions=names, extension_configs=configs)


def render_html(md: markdown.Markdown, text: str) -> Html:
    parser = Html()
    parser.feed(md.reset().convert(text))
    parser.close()
    return parser


def pages(out: Path) -> dict[str, str]:
    docs = out / f"{PACKAGE}_docs" / "docs"
    return {p.relative_to(docs).as_posix(): p.read_text(encoding="utf-8") for p in sorted(docs.rglob("*.md"))}


@functools.cache
def plain_structure() -> dict[str, tuple[frozenset[str], list[list[int]], bool]]:
    """Tags and table shapes of every page made from plain text, which hostile pages must keep, and whether
    the page shows the descriptions."""
    with tempfile.TemporaryDirectory() as folder:
        out = generate(make_spec("Title", "Plain text.", "Texto llano.", "plain", "red", "green", "x = 1", "extra-key"), Path(folder))
        md = site_markdown((out / f"{PACKAGE}_docs" / "mkdocs.yml").read_text(encoding="utf-8"))
        shapes = {}
        for name, text in pages(out).items():
            parsed = render_html(md, text)
            shows = ("Plain text." if name.startswith("en/") else "Texto llano.") in "".join(parsed.text)
            shapes[name] = (frozenset(parsed.tags), parsed.tables, shows)
        return shapes


# -- the checks -------------------------------------------------------------------------------------


#: Top-level blocks black has already left unchanged (the runtime modules repeat in every example).
BLACK_CLEAN: set[str] = set()


def assert_black_leaves_it(text: str, name: str) -> None:
    """Every top-level block of a generated module is what black makes of it: the templates write
    black's layout and the format stage runs black only where they cannot, so any text here can break
    that (a quote, a wide character, a long word in a docstring)."""
    for block in fmt.split_blocks(text):
        if block not in BLACK_CLEAN:
            assert fmt.format_source(block) == block, f"{name}: black would change\n{block}"
            BLACK_CLEAN.add(block)


def check_python(out: Path, title: str, en: str, default: str, v1: str, v2: str, key: str) -> None:
    root = out / PACKAGE / PACKAGE
    sources = {p.name: p.read_text(encoding="utf-8") for p in sorted(root.glob("*.py"))}
    for path in sorted(out.rglob("*.py")):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    for name, text in sources.items():  # written by our templates (pydantic's models are black's own)
        assert_black_leaves_it(text, name)

    # every docstring holds the description (or title), whitespace-normalized
    models = docstrings(sources["models.py"])
    enums = docstrings(sources["enums.py"])
    wanted = normal(en)
    for name in ("Order", "Order.number", "Order.note", "Order.color", "Order.extra", "Order._state", "Order.items",
                 "Item", "Item.sku", "load_order", "Color", "Color.RED", "Color.GREEN"):
        found = models.get(name, enums.get(name, ""))
        assert wanted in normal(found), (name, found)
    assert normal(models["Order.state"]).count(wanted) >= 2  # the read-only property: description, then Returns:
    assert normal(models["Item.dump"]).count(wanted) >= 3  # the method, its parameter, what it raises
    init_doc = normal(ast.get_docstring(ast.parse(sources["__init__.py"]), clean=False) or "")
    assert init_doc.startswith(normal(title)) and init_doc.count(normal(title)) >= 2  # title, description

    # values come back exactly
    pkg: ModuleType = import_fresh(PACKAGE, out / PACKAGE)
    color = pkg.Color
    assert [m.value for m in color] == [v1, v2]
    assert color(v1) is color.RED and color.RED.description == en and color.GREEN.description == en
    order = pkg.Order(number=1)
    assert order.note == default and order.color is color.GREEN
    assert order.to_dict() == {"number": 1}  # defaults not set are not written
    data = pkg.Order(number=1, note=default + "!", color=color.RED).to_dict()
    assert data["note"] == default + "!" and data["color"] == v1
    assert pkg.Order.from_dict({"number": 1, "note": default}).to_dict()["note"] == default  # written when read
    loaded = pkg.Order.from_dict({"number": 1, key: "k"})
    assert loaded.note == default and loaded.extra == "k" and loaded.to_dict()[key] == "k"
    again = pkg.load_order(io.StringIO(yaml.safe_dump({**data, key: "k", "color": v2}, allow_unicode=True)))
    assert again.to_dict() == {**data, key: "k", "color": v2}
    with pytest.raises(pkg.DocumentError) as err:
        pkg.Order.from_dict({"number": 1, "color": 5})
    assert v1 in str(err.value) and v2 in str(err.value)

    # the package metadata: TOML
    meta = tomllib.loads((out / PACKAGE / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["description"] == title


def check_schema(out: Path, default: str, v1: str, v2: str, key: str) -> None:
    schema_text = next((out / f"{PACKAGE}_schema").glob("*.json")).read_text(encoding="utf-8")
    schema = json.loads(schema_text)
    found: list[Any] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    assert any(n.get("enum") == [v1, v2] for n in found), "enum values"
    assert any(n.get("default") == default for n in found), "string default"
    assert any(key in n.get("properties", {}) for n in found), "document key"


def check_docs(out: Path, title: str, en: str, es: str, code: str) -> None:
    config = (out / f"{PACKAGE}_docs" / "mkdocs.yml").read_text(encoding="utf-8")
    site = yaml.safe_load(config)
    assert site["site_name"] == normal(title) and site["site_description"] == normal(title)
    md = site_markdown(config)
    plain = plain_structure()
    rendered = pages(out)
    assert sorted(rendered) == sorted(plain)
    for name, text in rendered.items():
        parsed = render_html(md, text)
        tags, tables, shows_descriptions = plain[name]
        extra = set(parsed.tags) - tags - {"code", "p"}  # code spans of the text, paragraphs of a description
        assert not extra, f"{name}: raw HTML or Markdown got through: {sorted(extra)}"
        assert parsed.tables == tables, f"{name}: a table changed shape: {parsed.tables} != {tables}"
        visible = readable("".join(parsed.text))
        shown = readable(en if name.startswith("en/") else es)
        assert shown in visible or not shows_descriptions, f"{name}: the description is not shown as written"
        if name.endswith("/Order.md"):
            assert readable(code) in visible, f"{name}: the example is not shown as written"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(
    title=hostile_text,
    en=hostile_text,
    es=hostile_text,
    default=hostile_text,
    values=st.lists(hostile_text, min_size=2, max_size=2, unique=True),
    code=hostile_text,
    key=hostile_text,
)
@example(
    title="1. <b>Title</b> | with ```pipes``` and \x7f and \x9a and \"\"\" quotes",
    en='ends with a quote" """triple""" \\ back\\slash {{ jinja }} {% raw %} <b>x</b> | a | b | `co|de` é 🙂\x00',
    es="# título\n\n- lista | tubo <script>alert(1)</script>",
    default='"""\\\'\n\t\x7f',
    values=["a|b <i>", 'c"d\\e'],
    code="```\nx = '''\n~~~\n'''\n```",
    key="key with | pipe",
)
@example(  # a control character Python counts as whitespace, in a code span (found by CI's run)
    title='"', en='"', es="0`\x1c!`", default='"', values=['"', '""'], code='"', key='"'
)
@example(title='"', en='"', es='"', default='"', values=['"', '""'], code="\ufeff", key='"')  # a byte-order mark
@example(title='"', en='"', es='"', default='"', values=['"', '""'], code="é 🙂 ``` | <b> {{ x }}", key='"')  # kept as is
def test_hostile_text_cannot_break_out(
    title: str, en: str, es: str, default: str, values: list[str], code: str, key: str
) -> None:
    assume(key not in ("number", "note", "color", "state", "items"))
    v1, v2 = values
    code = f"shown = {code!r}\n"  # an example's code must compile: the text as Python writes it in a string
    data = make_spec(title, en, es, default, v1, v2, code, key)
    assume(faithful(data))
    with tempfile.TemporaryDirectory() as folder:
        out = generate(data, Path(folder))
        check_python(out, title, en, default, v1, v2, key)
        check_schema(out, default, v1, v2, key)
        check_docs(out, title, en, es, code)


def test_a_title_with_a_c1_control_character_leaves_mkdocs_yml_readable(tmp_path: Path) -> None:
    out = generate(make_spec("Shop\x9a", "Plain.", "Llano.", "plain", "red", "green", "x = 1", "k"), tmp_path)
    config = yaml.safe_load((out / f"{PACKAGE}_docs" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == "Shop\x9a"


@pytest.mark.parametrize("title", ["1. Shop", "None", "-"])
def test_a_title_that_is_no_class_name_still_generates(title: str, tmp_path: Path) -> None:
    out = generate(make_spec(title, "Plain.", "Llano.", "plain", "red", "green", "x = 1", "k"), tmp_path)
    assert (out / f"{PACKAGE}_pydantic" / f"{PACKAGE}_pydantic" / "models.py").is_file()


def test_the_structure_of_plain_pages_is_known() -> None:
    shapes = plain_structure()
    assert shapes["en/index.md"][1], "the index has tables"
    assert "dl" in shapes["en/Color.md"][0]  # members as stacked entries
    assert shapes["en/Order.md"][2] and shapes["es/Color.md"][2] and shapes["en/index.md"][2]


@pytest.mark.parametrize(
    "text",
    [
        'ends with three quotes"""',
        'ends with four quotes""""',
        'ends with an escaped quote\\"',
        'a backslash before three quotes\\"""',
        '"""starts with three quotes',
        'ends with a backslash\\',
        "invisible \u202e bidi \u200b zero-width \u2028 separator \x85 NEL \xa0 NBSP \ud800 surrogate \x7f DEL \x00",
        "".join(chr(c) for c in range(0x300) if chr(c) != "\n") + '"',
    ],
)
def test_the_docstring_filter_reads_back_exactly(text: str) -> None:
    """The docstring filter alone: the source compiles, holds no invisible character, and the docstring
    is the text (whitespace-normalized only where the filter wraps a long paragraph)."""
    from generator.targets.python.filters import doc

    laid_out = doc(text, 4)
    source = f'def f():\n    """{laid_out}"""\n'
    assert all(ch.isprintable() or ch in "\n\t" for ch in source)
    namespace: dict[str, Any] = {}
    exec(compile(source, "<t>", "exec"), namespace)
    back = namespace["f"].__doc__
    assert back == text.strip() if "\n" not in laid_out else normal(back) == normal(text)


@pytest.mark.parametrize("value", ['"', "'", "\\", '"""', "\x00\x7f\x85\u2028\u202e\ud800", "é 🙂 中文", "{{ x }}", ""])
def test_the_string_literal_filter_reads_back_exactly(value: str) -> None:
    from generator.targets.python.filters import pystr

    literal = pystr(value)
    assert all(ch.isprintable() for ch in literal)
    assert ast.literal_eval(literal) == value
    assert fmt.format_source(f"x = {literal}\n") == f"x = {literal}\n"  # quoted as black quotes it
