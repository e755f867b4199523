"""The fixed words of the docs, one gettext catalog per language (``templates/locale/<lang>.po``).

:func:`parse_po` reads what our catalogs use; English is the msgids themselves. The pages and the
diff's messages are translated through the same catalogs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import jinja2

from ...outputs import TEMPLATES
from ...render import environment

LOCALE = TEMPLATES / "locale"


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


_HEADER = re.compile(r'^msgid ""\s*\nmsgstr ""\s*\n((?:"(?:[^"\\]|\\.)*"\s*\n)*)', re.M)


def po_header(text: str, name: str = "<catalog>") -> dict[str, str]:
    """The fields of a catalog's header entry (``Language: es``...), by name."""
    match = _HEADER.search(text)
    if match is None:
        return {}
    body = "".join(_po_string(line.strip()[1:-1], name) for line in match.group(1).splitlines())
    fields = (line.partition(":") for line in body.splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, _, value in fields}


def _catalog_file(lang: str) -> tuple[str, str]:
    path = LOCALE / f"{lang}.po"
    name = path.relative_to(TEMPLATES.parent).as_posix()
    if not path.is_file():
        raise CatalogError(f"{name}: no catalog for the language {lang!r} (the docs' fixed words need one)")
    return path.read_text(encoding="utf-8"), name


@cache
def catalog(lang: str) -> dict[str, str]:
    """The translations of ``lang`` (empty for English, whose words are the msgids)."""
    if lang == "en":
        return {}
    text, name = _catalog_file(lang)
    return parse_po(text, name)


@cache
def language_name(lang: str) -> str:
    """The name of ``lang`` in that language (the language switcher's), from its catalog's
    ``X-Language-Name`` header; English has no catalog."""
    if lang == "en":
        return "English"
    text, name = _catalog_file(lang)
    found = po_header(text, name).get("X-Language-Name")
    if not found:
        raise CatalogError(f"{name}: the header has no X-Language-Name (the language's own name)")
    return found


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
