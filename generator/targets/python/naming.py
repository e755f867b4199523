"""The Python target's rules for the names of a spec (see ``generator.resolve.naming``).

The generated modules must import and compile: a keyword cannot be a name, a field cannot
shadow what the class body uses, a type cannot shadow what the module imports.
"""

from __future__ import annotations

import builtins
import keyword
import sys

from ...spec.typeexpr import OPAQUE, SCALARS

#: Names a field or method cannot take: the generated class body uses them, or they are generated members.
RESERVED_MEMBERS = frozenset(
    {"to_dict", "from_dict", "field", "dataclass", "property", "classmethod", "staticmethod", "ClassVar", "Any",
     "fields_set", "unknown_keys", "datetime"}
)
#: Builtins the generated class bodies use in annotations and code: a field of that name would shadow them.
SHADOWED_BUILTINS = frozenset({"str", "int", "float", "bool", "list", "dict", "object", "isinstance", "super", "None"})
#: Names the generated modules import or define at module level: a type or function of the spec cannot take them.
GENERATED_NAMES = frozenset(
    {"DocumentError", "Problem", "Invalid", "StrEnum", "Mapping", "Iterable", "PathLike", "IO", "Any", "ClassVar", "abc", "dataclass",
     "field", "annotations", "MISSING", "datetime", "TYPE_CHECKING", "import_module",
     "models", "enums"}
)
#: The fixed modules of every generated package, copied from the target's ``runtime/`` folder.
FIXED_MODULES = (
    "_problems.py",
    "_checks.py",
    "_values.py",
    "_record.py",
    "_runtime.py",
    "_yamltext.py",
    "_yamlerrors.py",
    "_yamlparse.py",
    "_yamlcore.py",
    "_yamldump.py",
    "_yamlio.py",
)
#: Modules of every generated package, and the prefixes of the private names its models module defines:
#: a shipped module (``package.modules``) cannot take them.
PACKAGE_MODULES = frozenset(name.removesuffix(".py") for name in FIXED_MODULES)
PRIVATE_PREFIXES = ("_load_", "_dump_", "_read_")
#: Modules the generated package imports: a package of the same name would shadow them.
IMPORTED_MODULES = frozenset({"yaml"}) | frozenset(sys.stdlib_module_names)


class PythonNames:
    """What the generated package cannot be given as a name."""

    def type_name(self, name: str, what: str) -> str | None:
        if keyword.iskeyword(name):
            return f'{what} "{name}" is a Python keyword'
        if name in SCALARS or name in OPAQUE or hasattr(builtins, name):
            return f'{what} "{name}" has the name of a built-in type'
        if name in GENERATED_NAMES:
            return f'{what} "{name}" would shadow the name "{name}" that generated code uses'
        return None

    def member_name(self, name: str, what: str) -> str | None:
        if keyword.iskeyword(name) or keyword.issoftkeyword(name):
            return f'{what} "{name}" is a Python keyword'
        if name.startswith("_"):
            return f'{what} "{name}" starts with "_", which generated code keeps for private storage'
        if name in RESERVED_MEMBERS:
            return f'{what} "{name}" would shadow the generated member or helper "{name}"'
        if name in SHADOWED_BUILTINS:
            return f'{what} "{name}" would shadow the builtin "{name}" that generated code uses'
        return None

    def parameter_name(self, name: str, method: str) -> str | None:
        if keyword.iskeyword(name) or name == "self":
            return f'method "{method}": parameter "{name}" is a Python keyword'
        if name.startswith("_"):
            return f'method "{method}": parameter "{name}" starts with "_", which generated code keeps for its own names'
        return None

    def load_function_name(self, name: str) -> str | None:
        if name in GENERATED_NAMES:
            return f'load function "{name}" would shadow the name "{name}" that generated code uses'
        if hasattr(builtins, name):
            return f'load function "{name}" would shadow the builtin "{name}" that generated code uses'
        return self.member_name(name, "load function")

    def package_name(self, name: str) -> str | None:
        if keyword.iskeyword(name) or keyword.issoftkeyword(name):
            return f'"name" of "package" is "{name}", a Python keyword: the package could not be imported'
        if name in IMPORTED_MODULES:
            return f'"name" of "package" is "{name}", which would shadow the module "{name}" that generated code imports'
        return None

    def module_name(self, name: str) -> str | None:
        if name in PACKAGE_MODULES:
            return f'module "{name}" would replace the module "{name}" of every generated package'
        if name.startswith(PRIVATE_PREFIXES):
            return f'module "{name}" starts with "{name[: name.index("_", 1) + 1]}", which generated code keeps for its own names'
        return None

    def language(self, code: str) -> str | None:
        return None
