"""The docs site as a reader gets it: ``mkdocs build --strict``, every link followed, and pages in Chromium.

The site is built once from the checked-in ``generated/aml_entities_docs``, served on 127.0.0.1 only,
and opened in Debian's headless Chromium (installed with apt-get when it is missing) through
playwright, one browser for the module. For the CommandJob page, an enum page and the index, in each
language, at 1400 px and at 400 px wide, the checks run in the page: nothing in the content is wider
than the content column or scrolls sideways, no type name breaks inside a word, every search for a
word of the page finds that page in that language (with titles), and every link and search result
opens a page that exists. The screenshots land in each test's tmp folder (its path is printed).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from conftest import GENERATED, LIBRARY_SPEC, SPEC

from generator.pipeline import build_package
from generator.render import environment
from generator.targets.docs import render_docs

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]
SITE_CONFIG = GENERATED / "aml_entities_docs" / "mkdocs.yml"
#: The pages looked at in the browser, by their path under a language's folder.
PAGES = ("CommandJob/", "JobStatus/", "")
WIDTHS = (1400, 400)


def mkdocs_build(config: Path, out: Path) -> str:
    """Build a site in strict mode; returns mkdocs's log (fails the test on any warning)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config), "--site-dir", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "WARNING" not in log, log
    return log


def languages(config: Path) -> list[tuple[str, str]]:
    """(locale, URL folder) of each language of a site's config: the default's folder is the root."""
    plugins = yaml.safe_load(config.read_text(encoding="utf-8"))["plugins"]
    i18n = next(p["i18n"] for p in plugins if isinstance(p, dict) and "i18n" in p)
    return [(lang["locale"], "" if lang["default"] else f"{lang['locale']}/") for lang in i18n["languages"]]


LANGUAGES = languages(SITE_CONFIG)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "aml"
    mkdocs_build(SITE_CONFIG, out)
    return out


class Page(HTMLParser):
    """The links and element ids of a built HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for attr in ("href", "src"):
            if values.get(attr) and tag in ("a", "link", "script", "img"):
                self.links.append(values[attr] or "")


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def file_of(site: Path, url_path: str) -> Path:
    """The file a static server serves for a site-relative URL path."""
    target = site / url_path.lstrip("/")
    return target / "index.html" if url_path.endswith("/") or target.is_dir() else target


def test_every_language_is_built_with_its_own_search_index(site: Path) -> None:
    for _lang, folder in LANGUAGES:
        for name in ("index.html", "CommandJob/index.html", "JobStatus/index.html", "Input/index.html"):
            assert (site / folder / name).is_file(), folder + name
    titles = {}
    for lang, folder in LANGUAGES:
        index = json.loads((site / folder / "search" / "search_index.json").read_text(encoding="utf-8"))
        assert index["config"]["lang"] == [lang]
        assert all(not doc["location"].startswith(tuple(f for _, f in LANGUAGES if f)) for doc in index["docs"])
        titles[lang] = {doc["title"] for doc in index["docs"]}
        assert {"CommandJob", "JobStatus"} <= titles[lang]  # every page has its own entry
    assert "Inheritance" in titles["en"] and "Herencia" in titles["es"] and "Herencia" not in titles["en"]


def test_no_broken_link_or_anchor_on_any_page(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 60
    parsed = {p: parse(p) for p in pages}
    broken = []
    for path, page in parsed.items():
        base = "/" + path.relative_to(site).as_posix()
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                assert parts.scheme in ("http", "https"), f"{base}: {link}"
                continue  # an outside link (none is fetched here)
            url = urlsplit(urljoin(base, link))
            target = file_of(site, url.path)
            if not target.is_file():
                broken.append(f"{base}: {link} (no {target.relative_to(site)})")
            elif url.fragment and target.suffix == ".html" and url.fragment not in parsed[target].ids:
                broken.append(f"{base}: {link} (no #{url.fragment})")
    assert not broken, "\n".join(broken)


def test_a_library_spec_site_builds_too(tmp_path: Path) -> None:
    package = build_package(LIBRARY_SPEC, "tests/specs/library/library.yaml")
    for f in render_docs(package, environment()):
        target = tmp_path / f.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f.text, encoding="utf-8")
    mkdocs_build(tmp_path / "library_entities_docs" / "mkdocs.yml", tmp_path / "site")
    for lang, folder in languages(tmp_path / "library_entities_docs" / "mkdocs.yml"):
        assert (tmp_path / "site" / folder / "Loan" / "index.html").is_file(), lang
        assert (tmp_path / "site" / folder / "search" / "search_index.json").is_file(), lang


def test_an_english_only_spec_gets_an_english_only_site_without_a_language_switcher(tmp_path: Path) -> None:
    package = build_package(SPEC, "spec/aml_entities.yaml")
    english = dataclasses.replace(package, languages=("en",))
    files = render_docs(english, environment())
    assert not [f.path for f in files if "/docs/es/" in f.path]
    for f in files:
        target = tmp_path / f.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f.text, encoding="utf-8")
    config = tmp_path / "aml_entities_docs" / "mkdocs.yml"
    assert languages(config) == [("en", "")]
    out = tmp_path / "site"
    mkdocs_build(config, out)
    assert not (out / "es").exists()
    page = (out / "CommandJob" / "index.html").read_text(encoding="utf-8")
    assert "md-select" not in page and 'hreflang="es"' not in page  # no language switcher
    assert json.loads((out / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]["lang"] == ["en"]


def test_the_browser_needs_nothing_from_outside(site: Path) -> None:
    # every stylesheet and script the pages load is part of the site (no fonts or CDN from the network)
    for path in (site / "CommandJob" / "index.html", site / "es" / "JobStatus" / "index.html"):
        for link in parse(path).links:
            if link.endswith((".css", ".js")):
                assert not urlsplit(link).scheme, link


# -- in a browser -----------------------------------------------------------------------------------------------


def chromium() -> Path:
    """Debian's chromium, installed with apt-get when it is missing."""
    if not CHROMIUM.exists():
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update"], check=True, env=env, capture_output=True, timeout=900)
        subprocess.run(["apt-get", "install", "-y", "chromium"], check=True, env=env, capture_output=True, timeout=1800)
    assert CHROMIUM.exists(), "apt-get install chromium did not install /usr/bin/chromium"
    return CHROMIUM


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a browser that hangs up early is fine
            super().handle_error(request, client_address)


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1 (a free port), for the module's tests."""
    httpd = Server(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module, driven by playwright."""
    from playwright.sync_api import sync_playwright

    path = chromium()
    with sync_playwright() as playwright:
        chrome = playwright.chromium.launch(executable_path=str(path), args=CHROMIUM_FLAGS)
        try:
            yield chrome
        finally:
            chrome.close()


def opens(url: str) -> int:
    """The HTTP status of a URL of the local site."""
    assert url.startswith("http://127.0.0.1:"), url
    try:
        with urllib.request.urlopen(url.split("#")[0], timeout=10) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as err:
        return err.code


#: In the page: what in the content (the article) is wider than the content column or scrolls
#: sideways, which type names break inside a word, and the page's links.
LAYOUT = """() => {
  const column = document.querySelector('.md-content').getBoundingClientRect();
  const article = document.querySelector('article.md-content__inner');
  const where = el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '')
      + ' "' + el.textContent.trim().slice(0, 40) + '"';
  const wide = [], scrolls = [], broken = [];
  for (const el of [article, ...article.querySelectorAll('*')]) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.left < column.left - 1 || box.right > column.right + 1) wide.push(where(el) + ' ' + Math.round(box.width));
    const style = getComputedStyle(el);
    if (style.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1) scrolls.push(where(el));
  }
  for (const name of article.querySelectorAll('code.type a, a > code')) {
    if (name.getClientRects().length > 1) broken.push(name.textContent);
  }
  const links = [...document.querySelectorAll('a[href]')].map(a => a.href).filter(h => h.startsWith(location.origin));
  return {column: column.width, wide, scrolls, broken, links};
}"""

#: In the page: up to three words of its heading and first paragraph to search for.
WORDS = """() => {
  const text = document.querySelector('article h1').textContent + ' '
      + (document.querySelector('article h1 ~ p') || {textContent: ''}).textContent;
  const words = text.split(/[^\\p{L}\\p{N}]+/u).filter(w => w.length >= 6);
  return [...new Set(words)].slice(0, 3);
}"""

#: In the page: the results of the search box, every batch loaded (the list grows as it scrolls).
RESULTS = """async () => {
  const list = document.querySelector('.md-search-result__list');
  const scroll = document.querySelector('.md-search__scrollwrap');
  let count = -1;
  while (count !== list.children.length) {
    count = list.children.length;
    scroll.scrollTop = scroll.scrollHeight;
    await new Promise(done => setTimeout(done, 150));
  }
  return [...list.querySelectorAll('a.md-search-result__link')].map(a => ({
    href: a.href, title: (a.querySelector('h1, h2') || {textContent: ''}).textContent.trim()}));
}"""


def search(page: Any, word: str) -> list[dict[str, str]]:
    """The results of typing ``word`` in the search box, key by key as a reader does. Typed
    before the search index has loaded, a query can go unanswered: it is typed again (four tries)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    box = page.locator("input.md-search__input")
    for _ in range(4):
        box.fill("")
        box.press_sequentially(word)
        try:
            page.wait_for_selector(".md-search-result__item", timeout=5000)
        except PlaywrightTimeout:
            continue
        results: list[dict[str, str]] = page.evaluate(RESULTS)
        return results
    raise AssertionError(f"no result for {word!r}")


def shot_name(folder: str, path: str, width: int) -> str:
    return f"{(folder or 'en/').rstrip('/')}-{path.rstrip('/') or 'index'}-{width}.png"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(("lang", "folder"), LANGUAGES)
def test_a_page_fits_the_content_column_and_its_links_open(
    browser: Any, server: str, tmp_path: Path, lang: str, folder: str, path: str, width: int
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 1000})
    try:
        url = f"{server}/{folder}{path}"
        page.goto(url)
        assert page.evaluate("document.documentElement.lang") == lang
        layout = page.evaluate(LAYOUT)
        page.screenshot(path=str(tmp_path / shot_name(folder, path, width)), full_page=True)
        print(f"screenshots: {tmp_path}")
    finally:
        page.close()
    assert not layout["wide"], f"wider than the {layout['column']} px column: {layout['wide']}"
    assert not layout["scrolls"], f"scrolls sideways: {layout['scrolls']}"
    assert not layout["broken"], f"type names broken inside a word: {layout['broken']}"
    bad = [link for link in sorted(set(layout["links"])) if opens(link) != 200]
    assert not bad, f"links that open no page: {bad}"


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(("lang", "folder"), LANGUAGES)
def test_searching_a_word_of_a_page_finds_it_in_its_language(browser: Any, server: str, lang: str, folder: str, path: str) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    others = tuple(f"{server}/{f}" for _, f in LANGUAGES if f and f != folder)
    home = f"{server}/{folder}"
    try:
        page.goto(f"{home}{path}")
        words = page.evaluate(WORDS)
        assert words, "no word to search for"
        for word in words:
            results = search(page, word)
            pages = {urlsplit(r["href"])._replace(query="", fragment="").geturl() for r in results}
            assert f"{home}{path}" in pages, f"{word!r}: {sorted(pages)}"
            for result in results:
                assert result["title"], f"{word!r}: a result without a title: {result}"
                assert result["href"].startswith(home) and not result["href"].startswith(others), f"{word!r}: {result}"
            bad = [p for p in sorted(pages) if opens(p) != 200]
            assert not bad, f"{word!r}: results that open no page: {bad}"
    finally:
        page.close()
