"""A code generator driven by a YAML IDL: entity classes, serializers, docs and schemas.

The pipeline (docs/architecture.md): ``spec`` (YAML with positions, the IDL's JSON Schema) →
``resolve`` (ordered steps: the target-neutral ``model``) → ``targets`` (package, docs, schema,
pydantic; Jinja2) → ``fmt`` (black) → ``write`` (a temporary tree swapped into place).
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
