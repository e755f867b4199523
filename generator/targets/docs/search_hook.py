"""An mkdocs hook of the generated docs site: each language searches its own pages.

mkdocs-static-i18n builds every language into one site with one search index, which the theme
fetches from the site's root for every page: a reader of one language gets the other's
sections too, and the plugin drops each page of a second language whose entry looks like the
first language's (the same title and empty text), so those sections have no page. This hook
(its ``reconfigure_search`` turned off, nothing is dropped) splits the index after the build into
one per language, ``search/search_index.json`` under each language's folder (the default
language's is the root), with the locations relative to that folder and that language's
stemmer; and it gives each page of a language the base URL of its folder, so the theme fetches
its language's index and resolves results against it.

The generator copies this file into every docs site (``hooks/search.py``, named in
``mkdocs.yml``); it runs inside mkdocs, which imports it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

INDEX = Path("search") / "search_index.json"


def _languages(config: Any) -> tuple[str, list[str]]:
    """The default language of the i18n plugin and the other languages it builds."""
    plugin = config.plugins.get("i18n")
    if plugin is None:
        return "", []
    default = ""
    others: list[str] = []
    for language in plugin.config.languages:
        if language.default:
            default = language.locale
        elif language.build:
            others.append(language.locale)
    return default, others


def on_page_context(context: dict[str, Any], page: Any, config: Any, nav: Any) -> dict[str, Any]:
    """A page of a language other than the default: its base URL is its language's folder."""
    others = _languages(config)[1]
    locale = context.get("i18n_page_locale")
    if locale in others and page.url.startswith(f"{locale}/"):
        depth = page.url[len(locale) + 1 :].count("/")
        context["base_url"] = "/".join([".."] * depth) or "."
    return context


def _stemmers(lang: str, site: Path) -> list[str]:
    """The search languages of ``lang``: itself when the theme has its stemmer, else English."""
    if lang == "en" or (site / "assets" / "javascripts" / "lunr" / "min" / f"lunr.{lang}.min.js").is_file():
        return [lang]
    return ["en"]


@event_priority(-200)  # after mkdocs-static-i18n (-100) has written the index of every language
def on_post_build(config: Any) -> None:
    """Split the site's search index into one index per language."""
    default, others = _languages(config)
    site = Path(config.site_dir)
    path = site / INDEX
    if not others or not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    split: dict[str, list[dict[str, Any]]] = {lang: [] for lang in [default, *others]}
    for doc in index["docs"]:
        lang = next((o for o in others if doc["location"].startswith(f"{o}/")), default)
        location = doc["location"][len(lang) + 1 :] if lang != default else doc["location"]
        split[lang].append({**doc, "location": location})
    for lang, docs in split.items():
        target = site / INDEX if lang == default else site / lang / INDEX
        target.parent.mkdir(parents=True, exist_ok=True)
        own = {**index, "config": {**index["config"], "lang": _stemmers(lang, site)}, "docs": docs}
        target.write_text(json.dumps(own, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
