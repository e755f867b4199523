"""Turn the neutral YAML of ``../shared/bench/synth_schema.py`` into a spec of our IDL.

    python -m bench.synth_to_idl IN.idl.yaml OUT.yaml          # one spec
    python -m bench.synth_to_idl --make N OUTDIR               # run synth_schema.py N, then convert

The neutral YAML has ``entities`` (``doc``, ``extends``, ``mixin``, ``abstract``, ``discriminator``,
``tag``, ``fields``) and ``enums`` (``doc``, ``values``). It maps onto our IDL
(``generator/idl.schema.json``) like this:

- ``extends`` → ``bases`` (the ``is_a`` base first, then the mixins: the MRO order);
- ``abstract`` + ``discriminator: type`` → ``abstract: true`` and ``discriminator: {field: type}``; the
  discriminator field becomes a read-only ``Optional[str]`` (what our IDL asks of one);
- ``tag`` → ``discriminator_value``;
- a mixin is an ``abstract`` class (it is never instantiated nor referenced on its own);
- ``Optional[...]`` fields get ``default: null``; the others are required keywords;
  ``List``/``Dict`` are spelled ``list``/``dict``;
- an enum value ``e000_v1`` becomes the member ``E000_V1`` of value ``e000_v1``;
- every text gets ``en`` and ``es``; the neutral YAML has English only, so ``es`` repeats it after the
  marker :data:`ES_MARK`.

The document root is ``SynthDocument`` (``items: list[C0000]``), as in the JSON Schema that
synth_schema.py writes, so the spec has N + 1 classes. :func:`make_document` builds a valid document
that follows references (the spec's cycles included) down to a depth.
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

#: Where the shared synthetic-schema script lives (next to this repository).
SYNTH_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "bench" / "synth_schema.py"
#: Prefix of the Spanish texts, which the neutral YAML does not have.
ES_MARK = "[es: sin traducir] "
ROOT = "SynthDocument"


def text(en: str) -> dict[str, str]:
    """A text of our IDL from an English-only one."""
    return {"en": en, "es": ES_MARK + en}


def idl_type(neutral: str) -> str:
    """``Optional[Dict[str, C0001]]`` → ``Optional[dict[str, C0001]]``."""
    return re.sub(r"\b(List|Dict)\[", lambda m: m.group(1).lower() + "[", neutral)


def convert(neutral: dict[str, Any], n: int) -> dict[str, Any]:
    """The IDL spec (a plain dict, ready for yaml.safe_dump) of a neutral YAML document."""
    enums: dict[str, Any] = {}
    for name, raw in neutral.get("enums", {}).items():
        members = {
            value.upper(): {"value": value, "description": text(body["doc"])} for value, body in raw["values"].items()
        }
        enums[name] = {"description": text(raw["doc"]), "members": members}
    entities: dict[str, Any] = neutral["entities"]
    classes: dict[str, Any] = {
        ROOT: {
            "description": text(f"A synthetic document of {n} classes: a list of items of the family of C0000."),
            "fields": {
                "items": {"type": "list[C0000]", "default": [], "description": text("The items of the document.")}
            },
        }
    }
    for name, raw in entities.items():
        body: dict[str, Any] = {"description": text(raw["doc"])}
        if raw.get("abstract") or raw.get("mixin"):
            body["abstract"] = True
        if raw.get("extends"):
            body["bases"] = list(raw["extends"])
        disc = raw.get("discriminator")
        if disc:
            body["discriminator"] = {"field": disc}
        if raw.get("tag"):
            body["discriminator_value"] = raw["tag"]
        fields: dict[str, Any] = {}
        for fname, fraw in raw.get("fields", {}).items():
            ftype = idl_type(fraw["type"])
            field: dict[str, Any] = {"type": ftype}
            if ftype.startswith("Optional["):
                field["default"] = None
            if fname == disc:
                field["readonly"] = True
            field["description"] = text(fraw["doc"])
            fields[fname] = field
        body["fields"] = fields
        classes[name] = body
    return {
        "idl": 1,
        "package": {
            "name": f"synth_{n}",
            "version": "0.1.0",
            "languages": ["en", "es"],
            "title": text(f"Synthetic entities ({n})"),
            "description": text(
                f"A synthetic hierarchy of {n} classes made by synth_schema.py, with reference cycles."
            ),
            "document": {
                "root": ROOT,
                "load_function": "load_document",
                "description": text("A list of items of the family of C0000."),
            },
        },
        "enums": enums,
        "classes": classes,
    }


def dump(spec: dict[str, Any]) -> str:
    """The spec as YAML text."""
    head = "# yaml-language-server: $schema=../generator/idl.schema.json\n# Made by bench/synth_to_idl.py from synth_schema.py output: do not edit.\n"
    return head + yaml.safe_dump(spec, sort_keys=False, width=110, allow_unicode=True)


def synth_files(n: int, outdir: Path) -> dict[str, Path]:
    """Run synth_schema.py N OUTDIR (if its files are missing) and return their paths by kind."""
    files = {
        "jsonschema": outdir / f"synth_{n}.schema.json",
        "linkml": outdir / f"synth_{n}.linkml.yaml",
        "neutral": outdir / f"synth_{n}.idl.yaml",
    }
    if not all(p.is_file() for p in files.values()):
        subprocess.run([sys.executable, str(SYNTH_SCHEMA), str(n), str(outdir)], check=True)
    return files


def make_spec(n: int, outdir: Path) -> dict[str, Path]:
    """synth_schema.py's three files plus our spec ``synth_N.yaml``, all in ``outdir``."""
    outdir.mkdir(parents=True, exist_ok=True)
    files = synth_files(n, outdir)
    neutral = yaml.load(files["neutral"].read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    spec = outdir / "spec" / f"synth_{n}.yaml"
    spec.parent.mkdir(exist_ok=True)
    spec.write_text(dump(convert(neutral, n)), encoding="utf-8")
    files["spec"] = spec
    return files


# -- a document to load ----------------------------------------------------------------------------------------


def make_document(neutral: dict[str, Any], depth: int = 4, seed: int = 0) -> dict[str, Any]:
    """A valid document of the converted spec: two items (C0001, C0002), every field set, references
    followed down to ``depth`` (then null), so it walks through the spec's cycles."""
    entities: dict[str, Any] = neutral["entities"]
    enums: dict[str, Any] = neutral.get("enums", {})
    rng = random.Random(seed)
    counter = [0]

    def all_fields(name: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for base in entities[name].get("extends", []):
            out.update(all_fields(base))
        out.update(entities[name].get("fields", {}))
        return out

    def concrete(name: str) -> str:
        if not entities[name].get("abstract"):
            return name
        subs = [c for c, raw in entities.items() if name in raw.get("extends", []) and not raw.get("abstract")]
        return rng.choice(sorted(subs))

    def value(t: str, level: int) -> Any:
        t = idl_type(t)
        if t.startswith("Optional["):
            return None if level >= depth else value(t[len("Optional[") : -1], level)
        if t == "str":
            counter[0] += 1
            return f"s{counter[0]}"
        if t == "int":
            return rng.randint(0, 1000)
        if t == "float":
            return rng.random()
        if t == "bool":
            return rng.random() < 0.5
        if t == "list[str]":
            return ["a", "b"]
        if t.startswith("dict[str, "):
            return {"k": instance(t[len("dict[str, ") : -1], level + 1)}
        if t.startswith("Union["):
            options = [o.strip() for o in t[len("Union[") : -1].split(",")]
            return instance(rng.choice(options), level + 1)
        if t in enums:
            return rng.choice(list(enums[t]["values"]))
        if t in entities:
            return instance(t, level + 1)
        raise ValueError(f"no value for type {t}")

    def instance(name: str, level: int) -> dict[str, Any]:
        cls = concrete(name)
        out: dict[str, Any] = {}
        for fname, fraw in all_fields(cls).items():
            if fname == "type":
                out["type"] = cls
                continue
            out[fname] = value(fraw["type"], level)
        return out

    return {"items": [instance("C0001", 0), instance("C0002", 0)]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synth_to_idl", description=__doc__.split("\n")[0])
    parser.add_argument("--make", action="store_true", help="arguments are N OUTDIR: run synth_schema.py first")
    parser.add_argument("source", help="the neutral YAML (or N with --make)")
    parser.add_argument("dest", help="the IDL spec to write (or OUTDIR with --make)")
    args = parser.parse_args(argv)
    if args.make:
        files = make_spec(int(args.source), Path(args.dest))
        print(files["spec"])
        return 0
    neutral = yaml.safe_load(Path(args.source).read_text())
    n = len(neutral["entities"])
    Path(args.dest).write_text(dump(convert(neutral, n)), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
