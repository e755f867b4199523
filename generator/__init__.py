"""A code generator driven by a YAML IDL: entity classes, serializers, docs and schemas.

The pipeline (docs/architecture.md): ``spec`` (YAML with positions, the IDL's JSON Schema) →
``resolve`` (ordered steps: the target-neutral ``model``) → ``targets`` (package, docs, schema,
pydantic; Jinja2) → ``fmt`` (black) → ``write`` (a temporary tree swapped into place).

For build tools, :func:`generate` and :func:`check` do what the commands ``idlgen generate`` and
``idlgen check`` do and return a :class:`Result` (see :mod:`generator.api`).
"""

__version__ = "0.1.0"

from .api import Result, check, generate

__all__ = ["Result", "__version__", "check", "generate"]
