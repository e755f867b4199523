"""``include:`` of other spec files (issue 14): the spec and the files it includes make one package, whose
problems keep the file, line and column of the file they are in; ``check`` and the output cache see every
included file's bytes, ``diff`` compares across includes (files and git revisions), ``watch`` watches them.
The mistakes themselves (a missing file, a cycle, a name in two files...) are tests/bad_specs cases."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator import api
from generator.cli import main
from generator.errors import SpecError
from generator.pipeline import build_package, generate_files
from generator.spec.loader import included_files, load_file
from generator.watch import WatchOptions, watch

HEAD = """\
idl: 1
package:
  name: shop
  version: "1.0"
  languages: [en, es]
  title: {en: Shop, es: Tienda}
  description: {en: A shop., es: Una tienda.}
  document: {root: Order, load_function: load_order}
"""
ORDER = """\
  Order:
    description: {en: An order., es: Un pedido.}
    fields:
      items:
        type: list[Item]
        default: []
        description: {en: Items., es: Artículos.}
      color:
        type: Optional[Color]
        default: null
        description: {en: Its color., es: Su color.}
"""
ITEM = """\
  Item:
    description: {en: An item., es: Un artículo.}
    bases: [Priced]
    fields:
      sku:
        type: str
        description: {en: SKU., es: SKU.}
"""
PRICED = """\
  Priced:
    description: {en: Has a price., es: Tiene un precio.}
    abstract: true
    fields:
      price:
        type: float
        default: 0
        minimum: 0
        description: {en: The price., es: El precio.}
"""
COLOR = """\
  Color:
    description: {en: A color., es: Un color.}
    members:
      RED: {value: red, description: {en: Red., es: Rojo.}}
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """spec/shop.yaml includes common/items.yaml and common/colors.yaml; items.yaml includes prices.yaml
    and colors.yaml again (read once)."""
    write(tmp_path / "spec" / "shop.yaml", HEAD.replace("idl: 1\n", "idl: 1\ninclude: [common/items.yaml, common/colors.yaml]\n") + "classes:\n" + ORDER)
    write(tmp_path / "spec" / "common" / "items.yaml", "idl: 1\ninclude: [prices.yaml, colors.yaml]\nclasses:\n" + ITEM)
    write(tmp_path / "spec" / "common" / "prices.yaml", "idl: 1\nclasses:\n" + PRICED)
    write(tmp_path / "spec" / "common" / "colors.yaml", "idl: 1\nenums:\n" + COLOR)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_included_files_make_one_package_with_the_spec(project: Path) -> None:
    package = build_package(Path("spec/shop.yaml"))
    doc = load_file("spec/shop.yaml")
    assert list(doc.data["classes"]) == ["Order", "Item", "Priced"]  # the spec's own first
    assert [e.name for e in package.enums] == ["Color"]
    item = next(c for c in package.classes if c.name == "Item")
    assert [f.name for f in item.fields] == ["price", "sku"] and item.fields[0].constraints.minimum == 0
    assert str(item.where) == "spec/common/items.yaml:4:3"  # each keeps the position in its own file
    assert str(package.enums[0].members[0].where) == "spec/common/colors.yaml:6:7"
    assert [part.file for part in doc.included] == ["spec/common/items.yaml", "spec/common/prices.yaml", "spec/common/colors.yaml"]


def test_a_spec_in_several_files_generates_what_it_does_in_one(project: Path) -> None:
    one = write(project / "whole" / "shop.yaml", HEAD + "enums:\n" + COLOR + "classes:\n" + ORDER + ITEM + PRICED)
    split = {f.path: f.text for f in generate_files(Path("spec/shop.yaml"), "spec/shop.yaml", use_cache=False).files}
    whole = {f.path: f.text for f in generate_files(one, "spec/shop.yaml", use_cache=False).files}
    assert split.keys() == whole.keys()
    differ = [path for path in split if split[path] != whole[path]]
    # the enums come first in one file, after the classes of the spec in the other: only their order differs
    assert all(path.endswith((".md", ".yml")) for path in differ), differ
    assert split["shop/shop/models.py"] == whole["shop/shop/models.py"]


def test_a_file_included_again_through_a_symbolic_link_is_read_once(project: Path) -> None:
    (project / "spec" / "shared").symlink_to("common", target_is_directory=True)
    shop = project / "spec" / "shop.yaml"
    write(shop, shop.read_text(encoding="utf-8").replace("common/colors.yaml]", "common/colors.yaml, shared/prices.yaml]"))
    doc = load_file("spec/shop.yaml")  # not "class Priced is defined in two files"
    assert [part.file for part in doc.included] == ["spec/common/items.yaml", "spec/common/prices.yaml", "spec/common/colors.yaml"]


def test_an_error_in_an_included_file_is_told_at_its_own_line(project: Path) -> None:
    write(project / "spec" / "common" / "prices.yaml", "idl: 1\nclasses:\n" + PRICED.replace("minimum: 0", "minimum: 1"))
    with pytest.raises(SpecError) as err:
        build_package(Path("spec/shop.yaml"))
    assert str(err.value) == 'spec/common/prices.yaml:9:18: field "price": default 0 breaks minimum: expected at least 1, found 0'


def test_an_included_file_is_named_from_the_folder_the_command_runs_in(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project / "pyproject.toml", "[project]\nname = 'x'\n")
    write(project / "spec" / "common" / "prices.yaml", "idl: 1\nclasses:\n" + PRICED.replace("minimum: 0", "minimum: 1"))
    for folder, shown in (("", "spec/common/prices.yaml"), ("spec", "common/prices.yaml"), ("spec/common", "prices.yaml")):
        monkeypatch.chdir(project / folder)
        spec = os.path.relpath(project / "spec" / "shop.yaml")
        assert main(["check", "--out", str(project / "generated"), spec]) == 2
        assert capsys.readouterr().err.splitlines()[0].startswith(f"{shown}:9:18: "), folder  # a path that opens from here


def test_check_and_the_cache_see_every_included_file(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert api.generate(["spec/shop.yaml"], out="out", cache=cache).ok
    assert api.check(["spec/shop.yaml"], out="out", cache=cache).ok
    prices = project / "spec" / "common" / "prices.yaml"
    write(prices, prices.read_text(encoding="utf-8").replace("The price.", "What it costs."))
    result = api.check(["spec/shop.yaml"], out="out", cache=cache)  # the spec's own bytes are the same
    assert not result.ok and '+    """What it costs."""' in result.diff
    assert api.generate(["spec/shop.yaml"], out="out", cache=cache).ok
    assert "What it costs." in (project / "out" / "shop" / "shop" / "models.py").read_text(encoding="utf-8")
    prices.unlink()
    assert api.check(["spec/shop.yaml"], out="out", cache=cache).problems[0].message.startswith('cannot include "prices.yaml"')


def test_diff_compares_across_includes(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = project / "old"
    shutil.copytree(project / "spec", old)
    prices = project / "spec" / "common" / "prices.yaml"
    write(prices, prices.read_text(encoding="utf-8").replace("minimum: 0", "minimum: 0\n        maximum: 1000"))
    assert main(["diff", "old/shop.yaml", "spec/shop.yaml"]) == 1
    out = capsys.readouterr().out
    assert 'field "Priced.price": constraint maximum: 1000 added' in out and "[constraint-added:Priced.price[maximum]]" in out


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


def test_diff_against_a_git_revision_reads_the_included_files_of_that_revision(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git(project, "init", "-q")
    git(project, "-c", "user.name=t", "-c", "user.email=t@t", "add", "spec")
    git(project, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one")
    colors = project / "spec" / "common" / "colors.yaml"
    write(colors, colors.read_text(encoding="utf-8") + "      BLUE: {value: blue, description: {en: Blue., es: Azul.}}\n")
    assert main(["diff", "--against", "HEAD", "spec/shop.yaml"]) == 0
    assert 'enum "Color": member BLUE (value "blue") added' in capsys.readouterr().out
    colors.unlink()
    git(project, "rm", "-q", "--cached", "spec/common/colors.yaml")
    git(project, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "two")
    items = project / "spec" / "common" / "items.yaml"
    write(items, items.read_text(encoding="utf-8").replace(", colors.yaml", ""))
    assert main(["diff", "HEAD:spec/shop.yaml", "spec/shop.yaml"]) == 2
    err = capsys.readouterr().err
    assert 'spec/shop.yaml:2:30: cannot include "common/colors.yaml" (HEAD:spec/common/colors.yaml): no such file in HEAD' in err


def test_diff_against_a_git_revision_follows_the_symbolic_links_of_its_tree(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "spec" / "shared").symlink_to("common", target_is_directory=True)  # a folder's link
    (project / "spec" / "colors.yaml").symlink_to("common/colors.yaml")  # a file's link
    shop = project / "spec" / "shop.yaml"
    includes = "[shared/items.yaml, colors.yaml, common/prices.yaml]"  # each file twice, by two paths
    write(shop, shop.read_text(encoding="utf-8").replace("[common/items.yaml, common/colors.yaml]", includes))
    git(project, "init", "-q")
    git(project, "add", "spec")
    git(project, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one")
    assert main(["diff", "--against", "HEAD", "spec/shop.yaml"]) == 0
    assert main(["diff", "HEAD:spec/shop.yaml", "spec/shop.yaml"]) == 0
    assert capsys.readouterr().err == ""
    colors = project / "spec" / "common" / "colors.yaml"
    write(colors, colors.read_text(encoding="utf-8") + "      BLUE: {value: blue, description: {en: Blue., es: Azul.}}\n")
    assert main(["diff", "--against", "HEAD", "spec/shop.yaml"]) == 0
    assert 'enum "Color": member BLUE (value "blue") added' in capsys.readouterr().out


def test_a_loop_of_symbolic_links_at_a_git_revision_is_told_at_the_include(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "spec" / "one").symlink_to("two", target_is_directory=True)
    (project / "spec" / "two").symlink_to("one", target_is_directory=True)
    (project / "spec" / "gone.yaml").symlink_to("common/missing.yaml")
    (project / "spec" / "out.yaml").symlink_to("/etc/hostname")
    git(project, "init", "-q")
    git(project, "add", "spec")
    git(project, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one")
    shop = project / "spec" / "shop.yaml"
    write(shop, shop.read_text(encoding="utf-8").replace("common/colors.yaml]", "one/x.yaml, gone.yaml, out.yaml]"))
    git(project, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "two")
    assert main(["diff", "--against", "HEAD", "spec/shop.yaml"]) == 2
    err = capsys.readouterr().err
    assert (
        'HEAD:spec/shop.yaml:2:30: cannot include "one/x.yaml" (HEAD:spec/one/x.yaml): '
        "more than 40 symbolic links on its path in HEAD (a loop of links?)"
    ) in err
    assert 'HEAD:spec/shop.yaml:2:42: cannot include "gone.yaml" (HEAD:spec/gone.yaml): no such file in HEAD' in err
    assert (
        'HEAD:spec/shop.yaml:2:53: cannot include "out.yaml" (HEAD:spec/out.yaml): '
        'HEAD:spec/out.yaml is a symbolic link to "/etc/hostname", outside the repository'
    ) in err


def test_the_files_a_spec_includes_are_found_even_when_one_does_not_parse(project: Path) -> None:
    write(project / "spec" / "common" / "prices.yaml", "idl: 1\nclasses: [\n")
    assert included_files("spec/shop.yaml") == ["spec/common/items.yaml", "spec/common/colors.yaml", "spec/common/prices.yaml"]


def test_watch_regenerates_when_an_included_file_changes(project: Path) -> None:
    prices = project / "spec" / "common" / "prices.yaml"

    def edit(_seconds: float) -> None:
        write(prices, prices.read_text(encoding="utf-8").replace("The price.", "What it costs."))

    options = WatchOptions(api.GenerateOptions(specs=[Path("spec/shop.yaml")], out=Path("out"), base=project), cycles=2, interval=0)
    out = io.StringIO()
    assert watch(options, stdout=out, stderr=io.StringIO(), sleep=edit) == 0
    assert out.getvalue().count("generated ") == 2
    assert "What it costs." in (project / "out" / "shop" / "shop" / "models.py").read_text(encoding="utf-8")
