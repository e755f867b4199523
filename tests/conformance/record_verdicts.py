"""Record what azure-ai-ml does with each collected command-job document.

Run from the repository root, with the virtual environment that has azure-ai-ml installed::

    .venv/bin/python tests/conformance/record_verdicts.py            # collected/ -> collected/VERDICTS.tsv
    .venv/bin/python tests/conformance/record_verdicts.py --corpus DIR --out FILE

For every ``*.yml`` / ``*.yaml`` file of the corpus folder the script copies the document, unchanged, into a fresh
temporary folder that has empty ``src/``, ``data/`` and ``model/`` folders beside it (the layout
``../shared/corpus/README.md`` describes) and runs ``azure.ai.ml.load_job`` on the copy.  It writes one row per
document, with the columns of ``../shared/corpus/EXPECTED.tsv``:

``azure_ai_ml_loads``
    ``yes`` or ``no``.
``its_own_dump_reloads``
    for a document that loads: ``yes`` if the file azure-ai-ml's own ``job.dump()`` writes loads again with
    ``load_job`` (``no`` if it does not, or if ``dump`` itself fails); empty for a document that does not load.
``reason_if_rejected``
    for a document that does not load, one line starting with ``local-file:`` or ``schema:``.  To tell the two
    apart the script creates, inside its own temporary folder, each local path the error names as missing (an empty
    folder for ``code`` / ``build.path``, a file holding ``{}`` for a ``conda_file`` or an environment file) and
    loads again: a document that then loads is ``local-file`` (a valid document whose files are not here); one that
    still fails, or whose error names no missing path, is ``schema``.

Each ``load_job`` runs in a fresh Python process, as one ``az ml job create`` would: azure-ai-ml patches some of
its schemas in place after the first load of a process (``queue_settings`` and ``auto_delete_setting`` then
accept ``${{...}}`` strings), so verdicts taken in one long-lived process would depend on the order of the files.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

# What one child load answers (see _child), and a decoded marshmallow error value.
Answer = dict[str, Any]
ErrorTree = Any

HERE = Path(__file__).resolve().parent
COLUMNS = ("file", "azure_ai_ml_loads", "its_own_dump_reloads", "reason_if_rejected")

# The document sits this many folders below the temporary root, so that `code: ../src` or `../../data` still
# resolve inside a folder this script owns (and never to whatever /tmp/src happens to hold).
NESTING = ("a", "b", "c")
BESIDE = ("src", "data", "model")

MISSING_DIR = re.compile(r"Can't find directory or file in resolved absolute path: (.+)\.$")
MISSING_FILE = re.compile(r"No such file or directory: '?(.+?)'?$")
TYPE_NOT_IN_SET = re.compile(r"Value (.+?) passed is not in set \[(.*?)\]")
MAX_STUB_ROUNDS = 5


# --------------------------------------------------------------------------------------------------------------
# Child side: one load_job (and optionally one dump) in this process, answer as one JSON line on stdout.
# --------------------------------------------------------------------------------------------------------------


def _child(document: Path, dump_to: Path | None) -> Answer:
    import contextlib
    import io
    import logging

    logging.disable(logging.CRITICAL)
    with contextlib.redirect_stderr(io.StringIO()):
        from azure.ai.ml import load_job

        try:
            job = load_job(document)
        except Exception as exc:  # every failure is a verdict here
            return {"loads": False, "kind": type(exc).__name__, "text": str(exc), "tree": _innermost(str(exc))}
        answer: Answer = {"loads": True}
        if dump_to is not None:
            try:
                job.dump(dump_to)
                answer["dumped"] = True
            except Exception as exc:
                answer["dumped"] = False
                answer["dump_error"] = f"{type(exc).__name__}: {exc}".splitlines()[0]
        return answer


def _innermost(text: str) -> ErrorTree:
    """The marshmallow error mapping azure-ai-ml wraps (possibly twice) in its JSON report, or None."""
    decoder = json.JSONDecoder()
    for _ in range(5):
        at = text.find("failed:")
        if at < 0:
            return None
        brace = text.find("{", at)
        if brace < 0:
            return None
        try:
            obj, _ = decoder.raw_decode(text[brace:])
        except ValueError:
            return None
        if isinstance(obj, dict) and isinstance(obj.get("errors"), list) and obj["errors"]:
            text = str(obj["errors"][0].get("message", ""))
            continue
        return obj
    return None


# --------------------------------------------------------------------------------------------------------------
# Parent side.
# --------------------------------------------------------------------------------------------------------------


def run_child(document: Path, dump_to: Path | None = None) -> Answer:
    """Load `document` in a fresh interpreter (cwd = its folder) and return the child's answer."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(document)]
    if dump_to is not None:
        command += ["--dump", str(dump_to)]
    done = subprocess.run(command, cwd=document.parent, capture_output=True, text=True, timeout=300, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"loads": False, "kind": "ChildFailure", "text": tail, "tree": None}
    answer: Answer = json.loads(lines[-1])
    return answer


def fresh_folder(root: Path, source: Path) -> Path:
    """Copy `source` byte for byte into a nested folder of `root` with empty src/, data/, model/ beside it."""
    folder = root.joinpath(*NESTING)
    folder.mkdir(parents=True)
    for name in BESIDE:
        (folder / name).mkdir()
    target = folder / source.name
    shutil.copyfile(source, target)
    return target


def _messages(error: ErrorTree) -> list[str]:
    """Every message string of a marshmallow error value, however deeply nested."""
    if isinstance(error, str):
        return [error]
    if isinstance(error, dict):
        return [text for value in error.values() for text in _messages(value)]
    if isinstance(error, list):
        return [text for item in error for text in _messages(item)]
    return []


def missing_paths(answer: Answer) -> list[tuple[str, Path]]:
    """(kind, path) for every local path a failed load says is missing: kind 'dir-or-file' or 'file'."""
    messages = _messages(answer.get("tree")) or answer.get("text", "").splitlines()
    found = []
    for message in messages:
        message = message.strip()
        for pattern, kind in ((MISSING_DIR, "dir-or-file"), (MISSING_FILE, "file")):
            match = pattern.search(message)
            if match:
                found.append((kind, Path(match.group(1).strip())))
    unique: dict[Path, str] = {}
    for kind, path in found:
        unique.setdefault(path, kind)
    return [(kind, path) for path, kind in unique.items()]


def create_stub(kind: str, path: Path, root: Path) -> bool:
    """Create the missing `path` if it lies inside `root`; False when it cannot or should not be created."""
    try:
        path = path.resolve()
        path.relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    if path.exists():
        return False
    if kind == "dir-or-file":
        path.mkdir(parents=True)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}\n")
    return True


def naming_fields(document: Path, missing: Path) -> list[str]:
    """Dotted keys of the document whose string value is the local path `missing` (e.g. environment.build.path)."""
    import yaml  # only the parent needs it; azure-ai-ml depends on pyyaml anyway

    try:
        data = yaml.safe_load(document.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return []
    found: list[str] = []

    def walk(value: Any, keys: list[str]) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, [*keys, str(key)])
        elif isinstance(value, str) and value:
            text = value[len("file:") :] if value.startswith("file:") else value
            try:
                if (document.parent / text).resolve() == missing.resolve():
                    found.append(".".join(keys))
            except (OSError, ValueError):
                pass

    walk(data, [])
    return found


def one_line_schema_reason(answer: Answer) -> str:
    """A short 'schema: ...' line from a failed load."""
    tree = answer.get("tree")
    if isinstance(tree, dict) and tree:
        parts = [f"{key}: {_leaf_message(value)}" for key, value in tree.items()]
        return _squash("schema: " + "; ".join(parts))
    lines = [line.strip() for line in answer.get("text", "").splitlines() if line.strip()]
    if lines and lines[0].startswith("Error while parsing yaml file"):
        said = [line for line in lines[1:] if not line.startswith("in ")]
        where = re.findall(r"line \d+, column \d+", answer.get("text", ""))
        return _squash("schema: not valid YAML: " + "; ".join(said) + (f" ({where[-1]})" if where else ""))
    return _squash(f"schema: {lines[0] if lines else answer.get('kind', 'error')}")


def _leaf_message(error: ErrorTree) -> str:
    """The most telling message of a marshmallow error value (a list of messages or of union alternatives)."""
    if isinstance(error, str):
        return error.split("\n1.")[0]  # ArmStr messages go on with numbered examples
    if isinstance(error, dict):
        key, value = next(iter(error.items()))
        inner = _leaf_message(value)
        return inner if key in ("_schema", "value") else f"{key}: {inner}"
    if isinstance(error, list) and error:
        if all(isinstance(item, str) for item in error):
            return " ".join(_leaf_message(item) for item in error)
        # A union field lists one error per alternative.  When every alternative rejects the discriminator, say
        # so once with all the values it accepts; otherwise prefer an alternative whose discriminator matched.
        rejected = [
            TYPE_NOT_IN_SET.search(json.dumps(item.get("type"))) if isinstance(item, dict) else None for item in error
        ]
        matches = [match for match in rejected if match is not None]
        if len(matches) == len(error):
            allowed = ", ".join(value for match in matches for value in re.findall(r"'([^']*)'", match.group(2)))
            return f"type: {matches[0].group(1)} is none of {allowed}"
        messages = [_leaf_message(item) for item in error]
        if "Not a valid string." in messages:  # the value is not even a string: say that, not what strings fit
            return "Not a valid string."
        if all(isinstance(item, dict) and set(item) == {"_schema"} for item in error):
            return messages[-1]  # plain alternatives: the last (an azureml: reference) explains best
        for item, message in zip(error, messages, strict=True):
            text = json.dumps(item)
            if "passed is not in set" not in text and "Invalid input type" not in text:
                return message
        return messages[-1]
    return str(error)


def _squash(text: str, limit: int = 220) -> str:
    text = re.sub(r"\s+", " ", text.replace("\t", " ")).strip()
    return text if len(text) <= limit else text[: limit - 3] + "..."


def verdict(source: Path) -> dict[str, str]:
    """The VERDICTS.tsv row of one document."""
    row = {"file": source.name, "azure_ai_ml_loads": "", "its_own_dump_reloads": "", "reason_if_rejected": ""}
    with tempfile.TemporaryDirectory(prefix="aml-verdict-") as tmp:
        root = Path(tmp)
        document = fresh_folder(root, source)
        dump = document.with_name("azure-ai-ml-dump.yml")
        answer = run_child(document, dump_to=dump)
        if answer["loads"]:
            row["azure_ai_ml_loads"] = "yes"
            reloads = answer.get("dumped") and run_child(dump)["loads"]
            row["its_own_dump_reloads"] = "yes" if reloads else "no"
            row["_note"] = answer.get("dump_error", "")
            return row
        row["azure_ai_ml_loads"] = "no"
        row["reason_if_rejected"] = classify(answer, document, root)
    return row


def classify(answer: Answer, document: Path, root: Path) -> str:
    """'local-file: ...' if creating the missing local paths makes the document load, else 'schema: ...'."""
    created: list[tuple[str, str]] = []
    current = answer
    for _ in range(MAX_STUB_ROUNDS):
        new = []
        for kind, path in missing_paths(current):
            if create_stub(kind, path, root):
                keys = naming_fields(document, path) or ["?"]
                new.append((os.path.relpath(path, document.parent), ", ".join(keys)))
        if not new:
            break
        created += new
        current = run_child(document)
        if current["loads"]:
            named = "; ".join(f"{rel} (named by {key})" for rel, key in created)
            return _squash(f"local-file: loads once these exist: {named}")
    reason = one_line_schema_reason(current).replace(str(document.parent) + os.sep, "").replace(str(root), "<tmp>")
    if created:
        reason = _squash(reason + " [after creating " + ", ".join(rel for rel, _ in created) + "]")
    return reason


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=HERE / "collected", help="folder of job documents")
    parser.add_argument("--out", type=Path, help="TSV to write (default: CORPUS/VERDICTS.tsv)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="documents checked at once")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--dump", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child is not None:
        print(json.dumps(_child(args.child, args.dump)))
        return 0

    out = args.out or args.corpus / "VERDICTS.tsv"
    documents = sorted(p for p in args.corpus.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        rows = list(pool.map(verdict, documents))
    with open(out, "w", encoding="utf-8", newline="\n") as handle:
        handle.write("\t".join(COLUMNS) + "\n")
        for row in rows:
            handle.write("\t".join(row[column] for column in COLUMNS) + "\n")

    loads = sum(row["azure_ai_ml_loads"] == "yes" for row in rows)
    reloads = sum(row["its_own_dump_reloads"] == "yes" for row in rows)
    local = sum(row["reason_if_rejected"].startswith("local-file") for row in rows)
    print(
        f"{len(rows)} documents: {loads} load ({reloads} of whose dumps reload), {len(rows) - loads} rejected "
        f"({local} local-file, {len(rows) - loads - local} schema) -> {out}"
    )
    for row in rows:
        if row.get("_note"):
            print(f"  {row['file']}: dump failed: {row['_note']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
