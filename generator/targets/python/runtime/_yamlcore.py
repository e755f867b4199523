"""The loader of a format whose documents are read as YAML 1.2 (the spec's ``package.document.yaml``):
the plain scalars of its core schema, the rest as :mod:`._yamlparse`'s loader (imported on first use by
it)."""

from __future__ import annotations

import re

import yaml

from ._yamlerrors import CORE_RESOLVERS, core_int
from ._yamlparse import _BOOL, _FLOAT, _INT, _PATTERNS_12, _Loader, _written_as


class _CoreLoader(_Loader):
    """The loader of a format read as YAML 1.2 (``core``): the plain scalars of its core schema
    (only ``true`` and ``false`` are booleans, ``012`` is twelve, ``0o17`` fifteen, ``1_000`` and
    ``2001-12-14`` strings...); a merge key ``<<`` still merges. A tag ``!!int``, ``!!float`` or
    ``!!bool`` holds the texts 1.2 reads as its type (``!!bool yes`` is a problem); the other tags
    read as they do in 1.1.
    """

    def construct_core_int(self, node: yaml.ScalarNode) -> object:
        """The integer ``node`` is written as in YAML 1.2 (else a ValueError: ``!!int 1_000``)."""
        text = self.construct_scalar(node)
        _written_as(_PATTERNS_12[_INT].fullmatch(text))
        return self.construct_checked_int(node, core_int(text))

    def construct_core_bool(self, node: yaml.ScalarNode) -> bool:
        """The boolean ``node`` is written as in YAML 1.2 (else a ValueError: ``!!bool yes``)."""
        text = self.construct_scalar(node)
        _written_as(_PATTERNS_12[_BOOL].fullmatch(text))
        return text.lower() == "true"

    def construct_core_float(self, node: yaml.ScalarNode) -> float:
        """The number ``node`` is written as in YAML 1.2 (else a ValueError: ``!!float 1_0.5``)."""
        text = self.construct_scalar(node)
        _written_as(_PATTERNS_12[_FLOAT].fullmatch(text))
        return float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))


_CoreLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in CORE_RESOLVERS:
    _CoreLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))
_CoreLoader.add_constructor(_INT, _CoreLoader.construct_core_int)
_CoreLoader.add_constructor(_BOOL, _CoreLoader.construct_core_bool)
_CoreLoader.add_constructor(_FLOAT, _CoreLoader.construct_core_float)
_CoreLoader.scalars = {
    **_Loader.scalars,
    _INT: _CoreLoader.construct_core_int,
    _BOOL: _CoreLoader.construct_core_bool,
    _FLOAT: _CoreLoader.construct_core_float,
}
