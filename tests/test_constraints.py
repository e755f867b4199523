"""Constraints and deprecation (issue 14) on a spec that uses every constraint (``tests/specs/constraints``):
the loader's located messages, one per violation; ``dump`` refusing what breaks them; unions (each
constraint on the options of its kind), unique items as document values; the JSON Schema keywords, the
pydantic constraints, the docs in both languages; and the three judges agreeing on documents at the bounds.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import ROOT, generate_into, import_fresh
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from judges import Documents, Judges, mutate, neighbours

from generator.model import Constraint, Constraints
from generator.pipeline import build_package

SPEC = ROOT / "tests" / "specs" / "constraints" / "constraints.yaml"
EXAMPLES = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
GOOD = {"name": "build", "steps": [{"command": "make"}]}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("constraints")
    generate_into(SPEC, folder)
    return folder


@pytest.fixture(scope="module")
def pipelines(out: Path) -> ModuleType:
    return import_fresh("pipeline_entities", out / "pipeline_entities")


@pytest.fixture(scope="module")
def judges(out: Path, pipelines: ModuleType) -> Iterator[Judges]:
    models = import_fresh("pipeline_entities_pydantic", out / "pipeline_entities_pydantic")
    yield Judges.load(build_package(SPEC), out, pipelines, models)


def problems(pipelines: ModuleType, doc: dict[str, Any]) -> list[str]:
    """The loader's problems of ``doc``, as ``path: expected ..., found ...``, in the order it tells them."""
    with pytest.raises(pipelines.DocumentError) as err:
        pipelines.Pipeline.from_dict(doc)
    return [str(p) for p in err.value.problems]


def with_(**changes: Any) -> dict[str, Any]:
    return {**GOOD, **changes}


# -- the loader ----------------------------------------------------------------------------------


def test_a_value_within_its_constraints_loads(pipelines: ModuleType) -> None:
    doc = with_(retries=5, ratio=0.25, size=4, tags=["a", "b"], limits={"timeout": 1, "memory": 63.5})
    pipeline = pipelines.Pipeline.from_dict(doc)
    assert (pipeline.retries, pipeline.limits.timeout, pipeline.limits.memory) == (5, 1, 63.5)
    assert pipeline.to_dict() == doc


def test_a_violation_is_located_with_its_bound(pipelines: ModuleType) -> None:
    assert problems(pipelines, with_(limits={"timeout": -5})) == ["limits.timeout: expected at least 1, found -5"]
    text = "name: build\nsteps:\n  - command: make\nlimits:\n  timeout: 0\n"
    with pytest.raises(pipelines.DocumentError) as err:
        pipelines.load_pipeline(io.StringIO(text))
    assert str(err.value.problems[0]) == "<stream>:5:12: limits.timeout: expected at least 1, found 0"


def test_each_violation_is_one_problem_in_document_order(pipelines: ModuleType) -> None:
    doc = {"name": "Build it now please", "steps": [], "retries": 6, "ratio": 1, "limits": {"memory": 64.25}}
    assert problems(pipelines, doc) == [
        "name: expected at most 12 characters, found 19 characters",
        'name: expected a string matching "^[a-z][a-z0-9_-]*$", found the string \'Build it now please\'',
        "steps: expected at least 1 item, found 0 items",
        "retries: expected at most 5, found 6",
        "ratio: expected less than 1, found 1",
        "limits.memory: expected at most 64, found 64.25",
        "limits.memory: expected a multiple of 0.5, found 64.25",
    ]


def test_a_wrong_type_is_told_and_its_constraints_are_not(pipelines: ModuleType) -> None:
    assert problems(pipelines, with_(retries="9")) == ["retries: expected an integer, found the string '9'"]
    assert problems(pipelines, with_(ratio=True)) == ["ratio: expected a number, found the boolean true"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, ["size: expected a multiple of 2, found 3"]),
        (0, ["size: expected at least 2, found 0"]),
        ("x", ["size: expected at least 2 characters, found 1 character"]),
        ("large", ["size: expected at most 4 characters, found 5 characters"]),
        ([], ["size: expected at least 1 item, found 0 items"]),
    ],
)
def test_in_a_union_each_constraint_applies_to_the_options_of_its_kind(
    pipelines: ModuleType, value: Any, expected: list[str]
) -> None:
    assert problems(pipelines, with_(size=value)) == expected


def test_a_union_value_of_the_right_kind_within_its_constraints_loads(pipelines: ModuleType) -> None:
    for value in (2, 10, "xl", "huge", [1], [1, 1, 3], None):
        assert pipelines.Pipeline.from_dict(with_(size=value)).size == value


def test_the_end_of_a_pattern_is_the_end_of_the_text(pipelines: ModuleType) -> None:
    """``$`` as in ECMA-262: a final newline is not before the end (Python's ``$`` would take it)."""
    assert problems(pipelines, with_(name="build\n")) == [
        'name: expected a string matching "^[a-z][a-z0-9_-]*$", found the string \'build\\n\''
    ]


def test_nan_keeps_no_bound_and_is_no_multiple(pipelines: ModuleType) -> None:
    nan = float("nan")
    assert problems(pipelines, with_(ratio=nan)) == ["ratio: expected more than 0, found nan", "ratio: expected less than 1, found nan"]
    assert problems(pipelines, with_(limits={"memory": float("-inf")})) == ["limits.memory: expected a multiple of 0.5, found -inf"]


def test_huge_numbers_are_compared_exactly(pipelines: ModuleType) -> None:
    huge = 10**400
    assert problems(pipelines, with_(limits={"memory": huge})) == ["limits.memory: expected at most 64, found an integer of 1329 bits"]
    assert problems(pipelines, with_(size=huge + 1)) == ["size: expected a multiple of 2, found an integer of 1329 bits"]
    assert pipelines.Pipeline.from_dict(with_(size=huge)).size == huge


def test_unique_items_compares_document_values(pipelines: ModuleType) -> None:
    """Mappings whatever their key order, each repeat located at the item that repeats."""
    steps = [
        {"command": "a", "env": {"x": "1", "y": "2"}},
        {"command": "a", "env": {"y": "2", "x": "1"}},
        {"command": "a", "level": "quiet"},  # the level written: another document than the first
        {"command": "a", "env": {"x": "1", "y": "2"}},
    ]
    assert problems(pipelines, with_(steps=steps)) == [
        "steps[1]: expected unique items, found a repeat of item [0]",
        "steps[3]: expected unique items, found a repeat of item [0]",
    ]
    assert problems(pipelines, with_(tags=["a", "b", "a"])) == ["tags[2]: expected unique items, found a repeat of item [0]"]


def test_items_are_checked_after_they_load(pipelines: ModuleType) -> None:
    assert problems(pipelines, with_(steps=[{"command": ""}, {"command": ""}])) == [
        "steps[0].command: expected at least 1 character, found 0 characters",
        "steps[1].command: expected at least 1 character, found 0 characters",
    ]


def test_dump_refuses_what_breaks_a_constraint(pipelines: ModuleType, tmp_path: Path) -> None:
    pipeline = pipelines.Pipeline.from_dict(GOOD)
    pipeline.retries = 9
    pipeline.tags = ["x", "x"]
    with pytest.raises(pipelines.DocumentError) as err:
        pipelines.dump_pipeline(pipeline, tmp_path / "p.yaml")
    assert [str(p) for p in err.value.problems] == [
        "retries: expected at most 5, found 9",
        "tags[1]: expected unique items, found a repeat of item [0]",
    ]
    assert not (tmp_path / "p.yaml").exists()
    with pytest.raises(pipelines.DocumentError, match="retries: expected at most 5"):
        pipelines.Pipeline.from_dict(pipeline.to_dict())  # to_dict writes it as it is: loading tells


def test_only_fields_with_constraints_get_checks(out: Path) -> None:
    """One test per constraint, in the class that declares the field: nothing for the other fields."""
    source = (out / "pipeline_entities" / "pipeline_entities" / "models.py").read_text(encoding="utf-8")
    package = build_package(SPEC)
    checks = [c for cls in package.classes for f in cls.own_fields for c in f.constraints.checks]
    told = source.count("_runtime.bad_number(") + source.count("_runtime.bad_size(") + source.count("a string matching")
    assert told == len([c for c in checks if c.keyword != "unique_items"]) == 19
    assert source.count("_runtime.repeats(") == len([c for c in checks if c.keyword == "unique_items"]) == 2
    assert source.count("re.compile(") == 1 and 'r"^[a-z][a-z0-9_-]*\\Z"' in source
    loader = source[source.index("def _load_step(") : source.index("def _load_old_step(")]
    assert "env" in loader and loader.count("_runtime.bad_size(") == 1  # Step.command only


# -- deprecation ---------------------------------------------------------------------------------


def test_deprecated_things_still_load_and_their_docstrings_say_so(pipelines: ModuleType, out: Path) -> None:
    pipeline = pipelines.Pipeline.from_dict(with_(owner="me", setup={"run": "x"}, steps=[{"command": "a", "level": "chatty"}]))
    assert pipeline.owner == "me" and pipeline.setup.run == "x" and pipeline.steps[0].level is pipelines.Level.CHATTY
    assert "Deprecated." in pipelines.OldStep.__doc__
    source = (out / "pipeline_entities" / "pipeline_entities" / "models.py").read_text(encoding="utf-8")
    assert '    """Who owns it.\n\n    Deprecated: Use the tags instead.\n    """' in source
    enums = (out / "pipeline_entities" / "pipeline_entities" / "enums.py").read_text(encoding="utf-8")
    assert '    """Says even more.\n\n    Deprecated: Use loud instead.\n    """' in enums


# -- the other targets ---------------------------------------------------------------------------


def test_the_schema_puts_each_keyword_on_the_subschema_of_its_kind(out: Path) -> None:
    schema = json.loads((out / "pipeline_entities_schema" / "pipeline.schema.json").read_text(encoding="utf-8"))
    fields = schema["$defs"]["Pipeline"]["properties"]
    assert {k: fields["name"][k] for k in ("minLength", "maxLength", "pattern")} == {
        "minLength": 1, "maxLength": 12, "pattern": "^[a-z][a-z0-9_-]*(?![\\s\\S])",
    }  # fmt: skip
    assert fields["ratio"]["type"] == ["number", "null"] and (fields["ratio"]["exclusiveMinimum"], fields["ratio"]["exclusiveMaximum"]) == (0, 1)
    number, text, items, null = fields["size"]["anyOf"]
    assert (number["type"], number["minimum"], number["multipleOf"]) == ("integer", 2, 2)
    assert (text["type"], text["minLength"], text["maxLength"]) == ("string", 2, 4)
    assert (items["type"], items["minItems"], null) == ("array", 1, {"type": "null"})
    assert not {"minLength", "minItems"} & set(number) and "minimum" not in text
    assert fields["steps"]["uniqueItems"] is True and fields["tags"]["anyOf"][0]["uniqueItems"] is True
    assert fields["owner"]["deprecated"] is True and fields["setup"]["deprecated"] is True
    assert schema["$defs"]["OldStep"]["deprecated"] is True and "deprecated" not in schema["$defs"]["Step"]
    assert schema["$defs"]["Level"]["enumDescriptions"][2] == "Says even more. Deprecated: Use loud instead."


def test_the_pydantic_models_carry_the_constraints(out: Path) -> None:
    source = (out / "pipeline_entities_pydantic" / "pipeline_entities_pydantic" / "models.py").read_text(encoding="utf-8")
    assert "conint(ge=0, le=5, strict=True)" in source and "confloat(lt=1.0, gt=0.0, strict=True)" in source
    assert "conint(ge=2, multiple_of=2, strict=True)" in source and "constr(min_length=2, max_length=4, strict=True)" in source
    assert "class PipelineSizeItems(RootModel[list[StrictInt]]):" in source  # a union's list keeps its size
    assert '(("steps",),),' in source and '(("tags",),),' in source  # unique items, checked on the input
    assert "Field(None, deprecated=True" in source


def test_the_docs_show_constraints_and_deprecation_in_both_languages(out: Path) -> None:
    docs = out / "pipeline_entities_docs" / "docs"
    english = (docs / "en" / "Pipeline.md").read_text(encoding="utf-8")
    spanish = (docs / "es" / "Pipeline.md").read_text(encoding="utf-8")
    assert "Minimum length: `1`. Maximum length: `12`. Pattern: `^[a-z][a-z0-9_-]*$`." in english
    assert "Longitud mínima: `1`. Longitud máxima: `12`. Patrón: `^[a-z][a-z0-9_-]*$`." in spanish
    assert "Greater than `0`. Less than `1`." in english and "Mayor que `0`. Menor que `1`." in spanish
    assert "No two items are equal." in english and "No hay dos elementos iguales." in spanish
    assert "**Deprecated**: Use the tags instead. Default: `None`." in english
    assert "**Obsoleto**: Use las etiquetas en su lugar. Valor predeterminado: `None`." in spanish
    assert '!!! warning "Obsoleto"' in (docs / "es" / "OldStep.md").read_text(encoding="utf-8")
    assert "Says even more. **Deprecated**: Use loud instead." in (docs / "en" / "Level.md").read_text(encoding="utf-8")


def test_the_docs_example_keeps_the_constraints(pipelines: ModuleType, out: Path) -> None:
    import yaml

    page = (out / "pipeline_entities_docs" / "docs" / "en" / "Pipeline.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", page, re.S)
    assert block is not None
    assert yaml.safe_load(block.group(1))["name"] == "a"  # made from the pattern, not the placeholder <name>
    pipelines.load_pipeline(io.StringIO(block.group(1)))


# -- the model -----------------------------------------------------------------------------------


def test_a_constraint_says_what_it_expects_and_what_breaks_it() -> None:
    cases = [
        (Constraint("minimum", 1), 0, "at least 1", "0"),
        (Constraint("exclusive_maximum", 0.5), 0.5, "less than 0.5", "0.5"),
        (Constraint("multiple_of", 0.1), 0.3, "a multiple of 0.1", "0.3"),  # exactly: 0.3 is no multiple of 0.1
        (Constraint("min_length", 1), "", "at least 1 character", "0 characters"),
        (Constraint("max_items", 1), [1, 2], "at most 1 item", "2 items"),
        (Constraint("unique_items", True), [1, 1.0], "unique items", "a repeated item"),
        (Constraint("pattern", "^a$"), "a\n", 'a string matching "^a$"', '"a\\n"'),
    ]
    for constraint, value, expected, found in cases:
        assert (constraint.expected, constraint.violation(value)) == (expected, found), constraint
    assert Constraint("unique_items", True).violation([1, True, "1", [1], {"a": 1}]) is None
    assert Constraint("multiple_of", 0.5).violation(1.5) is None
    assert [c.keyword for c in Constraints(maximum=3, minimum=1, unique_items=False).checks] == ["minimum", "maximum"]


# -- three judges ----------------------------------------------------------------------------------


@EXAMPLES
@given(data=st.data())
def test_documents_at_the_bounds_get_one_verdict(judges: Judges, data: st.DataObject) -> None:
    doc = data.draw(Documents(judges.package).document())
    assert judges.assert_agree(doc), doc
    judges.assert_agree(mutate(data.draw, judges.package, doc))


@settings(EXAMPLES, max_examples=15)
@given(data=st.data())
def test_every_single_change_at_the_bounds_gets_one_verdict(judges: Judges, data: st.DataObject) -> None:
    doc = data.draw(Documents(judges.package).document())
    for what, changed in neighbours(judges.package, doc):
        try:
            judges.assert_agree(changed)
        except AssertionError as exc:
            raise AssertionError(f"{what}:\n{exc}") from None


CASES: list[tuple[str, dict[str, Any], bool]] = [
    ("at the least", with_(retries=0, limits={"timeout": 1}), True),
    ("one below", with_(limits={"timeout": 0}), False),
    ("an exclusive bound itself", with_(ratio=0), False),
    ("just above it", with_(ratio=5e-324), True),
    ("a float at an integer bound", with_(limits={"memory": 64.0}), True),
    ("an even number in the union", with_(size=2), True),
    ("an odd one", with_(size=7), False),
    ("a string of the union's length", with_(size="ab"), True),
    ("a list of the union too short", with_(size=[]), False),
    ("a repeated tag", with_(tags=["a", "a"]), False),
    ("repeated steps in another key order", with_(steps=[{"command": "a", "env": {"x": "1", "y": "2"}}, {"env": {"y": "2", "x": "1"}, "command": "a"}]), False),
    ("steps that differ by a key given", with_(steps=[{"command": "a"}, {"command": "a", "level": "quiet"}]), True),
    ("too many steps", with_(steps=[{"command": str(i)} for i in range(5)]), False),
    ("a name with a final newline", with_(name="build\n"), False),
    ("a name in capitals", with_(name="Build"), False),
    ("a half", with_(limits={"memory": 0.5}), True),
    ("a quarter", with_(limits={"memory": 0.25}), False),
    ("NaN at a bound", with_(ratio=float("nan")), False),
    ("deprecated keys load", with_(owner="me", setup={"run": "x"}), True),
]


@pytest.mark.parametrize(("name", "doc", "accepted"), CASES, ids=[c[0] for c in CASES])
def test_cases_at_the_bounds(judges: Judges, name: str, doc: dict[str, Any], accepted: bool) -> None:
    assert judges.assert_agree(doc) == accepted, name
