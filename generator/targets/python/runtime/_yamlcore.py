"""The loader of a format whose documents are read as YAML 1.2 (the spec's ``package.document.yaml``):
the plain scalars of its core schema, the rest as :mod:`._yamlparse`'s loader (imported on first use by
it)."""

from __future__ import annotations

import math
import re

import yaml

from ._yamlerrors import CORE_RESOLVERS
from ._yamlparse import _CHECKED_BITS, _INT, _Loader, _printable


class _CoreLoader(_Loader):
    """The loader of a format read as YAML 1.2 (``core``): the plain scalars of its core schema
    (only ``true`` and ``false`` are booleans, ``012`` is twelve, ``0o17`` fifteen, ``1_000`` and
    ``2001-12-14`` strings...); a merge key ``<<`` still merges. Tags read as they do in 1.1.
    """

    def construct_core_int(self, node: yaml.ScalarNode) -> object:
        text = node.value
        base = {"0o": 8, "0x": 16}.get(text[:2])
        value = int(text) if base is None else int(text[2:], base)  # 012 is twelve
        if value.bit_length() > _CHECKED_BITS and not _printable(value):
            digits = int(value.bit_length() * math.log10(2)) + 1
            return self.too_long(node, f"an integer of about {digits:,} digits")
        return value


_CoreLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in CORE_RESOLVERS:
    _CoreLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))
_CoreLoader.add_constructor(_INT, _CoreLoader.construct_core_int)
_CoreLoader.scalars = {**_Loader.scalars, _INT: _CoreLoader.construct_core_int}
