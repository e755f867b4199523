"""The collected real command jobs (tests/conformance/collected, with their sources and azure-ai-ml's verdicts):
the package loads every document azure-ai-ml loads, and every one it rejects only for a local file that is not
here (this package never reads the disk for a path); it rejects the others, each at a located value; and what it
loads it writes back as it was read."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml
from aml_entities import CommandJob, DocumentError, load_job
from conftest import CORPUS

COLLECTED = Path(__file__).parent / "conformance" / "collected"
VERDICTS = {row["file"]: row for row in csv.DictReader((COLLECTED / "VERDICTS.tsv").open(encoding="utf-8"), delimiter="\t")}


def loads_for_azure(row: dict[str, str]) -> bool:
    """Whether azure-ai-ml loads the document, given the local files it names."""
    return row["azure_ai_ml_loads"] == "yes" or row["reason_if_rejected"].startswith("local-file:")


ACCEPTED = sorted(name for name, row in VERDICTS.items() if loads_for_azure(row))
REJECTED = sorted(name for name, row in VERDICTS.items() if not loads_for_azure(row))


def test_the_verdicts_cover_every_collected_document() -> None:
    on_disk = {p.name for p in COLLECTED.iterdir() if p.suffix in (".yml", ".yaml")}
    assert on_disk == set(VERDICTS)
    assert len(ACCEPTED) >= 89 and len(REJECTED) >= 14


def test_every_collected_document_names_its_source() -> None:
    sources = list(csv.DictReader((COLLECTED / "SOURCES.tsv").open(encoding="utf-8"), delimiter="\t"))
    assert sorted(row["file"] for row in sources) == sorted(VERDICTS)
    for row in sources:
        assert row["file"] == row["repository"].replace("/", "__") + "__" + row["path"].replace("/", "__")
        assert len(row["commit"]) == 40 and set(row["commit"]) <= set("0123456789abcdef")


@pytest.mark.parametrize("name", ACCEPTED)
def test_a_document_azure_ai_ml_loads_loads_and_is_written_back_as_read(name: str, tmp_path: Path) -> None:
    job = load_job(COLLECTED / name)
    assert isinstance(job, CommandJob)
    original = yaml.safe_load((COLLECTED / name).read_text(encoding="utf-8"))
    assert job.to_dict() == original
    job.dump(tmp_path / "again.yml")
    assert load_job(tmp_path / "again.yml") == job


@pytest.mark.parametrize("name", REJECTED)
def test_a_document_azure_ai_ml_rejects_is_rejected_at_located_values(name: str) -> None:
    with pytest.raises(DocumentError) as err:
        load_job(COLLECTED / name)
    assert err.value.problems
    assert all(p.line is not None and p.column is not None for p in err.value.problems)


def test_the_readme_example_runs_and_round_trips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    code = readme.split("## Using the generated package", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    expected = code.split("print(problem)", 1)[1].split("# ", 1)[1].split("\n", 1)[0]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yml").write_text("command: x\nenvironment: azureml:e:1\nlimits:\n  timeout: abc\n", encoding="utf-8")
    exec(compile(code, "README.md", "exec"), {})
    assert capsys.readouterr().out.splitlines() == [expected]


def test_the_readme_conformance_table_counts_the_documents() -> None:
    shared = [
        row for row in csv.DictReader((CORPUS.parent / "EXPECTED.tsv").open(encoding="utf-8"), delimiter="\t")
    ]
    rows = [*VERDICTS.values(), *shared]
    loads = sum(row["azure_ai_ml_loads"] == "yes" for row in rows)
    local = sum(row["reason_if_rejected"].startswith(("local-file", "a local file")) for row in rows)
    schema = sum(row["reason_if_rejected"].startswith("schema") for row in rows)
    assert loads + local + schema == len(rows) == 39 + 103
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"| azure-ai-ml loads them | {loads} | {loads} | {loads} | {loads} | {loads} | {loads} |" in readme
    named = sum(row["reason_if_rejected"].startswith("local-file:") for row in VERDICTS.values())  # paths named
    assert f"| azure-ai-ml rejects them only for a local file that is not there | {local} | {local} | {named}, once the files exist | {local} | {named} | {named} |" in readme
    assert f"| azure-ai-ml rejects them for a schema reason | {schema} | 0: each is rejected, its problems located |" in readme
