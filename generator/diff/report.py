"""The output formats of a diff: text for a terminal, Markdown for a pull request, JSON for tools,
and a draft changelog entry."""

from __future__ import annotations

import json
from typing import Any

import yaml

from . import BREAKING, Change, Comparison

FORMATS = ("text", "markdown", "json", "changelog-entry")


def _title(comparison: Comparison) -> str:
    old, new = comparison.old.package, comparison.new.package
    names = old.name if old.name == new.name else f"{old.name} → {new.name}"
    return f"{names} {old.version} → {new.version}"


def _summary(comparison: Comparison) -> str:
    changes = comparison.changes
    if not changes:
        return "no changes to the Python API or the document format"
    breaking = [c for c in changes if c.breaking]
    api = sum(c.api_breaking for c in changes)
    doc = sum(c.doc_breaking for c in changes)
    acked = sum(c.acknowledged for c in changes)
    plural = "s" if len(changes) != 1 else ""
    text = f"{len(changes)} change{plural}, {len(breaking)} breaking ({api} for the Python API, {doc} for documents)"
    return text + (f", {acked} acknowledged" if acked else "")


def _order(changes: list[Change]) -> list[Change]:
    return sorted(changes, key=lambda c: (not c.breaking, c.acknowledged, c.subject, c.kind))


def render_text(comparisons: list[Comparison]) -> str:
    """For a terminal: one line per change, breaking first."""
    blocks: list[str] = []
    for comp in comparisons:
        lines = [f"{_title(comp)}  ({comp.old.label} → {comp.new.label})"]
        if comp.changes:
            lines.append(f"  {'Python API':<11} {'Document':<11} Change")
        for c in _order(comp.changes):
            mark = "  (acknowledged)" if c.acknowledged else ""
            lines.append(f"  {c.api:<11} {c.document:<11} {c.message}  [{c.id}]{mark}")
        lines += [f"note: {n}" for n in comp.notes]
        lines.append(_summary(comp))
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*").replace("_", "\\_").replace("<", "&lt;")


def render_markdown(comparisons: list[Comparison]) -> str:
    """For a changelog or a pull request: a table per spec, breaking changes first."""
    blocks: list[str] = []
    for comp in comparisons:
        lines = [f"## {_md(_title(comp))}", "", f"`{comp.old.label}` → `{comp.new.label}`: {_summary(comp)}.", ""]
        if comp.changes:
            lines += ["| Change | Python API | Document | Id |", "| --- | --- | --- | --- |"]
            for c in _order(comp.changes):
                cells = [f"**{w}**" if w == BREAKING else w for w in (c.api, c.document)]
                ack = " (acknowledged)" if c.acknowledged else ""
                lines.append(f"| {_md(c.message)} | {cells[0]} | {cells[1]} | `{c.id}`{ack} |")
            lines.append("")
        lines += [f"> Note: {_md(n)}" for n in comp.notes]
        blocks.append("\n".join(lines).rstrip("\n") + "\n")
    return "\n".join(blocks)


def render_json(comparisons: list[Comparison], fail_on: str = "any") -> str:
    """For tools: every comparison with its changes, and whether an unacknowledged breaking change was found."""
    data = {
        "breaking": any(comp.failing(fail_on) for comp in comparisons),
        "comparisons": [
            {
                "old": {"spec": comp.old.label, "package": comp.old.package.name, "version": comp.old.package.version},
                "new": {"spec": comp.new.label, "package": comp.new.package.name, "version": comp.new.package.version},
                "changes": [c.as_json() for c in comp.changes],
                "notes": comp.notes,
            }
            for comp in comparisons
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_changelog_entry(comparisons: list[Comparison]) -> str:
    """A draft ``package.changelog`` entry per spec (YAML), to edit and paste into the new spec: a text
    in each of its languages (English where the diff has no words of that language, to translate)."""
    blocks: list[str] = []
    for comp in comparisons:
        changes = []
        for c in _order(comp.changes):
            words = {"en": c.message[:1].upper() + c.message[1:] + ".", "es": c.message_es[:1].upper() + c.message_es[1:] + "."}
            changes.append({lang: words.get(lang, words["en"]) for lang in comp.new.package.languages})
        entry: dict[str, Any] = {"version": comp.new.package.version, "changes": changes}
        ids = [c.id for c in _order(comp.changes) if c.breaking]
        if ids:
            entry["acknowledged_breaking"] = ids
        text = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=120)
        blocks.append(f"# package.changelog entry for {comp.new.label}\n{text}")
    return "\n".join(blocks)


def render(comparisons: list[Comparison], fmt: str, fail_on: str = "any") -> str:
    """The comparisons in one of :data:`FORMATS`."""
    if fmt == "markdown":
        return render_markdown(comparisons)
    if fmt == "json":
        return render_json(comparisons, fail_on)
    if fmt == "changelog-entry":
        return render_changelog_entry(comparisons)
    return render_text(comparisons)
