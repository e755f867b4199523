"""Other forms of a document (``package.document.reads``) and the modules a package ships to read
them (``package.modules``): the module is copied into the package with the header, the load functions
rewrite a document of such a form before loading it, and its problems are told at the values of the
document as written."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import ROOT, import_fresh

import generator
from generator.headers import has_generated_header
from generator.pipeline import build_package

#: A valid spec with a shipped module (the bad-spec cases are its mistakes).
CASE = ROOT / "tests" / "bad_specs" / "reads_unknown_function"
HOOKS = (CASE / "hooks.py").read_text(encoding="utf-8")


def spec_with_reads(folder: Path, hooks: str = HOOKS) -> Path:
    """The shop spec of the bad-spec cases, reading orders whose number was under ``id``."""
    text = (CASE / "reads_unknown_function.yaml").read_text(encoding="utf-8").replace("from_old_from", "from_old_form")
    spec = folder / "spec" / "shop.yaml"
    spec.parent.mkdir(parents=True)
    spec.write_text(text, encoding="utf-8")
    (spec.parent / "hooks.py").write_text(hooks, encoding="utf-8")
    return spec


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    folder = tmp_path_factory.mktemp("forms")
    spec = spec_with_reads(folder)
    result = generator.generate([spec], out=folder / "out", targets="package", cache=False, config=False)
    assert result.ok, result.problems or result.error
    return import_fresh("shop", folder / "out" / "shop")


def test_the_module_is_shipped_in_the_package_with_the_header(shop: ModuleType) -> None:
    shipped = Path(shop.__file__).parent / "_hooks.py"
    text = shipped.read_text(encoding="utf-8")
    assert has_generated_header(text)
    assert "# Copied from spec/hooks.py" in text.splitlines()[2]
    assert "def from_old_form(document: dict[Any, Any]) -> dict[Any, Any]:" in text


def test_a_document_of_the_other_form_loads_as_the_modelled_one(shop: ModuleType) -> None:
    assert shop.load_order(io.StringIO("id: 7\n")) == shop.Order(number=7)
    assert shop.load_order(io.StringIO("number: 8\n")) == shop.Order(number=8)
    assert shop.load_all_order(io.StringIO("id: 1\n---\nnumber: 2\n")) == [shop.Order(number=1), shop.Order(number=2)]


def test_from_dict_and_the_dump_know_the_modelled_form_only(shop: ModuleType) -> None:
    with pytest.raises(shop.DocumentError, match="id: expected a known key"):
        shop.Order.from_dict({"id": 7})
    stream = io.StringIO()
    shop.dump_order(shop.load_order(io.StringIO("id: 7\n")), stream)
    assert stream.getvalue() == "number: 7\n"


def test_a_moved_value_is_told_where_the_document_wrote_it(shop: ModuleType) -> None:
    with pytest.raises(shop.DocumentError) as err:
        shop.load_order(io.StringIO("# an old order\nid: seven\n"))
    (problem,) = err.value.problems
    assert (problem.location, problem.line, problem.column) == ("id", 2, 5)


def test_a_document_of_the_modelled_form_is_told_as_written(shop: ModuleType) -> None:
    with pytest.raises(shop.DocumentError) as err:
        shop.load_order(io.StringIO("number: x\n"))  # the modelled form: not rewritten
    assert [(p.location, p.line, p.column) for p in err.value.problems] == [("number", 1, 9)]


def test_relocate_follows_moved_mappings_and_strings_not_shared_values() -> None:
    from aml_entities._runtime import Problem, relocate

    tags = {"a": "one"}
    original = {"component": {"command": "run it", "tags": tags, "n": 1, "k": 2}, "inputs": {"x": 1, "k": 2}}
    rewritten = {"command": original["component"]["command"], "tags": tags, "inputs": {"x": True}, "n": 1, "k": 2}
    problems = [
        Problem(("command",), "e", "f"),
        Problem(("tags", "a"), "e", "f"),
        Problem(("tags", "b"), "e", "f", at_key=True),
        Problem(("inputs", "x"), "e", "f"),
        Problem(("n",), "e", "f"),  # a small integer, one object for all: followed with its key
        Problem(("k",), "e", "f"),  # the key with that value at two places: not followed
        Problem(("missing", "deeper"), "e", "f"),
    ]
    relocate(problems, original, rewritten)
    assert [p.path for p in problems] == [
        ("component", "command"),
        ("component", "tags", "a"),
        ("component", "tags", "b"),
        ("inputs", "x"),
        ("component", "n"),
        ("k",),
        ("missing", "deeper"),
    ]


def test_a_value_at_two_places_of_the_original_is_not_followed() -> None:
    from aml_entities._runtime import Problem, relocate

    shared = ["a", "b"]  # a YAML alias: one object at two paths
    original = {"x": shared, "y": shared}
    (problem,) = relocate([Problem(("z", 0), "e", "f")], original, {"z": shared})
    assert problem.path == ("z", 0)


def test_the_model_holds_the_modules_and_forms(tmp_path: Path) -> None:
    package = build_package(spec_with_reads(tmp_path), "spec/shop.yaml")
    (module,) = package.modules
    assert (module.name, module.file, module.text) == ("_hooks", "spec/hooks.py", HOOKS)
    (form,) = package.reads
    assert (form.id, form.description["en"]) == ("_hooks:from_old_form", "An order as the old shop wrote it.")


def test_check_fails_after_the_shipped_module_changes_and_the_cache_sees_it(tmp_path: Path) -> None:
    spec = spec_with_reads(tmp_path)
    out = tmp_path / "out"
    assert generator.generate([spec], out=out, targets="package", config=False).ok
    assert generator.check([spec], out=out, targets="package", config=False).ok
    (spec.parent / "hooks.py").write_text(HOOKS + "\n\nLATER = 1\n", encoding="utf-8")
    assert not generator.check([spec], out=out, targets="package", config=False).ok
    assert generator.generate([spec], out=out, targets="package", config=False).ok
    assert "LATER = 1" in (out / "shop" / "shop" / "_hooks.py").read_text(encoding="utf-8")


def test_watch_watches_the_shipped_module(tmp_path: Path) -> None:
    from generator.spec.loader import included_files

    spec = spec_with_reads(tmp_path)
    assert included_files(str(spec)) == [str(spec.parent / "hooks.py")]


def test_the_generated_package_with_its_module_is_mypy_strict_clean(tmp_path: Path) -> None:
    spec = spec_with_reads(tmp_path)
    out = tmp_path / "out"
    assert generator.generate([spec], out=out, targets="package", cache=False, config=False).ok
    shutil.rmtree(out / "shop" / "shop" / "__pycache__", ignore_errors=True)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "shop"], cwd=out / "shop", capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


AZURE_DUMP = """\
component:
  command: 5
  name: azureml_anonymous
  tags:
    d: 1
  inputs:
    flag: {type: boolean, default: 'True'}
    data: {type: uri_folder}
environment: azureml:e:1
inputs:
  flag: 1
  data: {path: azureml:./data, type: uri_folder, mode: sideways}
type: command
"""


def test_azure_ai_ml_s_dump_with_bad_values_is_told_at_the_values_it_holds() -> None:
    from aml_entities import DocumentError, load_job

    with pytest.raises(DocumentError) as err:
        load_job(io.StringIO(AZURE_DUMP))
    assert [(p.location, p.line, p.column) for p in err.value.problems] == [
        ("component.command", 2, 12),
        ("component.tags.d", 5, 8),
        ("inputs.data.mode", 12, 56),
    ]


def test_azure_ai_ml_s_dump_loads_as_the_job_it_dumped() -> None:
    from aml_entities import CommandJob, Input, load_job

    job = load_job(io.StringIO(AZURE_DUMP.replace("command: 5", "command: run").replace("d: 1", "d: x").replace(", mode: sideways", "")))
    assert isinstance(job, CommandJob)
    assert (job.command, job.tags, job.name, job.environment) == ("run", {"d": "x"}, None, "azureml:e:1")
    assert job.inputs is not None and job.inputs["flag"] is True
    data = job.inputs["data"]
    assert isinstance(data, Input) and data.path == "./data"


@pytest.mark.parametrize(
    ("dumped", "read"),
    [
        ("azureml:https://a.com/x.csv", "https://a.com/x.csv"),
        ("azureml:./data", "./data"),
        ("azureml:wasbs://c@a.blob.core.windows.net/x", "wasbs://c@a.blob.core.windows.net/x"),
        ("azureml:data", "data"),  # a local folder "data", or the reference azureml:data: written alike
        ("azureml:mydata:1", "azureml:mydata:1"),
        ("azureml:mydata@latest", "azureml:mydata@latest"),
        ("azureml://datastores/d/paths/x", "azureml://datastores/d/paths/x"),
    ],
)
def test_the_prefix_azure_ai_ml_s_dump_puts_in_front_of_a_path_is_removed(dumped: str, read: str) -> None:
    from aml_entities import Input, load_job

    text = f"component: {{command: x, name: azureml_anonymous}}\ninputs:\n  d: {{path: '{dumped}'}}\ntype: command\n"
    job = load_job(io.StringIO(text))
    assert job.inputs is not None and isinstance(job.inputs["d"], Input) and job.inputs["d"].path == read


def test_the_idl_reference_example_generates_and_reads_the_old_form(tmp_path: Path) -> None:
    import re

    import yaml
    from test_idl_reference import merged, whole_spec

    page = (ROOT / "docs" / "idl.md").read_text(encoding="utf-8")
    section = page.split("\n## Other forms of a document\n", 1)[1].split("\n## ", 1)[0]
    (part,) = re.findall(r"^```text\n(.*?)^```$", section, re.M | re.S)
    (hooks,) = re.findall(r"^```python\n(.*?)^```$", section, re.M | re.S)
    base, _document, _python = whole_spec()
    spec = tmp_path / "spec" / "shop.yaml"
    spec.parent.mkdir()
    spec.write_text(yaml.safe_dump(merged(base, yaml.safe_load(part)), sort_keys=False), encoding="utf-8")
    (spec.parent / "hooks.py").write_text(hooks, encoding="utf-8")
    result = generator.generate([spec], out=tmp_path / "out", targets="package", cache=False, config=False)
    assert result.ok, result.problems or result.error
    shop = import_fresh("shop", tmp_path / "out" / "shop")
    assert shop.load_order(io.StringIO("id: 7\n")) == shop.Order(number=7)
    with pytest.raises(shop.DocumentError) as err:
        shop.load_order(io.StringIO("id: seven\n"))
    assert [(p.location, p.line, p.column) for p in err.value.problems] == [("id", 1, 5)]
