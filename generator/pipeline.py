"""The stages end to end: spec file → checked model → rendered, formatted files → output tree."""

from __future__ import annotations

import difflib
import gc
import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache
from .config import project_root
from .config import spec_files as spec_files  # re-exported: the spec files of a folder
from .errors import Position, SpecError, SpecProblem
from .outputs import OutputFile
from .spec.source import read_spec
from .targets import TARGET_NAMES, name_rules, renderer
from .write import is_generated, is_kept, kept_out, plan_tree, resolve_output, write_tree

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

    from jinja2 import Environment

    from .model import Package
    from .spec.loader import Document
    from .targets.pydantic import PydanticJob


@dataclass
class Generation:
    """What one spec generates: its files, the top-level folders it owns, and where it came from."""

    files: list[OutputFile]
    owned: list[str]
    spec: Path | None = None
    name: str = ""


#: Told what a run is doing now, step by step (a progress line).
Progress = Callable[[str], None]


def build_model(doc: Document) -> Package:
    """Validate and resolve a loaded spec, with every target's rules for names (raises SpecError)."""
    from .resolve import resolve  # the stages load on a cache miss only
    from .spec.validate import validate

    validate(doc)
    return resolve(doc, name_rules())


def build_package(spec: Path, display: str | None = None) -> Package:
    """Load, validate and resolve one spec file (raises SpecError)."""
    from .spec.loader import load_file

    return build_model(load_file(str(spec), display or spec.as_posix()))


def generate_files(
    spec: Path,
    display: str | None = None,
    *,
    use_cache: bool = True,
    only: tuple[str, ...] = TARGET_NAMES,
    templates: Path | None = None,
    progress: Progress | None = None,
) -> Generation:
    """What one spec generates (every target, or those named in ``only``), formatted, without
    writing anything; ``templates``: a folder of templates layered over the built-in ones.

    With ``use_cache``, an unchanged spec (same bytes, templates, generator and tools) reuses
    the output stored by an earlier run, and nothing else runs.
    """
    name = display or spec.as_posix()
    data = read_spec(spec, name)  # a regular file only: a FIFO or a device is an error, never a hang
    extra = f"\0{template_digest(templates)}" if templates else ""
    key = cache.output_key(data, f"{name}\0{','.join(only)}{extra}") if use_cache else ""
    files = cache.load_outputs(key, spec.parent) if use_cache else None
    if files is None:
        with _no_cyclic_gc(), ExitStack() as stack:
            from .spec.loader import load_bytes  # the stages load on a cache miss only

            # datamodel-code-generator's process gets ready while this one loads and resolves the spec
            worker = stack.enter_context(_second_process()) if _models_beside(only) else None
            # the bytes the key was made of: a spec edited meanwhile is never cached under the old key
            doc = load_bytes(data, name, location=str(spec))
            model = build_model(doc)
            files = render_all(model, use_cache=use_cache, only=only, templates=templates, progress=progress, worker=worker)
        if use_cache:
            # the included files and shipped modules as read: one edited meanwhile makes the entry a miss
            parts = [(part.location, part.digest) for part in doc.included]
            parts += [(module.location, module.digest) for module in doc.modules]
            includes = [(os.path.relpath(location, spec.parent), digest) for location, digest in parts]
            cache.store_outputs(key, files, includes)
    owned = sorted({f.path.split("/", 1)[0] for f in files})
    return Generation(files, owned, spec, name)


def template_digest(folder: Path) -> str:
    """A hash of a folder of templates (names and bytes): part of the cache key when one is used."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector: a generation builds hundreds of thousands of
    short-lived objects (YAML nodes, the model, template output) that reference counting frees,
    and the collector's passes over them took half of loading a 1,000-entity spec."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _models_beside(only: tuple[str, ...]) -> bool:
    """Whether the pydantic models are made in a second process, beside the other targets: when
    they are asked for with other targets, on more than one core."""
    return "pydantic" in only and len(only) > 1 and (os.cpu_count() or 1) > 1


@contextmanager
def _second_process() -> Iterator[Pool]:
    """A process for datamodel-code-generator that loads the tool and runs it once on a small schema
    (:func:`generator.targets.pydantic.warm_up`) as soon as it starts: started before the spec is
    loaded, the models' run pays no first-call costs. Stopped at the end, used or not (a run whose
    models are cached does not wait for the warm-up)."""
    import multiprocessing

    from .targets.pydantic import warm_up

    pool = multiprocessing.get_context().Pool(1, initializer=warm_up)
    try:
        yield pool
    finally:
        pool.terminate()  # used, its work (the models, their cache entry) is done; unused, a warm-up is cut short
        pool.join()


def _pydantic_models(
    package: Package, env: Environment, stack: ExitStack, *, use_cache: bool, only: tuple[str, ...], worker: Pool | None
) -> tuple[PydanticJob, Callable[[], str]]:
    """The source of the pydantic models, when asked for: made now when they are cached or the
    target runs alone or on one core, else by datamodel-code-generator in a second process
    (``worker``, or one started now), while this one renders the other targets."""
    from .targets.pydantic import cached_source, pydantic_job, pydantic_source

    job = pydantic_job(package, env)
    args = (job.schema_text, job.file_header, job.base_class)
    source = cached_source(*args) if use_cache else None
    if source is None and not _models_beside(only):
        source = pydantic_source(*args, use_cache=use_cache)
    if source is not None:
        made = source
        return job, lambda: made
    pool = worker or stack.enter_context(_second_process())
    result = pool.apply_async(pydantic_source, args, {"use_cache": use_cache})
    return job, result.get


def render_all(
    package: Package,
    *,
    use_cache: bool = True,
    only: tuple[str, ...] = TARGET_NAMES,
    templates: Path | None = None,
    progress: Progress | None = None,
    worker: Pool | None = None,
) -> list[OutputFile]:
    """Run the targets (every one, or those named in ``only``) on a resolved package and
    black-format the Python files; ``templates`` are layered over the built-in ones; ``worker``: the
    second process of the pydantic models (:func:`_second_process`), started before the model was."""
    from .render import environment, overrides

    tell = progress or (lambda _step: None)
    files: list[OutputFile] = []
    with overrides(templates), ExitStack() as stack:
        env = environment()
        models: tuple[PydanticJob, Callable[[], str]] | None = None
        if "pydantic" in only:
            # datamodel-code-generator, most of a cold run, works beside the other targets
            models = _pydantic_models(package, env, stack, use_cache=use_cache, only=only, worker=worker)
        for name in TARGET_NAMES:
            if name in only and name != "pydantic":
                tell(f"{package.spec_file}: {name}")
                # the pydantic models' job has rendered the schema already
                files += [models[0].schema] if name == "schema" and models else renderer(name)(package, env)
        # formatted while datamodel-code-generator still works
        tell(f"{package.spec_file}: formatting")
        files = _formatted(files, use_cache=use_cache)
        if models is not None:
            from .targets.pydantic import pydantic_files

            tell(f"{package.spec_file}: pydantic")
            job, source = models
            files += _formatted(pydantic_files(package, env, job, source(), use_cache=use_cache), use_cache=use_cache)
    return files


def _formatted(files: list[OutputFile], *, use_cache: bool) -> list[OutputFile]:
    """The files with their Python black-formatted (the blocks the templates laid out are kept)."""
    from . import fmt

    python = [i for i, f in enumerate(files) if f.python]
    formatted = fmt.format_many(
        [files[i].text for i in python], use_cache=use_cache, laid_out=[files[i].laid_out for i in python]
    )
    out = list(files)
    for i, text in zip(python, formatted, strict=True):
        out[i] = OutputFile(files[i].path, text, True)
    return out


def display_name(path: Path, base: Path) -> str:
    """How a spec file is named in messages: relative to ``base`` when inside it, else as given."""
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def header_name(path: Path, base: Path | None) -> str:
    """How generated headers name a spec: relative to the project root ``base`` (None: the spec's
    own, :func:`generator.config.project_root`), whatever the current folder."""
    root = base if base is not None else project_root(path)
    return Path(os.path.relpath(path.resolve(), root.resolve())).as_posix()


def generate_all(
    specs: list[Path],
    base: Path | None,
    *,
    use_cache: bool = True,
    only: tuple[str, ...] = TARGET_NAMES,
    templates: Path | None = None,
    progress: Progress | None = None,
    shown: Path | None = None,
) -> list[Generation]:
    """Generate every spec (all must succeed before anything is written; raises SpecError with
    the problems of all); ``only``: the targets; ``templates``: a folder layered over ours.

    Headers name specs relative to ``base`` (see :func:`header_name`); messages name them
    relative to ``shown`` (default: as headers do), the folder a person reads them from.
    """
    generations: list[Generation] = []
    problems: list[SpecProblem] = []
    labels: dict[str, str] = {}
    for i, spec in enumerate(specs):
        name = header_name(spec, base)
        labels[name] = display_name(spec, shown) if shown is not None else name
        step = None
        if progress is not None:
            step = _counted(progress, i + 1, len(specs))
            step(f"{labels[name]}: loading")
        try:
            generations.append(
                generate_files(spec, name, use_cache=use_cache, only=only, templates=templates, progress=step)
            )
        except SpecError as exc:
            root = base if base is not None else project_root(spec)
            problems += [_relabel(p, labels, root, shown) for p in exc.problems]
    if problems:
        raise SpecError(problems)
    clashes = _clashes(generations)
    if clashes:
        raise SpecError([_relabel(p, labels) for p in clashes])
    return generations


def _counted(progress: Progress, number: int, total: int) -> Progress:
    return lambda step: progress(f"[{number}/{total}] {step}")


def _relabel(
    problem: SpecProblem, labels: dict[str, str], root: Path | None = None, shown: Path | None = None
) -> SpecProblem:
    """The problem with its spec called as messages call it (``labels``: header name → label); a
    file the spec includes (named relative to the project ``root``) is named relative to ``shown``
    too."""
    label = labels.get(problem.where.file)
    if label is None:
        label = problem.where.file
        if root is not None and shown is not None and not os.path.isabs(label):
            label = display_name(root / label, shown)
    text = problem.message
    for name, other in labels.items():
        text = text.replace(f" of {name}:", f" of {other}:")
    return replace(problem, where=replace(problem.where, file=label), message=text)


def _clashes(generations: list[Generation]) -> list[SpecProblem]:
    """Two specs whose outputs would share a folder (the same package name): each later one is a
    problem at its ``package.name``, naming the first."""
    owner: dict[str, Generation] = {}
    problems: list[SpecProblem] = []
    for gen in generations:
        for top in gen.owned:
            first = owner.setdefault(top, gen)
            if first is not gen:
                where, package = _package_name(gen)
                first_where, _ = _package_name(first)
                problems.append(
                    SpecProblem(
                        where,
                        f'package "{package}" is also the package of {first_where} (both would write {top}/); '
                        "give each spec its own package name",
                    )
                )
                break
    return problems


def _package_name(gen: Generation) -> tuple[Position, str]:
    """Where a generation's spec names its package, and the name."""
    from .spec.loader import load_file

    assert gen.spec is not None
    doc = load_file(str(gen.spec), gen.name)
    package = doc.data.get("package", {}) if isinstance(doc.data, dict) else {}
    return doc.where(("package", "name")), str(package.get("name", "?") if isinstance(package, dict) else "?")


def write_all(out: Path, generations: list[Generation]) -> list[str]:
    """Write every generation into ``out`` in one swap; returns the changed paths."""
    files = [f for gen in generations for f in gen.files]
    owned = sorted({top for gen in generations for top in gen.owned})
    return write_tree(out, files, owned)


def refuse_hand_written(out: Path, generations: list[Generation]) -> None:
    """Raise :class:`WriteError` where writing the generations into ``out`` would find a hand-written
    file it must replace or remove (``generate`` refuses it, so ``check`` cannot call ``out`` in sync)."""
    files = [f for gen in generations for f in gen.files]
    owned = sorted({top for gen in generations for top in gen.owned})
    if os.path.lexists(out):
        plan_tree(resolve_output(out), files, owned, str(out).rstrip("/") or "/")


def differences(out: Path, generations: list[Generation]) -> dict[str, str]:
    """Each file whose text in ``out`` is not what it should be, with its unified diff (in path order)."""
    found: dict[str, str] = {}
    for gen in generations:
        wanted = kept_out(out, {f.path: f.text for f in gen.files})
        present: dict[str, str] = {}
        for top in gen.owned:
            root = out / top
            if root.exists():
                for path in sorted(root.rglob("*")):
                    if path.is_file() and not is_kept(root, path.relative_to(root)) and is_generated(path):
                        present[path.relative_to(out).as_posix()] = path.read_text(encoding="utf-8", errors="replace")
        for rel in sorted(set(wanted) | set(present)):
            old, new = present.get(rel), wanted.get(rel)
            if old != new:
                found[rel] = "".join(
                    difflib.unified_diff(
                        (old or "").splitlines(keepends=True),
                        (new or "").splitlines(keepends=True),
                        fromfile=f"a/{rel}" if old is not None else "/dev/null",
                        tofile=f"b/{rel}" if new is not None else "/dev/null",
                    )
                )
    return found


def diff_all(out: Path, generations: list[Generation]) -> str:
    """A unified diff from what ``out`` holds to what it should hold ('' when in sync)."""
    return "".join(differences(out, generations).values())
