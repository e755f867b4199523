"""A code generator driven by a YAML IDL: entity classes, serializers, docs and schemas.

The pipeline has small named stages, each a module of its own:
``loader`` (YAML with positions) → ``validate`` (the IDL's JSON Schema) → ``resolve``
(inheritance, MRO, types, codecs: the render-ready model) → ``render`` (Jinja2) →
``fmt`` (black) → ``write`` (a temporary tree swapped into place).
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
