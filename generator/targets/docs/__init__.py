"""Target ``docs``: the reference site of a package, as Markdown pages plus an mkdocs config.

One page per class and per enum, an index and a changelog, in every language of the package
(``Package.languages``, the first the default), under ``<pkg>_docs/docs/<lang>/``, and
``<pkg>_docs/mkdocs.yml`` (mkdocs, material theme, mkdocs-static-i18n: a language switcher when
there are two languages or more, and each language's own search through the hook
``hooks/search.py``, copied from :mod:`.search_hook`). The fixed words of the pages come from a
gettext catalog per language (:mod:`.catalog`) through jinja2's i18n extension; every text of
the spec comes from its ``Text``, escaped for Markdown (:mod:`.markdown`) in the view-models of
:mod:`.views`.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from ...model import Package
from ...outputs import OutputFile, header
from .. import ignore_file
from .catalog import CatalogError, catalog, docs_environment, language_name, parse_po, translator
from .markdown import md_block, md_code, md_inline, md_type, page_names
from .signatures import all_signatures
from .views import LanguageConfig, SiteConfig, Views, yaml_str

#: Navigation sections of the site, translated through the catalog like the pages.
NAV_SECTIONS = ("Home", "Classes", "Enums", "Changelog")
#: The mkdocs hook every site runs (see :mod:`.search_hook`), and where the site holds it.
SEARCH_HOOK = Path(__file__).resolve().parent / "search_hook.py"
HOOK_PATH = "hooks/search.py"


def site_config(package: Package) -> SiteConfig:
    """What ``mkdocs.yml`` says: site names, languages with their nav translations, the nav."""
    pages = page_names(package)
    languages = []
    for i, locale in enumerate(package.languages):
        gettext = translator(locale)
        translations = [(yaml_str(s), yaml_str(gettext(s))) for s in NAV_SECTIONS if gettext(s) != s]
        name = yaml_str(language_name(locale))
        languages.append(LanguageConfig(locale, name, i == 0, yaml_str(package.title[locale]), translations))
    return SiteConfig(
        site_name=yaml_str(package.title.default),
        site_description=yaml_str(package.description.default),
        languages=languages,
        hook=HOOK_PATH,
        classes=[(yaml_str(c.name), f"{pages[c.name]}.md") for c in package.classes],
        enums=[(yaml_str(e.name), f"{pages[e.name]}.md") for e in package.enums],
    )


def render_docs(package: Package, env: jinja2.Environment) -> list[OutputFile]:
    """Every file of the docs site of ``package``, under ``<pkg>_docs/`` (``env`` is not used: the
    pages need the i18n extension, so each language gets its own environment of the same settings)."""
    del env
    top = f"{package.name}_docs"
    md_header = header("<!--", package.spec_file)
    pages = page_names(package)
    signatures = all_signatures(package)
    files: list[OutputFile] = []
    examples: dict[str, str] = {}
    for lang in package.languages:
        lenv = docs_environment(lang)
        views = Views(package, lang, signatures, examples)
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
    hook = header("#", package.spec_file) + "\n" + SEARCH_HOOK.read_text(encoding="utf-8")
    files.append(OutputFile(f"{top}/mkdocs.yml", site, False))
    files.append(OutputFile(f"{top}/docs/stylesheets/docs.css", css, False))
    files.append(OutputFile(f"{top}/{HOOK_PATH}", hook, False))
    files.append(ignore_file(top, package, env_en))  # mkdocs build writes build/site/, the hook __pycache__/
    return files


__all__ = [
    "NAV_SECTIONS",
    "CatalogError",
    "catalog",
    "docs_environment",
    "language_name",
    "md_block",
    "md_code",
    "md_inline",
    "md_type",
    "page_names",
    "parse_po",
    "render_docs",
]
