"""The JSON Schema target (and the pydantic package made from it): valid, complete for editors, generic."""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pydantic
import pytest
import yaml
from conftest import CORPUS, GENERATED, LIBRARY_SPEC, ROOT, SPEC, generate_into, import_fresh
from judges import YamlValidator

from generator.outputs import GENERATED_MARK, header
from generator.pipeline import build_package
from generator.render import environment
from generator.targets.pydantic import pydantic_input, pydantic_root, pydantic_source, render_pydantic
from generator.targets.schema import other_than, regex_literal, render_schema, schema_path

SCHEMA_FILE = GENERATED / "aml_entities_schema" / "job.schema.json"
SHAPES_SPEC = ROOT / "tests" / "specs" / "shapes" / "shapes.yaml"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return dict(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def check_schema(schema: dict[str, Any]) -> None:
    """Valid against the 2020-12 metaschema, every ``$ref`` resolves, every definition is used."""
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert jsonschema.validators.validator_for(schema) is jsonschema.Draft202012Validator
    jsonschema.Draft202012Validator.check_schema(schema)
    used = set(refs(schema))
    assert all(r.startswith("#/$defs/") for r in used), used
    assert {r.removeprefix("#/$defs/") for r in used} == set(schema["$defs"])


# -- the checked-in schema ---------------------------------------------------------------------------


def test_schema_file_is_where_the_package_says() -> None:
    assert schema_path(build_package(SPEC)) == "aml_entities_schema/job.schema.json"
    assert SCHEMA_FILE.is_file()


def test_schema_is_valid_against_its_metaschema(schema: dict[str, Any]) -> None:
    check_schema(schema)


def test_schema_file_is_canonical_json_with_the_generated_mark() -> None:
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
    assert GENERATED_MARK in text[:400]
    assert "spec/aml_entities.yaml" in json.loads(text)["$comment"]


def test_rendering_is_deterministic() -> None:
    package = build_package(SPEC)
    first, second = render_schema(package, environment()), render_schema(build_package(SPEC), environment())
    assert first == second


def test_the_document_is_a_command_job(schema: dict[str, Any]) -> None:
    assert schema["$ref"] == "#/$defs/CommandJob"
    job = schema["$defs"]["CommandJob"]
    assert job["required"] == ["command"]
    assert job["properties"]["type"]["const"] == "command"
    assert "type" not in job["required"]


def test_objects_are_closed_and_every_key_is_described(schema: dict[str, Any]) -> None:
    objects = {name: d for name, d in schema["$defs"].items() if "properties" in d}
    assert len(objects) >= 20
    for name, definition in objects.items():
        assert definition["additionalProperties"] is False, name
        assert definition["description"], name
        assert definition["title"] == name.removesuffix("Tagged")
        for key, prop in definition["properties"].items():
            assert prop.get("description"), f"{name}.{key}"
        assert set(definition.get("required", [])) <= set(definition["properties"]), name


def test_enums_closed_and_open(schema: dict[str, Any]) -> None:
    defs = schema["$defs"]
    enums = {e.name: e for e in build_package(SPEC).enums}
    for name in ("InputMode", "OutputMode", "InputType", "OutputType"):
        assert not enums[name].open and enums[name].match == "case_insensitive"
        assert all(f"- `{m.value}`: {m.description['en']}" in defs[name]["description"] for m in enums[name].members)
        for member in enums[name].members:  # any case of each value: RO_MOUNT, Ro_Mount, ro_mount
            assert re.search(defs[name]["pattern"], member.value.upper())
    assert {"ro_mount", "download", "direct"} <= {m.value for m in enums["InputMode"].members}
    assert {"rw_mount", "upload", "direct"} <= {m.value for m in enums["OutputMode"].members}
    status = defs["JobStatus"]
    assert enums["JobStatus"].open
    assert "enum" not in status and status["type"] == "string"  # open: any string loads
    assert {"Running", "Completed", "Failed"} <= set(status["examples"])
    assert "`Running`" in status["description"]


def test_discriminated_unions(schema: dict[str, Any]) -> None:
    defs = schema["$defs"]
    identity = defs["IdentityConfiguration"]
    assert "discriminator" not in identity  # spelled several ways: an OpenAPI mapping cannot list them
    assert [b["$ref"].rsplit("/", 1)[1] for b in identity["oneOf"]] == [
        "ManagedIdentityConfiguration", "AmlTokenConfiguration", "UserIdentityConfiguration",
    ]  # fmt: skip
    managed = defs["ManagedIdentityConfiguration"]["properties"]["type"]["enum"]
    assert managed[:2] == ["managed_identity", "managed"] and "ManagedIdentity" in managed and "Managed_Identity" not in managed
    assert "type" in defs["ManagedIdentityConfiguration"]["required"]
    assert len(defs["DistributionConfiguration"]["oneOf"]) == 4
    services = defs["JobServiceFamily"]
    assert services["oneOf"][-1] == {"$ref": "#/$defs/JobService"}  # an unknown kind is a plain JobService
    assert "discriminator" not in services
    kind = defs["JobService"]["properties"]["type"]["anyOf"][0]
    assert kind["type"] == "string"  # any other type, in any case, is a plain JobService
    assert not re.search(kind["pattern"], "SSH") and not re.search(kind["pattern"], "Vs_Code") and re.search(kind["pattern"], "rdp")
    assert "type" not in defs["JobService"].get("required", [])  # the family has no default: no key is a JobService


def test_fields_that_editors_need(schema: dict[str, Any]) -> None:
    job = schema["$defs"]["CommandJob"]["properties"]
    assert job["environment"]["anyOf"][0] == {"type": "string", "pattern": "^(?:azureml:|file:)"}
    assert job["limits"]["anyOf"] == [{"$ref": "#/$defs/CommandJobLimits"}, {"type": "null"}]
    for key in ("id", "status", "creation_context", "log_files", "parameters"):
        assert job[key]["readOnly"] is True, key
    assert job["outputs"]["anyOf"][0]["additionalProperties"] == {"anyOf": [{"$ref": "#/$defs/Output"}, {"type": "null"}]}
    assert job["parameters"]["anyOf"][0]["additionalProperties"] == {}
    assert job["$schema"]["description"]


def test_regex_literal_escapes_what_a_regex_reads() -> None:
    assert regex_literal("azureml:") == "azureml:"
    assert regex_literal("a.b+(x)") == "a\\.b\\+\\(x\\)"


def test_other_than_matches_every_string_but_the_values() -> None:
    pattern = re.compile(other_than(["ssh", "a.b"]))
    assert not pattern.search("ssh") and not pattern.search("a.b")
    assert all(pattern.search(s) for s in ["", "sshx", "xssh", "ssh\n", "SSH", "aXb", "a.b "])


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.yml"))


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_corpus_file_against_the_schema(schema: dict[str, Any], path: Path) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = list(YamlValidator(schema).iter_errors(doc))
    if path.name == "jobs__nebulaml__cifar10_deepspeed__job.yml":
        assert [e.json_path for e in errors] == ["$.environment"]
    else:
        assert errors == [], [e.message for e in errors]


# -- the pydantic package ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def aml_pydantic() -> Any:
    return import_fresh("aml_entities_pydantic", GENERATED / "aml_entities_pydantic")


def test_pydantic_package_imports_every_module(aml_pydantic: Any) -> None:
    names = [m.name for m in pkgutil.iter_modules(aml_pydantic.__path__, "aml_entities_pydantic.")]
    assert names == ["aml_entities_pydantic._base", "aml_entities_pydantic.models"]
    for name in names:
        importlib.import_module(name)
    for name in aml_pydantic.__all__:
        assert issubclass(getattr(aml_pydantic, name), pydantic.BaseModel)
    base = importlib.import_module("aml_entities_pydantic._base").StrictBaseModel
    assert base.model_config["strict"] is True
    assert issubclass(aml_pydantic.CommandJob, base) and aml_pydantic.CommandJob.model_config["extra"] == "forbid"


def test_pydantic_top_level_model_validates_a_plain_dict(aml_pydantic: Any) -> None:
    doc = yaml.safe_load((CORPUS / "jobs__basics__hello-world-output-data.yml").read_text(encoding="utf-8"))
    job = aml_pydantic.CommandJob.model_validate(doc)
    assert job.command == doc["command"]
    with pytest.raises(pydantic.ValidationError):
        aml_pydantic.CommandJob.model_validate({**doc, "comand": "typo"})


def test_pydantic_models_carry_the_header() -> None:
    for path in (GENERATED / "aml_entities_pydantic").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts and ".egg-info" not in str(path):
            head = path.read_text(encoding="utf-8")[:400]
            assert GENERATED_MARK in head and "spec/aml_entities.yaml" in head, path
    models = (GENERATED / "aml_entities_pydantic" / "aml_entities_pydantic" / "models.py").read_text(encoding="utf-8")
    assert "datamodel-codegen" not in models.split("\n\n", 1)[0]  # our header replaces its (timestamped) one


def test_pydantic_rendering_is_deterministic() -> None:
    first = render_pydantic(build_package(SPEC), environment())
    second = render_pydantic(build_package(SPEC), environment())
    assert first == second


def test_pydantic_input_folds_a_nullable_ref_array_or_mapping_only() -> None:
    null = {"type": "null"}
    ref, array = {"$ref": "#/$defs/A"}, {"type": "array", "items": {"anyOf": [{"$ref": "#/$defs/B"}, null]}}
    mapping = {"type": "object", "propertyNames": {"type": "string"}, "additionalProperties": {"type": "integer"}}
    assert pydantic_input({"description": "d", "anyOf": [ref, null]}) == {"$ref": "#/$defs/A", "description": "d", "nullable": True}
    assert pydantic_input({"anyOf": [array, null]}) == {
        "type": "array",
        "items": {"$ref": "#/$defs/B", "nullable": True},
        "nullable": True,
    }
    assert pydantic_input({"anyOf": [mapping, null]}) == {**mapping, "nullable": True}
    kept = [
        {"anyOf": [{"type": "string", "pattern": "^a"}, null]},  # a scalar
        {"anyOf": [ref, {"type": "integer"}, null]},  # more than one type
        {"anyOf": [null, ref]},
        {"anyOf": [ref, null], "oneOf": [ref]},
        {"anyOf": [{**mapping, "description": "inner"}, null], "description": "outer"},  # a clash of siblings
        {"anyOf": [ref, null], "nullable": False},
    ]
    for schema in kept:
        assert pydantic_input(schema) == schema


@pytest.mark.parametrize("spec", [SPEC, LIBRARY_SPEC, SHAPES_SPEC], ids=lambda p: p.stem)
def test_pydantic_input_gives_the_same_models(spec: Path) -> None:
    """The folded schema only makes datamodel-code-generator faster: the models are the same text."""
    package = build_package(spec)
    (schema,) = render_schema(package, environment())
    data = {**json.loads(schema.text), "title": pydantic_root(package)}
    folded = pydantic_input(data)
    assert folded != data and '"anyOf"' in schema.text  # the published schema keeps its anyOf
    models = [
        pydantic_source(json.dumps(each, ensure_ascii=False, indent=2), header("#", package.spec_file), "x._base.StrictBaseModel")
        for each in (data, folded)
    ]
    assert models[0] == models[1]


# -- other specs: the generator knows nothing of Azure ML --------------------------------------------


@pytest.mark.parametrize("spec", [LIBRARY_SPEC, SHAPES_SPEC], ids=lambda p: p.stem)
def test_other_specs_give_a_valid_schema_and_importable_models(tmp_path: Path, spec: Path) -> None:
    generate_into(spec, tmp_path)
    package = build_package(spec)
    schema = json.loads((tmp_path / schema_path(package)).read_text(encoding="utf-8"))
    check_schema(schema)
    top = f"{package.name}_pydantic"
    models = import_fresh(top, tmp_path / top)
    root = schema["$ref"].removeprefix("#/$defs/")
    assert issubclass(getattr(models, root), pydantic.BaseModel)
    assert root in models.__all__


def test_library_documents(tmp_path: Path) -> None:
    generate_into(LIBRARY_SPEC, tmp_path)
    schema = json.loads((tmp_path / "library_entities_schema" / "loan.schema.json").read_text(encoding="utf-8"))
    models = import_fresh("library_entities_pydantic", tmp_path / "library_entities_pydantic")
    good = {"item": {"kind": "book", "title": "Dune", "isbn": "1"}, "member": {"name": "Ada", "email": "mailto:a@b"}}
    bad = {"item": {"title": "Dune", "isbn": "1"}}  # no kind: an Item is a Book or a Magazine
    assert YamlValidator(schema).is_valid(good) and not YamlValidator(schema).is_valid(bad)
    assert models.Loan.model_validate(good).item.root.title == "Dune"
    with pytest.raises(pydantic.ValidationError):
        models.Loan.model_validate(bad)


# -- in an editor ------------------------------------------------------------------------------------

EDITOR = ROOT / "tests" / "editor" / "yls.js"


#: The editor's packages, pinned; the test installs them from the npm registry (once, in a cache folder).
EDITOR_PACKAGES = ["yaml-language-server@1.25.0", "vscode-languageserver-textdocument@1.0.12"]


def editor_modules() -> Path:
    """A ``node_modules`` folder with yaml-language-server, installed with npm if it is not there yet."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "idl-generator-tests" / "editor"
    modules = cache / "node_modules"
    if not (modules / "yaml-language-server").is_dir() or not (modules / "vscode-languageserver-textdocument").is_dir():
        npm = shutil.which("npm")
        assert npm is not None, "npm is needed to install yaml-language-server (node and npm come with the machine)"
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--save-exact", "--prefix", str(cache), *EDITOR_PACKAGES],
            check=True, capture_output=True, timeout=600,
        )
    return modules


def yaml_language_server(request: dict[str, Any]) -> dict[str, Any]:
    """Run ``request`` through yaml-language-server (node, with the packages found through NODE_PATH)."""
    node = shutil.which("node")
    assert node is not None, "node is needed for the editor test (it comes with the machine)"
    env = {**os.environ, "NODE_PATH": str(editor_modules())}
    result = subprocess.run(
        [node, str(EDITOR)], input=json.dumps(request), capture_output=True, text=True, timeout=120, check=True, env=env
    )
    return dict(json.loads(result.stdout))


def test_an_editor_validates_completes_and_explains_with_the_schema() -> None:
    docs = {p.name: p.read_text(encoding="utf-8") for p in corpus_files()}
    docs.update(
        {
            "typo": "command: x\ncomand: y\n",
            "no command": "name: x\n",
            "digits for an int": "command: x\nlimits:\n  timeout: '7200'\n",
            "unknown mode": "command: x\noutputs:\n  o:\n    mode: teleport\n",
            "identity without type": "command: x\nidentity:\n  client_id: c\n",
            "unknown service kind": "command: x\nservices:\n  s:\n    type: rdp\n    port: 3\n",
        }
    )
    out = yaml_language_server(
        {
            "schema": str(SCHEMA_FILE),
            "validate": docs,
            "complete": {
                "top": ["command: x\n\n", 1, 0],
                "identity type": ["command: x\nidentity:\n  type: \n", 2, 8],
                "output mode": ["command: x\noutputs:\n  o:\n    mode: \n", 3, 10],
                "status": ["command: x\nstatus: \n", 1, 8],
                "ssh keys": ["command: x\nservices:\n  s:\n    type: ssh\n    \n", 4, 4],
            },
            "hover": {"timeout": ["command: x\nlimits:\n  timeout: 3\n", 2, 4]},
        }
    )
    problems = {name: diags for name, diags in out["validate"].items() if diags}
    assert [d["message"] for d in problems.pop("jobs__nebulaml__cifar10_deepspeed__job.yml")] == [
        'String does not match the pattern of "^(?:azureml:|file:)".'
    ]
    assert set(problems) == {"typo", "no command", "digits for an int", "unknown mode", "identity without type"}
    assert problems["typo"][0]["line"] == 1
    complete = out["complete"]
    assert {"environment", "inputs", "outputs", "identity", "services", "$schema"} <= set(complete["top"])
    assert "command" not in complete["top"]  # already there
    assert {"managed_identity", "aml_token", "user_identity", "AMLToken"} <= set(complete["identity type"])
    assert {"rw_mount", "upload", "direct", "mount"} <= set(complete["output mode"])
    assert {"Running", "Completed", "Failed"} <= set(complete["status"])
    assert "ssh_public_keys" in complete["ssh keys"]
    assert "Maximum run time in seconds" in out["hover"]["timeout"]


def test_datamodel_code_generator_runs_again_only_when_the_schema_text_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator
    from generator.targets import pydantic as target

    calls: list[str] = []
    real = target._datamodel_code_generator

    def counted(schema_text: str, file_header: str, base_class: str) -> str:
        calls.append(schema_text)
        return real(schema_text, file_header, base_class)

    monkeypatch.setattr(target, "_datamodel_code_generator", counted)
    spec = tmp_path / "library.yaml"
    text = LIBRARY_SPEC.read_text(encoding="utf-8")
    spec.write_text(text, encoding="utf-8")

    def models() -> str:
        result = generator.generate([spec], out=tmp_path / "out", targets="pydantic", cache=tmp_path / "cache", config=False)
        assert result.ok, result.problems or result.error
        return next((tmp_path / "out").glob("*_pydantic/*_pydantic/models.py")).read_text(encoding="utf-8")

    first = models()
    assert len(calls) == 1
    spec.write_text(text + "\n# a comment: the spec's bytes change, its schema does not\n", encoding="utf-8")
    assert models() == first and len(calls) == 1  # the models of that schema text come from the cache
    changed = text.replace("en: The lending of one item to one member.", "en: The lending of an item to a member.")
    assert changed != text
    spec.write_text(changed, encoding="utf-8")
    assert models() != first and len(calls) == 2  # a description is in the schema: the models change
    no_cache = generator.generate([spec], out=tmp_path / "out2", targets="pydantic", cache=False, config=False)
    assert no_cache.ok and len(calls) == 3  # without a cache it always runs
