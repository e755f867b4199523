"""The spec: reading a spec file with positions, and the files it includes (``loader``), checking
it against the IDL's JSON Schema (``validate``, ``idl.schema.json``), type expressions
(``typeexpr``), derived names (``names``) and the changelog (``changelog``).

Nothing is imported here: ``check`` on an unchanged spec must not pay for pyyaml.
"""
