"""The fourth judge of a GitHub Actions workflow: the schema check-jsonschema publishes.

Our three judges (the generated loader, the generated JSON Schema, the generated pydantic models;
``tests/judges.py``) and check-jsonschema's ``vendor.github-workflows`` schema give a verdict on
every collected workflow and on single-change mutations of them. Every disagreement falls in one of
the categories of :data:`CATEGORIES` (a rule one side checks and the other does not, each with its
reason), or the sweep reports it as unexplained.

The published schema runs in this process, through check-jsonschema's own validator construction
(``BuiltinSchemaLoader``, its ECMAScript regex engine for ``pattern`` and its format checks): the
validator the command ``check-jsonschema --builtin-schema vendor.github-workflows FILE`` builds,
without a process (about a second) per document. The tests check that it gives the verdicts the
command recorded in ``corpus/VERDICTS.tsv``; ``--cli`` runs the command again on every file.

All four judges see the same data: the document as YAML reads it, with the plain keys ``on``,
``off``, ``yes`` and ``no`` read as the words they are (as check-jsonschema's YAML 1.2 parser and
GitHub read them), where pyyaml's YAML 1.1 reads them as booleans.

    python -m tests.formats.github_actions.judge --report          # the README's counts, measured now
    python -m tests.formats.github_actions.judge --update-readme   # written into README.md
    python -m tests.formats.github_actions.judge --cli      # the CLI's verdicts on the corpus again
"""

from __future__ import annotations

import argparse
import copy
import csv
import fnmatch
import random
import re
import subprocess
import sys
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml
from jsonschema.exceptions import best_match

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
CORPUS = HERE / "corpus"
SPEC = ROOT / "spec" / "github_workflow.yaml"
GENERATED = ROOT / "generated"
BUILTIN = "vendor.github-workflows"
#: Mutations made of each collected file (chosen with a seed of its own, from every possible one).
PER_FILE = 40
SEED = 14

if str(ROOT / "tests") not in sys.path:  # run as a module: the tests' helpers, as pytest finds them
    sys.path.insert(0, str(ROOT / "tests"))

# -- reading ---------------------------------------------------------------------------------------

class _Loader(yaml.CSafeLoader):
    """pyyaml's safe loader with YAML 1.2's core schema for plain scalars, as GitHub reads workflows:
    only true/false are booleans (``on:`` is the key "on", ``yes`` a string), no dates, ``012`` is
    twelve, ``0o17`` octal. Written from the YAML 1.2 spec's table (10.3.2), apart from the package's."""

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        text = str(self.construct_scalar(node))
        base = {"0o": 8, "0x": 16}.get(text[:2], 10)
        return int(text[2:] if base != 10 else text, base)


_Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    ("bool", r"true|True|TRUE|false|False|FALSE", list("tTfF")),
    ("int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", list("-+0123456789")),
    ("float", r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)", list("-+.0123456789")),
    ("merge", r"<<", ["<"]),
):
    _Loader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(rf"^(?:{_pattern})$"), _first)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


def read_yaml(text: str) -> Any:
    """A workflow as GitHub reads it (YAML 1.2's core schema)."""
    return yaml.load(text, Loader=_Loader)


@dataclass(frozen=True)
class Collected:
    """One collected workflow file, its origin and check-jsonschema's recorded verdict."""

    name: str
    repository: str
    path: str
    commit: str
    valid: bool
    message: str

    @property
    def text(self) -> str:
        return (CORPUS / self.name).read_text(encoding="utf-8")


def _tsv(name: str) -> list[dict[str, str]]:
    with open(CORPUS / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@cache
def collected() -> tuple[Collected, ...]:
    """Every collected workflow, in file name order."""
    verdicts = {row["file"]: row for row in _tsv("VERDICTS.tsv")}
    return tuple(
        Collected(
            row["file"],
            row["repository"],
            row["path"],
            row["commit"],
            verdicts[row["file"]]["check_jsonschema"] == "valid",
            verdicts[row["file"]]["message_if_invalid"],
        )
        for row in sorted(_tsv("SOURCES.tsv"), key=lambda r: r["file"])
    )


def parsed() -> Iterator[tuple[Collected, Any]]:
    """The collected workflows that are YAML, with their documents."""
    for item in collected():
        try:
            yield item, read_yaml(item.text)
        except yaml.YAMLError:
            continue


# -- the four judges -------------------------------------------------------------------------------

JUDGES = ("loader", "schema", "pydantic", "published")


class Published:
    """check-jsonschema's validator of its builtin workflow schema, as its command builds it."""

    def __init__(self) -> None:
        from check_jsonschema.formats import FormatOptions
        from check_jsonschema.regex_variants import RegexImplementation, RegexVariantName
        from check_jsonschema.schema_loader import BuiltinSchemaLoader

        regex = RegexImplementation(RegexVariantName.default)
        loader = BuiltinSchemaLoader(BUILTIN)
        self.validator = loader.get_validator(CORPUS, {}, FormatOptions(regex_impl=regex), regex, False)

    def verdict(self, doc: object) -> str | None:
        """None when the schema takes ``doc``, else its first error (see :meth:`explain`)."""
        error = next(iter(self.validator.iter_errors(doc)), None)
        return None if error is None else f"{error.json_path}: {error.message[:300]}"

    def explain(self, doc: object) -> str:
        """The error jsonschema finds most relevant (slower: every error is looked at)."""
        error = best_match(self.validator.iter_errors(doc))
        return "accepts" if error is None else f"{error.json_path}: {error.message[:300]}"


@dataclass
class Judged:
    """A document, what was done to it, and each judge's verdict (None: accepted)."""

    file: str
    change: str
    doc: Any
    verdicts: dict[str, str | None]
    mutation: Mutation | None = None

    @property
    def ours(self) -> bool:
        return self.verdicts["loader"] is None

    @property
    def theirs(self) -> bool:
        return self.verdicts["published"] is None

    @property
    def ours_agree(self) -> bool:
        return len({self.verdicts[j] is None for j in JUDGES[:3]}) == 1


class FourJudges:
    """Our three judges of the checked-in package (generated/github_workflow*) and the published one."""

    def __init__(self) -> None:
        from conftest import import_fresh
        from judges import Judges

        from generator.pipeline import build_package

        package = build_package(SPEC)
        entities = import_fresh(package.name, GENERATED / package.name)
        models = import_fresh(f"{package.name}_pydantic", GENERATED / f"{package.name}_pydantic")
        self.entities: ModuleType = entities
        self.ours = Judges.load(package, GENERATED, entities, models)
        self.published = Published()

    def judge(self, file: str, change: str, doc: Any) -> Judged:
        verdicts = self.ours.verdicts(doc)
        verdicts["published"] = self.published.verdict(doc)
        return Judged(file, change, doc, verdicts)


# -- mutations -------------------------------------------------------------------------------------

Path_ = tuple[Any, ...]


@dataclass(frozen=True)
class Mutation:
    """One change to a document: its kind, where, and the value put there (or the key added)."""

    kind: str
    path: Path_
    value: Any = None
    key: str = ""

    def describe(self) -> str:
        where = ".".join(map(str, self.path)) or "<document>"
        extra = f" {self.key!r}" if self.key else ""
        return f"{self.kind}{extra} at {where}" + ("" if self.kind in _NO_VALUE else f": {self.value!r}")

    def apply(self, doc: Any) -> Any:
        doc = copy.deepcopy(doc)
        if self.kind in ("unknown-key", "foreign-key"):
            _at(doc, self.path)[self.key] = copy.deepcopy(self.value)
            return doc
        if self.kind == "drop":
            del _at(doc, self.path[:-1])[self.path[-1]]
            return doc
        if self.kind == "null-item":
            _at(doc, self.path).append(None)
            return doc
        if not self.path:
            return copy.deepcopy(self.value)
        _at(doc, self.path[:-1])[self.path[-1]] = copy.deepcopy(self.value)
        return doc


_NO_VALUE = frozenset({"drop"})
#: A key no version of the format has.
UNKNOWN_KEY = "unknown-key"
#: A string no enumeration of the format holds.
BAD_WORD = "not-a-known-value"
EXPRESSION = "${{ inputs.value }}"


def _at(doc: Any, path: Path_) -> Any:
    for key in path:
        doc = doc[key]
    return doc


def _walk(doc: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    yield path, doc
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield from _walk(value, (*path, key))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            yield from _walk(value, (*path, i))


def every_mutation(doc: Any) -> list[Mutation]:
    """Every single change the generator knows for ``doc``, in document order.

    Mappings: each key dropped, an unknown key added, a key of another mapping of the document
    added (a step's ``run`` beside its ``uses``, a call job's ``uses`` in a normal job), emptied,
    a string or a list in their place. Lists: emptied, their first item (or a string) in their
    place, an item dropped, a null item. Scalars: null, another type (a number for a string, the
    text of a number or a boolean), a list or a mapping of them, a word no enumeration has, an
    expression for a boolean or a number.
    """
    out: list[Mutation] = []
    elsewhere = [(p, value) for p, value in _walk(doc) if isinstance(value, dict)]
    for path, value in _walk(doc):
        if isinstance(value, dict):
            out += [Mutation("drop", (*path, key)) for key in value]
            out.append(Mutation("unknown-key", path, "x", UNKNOWN_KEY))
            foreign = [(k, v) for p, other in elsewhere if p != path for k, v in other.items() if k not in value]
            if foreign:
                key, item = foreign[zlib.crc32(repr(path).encode()) % len(foreign)]
                out.append(Mutation("foreign-key", path, item, str(key)))
            if path:
                out += [Mutation("empty-mapping", path, {}), Mutation("string-for-mapping", path, "x")]
                out.append(Mutation("list-for-mapping", path, [value]))
        elif isinstance(value, list):
            out += [Mutation("empty-list", path, []), Mutation("null-item", path, None)]
            if value:
                first = value[0]
                out.append(Mutation("item-for-list", path, first if not isinstance(first, (dict, list)) else "x"))
                if len(value) > 1:
                    out.append(Mutation("drop", (*path, len(value) - 1)))
        else:
            out.append(Mutation("null", path, None))
            if isinstance(value, bool):
                out += [Mutation("text-for-bool", path, str(value).lower()), Mutation("number-for-bool", path, 1)]
                out.append(Mutation("expression-for-scalar", path, EXPRESSION))
            elif isinstance(value, (int, float)):
                out += [Mutation("text-for-number", path, str(value)), Mutation("bool-for-number", path, True)]
                out.append(Mutation("expression-for-scalar", path, EXPRESSION))
            elif isinstance(value, str):
                out += [Mutation("number-for-string", path, 7), Mutation("bool-for-string", path, True)]
                out += [Mutation("bad-word", path, BAD_WORD), Mutation("empty-string", path, "")]
                out.append(Mutation("list-for-string", path, [value]))
                out.append(Mutation("mapping-for-string", path, {"key": value}))
    return [m for m in out if m.path or m.kind in ("unknown-key", "foreign-key")]


def mutations(name: str, doc: Any, count: int = PER_FILE, seed: int = SEED) -> list[Mutation]:
    """``count`` of the document's mutations, the same ones on every run (seeded by ``seed`` and the file name)."""
    every = every_mutation(doc)
    chosen = random.Random(f"{seed}:{name}").sample(range(len(every)), min(count, len(every)))
    return [every[i] for i in sorted(chosen)]


# -- the categories of disagreement ----------------------------------------------------------------

#: Keys whose mapping is named by the workflow's author (job ids, variable names, inputs...).
NAMED_BY_AUTHOR = frozenset({"jobs", "services", "env", "with", "outputs", "inputs", "secrets"})
#: Events the published schema checks only as "a mapping, or null" (their intended filters sit
#: beside a ``$ref``, which draft-07 ignores).
UNCHECKED_EVENTS = frozenset(
    {
        "branch_protection_rule", "check_run", "check_suite", "discussion", "discussion_comment",
        "issue_comment", "issues", "label", "merge_group", "milestone", "project", "project_card",
        "project_column", "pull_request_review", "pull_request_review_comment", "registry_package", "release",
        "repository_dispatch", "workflow_dispatch", "workflow_run",
    }
)  # fmt: skip


def shape_of(path: Path_) -> str:
    """``path`` with the names an author chooses and list positions replaced: ``jobs.<job>.steps.<i>.with.<name>``."""
    out: list[str] = []
    for i, key in enumerate(path):
        parent = path[i - 1] if i else None
        if isinstance(key, int):
            out.append("<i>")
        elif parent == "jobs" and i == 1:
            out.append("<job>")
        elif parent in NAMED_BY_AUTHOR and i > 1 and out[-1] != "<name>":
            out.append("<name>")
        elif parent == "matrix" and key not in ("include", "exclude"):
            out.append("<axis>")
        else:
            out.append(str(key))
    return ".".join(out) or "<document>"


#: Where the format takes a list of at least one item.
NON_EMPTY_LISTS = (
    "on", "on.*.branches", "on.*.branches-ignore", "on.*.tags", "on.*.tags-ignore", "on.*.paths",
    "on.*.paths-ignore", "on.*.types", "on.schedule", "on.workflow_run.workflows",
    "on.workflow_dispatch.inputs.<name>.options", "jobs.<job>.needs", "jobs.<job>.runs-on", "jobs.<job>.steps",
    "jobs.<job>.steps.<i>.parallel", "jobs.<job>.steps.<i>.wait", "jobs.<job>.container.ports",
    "jobs.<job>.container.volumes", "jobs.<job>.services.<name>.ports", "jobs.<job>.services.<name>.volumes",
    "jobs.<job>.strategy.matrix.include", "jobs.<job>.strategy.matrix.exclude",
)  # fmt: skip
#: Where the format takes an expression (a whole ``${{ ... }}``) beside a boolean, a number or a mapping.
EXPRESSION_OR = (
    "env", "jobs.<job>.env", "jobs.<job>.steps.<i>.env", "jobs.<job>.steps.<i>.with", "jobs.<job>.with",
    "jobs.<job>.secrets", "jobs.<job>.container.env", "jobs.<job>.services.<name>.env", "*.cancel-in-progress",
    "jobs.<job>.timeout-minutes", "jobs.<job>.continue-on-error", "jobs.<job>.steps.<i>.timeout-minutes",
    "jobs.<job>.steps.<i>.continue-on-error", "jobs.<job>.environment.deployment", "jobs.<job>.strategy.matrix",
    "jobs.<job>.strategy.matrix.include", "jobs.<job>.strategy.matrix.exclude", "jobs.<job>.uses",
    "jobs.<job>.needs", "jobs.<job>.snapshot.version",
)  # fmt: skip
#: Mappings the format wants with at least one key.
NON_EMPTY_MAPPINGS = ("jobs", "defaults", "defaults.run", "jobs.<job>.defaults", "jobs.<job>.defaults.run",
                      "jobs.<job>.outputs", "jobs.<job>.strategy.matrix")  # fmt: skip
#: Lists whose items are checked by a pattern or a length in the published schema, not by us.
ITEM_RULES = ("on.*.branches.<i>", "on.*.branches-ignore.<i>", "on.*.tags.<i>", "on.*.tags-ignore.<i>",
              "on.*.paths.<i>", "on.*.paths-ignore.<i>", "jobs.<job>.needs.<i>")  # fmt: skip


def _matches(shape: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(shape, pattern) for pattern in patterns)


def _shape(m: Mutation | None) -> str:
    return "" if m is None else shape_of(m.path)


def _emptied(j: Judged, m: Mutation | None) -> str | None:
    """The shape of the mapping or list the mutation left empty (dropping its last key or item, or emptying it)."""
    if m is None:
        return None
    if m.kind in ("empty-list", "empty-mapping"):
        return shape_of(m.path)
    if m.kind == "drop" and m.path and _at(j.doc, m.path[:-1]) in ({}, []):
        return shape_of(m.path[:-1])
    return None


@dataclass(frozen=True)
class Category:
    """A rule one side checks and the other does not: which side accepts, why, and how to recognise it.

    ``pending`` names the IDL feature (issue 14) the spec waits for: its keys are commented out in
    ``spec/github_workflow.yaml`` until the generator reads them, and the category then empties.
    """

    id: str
    accepted_by: str  # "ours" or "published"
    rule: str
    reason: str
    matches: Callable[[Judged, Mutation | None, Any], bool]
    pending: str = ""


CATEGORIES: tuple[Category, ...] = (
    Category(
        "constraints",
        "ours",
        "Lists of at least one item; expressions (`${{ ... }}`) where a boolean, a number or a mapping may "
        "also be written; the pattern of a reusable workflow's path.",
        "`min_items` and `pattern`.",
        lambda j, m, original: m is not None
        and (
            _matches(_emptied(j, m) or "", NON_EMPTY_LISTS)
            or (
                _matches(_shape(m), EXPRESSION_OR)
                and m.kind in ("bad-word", "empty-string", "text-for-bool", "text-for-number", "string-for-mapping")
            )
        ),
        pending="constraints",
    ),
    Category(
        "matrix-axes",
        "ours",
        "A matrix axis (any key but `include` and `exclude`) is a non-empty list of values, or an expression; "
        "no value of an axis or of an `include`/`exclude` entry is null.",
        "The axes are the matrix's unknown keys, kept as they are (`unknown_keys: keep`): the IDL cannot "
        "type a class's other keys. Values inside the entries are `Any`, which takes null.",
        lambda j, m, original: _matches(_shape(m), ("jobs.<job>.strategy.matrix", "jobs.<job>.strategy.matrix.*")),
    ),
    Category(
        "null-optional",
        "ours",
        "An optional key written with no value (null) where the published schema wants a value of a type.",
        "Our IDL reads an optional field as `Optional[T]`: null and absent mean the same. It has no way yet "
        "to say a key may be left out but not written empty.",
        lambda j, m, original: m is not None and m.kind == "null",
    ),
    Category(
        "unchecked-event",
        "published",
        "The filters of the 20 events whose value the published schema checks only as a mapping or null: "
        "their `types`, `workflow_dispatch` inputs, `workflow_run` workflows and branches.",
        "The published schema writes these rules beside a `$ref`, and draft-07 ignores a `$ref`'s siblings "
        "(`repository_dispatch` has none); we check what the rules say: GitHub's documented activity types and "
        "input kinds, and a `repository_dispatch` type is a string.",
        lambda j, m, original: m is not None and len(m.path) >= 2 and m.path[0] == "on" and m.path[1] in UNCHECKED_EVENTS,
    ),
    Category(
        "pull-request-types",
        "published",
        "`types` of `pull_request` and `pull_request_target`: a known activity.",
        "The published schema's activity list sits beside a `$ref` (ignored in draft-07): it takes any "
        "non-empty list or any string; we take GitHub's documented activities.",
        lambda j, m, original: _matches(_shape(m), ("on.pull_request.types*", "on.pull_request_target.types*")),
    ),
    Category(
        "non-empty-mappings",
        "ours",
        "`jobs`, `defaults`, `defaults.run`, a job's `outputs` and a matrix with at least one key.",
        "The IDL's size constraints are for lists; a mapping's number of keys is not checked.",
        lambda j, m, original: _matches(_emptied(j, m) or "", NON_EMPTY_MAPPINGS),
    ),
    Category(
        "item-rules",
        "ours",
        "Each branch, tag and path pattern is a non-empty string; each id in a `needs` list is a job id.",
        "Constraints apply to a field's value, not to the items of its list.",
        lambda j, m, original: _matches(_shape(m), ITEM_RULES),
    ),
)


def classify(j: Judged, m: Mutation | None, original: Any) -> str | None:
    """The category of a disagreement (None: unexplained): the first whose side and rule match."""
    side = "ours" if j.ours else "published"
    return next((c.id for c in CATEGORIES if c.accepted_by == side and c.matches(j, m, original)), None)


# -- the sweep -------------------------------------------------------------------------------------


@dataclass
class Sweep:
    """The four verdicts on every collected file and mutation, and how the disagreements fall."""

    files: int = 0
    mutations: int = 0
    agreed: int = 0
    our_judges_disagree: list[Judged] = field(default_factory=list)
    categorised: Counter[str] = field(default_factory=Counter)
    unexplained: list[Judged] = field(default_factory=list)
    corpus_mismatch: list[str] = field(default_factory=list)
    by_kind: Counter[str] = field(default_factory=Counter)

    @property
    def disagreements(self) -> int:
        return sum(self.categorised.values()) + len(self.unexplained)


def sweep(judges: FourJudges, per_file: int = PER_FILE) -> Sweep:
    out = Sweep()
    for item, doc in parsed():
        out.files += 1
        original = judges.judge(item.name, "as collected", doc)
        if original.theirs != item.valid:
            out.corpus_mismatch.append(f"{item.name}: in-process {original.theirs}, recorded {item.valid}")
        cases: list[tuple[Judged, Mutation | None]] = [(original, None)]
        for m in mutations(item.name, doc, per_file):
            out.mutations += 1
            out.by_kind[m.kind] += 1
            judged = judges.judge(item.name, m.describe(), m.apply(doc))
            judged.mutation = m
            cases.append((judged, m))
        for judged, m in cases:
            if not judged.ours_agree:
                out.our_judges_disagree.append(judged)
            if judged.ours == judged.theirs:
                out.agreed += 1
                continue
            category = classify(judged, m, doc)
            if category is None:
                out.unexplained.append(judged)
            else:
                out.categorised[category] += 1
    return out


def _mutation_of(j: Judged) -> Mutation | None:
    return j.mutation


def describe(j: Judged, published: Published | None = None) -> str:
    """The verdicts on a document, each judge's message on one line (the published one's most relevant error)."""
    lines = [f"{j.file}: {j.change}"]
    for name in JUDGES:
        message = j.verdicts[name]
        if message is not None and name == "published" and published is not None:
            message = published.explain(j.doc)
        lines.append(f"    {name}: {'accepts' if message is None else 'rejects: ' + message.splitlines()[-1][:200]}")
    return "\n".join(lines)


def report(result: Sweep) -> str:
    """The README's account of this judge, with the counts measured now."""
    total = result.files + result.mutations
    ours = "all of them" if not result.our_judges_disagree else f"all but {len(result.our_judges_disagree)}"

    def rows(pending: bool) -> str:
        return "\n".join(
            f"| {c.rule} | {'ours' if c.accepted_by == 'ours' else 'published'} | "
            f"{(c.pending + ': ') if pending else ''}{c.reason} | {result.categorised[c.id]} |"
            for c in CATEGORIES
            if bool(c.pending) == pending
        )

    pending = [c for c in CATEGORIES if c.pending]
    waiting = sum(result.categorised[c.id] for c in pending)
    listed = result.disagreements - waiting - len(result.unexplained)
    head = "| rule | accepted by | why | documents |\n| --- | --- | --- | --- |\n"
    text = f"""\
Measured by `python -m tests.formats.github_actions.judge --report` (`tests/test_github_workflows.py` checks them):
{result.files} collected workflows that are YAML and {result.mutations} single-change mutations of them
({PER_FILE} a file, chosen with seed {SEED} from every change the generator knows for it), {total} documents. Our three
judges agree on {ours}. The published schema agrees with them on {result.agreed}; it disagrees on
{result.disagreements}: {waiting} wait for IDL features of issue 14 not on main yet, {listed} are rules one side
checks and the other does not, {len(result.unexplained)} are unexplained.

Rules one side checks and the other does not:

{head}{rows(False)}
"""
    if pending:
        text += f"""
Waiting for IDL features (their keys are commented out in `spec/github_workflow.yaml`, `# needs: FEATURE`):

{head}{rows(True)}
"""
    return text


README = ROOT / "README.md"
#: The README's lines around the report (Markdown comments: not shown).
START, END = "<!-- judge report: start -->\n", "<!-- judge report: end -->\n"


def readme_report() -> str:
    """The report as the README holds it."""
    text = README.read_text(encoding="utf-8")
    return text[text.index(START) + len(START) : text.index(END)]


def update_readme(result: Sweep) -> None:
    text = README.read_text(encoding="utf-8")
    README.write_text(text[: text.index(START) + len(START)] + report(result) + text[text.index(END) :], encoding="utf-8")


def run_cli() -> list[str]:
    """check-jsonschema's command on every collected file, against the recorded verdicts."""
    wrong = []
    for item in collected():
        done = subprocess.run(
            [sys.executable, "-m", "check_jsonschema", "--builtin-schema", BUILTIN, str(CORPUS / item.name)],
            capture_output=True,
            text=True,
            check=False,
        )
        if (done.returncode == 0) != item.valid:
            wrong.append(f"{item.name}: exit {done.returncode}, recorded {'valid' if item.valid else 'invalid'}")
    return wrong


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.formats.github_actions.judge", description=__doc__.split("\n")[0])
    parser.add_argument("--report", action="store_true", help="print the README section, measured now")
    parser.add_argument("--update-readme", action="store_true", help="write the report into README.md")
    parser.add_argument("--cli", action="store_true", help="run check-jsonschema's command on every collected file")
    parser.add_argument("--show", type=int, default=20, help="unexplained disagreements to print")
    args = parser.parse_args(argv)
    if args.cli:
        wrong = run_cli()
        print("\n".join(wrong) or f"the command gives the recorded verdict on all {len(collected())} files")
        return 1 if wrong else 0
    judges = FourJudges()
    result = sweep(judges)
    if args.report:
        print(report(result), end="")
    if args.update_readme:
        update_readme(result)
    for judged in result.our_judges_disagree[: args.show]:
        print("our judges disagree:", describe(judged, judges.published), file=sys.stderr)
    for judged in result.unexplained[: args.show]:
        print("unexplained:", describe(judged, judges.published), file=sys.stderr)
    clusters = Counter(
        (shape_of(m.path), m.kind, "ours" if j.ours else "published")
        for j, m in ((j, _mutation_of(j)) for j in result.unexplained)
        if m is not None
    )
    for (where, kind, side), n in sorted(clusters.items(), key=lambda kv: -kv[1]):
        print(f"{n:5} {side:9} {kind:22} {where}", file=sys.stderr)
    print(f"{len(result.unexplained)} unexplained; by kind: {dict(sorted(result.by_kind.items()))}", file=sys.stderr)
    return 1 if result.unexplained or result.our_judges_disagree or result.corpus_mismatch else 0


if __name__ == "__main__":
    sys.exit(main())
