"""The rule of every kind of change: whom it breaks, and what it says.

One :class:`Rule` per kind, the way buf states one rule per breaking-change check: the impact on
the Python API (code that imports the package) and on the document format (YAML already
written), each ``breaking``, ``compatible`` or ``none``, and the message, a msgid of the
translation catalog (``templates/locale/<lang>.po``) with ``{placeholders}`` filled from the
change's facts. An impact that depends on the change (a read-only attribute narrowed, an enum that
is open) is a function of those facts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

BREAKING, COMPATIBLE, NONE = "breaking", "compatible", "none"

Facts = Mapping[str, Any]
#: What loading does with a key a class does not model, by ``unknown_keys``.
WORDS = {"forbid": "rejected", "keep": "kept", "ignore": "ignored"}
Impact = str | Callable[[Facts], str]


@dataclass(frozen=True)
class Rule:
    """What a kind of change is, whom it breaks, and its message (or messages, by ``facts["variant"]``)."""

    what: str
    api: Impact
    document: Impact
    message: str | Mapping[str, str]

    def impacts(self, facts: Facts) -> tuple[str, str]:
        """(Python API impact, document impact) of a change with these facts."""
        return _impact(self.api, facts), _impact(self.document, facts)

    def msgid(self, facts: Facts) -> str:
        """The message template of a change with these facts."""
        if isinstance(self.message, str):
            return self.message
        return self.message[facts["variant"]]


def _impact(impact: Impact, facts: Facts) -> str:
    return impact if isinstance(impact, str) else impact(facts)


def _if(fact: str, yes: str, no: str) -> Callable[[Facts], str]:
    """An impact that is ``yes`` when the fact holds, else ``no``."""
    return lambda facts: yes if facts[fact] else no


def _type_rule(what: str, way: str, message: str) -> Rule:
    """A field's type narrowed, widened or changed. Code writes a writable field and reads a read-only
    one, so for a read-only attribute (``reads_only``) narrowing is what callers can live with."""
    api: Impact = {
        "narrowed": _if("reads_only", COMPATIBLE, BREAKING),
        "widened": _if("reads_only", BREAKING, COMPATIBLE),
        "changed": BREAKING,
    }[way]  # type: ignore[assignment]
    return Rule(what, api, COMPATIBLE if way == "widened" else BREAKING, message)


RULES: dict[str, Rule] = {
    # -- the package
    "package-renamed": Rule(
        "the import name of the package changed", BREAKING, NONE,
        'package renamed from "{old}" to "{new}": imports of "{old}" fail',
    ),
    "load-function-renamed": Rule(
        "the package-level function that loads a document was renamed", BREAKING, NONE,
        'load function renamed from "{old}" to "{new}"',
    ),
    "reads-added": Rule(
        "the load functions read another form of a document (package.document.reads)", NONE, COMPATIBLE,
        'documents are also read in the form "{function}" reads',
    ),
    "reads-removed": Rule(
        "the load functions no longer read a form of a document", NONE, BREAKING,
        'documents are no longer read in the form "{function}" read: such documents no longer load',
    ),
    "document-root-changed": Rule(
        "a document loads as another class",
        _if("narrowed", COMPATIBLE, BREAKING),
        _if("loads_all", COMPATIBLE, BREAKING),
        'documents now load as "{new}" instead of "{old}" ({function} returns {new})',
    ),
    # -- classes
    "class-added": Rule("a class was added", COMPATIBLE, NONE, 'class "{cls}" added'),
    "class-removed": Rule("a class was removed", BREAKING, NONE, 'class "{cls}" removed'),
    "class-became-abstract": Rule(
        "a class can no longer be instantiated", BREAKING, NONE,
        'class "{cls}" became abstract: it can no longer be instantiated',
    ),
    "class-became-concrete": Rule(
        "an abstract class can now be instantiated", COMPATIBLE, NONE,
        'class "{cls}" is no longer abstract: it can be instantiated',
    ),
    "base-added": Rule("a class gained a class in its MRO", COMPATIBLE, NONE, 'class "{cls}" now inherits from "{base}"'),
    "base-removed": Rule(
        "a class lost a class from its MRO", BREAKING, NONE,
        'class "{cls}" no longer inherits from "{base}": isinstance checks against it fail',
    ),
    "bases-reordered": Rule(
        "a class lists the same bases in another order", COMPATIBLE, NONE,
        'class "{cls}": bases reordered from ({old}) to ({new}); MRO now {mro}',
    ),
    # -- fields
    "field-added": Rule(
        "an optional field (or a read-only attribute) was added", COMPATIBLE, _if("outside", NONE, COMPATIBLE),
        {
            "field": 'optional field "{cls}.{name}" added (document key "{key}")',
            "attribute": 'read-only attribute "{cls}.{name}" added (document key "{key}")',
            "outside": 'read-only attribute "{cls}.{name}" added (never a document key)',
        },
    ),
    "required-field-added": Rule(
        "a field without a default was added: a required keyword and document key", BREAKING, BREAKING,
        'required field "{cls}.{name}" added: a required keyword, and a required document key "{key}"',
    ),
    "field-removed": Rule(
        "a field was removed", BREAKING, _if("outside", NONE, BREAKING),
        {
            "field": 'field "{cls}.{name}" removed (document key "{key}")',
            "attribute": 'read-only attribute "{cls}.{name}" removed (document key "{key}")',
            "outside": 'read-only attribute "{cls}.{name}" removed (never a document key)',
        },
    ),
    "field-renamed": Rule(
        "a field was renamed (rename_of)", BREAKING, _if("key_moved", BREAKING, NONE),
        {
            "key moved": 'field "{cls}.{old}" renamed to "{name}"; document key "{old_key}" is now "{key}"',
            "key kept": 'field "{cls}.{old}" renamed to "{name}"; the document key stays "{key}"',
        },
    ),
    "key-renamed": Rule(
        "a field's YAML key changed", NONE, BREAKING,
        'field "{cls}.{name}": document key renamed from "{old}" to "{new}"',
    ),
    "field-became-required": Rule(
        "a field lost its default", BREAKING, BREAKING,
        'field "{cls}.{name}" became required (its default was {old}): a required keyword and document key "{key}"',
    ),
    "field-became-optional": Rule(
        "a field gained a default", COMPATIBLE, COMPATIBLE, 'field "{cls}.{name}" became optional (default {new})'
    ),
    "field-left-documents": Rule(
        "a read-only attribute stopped being a document key", NONE, BREAKING,
        'read-only attribute "{cls}.{name}" is no longer a document key: a document that gives "{key}" gives an unknown key',
    ),
    "field-entered-documents": Rule(
        "a read-only attribute became a document key", NONE, COMPATIBLE,
        'read-only attribute "{cls}.{name}" became a document key ("{key}")',
    ),
    "field-became-readonly": Rule(
        "a constructor keyword became a read-only attribute", BREAKING, _if("was_required", COMPATIBLE, NONE),
        'field "{cls}.{name}" became a read-only attribute: no longer a constructor keyword',
    ),
    "field-became-writable": Rule(
        "a read-only attribute became a constructor keyword",
        _if("required", BREAKING, COMPATIBLE),
        _if("required", BREAKING, NONE),
        {
            "required": 'read-only attribute "{cls}.{name}" became a required constructor keyword',
            "optional": 'read-only attribute "{cls}.{name}" became an optional constructor keyword',
        },
    ),
    "field-type-narrowed": _type_rule(
        "a field accepts fewer values", "narrowed", 'field "{cls}.{name}": type narrowed from "{old}" to "{new}"'
    ),
    "field-type-widened": _type_rule(
        "a field accepts more values", "widened", 'field "{cls}.{name}": type widened from "{old}" to "{new}"'
    ),
    "field-type-changed": _type_rule(
        "a field's type changed to one neither wider nor narrower", "changed",
        'field "{cls}.{name}": type changed from "{old}" to "{new}"',
    ),
    "default-changed": Rule(
        "a field's default changed", BREAKING, BREAKING,
        'field "{cls}.{name}": default changed from {old} to {new} (code and documents that omit it get another value)',
    ),
    "dump-default-changed": Rule(
        "whether a field is written when it holds its default changed", NONE, COMPATIBLE,
        {
            "always": 'field "{cls}.{name}" is now written even when it holds its default',
            "when set": 'field "{cls}.{name}" is no longer written when it holds a default the document did not give',
        },
    ),
    "unknown-keys-changed": Rule(
        "what loading does with keys a class does not model changed",
        NONE,
        _if("rejects_more", BREAKING, COMPATIBLE),
        {
            f"{old} to {new}": f'class "{{cls}}": keys it does not model are now {WORDS[new]} (they were {WORDS[old]})'
            for old in WORDS
            for new in WORDS
            if old != new
        },
    ),
    "prefix-changed": Rule(
        "the prefix a field's document strings carry changed", NONE, _if("loosened", COMPATIBLE, BREAKING),
        {
            "changed": 'field "{cls}.{name}": document strings must start with "{new}" instead of "{old}"',
            "dropped": 'field "{cls}.{name}": document strings no longer need the prefix "{old}"',
            "widened": 'field "{cls}.{name}": document strings may now start with "{new}" (they had to start with "{old}")',
        },
    ),
    "mixin-added": Rule(
        "a class derives from another class of the user's own", COMPATIBLE, NONE,
        'class "{cls}" now also derives from {mixin} (hand-written)',
    ),
    "mixin-removed": Rule(
        "a class no longer derives from a class of the user's own", BREAKING, NONE,
        'class "{cls}" no longer derives from {mixin} (hand-written)',
    ),
    "accepts-changed": Rule(
        "the other scalars a string field reads as text changed", NONE, _if("narrowed", BREAKING, COMPATIBLE),
        {
            "widened": 'field "{cls}.{name}": a document may now also write values of type {types} for it (read as text)',
            "narrowed": 'field "{cls}.{name}": a document may no longer write values of type {types} for it',
        },
    ),
    "exclusive-changed": Rule(
        "which keys of a class exclude each other changed", NONE, _if("rejects_more", BREAKING, COMPATIBLE),
        {
            "added": 'class "{cls}": keys {keys} now exclude each other',
            "removed": 'class "{cls}": keys {keys} no longer exclude each other',
            "required": 'class "{cls}": a document must now give one of {keys}',
            "optional": 'class "{cls}": a document may now give none of {keys}',
        },
    ),
    # -- spellings (enums and discriminators)
    "spelling-added": Rule(
        "a value may be spelled another way", NONE, COMPATIBLE,
        {
            "enum": 'enum "{enum}": member {member} is now also read from "{spelling}"',
            "family": 'family "{family}": class "{cls}" is now also picked by "{spelling}"',
        },
    ),
    "spelling-removed": Rule(
        "a spelling of a value is no longer read", NONE, BREAKING,
        {
            "enum": 'enum "{enum}": member {member} is no longer read from "{spelling}"',
            "family": 'family "{family}": class "{cls}" is no longer picked by "{spelling}"',
        },
    ),
    "match-changed": Rule(
        "whether values are matched ignoring case changed", NONE, _if("exact", BREAKING, COMPATIBLE),
        {
            "enum case_insensitive": 'enum "{enum}": values are now matched ignoring case',
            "enum exact": 'enum "{enum}": values are now matched exactly (other cases are rejected)',
            "family case_insensitive": 'family "{family}": discriminator values are now matched ignoring case',
            "family exact": 'family "{family}": discriminator values are now matched exactly (other cases are rejected)',
        },
    ),
    # -- constraints (documents only: code builds objects unchecked, and dump checks them)
    "constraint-added": Rule(
        "a field gained a constraint: documents that break it no longer load", NONE, BREAKING,
        'field "{cls}.{name}": constraint {constraint}: {new} added',
    ),
    "constraint-removed": Rule(
        "a field lost a constraint: documents that broke it load", NONE, COMPATIBLE,
        'field "{cls}.{name}": constraint {constraint}: {old} removed',
    ),
    "constraint-tightened": Rule(
        "a constraint of a field takes fewer values", NONE, BREAKING,
        'field "{cls}.{name}": constraint {constraint} tightened from {old} to {new}',
    ),
    "constraint-loosened": Rule(
        "a constraint of a field takes more values", NONE, COMPATIBLE,
        'field "{cls}.{name}": constraint {constraint} loosened from {old} to {new}',
    ),
    "constraint-changed": Rule(
        "a constraint of a field takes other values (neither fewer nor more: a pattern, a multiple_of)", NONE, BREAKING,
        'field "{cls}.{name}": constraint {constraint} changed from {old} to {new}',
    ),
    # -- deprecation (it still loads and works: a warning to its users)
    "deprecated": Rule(
        "a class, a field or an enum member was deprecated", COMPATIBLE, COMPATIBLE,
        {
            "class": 'class "{cls}" deprecated',
            "field": 'field "{cls}.{name}" deprecated',
            "member": 'enum "{enum}": member {member} (value "{value}") deprecated',
        },
    ),
    "undeprecated": Rule(
        "a class, a field or an enum member is no longer deprecated", COMPATIBLE, COMPATIBLE,
        {
            "class": 'class "{cls}" is no longer deprecated',
            "field": 'field "{cls}.{name}" is no longer deprecated',
            "member": 'enum "{enum}": member {member} (value "{value}") is no longer deprecated',
        },
    ),
    # -- enums
    "enum-added": Rule("an enum was added", COMPATIBLE, NONE, 'enum "{enum}" added'),
    "enum-removed": Rule("an enum was removed", BREAKING, NONE, 'enum "{enum}" removed'),
    "enum-member-added": Rule(
        "an enum gained a member", COMPATIBLE, COMPATIBLE, 'enum "{enum}": member {member} (value "{value}") added'
    ),
    "enum-member-removed": Rule(
        "an enum lost a member", BREAKING, _if("open", COMPATIBLE, BREAKING),
        {
            "closed": 'enum "{enum}": member {member} (value "{value}") removed',
            "open": 'enum "{enum}": member {member} (value "{value}") removed (the enum is open: documents with it still load)',
        },
    ),
    "enum-member-renamed": Rule(
        "an enum member's Python name changed (same value)", BREAKING, NONE,
        'enum "{enum}": member {member} renamed to {new} (same value "{value}")',
    ),
    "enum-value-changed": Rule(
        "an enum member's document value changed", BREAKING, _if("open", COMPATIBLE, BREAKING),
        'enum "{enum}": member {member} now has the value "{new}" instead of "{old}"',
    ),
    "enum-closed": Rule(
        "an open enum no longer loads unlisted values", BREAKING, BREAKING,
        'enum "{enum}" is no longer open: values it does not list are rejected',
    ),
    "enum-opened": Rule(
        "an enum now loads unlisted values", COMPATIBLE, COMPATIBLE, 'enum "{enum}" is now open: values it does not list load too'
    ),
    # -- polymorphic families
    "discriminator-value-added": Rule(
        "a polymorphic family gained a discriminator value", NONE, COMPATIBLE,
        'family "{family}": documents with {key}: "{value}" load as "{cls}"',
    ),
    "discriminator-value-removed": Rule(
        "a polymorphic family lost a discriminator value", NONE, BREAKING,
        'family "{family}": documents with {key}: "{value}" (class "{cls}") no longer load',
    ),
    "discriminator-value-changed": Rule(
        "a class of a family is selected by another discriminator value", NONE, BREAKING,
        'class "{cls}" is now selected by {key}: "{new}" instead of "{old}"',
    ),
    "discriminator-default-changed": Rule(
        "a document without the discriminator key loads as another class", NONE, _if("was_rejected", COMPATIBLE, BREAKING),
        {
            "loaded, now load": 'family "{family}": documents without "{key}" load as "{new}" (they loaded as "{old}")',
            "loaded, now rejected": 'family "{family}": documents without "{key}" are rejected (they loaded as "{old}")',
            "rejected, now load": 'family "{family}": documents without "{key}" load as "{new}" (they were rejected)',
        },
    ),
    "discriminator-fallback-changed": Rule(
        "a document whose discriminator value no class of the family has loads otherwise (a concrete root loads it)",
        NONE, _if("was_rejected", COMPATIBLE, BREAKING),
        {
            "loaded, now rejected": 'family "{family}": documents whose "{key}" no class of it has are rejected (they loaded as "{old}")',
            "rejected, now load": 'family "{family}": documents whose "{key}" no class of it has load as "{new}" (they were rejected)',
        },
    ),
    # -- methods
    "method-added": Rule("a method was added", COMPATIBLE, NONE, 'method "{cls}.{method}()" added'),
    "method-removed": Rule("a method was removed", BREAKING, NONE, 'method "{cls}.{method}()" removed'),
    "parameter-added": Rule(
        "a method gained a parameter", _if("required", BREAKING, COMPATIBLE), NONE,
        {
            "required": 'method "{cls}.{method}()": required parameter "{name}" added',
            "optional": 'method "{cls}.{method}()": optional parameter "{name}" added',
        },
    ),
    "parameter-removed": Rule(
        "a method lost a parameter", BREAKING, NONE, 'method "{cls}.{method}()": parameter "{name}" removed'
    ),
    "parameter-became-required": Rule(
        "a method parameter lost its default", BREAKING, NONE, 'method "{cls}.{method}()": parameter "{name}" became required'
    ),
    "parameter-became-optional": Rule(
        "a method parameter gained a default", COMPATIBLE, NONE,
        'method "{cls}.{method}()": parameter "{name}" became optional (default {new})',
    ),
    "parameter-type-narrowed": Rule(
        "a method parameter accepts fewer values", BREAKING, NONE,
        'method "{cls}.{method}()": parameter "{name}" type narrowed from "{old}" to "{new}"',
    ),
    "parameter-type-widened": Rule(
        "a method parameter accepts more values", COMPATIBLE, NONE,
        'method "{cls}.{method}()": parameter "{name}" type widened from "{old}" to "{new}"',
    ),
    "parameter-type-changed": Rule(
        "a method parameter's type changed to one neither wider nor narrower", BREAKING, NONE,
        'method "{cls}.{method}()": parameter "{name}" type changed from "{old}" to "{new}"',
    ),
    "parameter-default-changed": Rule(
        "a method parameter's default changed", BREAKING, NONE,
        'method "{cls}.{method}()": parameter "{name}" default changed from {old} to {new}',
    ),
    "return-type-narrowed": Rule(
        "a method returns fewer kinds of values", COMPATIBLE, NONE,
        'method "{cls}.{method}()": return type narrowed from "{old}" to "{new}"',
    ),
    "return-type-widened": Rule(
        "a method returns more kinds of values", BREAKING, NONE,
        'method "{cls}.{method}()": return type widened from "{old}" to "{new}"',
    ),
    "return-type-changed": Rule(
        "a method's return type changed to one neither wider nor narrower", BREAKING, NONE,
        'method "{cls}.{method}()": return type changed from "{old}" to "{new}"',
    ),
    "exception-added": Rule(
        "a method raises a new exception", _if("covered", COMPATIBLE, BREAKING), NONE,
        {
            "new": 'method "{cls}.{method}()" now raises {name}',
            "covered": 'method "{cls}.{method}()" now raises {name} (a kind of "{base}", which it already raised)',
        },
    ),
    "exception-removed": Rule(
        "a method no longer raises an exception", COMPATIBLE, NONE, 'method "{cls}.{method}()" no longer raises {name}'
    ),
}

#: Every kind of change, with what it is (each has a spec pair in tests/spec_pairs).
KINDS: dict[str, str] = {kind: rule.what for kind, rule in RULES.items()}


def msgids() -> list[str]:
    """Every message template of the rules (each needs a translation in every catalog)."""
    out: list[str] = []
    for rule in RULES.values():
        out += [rule.message] if isinstance(rule.message, str) else list(rule.message.values())
    return out
