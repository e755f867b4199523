"""Step: the package. Its names (import name, load function), the document root's codec, the
changelog, the modules it ships and the other forms of a document it reads (:mod:`.forms`), and
the assembled :class:`Package`."""

from __future__ import annotations

from ..errors import did_you_mean
from ..model import Codec, Package
from ..spec.changelog import check_changelog, read_changelog
from ..spec.loader import Path
from ..spec.typeexpr import TypeExpr
from .codecs import codec as make_codec
from .context import Resolution
from .forms import document_forms, shipped_modules
from .naming import first


def load_all_name(load_function: str) -> str:
    """The function that loads every document of a file: ``load_job`` → ``load_all_job``."""
    if load_function.startswith("load_"):
        return "load_all_" + load_function.removeprefix("load_")
    return f"{load_function}_all"


def writer_name(load_function: str, prefix: str) -> str:
    """A function that writes what ``load_function`` reads: ``load_job`` with ``dump_`` → ``dump_job``,
    with ``dump_all_`` → ``dump_all_job`` (a load function not named ``load_…`` gets the prefix)."""
    return prefix + load_function.removeprefix("load_")


def run(res: Resolution) -> None:
    raw = res.spec["package"]
    doc = raw["document"]
    root_name = doc["root"]
    root = res.classes.get(root_name)
    codec: Codec | None = None
    if root is None:
        hint = did_you_mean(root_name, res.classes)
        res.fail(("package", "document", "root"), f'document root "{root_name}" is not a class{hint}')
    else:
        codec = make_codec(res, TypeExpr(root_name), (), ("package", "document", "root"))
    fname = doc["load_function"]
    fpath: Path = ("package", "document", "load_function")
    res.check_name(fpath, first([r.load_function_name(fname) for r in res.all_rules]), key=False)
    res.check_name(("package", "name"), first([r.package_name(raw["name"]) for r in res.all_rules]), key=False)
    if fname in res.classes or fname in res.enums:
        res.fail(fpath, f'load function "{fname}" has the name of a type')
    all_name, dump, dump_all = load_all_name(fname), writer_name(fname, "dump_"), writer_name(fname, "dump_all_")
    derived_names = (
        (all_name, "loads every document of a file"),
        (dump, "writes a document"),
        (dump_all, "writes several documents"),
    )
    for derived, what in derived_names:
        res.check_name(fpath, first([r.load_function_name(derived) for r in res.all_rules]), key=False)
        if derived in res.classes or derived in res.enums:
            res.fail(fpath, f'function "{derived}" (which {what}) has the name of a type')
    res.problems += check_changelog(res.doc)
    modules = shipped_modules(res)
    reads = document_forms(res, modules)
    if res.problems or root is None or codec is None:
        return
    named = {c.name: c for c in res.codecs.values() if c.name and c.kind != "class"}
    res.package = Package(
        name=raw["name"],
        version=raw["version"],
        title=res.text(raw["title"]),
        description=res.text(raw["description"]),
        spec_file=res.doc.file,
        root=root,
        root_codec=codec,
        load_function=fname,
        load_all_function=all_name,
        dump_function=dump,
        dump_all_function=dump_all,
        document_description=res.text(doc["description"]) if "description" in doc else None,
        yaml_version=doc.get("yaml", "1.1"),
        enums=list(res.enums.values()),
        classes=res.order,
        codecs=[named[n] for n in sorted(named)],
        source=res.doc,
        languages=res.languages,
        changelog=read_changelog(res.doc, res.languages),
        modules=modules,
        reads=reads,
    )
