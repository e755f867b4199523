"""The docs site as a reader gets it: ``mkdocs build --strict``, every link followed, and pages in Chromium.

The site is built from the checked-in ``generated/aml_entities_docs`` (and from the library spec's
docs, generated here), served on 127.0.0.1 only, and opened in Debian's headless Chromium, which
this test installs with apt-get when it is missing. Screenshots land in the pytest tmp folder.
"""

from __future__ import annotations

import functools
import json
import os
import re
import struct
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import GENERATED, LIBRARY_SPEC

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


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "aml"
    mkdocs_build(GENERATED / "aml_entities_docs" / "mkdocs.yml", out)
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


def test_both_languages_are_built_with_search(site: Path) -> None:
    for lang in ("", "es/"):
        for name in ("index.html", "CommandJob/index.html", "JobStatus/index.html", "Input/index.html"):
            assert (site / lang / name).is_file(), lang + name
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert set(index["config"]["lang"]) == {"en", "es"}
    titles = {doc["title"] for doc in index["docs"]}
    assert {"CommandJob class", "Clase CommandJob", "JobStatus enum", "Enumeración JobStatus"} <= titles


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
    assert (tmp_path / "site" / "es" / "Loan" / "index.html").is_file()


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


def browse(url: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert url.startswith("http://127.0.0.1:")
    command = [str(chromium()), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args, url]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


def dom(url: str, profile: Path) -> str:
    return browse(url, profile, "--dump-dom").stdout


def screenshot(url: str, profile: Path, png: Path, width: int = 1280, height: int = 2000) -> tuple[int, int]:
    browse(url, profile, f"--screenshot={png}", f"--window-size={width},{height}")
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", png
    size: tuple[int, int] = struct.unpack(">II", data[16:24])
    return size


def table_headers(html: str) -> list[list[str]]:
    return [re.findall(r"<th[^>]*>(.*?)</th>", head) for head in re.findall(r"<thead>(.*?)</thead>", html, re.S)]


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("chromium-profile")


@pytest.mark.parametrize(("lang", "headers"), [("", ["Name", "Type", "Default", "Description"]), ("es/", ["Nombre", "Tipo", "Valor predeterminado", "Descripción"])])
def test_commandjob_page_renders_its_parameter_table_and_links(server: str, profile: Path, tmp_path: Path, lang: str, headers: list[str]) -> None:
    url = f"{server}/{lang}CommandJob/"
    html = dom(url, profile)
    assert headers in table_headers(html)
    rows = re.findall(r"<tr>\s*<td><code>(\w+)</code></td>", html)
    assert {"command", "inputs", "outputs", "limits", "identity", "services", "dest"} <= set(rows)
    # types link to their pages; the inheritance chain links every base
    for target in ("Input", "Output", "CommandJobLimits", "Job", "ParameterizedCommand", "JobIOMixin", "JobStatus"):
        assert f'href="../{target}/"' in html, target
    # the language switcher offers the other language
    other = "../es/CommandJob/" if not lang else "../../CommandJob/"
    assert f'href="{other}"' in html or f'href="{urljoin(url, other)}"' in html
    # every link of the page answers from the server
    for href in sorted(set(re.findall(r'href="([^"#]*)[^"]*"', html))):
        if href and not urlsplit(href).scheme:
            with urllib.request.urlopen(urljoin(url, href), timeout=10) as answer:
                assert answer.status == 200, href
    width, height = screenshot(url, profile, tmp_path / f"CommandJob{'-es' if lang else ''}.png")
    assert (width, height) == (1280, 2000)
    print(f"screenshot: {tmp_path}")


def test_enum_page_renders_its_members(server: str, profile: Path, tmp_path: Path) -> None:
    url = f"{server}/JobStatus/"
    html = dom(url, profile)
    assert ["Member", "Value", "Description"] in table_headers(html)
    values = re.findall(r"<td><code>(\w+)</code></td>\s*<td><code>(\w+)</code></td>", html)
    assert ("NOT_STARTED", "NotStarted") in values and ("UNKNOWN", "Unknown") in values and len(values) == 14
    assert 'href="../Job/"' in html  # used by
    screenshot(url, profile, tmp_path / "JobStatus.png", height=1400)
    print(f"screenshot: {tmp_path}")


def test_the_browser_needs_nothing_from_outside(site: Path) -> None:
    # every stylesheet and script the pages load is part of the site (no fonts or CDN from the network)
    for path in (site / "CommandJob" / "index.html", site / "es" / "JobStatus" / "index.html"):
        for link in parse(path).links:
            if link.endswith((".css", ".js")):
                assert not urlsplit(link).scheme, link
