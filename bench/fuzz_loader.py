"""Fuzz the generated loader: nothing escapes but the package's ``DocumentError``, and no input takes a second.

Documents are built by hypothesis from the resolved model of ``spec/aml_entities.yaml`` (every class, family,
union, enum, prefix, list and mapping the format has), then mutated: values swapped for values of other types
(``null``, booleans, huge and negative integers, NaN, strings, lists, mappings, dates, bytes...), keys deleted,
unknown keys added (typos of real keys, non-string keys), family tags changed, values nested deeply, mappings
flooded with keys. Each case feeds the generated package several inputs:

- ``Job.from_dict(data)`` on the mutated data;
- ``load_job(stream)`` on its YAML text, and on that text mutated (YAML fragments spliced in: tags, anchors
  and aliases, merge keys, directives, tabs, control characters, invalid timestamps, huge numbers; cut short);
- ``load_job(stream)`` on random text now and then.

Every exception but ``DocumentError`` is a failure, grouped by where it was raised; the smallest input of each
group is kept as its reproducer. Failures of a known, reported kind (:data:`KNOWN`) are counted apart. Each
input is timed in CPU seconds of the process (what the loader costs, whatever else the machine runs; wall
time is reported too), and a slow one once more with the garbage collector off (the first run may have paid
for collecting hypothesis's own data); the slowest is reported, and one over ``--limit`` is a failure.

    python -m bench.fuzz_loader                  # 100,000 cases: several minutes
    python -m bench.fuzz_loader --cases 2000 --seed 7
    python -m bench.fuzz_loader --scaling        # how load time grows with the number of problems

Exit 0 when no new failure was found and no input took more than ``--limit`` seconds, else 1.
``tests/test_fuzz_loader.py`` runs a short version (a few hundred cases) in CI.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import datetime
import gc
import io
import math
import os
import sys
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "aml_entities.yaml"

#: Deepest nesting of classes in a generated document (recursive types stop there).
MAX_CLASS_DEPTH = 4


# -- documents from the model -------------------------------------------------------------------------


def scalar(name: str) -> st.SearchStrategy[Any]:
    if name == "str":
        return st.text(max_size=20)
    if name == "int":
        return st.integers(min_value=-(2**63), max_value=2**63)
    if name == "float":
        return st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.integers(-1000, 1000))
    if name == "bool":
        return st.booleans()
    if name == "None":
        return st.none()
    raise ValueError(f"no strategy for the scalar {name}")


json_like: st.SearchStrategy[Any] = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=10)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=8,
)


class Documents:
    """Hypothesis strategies of valid-shaped documents, one per codec of the model, built on demand."""

    def __init__(self, package: Any) -> None:
        self.package = package
        self.memo: dict[tuple[int, int], st.SearchStrategy[Any]] = {}

    def root(self) -> st.SearchStrategy[Any]:
        return self.value(self.package.root_codec, 0)

    def value(self, codec: Any, depth: int) -> st.SearchStrategy[Any]:
        key = (id(codec), depth)
        if key not in self.memo:
            self.memo[key] = st.deferred(lambda: self.build(codec, depth))
        return self.memo[key]

    def build(self, codec: Any, depth: int) -> st.SearchStrategy[Any]:
        kind = codec.kind
        if kind == "scalar":
            return scalar(codec.scalar)
        if kind == "none":
            return st.none()
        if kind == "any":
            return json_like
        if kind == "prefixed":
            return st.tuples(st.sampled_from(codec.prefix), st.text(max_size=12)).map("".join)
        if kind == "enum":
            values = st.sampled_from([m.value for m in codec.target.members])
            return st.one_of(values, st.text(max_size=8)) if codec.target.open else values
        if kind == "class":
            return self.mapping(codec.target, depth)
        if kind == "family":
            members = [self.mapping(cls, depth, tag=(codec.tag_key, value)) for value, cls in codec.members]
            if codec.fallback is not None:
                members.append(self.mapping(codec.fallback, depth))
            return st.one_of(members)
        if kind == "keyed":  # classes told apart by a required key (each mapping has its class's)
            return st.one_of([self.mapping(cls, depth) for cls in codec.classes])
        if kind == "list":
            return st.lists(self.value(codec.item, depth), max_size=3 if depth < MAX_CLASS_DEPTH else 0)
        if kind == "dict":
            return st.dictionaries(
                st.text(max_size=8), self.value(codec.item, depth), max_size=3 if depth < MAX_CLASS_DEPTH else 0
            )
        if kind == "union":
            return st.one_of([self.value(o, depth) for o in codec.options])
        raise ValueError(f"no strategy for a {kind} codec")

    def mapping(self, cls: Any, depth: int, tag: tuple[str, str] | None = None) -> st.SearchStrategy[dict[str, Any]]:
        required: dict[str, st.SearchStrategy[Any]] = {}
        optional: dict[str, st.SearchStrategy[Any]] = {}
        deeper = depth + 1
        for f in cls.document_fields:
            if f.fixed is not None:
                strategy: st.SearchStrategy[Any] = st.just(f.fixed)
                (optional if f.omit_value == f.fixed else required)[f.key] = strategy
                continue
            strategy = self.value(f.codec, deeper)
            if f.nullable:
                strategy = st.one_of(st.none(), strategy)
            if f.required:
                required[f.key] = strategy
            elif depth < MAX_CLASS_DEPTH:
                optional[f.key] = strategy
        if tag is not None:
            required[tag[0]] = st.just(tag[1])
        return st.fixed_dictionaries(required, optional=optional)


# -- mutations -----------------------------------------------------------------------------------------

#: Values of every type the loader may meet, and some it should never meet from YAML (bytes, tuples, objects).
ODD_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1,
    2**31,
    -(2**63),
    2**64,
    10**40,
    10**5000,
    0.5,
    -0.0,
    1e308,
    math.inf,
    -math.inf,
    math.nan,
    "",
    " ",
    "x",
    "null",
    "true",
    "1",
    "1.5",
    "\x00",
    "é🙂",
    "x" * 10_000,
    "azureml:",
    "azureml:x",
    [],
    [None],
    [[[]]],
    {},
    {"": None},
    {"a": {"b": {"c": []}}},
    datetime.date(2020, 1, 1),
    datetime.datetime(2020, 1, 1, 12, 0),
    b"bytes",
    (1, 2),
    {1, 2},
    object(),
]
#: Keys a document should not have: near misses, other types.
ODD_KEYS: list[Any] = ["", " ", "typ", "Type", "type ", "$schema2", "name\x00", "é", 0, 1, -1, None, True, 1.5, (1, 2)]


def containers(node: Any, found: list[Any] | None = None) -> list[Any]:
    """Every mapping and list in a document (the root included)."""
    found = [] if found is None else found
    if isinstance(node, dict):
        found.append(node)
        for value in list(node.values()):
            containers(value, found)
    elif isinstance(node, list):
        found.append(node)
        for value in node:
            containers(value, found)
    return found


#: A fresh copy of one of ODD_VALUES (never the shared object: a later mutation would change it for good).
odd_values = st.sampled_from(ODD_VALUES).map(copy.deepcopy)


@st.composite
def mutated(draw: st.DrawFn, documents: st.SearchStrategy[Any]) -> Any:
    """A valid-shaped document, then up to five mutations."""
    doc = copy.deepcopy(draw(documents))
    for _ in range(draw(st.integers(0, 5))):
        places = containers(doc)
        if not places:
            return draw(odd_values)
        place = draw(st.sampled_from(places))
        slots = list(place.keys()) if isinstance(place, dict) else list(range(len(place)))
        action = draw(
            st.sampled_from(["swap", "swap", "delete", "unknown", "copy", "nest", "flood", "retag", "replace_root"])
        )
        if action == "replace_root":
            doc = draw(st.one_of(odd_values, json_like))
            continue
        if action == "unknown" or not slots:
            if isinstance(place, dict):
                key = draw(st.one_of(st.sampled_from(ODD_KEYS), st.text(max_size=10)))
                with contextlib.suppress(TypeError):  # an unhashable key
                    place[key] = draw(st.one_of(odd_values, json_like))
            else:
                place.append(draw(odd_values))
            continue
        slot = draw(st.sampled_from(slots))
        if action == "swap":
            place[slot] = draw(st.one_of(odd_values, json_like))
        elif action == "delete":
            del place[slot]
        elif action == "copy":  # another slot's value: right shape, wrong place
            place[slot] = copy.deepcopy(place[draw(st.sampled_from(slots))])
        elif action == "nest":
            value = place[slot]
            for _ in range(draw(st.integers(1, 120))):
                value = [value] if draw(st.booleans()) else {"k": value}
            place[slot] = value
        elif action == "flood":
            # mostly a few hundred (each unknown key costs a did-you-mean); now and then thousands
            count = draw(st.integers(10, 300)) if draw(st.integers(0, 9)) else draw(st.integers(300, 3000))
            if isinstance(place, dict):
                place.update({f"unknown_{i}": i for i in range(count)})
            else:
                place.extend([place[slot]] * count)
        elif action == "retag" and isinstance(place, dict):
            place[slot] = draw(
                st.sampled_from(["command", "sweep", "pipeline", "mpi", "pytorch", "", "Command", 1, None])
            )
    return doc


#: Pieces of YAML spliced into a document's text.
YAML_FRAGMENTS = [
    "!!python/object:os.system ",
    "!!python/name:os.system ",
    "!!binary ",
    "!!timestamp ",
    "!!int ",
    "!!float ",
    "!!bool ",
    "!!str ",
    "!!null ",
    "!!set ",
    "!!omap ",
    "!!pairs ",
    "!!map ",
    "!!seq ",
    "!<tag:x> ",
    "!local ",
    "&a ",
    "*a ",
    "&a [*a, *a] ",
    "<<: ",
    "<<: *a\n",
    "? ",
    "- ",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "%TAG ! tag:x,2000:\n",
    "\t",
    "\ufeff",
    "\x00",
    "\x85",
    "\u2028",
    "'",
    '"',
    "[",
    "{",
    "]",
    "}",
    ": ",
    "# ",
    "|",
    ">",
    "|-\n",
    "@",
    "`",
    "%",
    "2001-13-45",
    "2001-12-14t21:59:43.10-05:00",
    "1" * 5000,
    "0x",
    "0o9",
    "0b2",
    "1_0",
    ".nan",
    ".inf",
    "-.inf",
    "~",
    "=",
    "<<",
    "yes",
    "no",
    "on",
    "0777",
    "1e400",
    "\\",
    "\\u",
    "\n  ",
    "\n- ",
    "\n? x\n: y\n",
]


@st.composite
def yaml_texts(draw: st.DrawFn, document: Any) -> list[str]:
    """The YAML text of a document, then that text with fragments spliced in or cut short."""
    texts: list[str] = []
    try:
        text = yaml.safe_dump(
            document,
            allow_unicode=draw(st.booleans()),
            default_flow_style=draw(st.sampled_from([None, False, True])),
            sort_keys=False,
        )
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        # not representable in YAML (a tuple, an object, bytes, an int of more than 4300 digits): random text instead
        text = draw(st.text(max_size=200))
    texts.append(text)
    spliced = text
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, len(spliced)))
        piece = draw(st.one_of(st.sampled_from(YAML_FRAGMENTS), st.text(max_size=5)))
        spliced = spliced[:where] + piece + spliced[where:]
    if draw(st.booleans()):
        spliced = spliced[: draw(st.integers(0, len(spliced)))]
    texts.append(spliced)
    if draw(st.integers(0, 9)) == 0:
        texts.append(draw(st.text(max_size=300)))
    return texts


# -- running inputs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Known:
    """A kind of failure already reported and not fixed yet: counted, not failed on."""

    name: str
    what: str
    matches: Callable[[BaseException, list[traceback.FrameSummary]], bool]


#: None at the moment: the three kinds found so far (pyyaml constructor errors from scalars, huge ints in
#: messages, a scanner ValueError in the alias check) are fixed and their reproducers are tests.
KNOWN: list[Known] = []


@dataclass
class Failure:
    signature: str
    known: str
    count: int = 0
    smallest: str = ""
    message: str = ""


@dataclass
class Report:
    cases: int = 0
    inputs: int = 0
    from_dict_inputs: int = 0
    load_inputs: int = 0
    accepted: int = 0
    rejected: int = 0
    failures: dict[str, Failure] = field(default_factory=dict)
    slowest: float = 0.0  # CPU seconds
    slowest_wall: float = 0.0
    slowest_input: str = ""
    over_limit: int = 0
    seconds: float = 0.0

    @property
    def new_failures(self) -> list[Failure]:
        return [f for f in self.failures.values() if not f.known]

    @property
    def known_failures(self) -> list[Failure]:
        return [f for f in self.failures.values() if f.known]


class Runner:
    """Feeds inputs to the generated package, times them and records what escapes."""

    def __init__(self, limit: float) -> None:
        import aml_entities

        self.package = aml_entities
        self.limit = limit
        self.report = Report()

    def from_dict(self, data: Any) -> None:
        self.report.from_dict_inputs += 1
        self.run(lambda: self.package.Job.from_dict(data), data)

    def load(self, text: str) -> None:
        self.report.load_inputs += 1
        self.run(lambda: self.package.load_job(io.StringIO(text)), text)

    def run(self, call: Callable[[], object], shown: Any) -> None:
        report = self.report
        report.inputs += 1
        began, began_wall = time.process_time(), time.perf_counter()
        try:
            call()
            report.accepted += 1
        except self.package.DocumentError:
            report.rejected += 1
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # everything else escaping is a failure
            self.record(exc, shown)
        took = time.process_time() - began
        report.slowest_wall = max(report.slowest_wall, time.perf_counter() - began_wall)
        if took > self.limit / 4 or (took > report.slowest and took > 0.02):
            took = min(took, self.retime(call))
        if took > report.slowest:
            report.slowest, report.slowest_input = took, _shown(shown, 300)
        if took > self.limit:
            report.over_limit += 1
            self.record_slow(took, shown)

    @staticmethod
    def retime(call: Callable[[], object]) -> float:
        """CPU time of ``call`` run once more with the garbage collector off: a slow first run may have paid for
        a collection of the whole process (hypothesis keeps a large tree of what it generated), which says
        nothing of the input."""
        gc.disable()
        try:
            began = time.process_time()
            with contextlib.suppress(Exception):
                call()
            return time.process_time() - began
        finally:
            gc.enable()

    def record(self, exc: BaseException, shown: Any) -> None:
        frames = traceback.extract_tb(exc.__traceback__)
        inner = frames[-1] if frames else None
        where = f"{Path(inner.filename).name}:{inner.lineno} in {inner.name}" if inner else "?"
        signature = f"{type(exc).__name__} at {where}"
        known = next((k.name for k in KNOWN if k.matches(exc, frames)), "")
        failure = self.report.failures.setdefault(signature, Failure(signature, known))
        failure.count += 1
        text = _shown(shown, 2000)
        if not failure.smallest or len(text) < len(failure.smallest):
            failure.smallest, failure.message = text, f"{type(exc).__name__}: {str(exc)[:300]}"

    def record_slow(self, took: float, shown: Any) -> None:
        signature = "slower than the limit"
        failure = self.report.failures.setdefault(signature, Failure(signature, ""))
        failure.count += 1
        text = _shown(shown, 2000)
        if not failure.smallest or len(text) < len(failure.smallest):
            failure.smallest, failure.message = text, f"took {took:.2f} CPU seconds"


def _shown(value: Any, limit: int) -> str:
    try:
        text = value if isinstance(value, str) else repr(value)
    except ValueError:  # a repr that cannot be written (an int of more than 4300 digits)
        text = f"<a {type(value).__name__} that cannot be shown>"
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"


def fuzz(cases: int, seed_value: int, limit: float = 1.0) -> Report:
    """Run ``cases`` hypothesis cases against the installed generated package."""
    from generator.pipeline import build_package

    documents = Documents(build_package(SPEC, "spec/aml_entities.yaml")).root()
    runner = Runner(limit)

    @seed(seed_value)
    @settings(
        max_examples=cases,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        verbosity=settings.default.verbosity,
    )
    @given(data=mutated(documents), texts_seed=st.data())
    def case(data: Any, texts_seed: st.DataObject) -> None:
        runner.report.cases += 1
        runner.from_dict(data)
        for text in texts_seed.draw(yaml_texts(data)):
            runner.load(text)

    began = time.perf_counter()
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    case()
    runner.report.seconds = time.perf_counter() - began
    return runner.report


def merge(reports: list[Report]) -> Report:
    """One report of several processes' (seconds: the longest process)."""
    total = Report()
    for r in reports:
        total.cases += r.cases
        total.inputs += r.inputs
        total.from_dict_inputs += r.from_dict_inputs
        total.load_inputs += r.load_inputs
        total.accepted += r.accepted
        total.rejected += r.rejected
        total.over_limit += r.over_limit
        total.seconds = max(total.seconds, r.seconds)
        total.slowest_wall = max(total.slowest_wall, r.slowest_wall)
        if r.slowest > total.slowest:
            total.slowest, total.slowest_input = r.slowest, r.slowest_input
        for signature, f in r.failures.items():
            mine = total.failures.setdefault(signature, Failure(signature, f.known))
            mine.count += f.count
            if not mine.smallest or len(f.smallest) < len(mine.smallest):
                mine.smallest, mine.message = f.smallest, f.message
    return total


def fuzz_parallel(cases: int, seed_value: int, limit: float, jobs: int) -> Report:
    """``fuzz`` in ``jobs`` processes, each with its own seed and share of the cases."""
    if jobs <= 1:
        return fuzz(cases, seed_value, limit)
    shares = [cases // jobs + (1 if i < cases % jobs else 0) for i in range(jobs)]
    with ProcessPoolExecutor(jobs) as pool:
        futures = [pool.submit(fuzz, share, seed_value + i, limit) for i, share in enumerate(shares)]
        return merge([f.result() for f in futures])


def scaling() -> list[tuple[str, int, int, float]]:
    """CPU seconds to load documents with many problems: n unknown keys, and n bad values of a mapping."""
    import aml_entities

    rows: list[tuple[str, int, int, float]] = []
    for n in (1_000, 2_000, 5_000, 10_000, 20_000):
        for what, text in (
            ("unknown keys", "command: x\nenvironment: e\n" + "".join(f"k{i}: 1\n" for i in range(n))),
            ("bad tag values", "command: x\nenvironment: e\ntags:\n" + "".join(f"  k{i}: [1]\n" for i in range(n))),
        ):
            began = time.process_time()
            with contextlib.suppress(aml_entities.DocumentError):
                aml_entities.load_job(io.StringIO(text))
            rows.append((what, n, len(text), time.process_time() - began))
    return rows


def print_report(report: Report, limit: float) -> None:
    print(f"cases: {report.cases}")
    print(f"inputs: {report.inputs} ({report.from_dict_inputs} to Job.from_dict, {report.load_inputs} to load_job)")
    print(
        f"outcomes: {report.accepted} loaded, {report.rejected} DocumentError, {report.inputs - report.accepted - report.rejected} other"
    )
    print(
        f"time: {report.seconds:.1f} s (wall clock of the longest process); slowest input: {report.slowest * 1000:.1f} ms; over {limit} s: {report.over_limit}"
    )
    print(f"the slowest: {report.slowest_input[:200]!r}")
    for title, failures in (
        ("new failures", report.new_failures),
        ("known failures (reported)", report.known_failures),
    ):
        print(f"{title}: {len(failures)} kind(s), {sum(f.count for f in failures)} input(s)")
        for f in sorted(failures, key=lambda f: -f.count):
            print(f"  - {f.signature}{f' [{f.known}]' if f.known else ''}: {f.count} input(s); {f.message}")
            print(f"    smallest input: {f.smallest[:500]!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fuzz_loader", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="hypothesis cases (default: 100,000)")
    parser.add_argument("--seed", type=int, default=6, help="hypothesis seed (default: 6)")
    parser.add_argument("--limit", type=float, default=1.0, help="seconds an input may take (default: 1)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: one per core)")
    parser.add_argument("--scaling", action="store_true", help="only time documents with many problems")
    args = parser.parse_args(argv)
    if args.scaling:
        for what, n, size, seconds in scaling():
            print(f"{what:>15}: {n:>6} ({size:>7} characters): {seconds:6.2f} s")
        return 0
    report = fuzz_parallel(args.cases, args.seed, args.limit, args.jobs)
    print_report(report, args.limit)
    return 1 if report.new_failures else 0


if __name__ == "__main__":
    sys.exit(main())
