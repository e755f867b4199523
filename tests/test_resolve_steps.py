"""Unit tests of the resolve steps (``generator/resolve/``), each run on a small spec after the steps before it."""

from __future__ import annotations

import textwrap

import pytest

from generator.errors import SpecError
from generator.resolve import STEPS, classes, codecs, constraints, enums, families, fields, methods, package, resolve
from generator.resolve.context import Resolution
from generator.resolve.naming import IdlNames
from generator.spec.loader import Files, load_text
from generator.spec.typeexpr import TypeExpr, display, parse_type
from generator.spec.validate import validate
from generator.targets.python.naming import PythonNames

HEAD = """\
idl: 1
package:
  name: shop
  version: "1.0"
  languages: [en, es]
  title: {en: Shop, es: Tienda}
  description: {en: A shop., es: Una tienda.}
  document: {root: Order, load_function: load_order}
"""
ORDER = """\
  Order:
    description: {en: O., es: O.}
    fields:
      number: {type: int, description: {en: N., es: N.}}
"""


def text(body: str) -> str:
    return HEAD + textwrap.dedent(body)


def upto(spec: str, step: object, rules: list[object] | None = None) -> Resolution:
    """The resolution of ``spec`` after every step up to ``step`` included (gates raise on the way)."""
    doc = load_text(spec, "s.yaml")
    validate(doc)
    res = Resolution(doc, rules=list(rules if rules is not None else [PythonNames()]))  # type: ignore[arg-type]
    for each in STEPS:
        each(res)
        if each is step:
            return res
    raise AssertionError("not a step")


def messages(res: Resolution) -> list[str]:
    return [str(p) for p in res.problems]


def test_the_steps_run_in_the_order_the_model_needs() -> None:
    order = [s for s in STEPS if s.__module__ != "generator.resolve"]
    assert [s.__module__.rsplit(".", 1)[1] for s in order] == [
        "texts", "enums", "classes", "fields", "constraints", "families", "codecs", "methods", "package",
    ]


def test_enums_step_reads_members_and_rejects_a_repeated_value() -> None:
    spec = text("""\
        enums:
          State:
            description: {en: S., es: S.}
            open: true
            members:
              OPEN: {value: open, description: {en: O., es: A.}}
              AGAIN: {value: open, description: {en: A., es: O.}}
        classes:
        """) + ORDER
    res = upto(spec, enums.run)
    state = res.enums["State"]
    assert state.open and [m.name for m in state.members] == ["OPEN", "AGAIN"]
    assert state.members[0].description["es"] == "A."
    assert messages(res) == ['s.yaml:15:22: enum "State": member "AGAIN" repeats the value "open" of member "OPEN"']


def test_classes_step_orders_bases_first_and_computes_c3() -> None:
    spec = text("""\
        classes:
          D: {description: {en: D., es: D.}, bases: [B, C]}
          B: {description: {en: B., es: B.}, bases: [A]}
          C: {description: {en: C., es: C.}, bases: [A]}
          A: {description: {en: A., es: A.}}
        """) + ORDER
    res = upto(spec, classes.run)
    assert not res.problems
    assert [c.name for c in res.order] == ["A", "B", "C", "D", "Order"]
    assert [c.name for c in res.classes["D"].mro] == ["D", "B", "C", "A"]
    assert [c.name for c in res.classes["A"].subclasses] == ["B", "C"]
    assert classes.c3("X", {"O": [], "A": ["O"], "X": ["O", "A"]}, {}) is None


def test_classes_step_reports_a_cycle() -> None:
    spec = text("""\
        classes:
          A: {description: {en: A., es: A.}, bases: [B]}
          B: {description: {en: B., es: B.}, bases: [A]}
        """) + ORDER
    res = upto(spec, classes.run)
    assert messages(res) == ["s.yaml:10:3: inheritance cycle: A → B → A"]


def test_fields_step_merges_bases_left_to_right_and_own_fields_last() -> None:
    spec = text("""\
        classes:
          A:
            description: {en: A., es: A.}
            fields: {a: {type: int, description: {en: A., es: A.}}}
          B:
            description: {en: B., es: B.}
            fields: {b: {type: "Optional[str]", default: x, key: bee, description: {en: B., es: B.}}}
          C:
            description: {en: C., es: C.}
            bases: [A, B]
            fields: {a: {type: int, default: 3, description: {en: A., es: A.}}}
        """) + ORDER
    res = upto(spec, fields.run)
    c = res.classes["C"]
    assert [(f.name, f.owner, f.key, f.required) for f in c.fields] == [("a", "C", "a", False), ("b", "B", "bee", False)]
    assert c.fields[0].default is not None and c.fields[0].default.value == 3
    assert display(c.fields[1].type) == "Optional[str]" and c.fields[1].value_type == TypeExpr("str")


def test_fields_step_rejects_a_changed_type_in_an_override() -> None:
    spec = text("""\
        classes:
          A:
            description: {en: A., es: A.}
            fields: {a: {type: int, description: {en: A., es: A.}}}
          B:
            description: {en: B., es: B.}
            bases: [A]
            fields: {a: {type: str, description: {en: A., es: A.}}}
        """) + ORDER
    expected = 's.yaml:16:24: class "B": field "a" overrides "A.a" of type "int" with a different type "str"'
    assert messages(upto(spec, fields.run)) == [expected]
    with pytest.raises(SpecError) as err:
        resolve(load_text(spec, "s.yaml"))  # the gate after the families step stops the resolution
    assert [str(p) for p in err.value.problems] == [expected]


def test_families_step_fixes_each_members_discriminator() -> None:
    spec = text("""\
        classes:
          Pet:
            description: {en: P., es: M.}
            abstract: true
            discriminator: {field: kind, default: cat}
            fields: {kind: {type: "Optional[str]", default: null, readonly: true, description: {en: K., es: T.}}}
          Cat: {description: {en: C., es: G.}, bases: [Pet], discriminator_value: cat}
          Dog: {description: {en: D., es: P.}, bases: [Pet], discriminator_value: dog}
        """) + ORDER
    res = upto(spec, families.run)
    assert not res.problems
    dog = res.classes["Dog"]
    assert dog.family_root is res.classes["Pet"] and dog.discriminator_key == "kind"
    kind = next(f for f in dog.fields if f.name == "kind")
    assert (kind.fixed, kind.owner, kind.omit_value) == ("dog", "Dog", "cat")
    assert next(f for f in res.classes["Pet"].fields if f.name == "kind").fixed is None


def test_codecs_step_shares_codecs_and_orders_union_options() -> None:
    spec = text("""\
        classes:
          Order:
            description: {en: O., es: O.}
            fields:
              a: {type: "Union[str, float, int, bool, None]", default: null, description: {en: A., es: A.}}
              b: {type: "Optional[Union[str, float, int, bool]]", default: null, description: {en: B., es: B.}}
              tags: {type: "dict[str, str]", default: {}, description: {en: T., es: E.}}
              more: {type: "Optional[dict[str, str]]", default: null, description: {en: M., es: M.}}
        """)
    res = upto(spec, codecs.run)
    order = {f.name: f for f in res.classes["Order"].fields}
    assert order["a"].codec is order["b"].codec  # one type, written two ways
    assert order["tags"].codec is order["more"].codec and order["tags"].codec.name == "dict_str"
    options = order["a"].codec.options
    # a field's codec reads the value without its null; bool before int (an int to isinstance) before float
    assert [o.scalar for o in options] == ["bool", "int", "float", "str"]
    assert order["a"].codec.expected == "a boolean, an integer, a number or a string"


def test_codecs_step_rejects_a_union_a_document_cannot_tell_apart() -> None:
    spec = text("""\
        enums:
          State:
            description: {en: S., es: S.}
            members: {OPEN: {value: open, description: {en: O., es: A.}}}
        classes:
          Order:
            description: {en: O., es: O.}
            fields:
              s: {type: "Union[State, str]", description: {en: S., es: S.}}
        """)
    res = upto(spec, codecs.run)
    assert messages(res) == [
        's.yaml:17:17: type "Union[State, str]": "str" and "State" both take str values; a document could not tell them apart'
    ]


def test_methods_step_reads_parameters_returns_and_exceptions() -> None:
    spec = text("""\
        classes:
          Order:
            description: {en: O., es: O.}
            fields:
              number: {type: int, description: {en: N., es: N.}}
            methods:
              dump:
                description: {en: D., es: V.}
                implements: dump_yaml
                params:
                  dest: {type: "Union[str, PathLike, IO]", description: {en: D., es: D.}}
                raises:
                  - {type: FileExistsError, description: {en: E., es: E.}}
        """)
    res = upto(spec, methods.run)
    (dump,) = res.classes["Order"].methods
    assert dump.params[0].type == parse_type("Union[str, PathLike, IO]") and dump.params[0].required
    assert dump.returns == TypeExpr("None") and [r.type for r in dump.raises] == ["FileExistsError"]


def test_constraints_step_records_each_fields_constraints_as_values() -> None:
    spec = text("""\
        classes:
          Order:
            description: {en: O., es: O.}
            fields:
              number: {type: int, minimum: 1, multiple_of: 2, description: {en: N., es: N.}}
              code: {type: "Optional[Union[str, list[str]]]", default: null, pattern: "^a", min_items: 1,
                     unique_items: true, description: {en: C., es: C.}}
              note: {type: str, description: {en: N., es: N.}}
        """)
    res = upto(spec, constraints.run)
    number, code, note = res.classes["Order"].own_fields
    assert [(c.keyword, c.value) for c in number.constraints.checks] == [("minimum", 1), ("multiple_of", 2)]
    assert [c.keyword for c in code.constraints.of_kind("string")] == ["pattern"]
    assert [c.keyword for c in code.constraints.of_kind("list")] == ["min_items", "unique_items"]
    assert not note.constraints and not res.problems


def test_constraints_step_rejects_a_constraint_the_type_has_no_value_for() -> None:
    spec = text("""\
        classes:
          Order:
            description: {en: O., es: O.}
            fields:
              when: {type: "Optional[datetime]", default: null, min_length: 1, description: {en: W., es: W.}}
              mode: {type: Any, minimum: 0, description: {en: M., es: M.}}
        """)
    assert messages(upto(spec, constraints.run)) == [
        's.yaml:13:57: field "when": min_length needs a str type, not "Optional[datetime]"',
        's.yaml:14:25: field "mode": minimum needs an int or float type, not "Any"',
    ]


def test_package_step_assembles_the_package() -> None:
    res = upto(text("classes:\n") + ORDER, package.run)
    assert res.package is not None
    assert res.package.root.name == "Order" and res.package.root_codec.kind == "class"
    assert res.package.languages == ("en", "es") and res.package.title["es"] == "Tienda"


def test_names_are_checked_by_the_targets_rules_then_the_idls() -> None:
    spec = text("""\
        classes:
          Order:
            description: {en: O., es: O.}
            fields:
              match: {type: int, description: {en: N., es: N.}}
        """)
    assert messages(upto(spec, fields.run)) == ['s.yaml:13:7: field "match" is a Python keyword']
    assert messages(upto(spec, fields.run, rules=[])) == []  # a target without Python's rules takes it
    assert IdlNames().type_name("Optional", "class") == 'class "Optional" has the name of a built-in type'
    assert IdlNames().type_name("Order", "class") is None


class _InMemory(Files):
    """Files read from a mapping of names to texts (a shipped module, without a folder)."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts

    def read(self, location: str, display: str) -> bytes:
        return self.texts[display].encode("utf-8")


READS = """\
  modules: {_hooks: hooks.py, _more: more.py}
  document:
    root: Order
    load_function: load_order
    reads:
      - {function: "_more:second", description: {en: B., es: B.}}
      - {function: "_hooks:first", description: {en: A., es: A.}}
classes:
"""


def reads_upto(step: object, hooks: str, more: str = "def second(d):\n    return d\n") -> Resolution:
    spec = HEAD.replace("  document: {root: Order, load_function: load_order}\n", READS) + ORDER
    doc = load_text(spec, "s.yaml", files=_InMemory({"hooks.py": hooks, "more.py": more}))
    validate(doc)
    res = Resolution(doc, rules=[PythonNames()])  # type: ignore[list-item]
    for each in STEPS:
        each(res)
        if each is step:
            return res
    raise AssertionError("not a step")


def test_package_step_reads_the_modules_and_the_forms_in_the_order_given() -> None:
    res = reads_upto(package.run, "def first(d):\n    return d\n\n\nclass NotAFunction:\n    pass\n")
    assert res.package is not None
    assert [(m.name, m.file) for m in res.package.modules] == [("_hooks", "hooks.py"), ("_more", "more.py")]
    assert [(f.module, f.function, f.description["es"]) for f in res.package.reads] == [
        ("_more", "second", "B."),
        ("_hooks", "first", "A."),
    ]


def test_package_step_tells_a_function_the_module_does_not_define_and_a_module_that_does_not_parse() -> None:
    res = reads_upto(package.run, "def firsts(d):\n    return d\n", more="def second(d)\n")
    assert res.package is None
    assert messages(res) == [
        'more.py:1:14: module "_more" is not valid Python: expected \':\'',
        's.yaml:14:20: reads "_hooks:first": hooks.py defines no function "first" (did you mean "firsts"?)',
    ]
