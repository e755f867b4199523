"""Where the loader's problems are in the text (their line and column, from the paths of the
nodes), YAML syntax errors told in plain words, and the values a document that declares YAML 1.2
would mean otherwise than the YAML 1.1 it is read as."""

from __future__ import annotations

import re
from typing import Any

import yaml

from ._problems import (
    PathKey,
    Problem,
    describe,
    key_text,
    shown,
)

_STR = "tag:yaml.org,2002:str"
#: What pyyaml's constructors raise on a scalar that looks like a date, an int... and is not one.
_CONSTRUCTION_ERRORS = (
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    IndexError,
    OverflowError,
)

#: What pyyaml's composer says of a second document where one was expected.
_SEVERAL = "expected a single document in the stream"

#: A problem met while building a document: its node, what was expected and found, and whether
#: it is a key (located by the node; its path is found once the document is built).
_Issue = tuple[yaml.Node, str, str, bool]


def _syntax_problem(
    exc: yaml.MarkedYAMLError, text: str, name: str, load_all: str | None
) -> Problem:
    """The problem of a text pyyaml cannot read: what is wrong, in plain words, where."""
    problem = str(exc.problem or "")
    context = str(exc.context or "")
    mark = exc.problem_mark or exc.context_mark
    opened = exc.context_mark
    expected = "valid YAML"
    if context == _SEVERAL:
        return _at(
            f"one document (use {load_all or 'the load-all function'} to load every document of a file)",
            "a second document",
            mark,
            name,
        )
    where = (
        f"line {opened.line + 1}, column {opened.column + 1}" if opened else "its start"
    )
    word = _word_at(text, mark)
    if problem == "could not find expected ':'":
        mark = opened or mark  # the key that has no ':', not the line after it
        found = f"{_word_at(text, mark)}, a key with no ': ' after it"
    elif problem == "did not find expected key":
        found = (
            f"{word} where a key of the mapping at {where} should be (check its"
            " indentation)"
        )
    elif problem == "did not find expected '-' indicator":
        found = (
            f"{word} where an item ('- ') of the list at {where} should be (check its"
            " indentation)"
        )
    elif problem.startswith("did not find expected ',' or '"):
        closer = problem[-2]
        kind = "list" if closer == "]" else "mapping"
        found = (
            f"{word} where a ',' or the '{closer}' closing the {kind} opened at {where}"
            " should be"
        )
    elif "quoted scalar" in context and "end of stream" in problem:
        found = (
            f"the end of the text in the string quoted at {where} (is its closing quote"
            " missing?)"
        )
    elif "quoted scalar" in context and "document indicator" in problem:
        found = (
            f"a line '---' or '...' in the string quoted at {where} (is its closing"
            " quote missing?)"
        )
    elif problem == "found character that cannot start any token":
        char = text[mark.index : mark.index + 1] if mark else ""
        found = (
            "a tab: YAML indents with spaces, never tabs"
            if char == "\t"
            else f"{shown(char)}, which cannot start a plain value (quote the value)"
        )
    elif problem == "found a tab character that violates indentation":
        found = "a tab in the indentation: YAML indents with spaces, never tabs"
    elif problem == "mapping values are not allowed in this context":
        found = "a ': ' where no mapping can start (quote a value that holds ': ')"
    elif problem == "block sequence entries are not allowed in this context":
        found = (
            "a '- ' list item where no list can start (start the list on a line of its"
            " own)"
        )
    elif problem == "mapping keys are not allowed in this context":
        found = "a '? ' key where no mapping can start"
    elif problem == "found undefined alias":
        found = (
            f"the alias {word}, which no anchor before it defines (quote a value that"
            " starts with '*')"
        )
    elif problem.startswith("could not determine a constructor for the tag"):
        expected = (
            "no tag, or a standard one (!!str, !!int, !!float, !!bool, !!null,"
            " !!timestamp, !!binary, !!map, !!seq, !!set, !!omap, !!pairs)"
        )
        found = f"the tag {_tag_name(problem.split(chr(39))[1])}"
    elif context.startswith("found duplicate anchor"):
        found = f"the anchor {word} again (it is first defined at {where})"
    elif problem == "did not find expected node content":
        found = f"{word} where a value should be"
    elif problem == "found unknown escape character":
        escape = text[mark.index : mark.index + 2] if mark else "\\"
        found = (
            f"the escape {shown(escape)}, which YAML does not have (write '\\\\' for a"
            " backslash)"
        )
    elif problem == "found invalid Unicode character escape code":
        found = "an escape of no character (a surrogate, or past \\U0010FFFF)"
    elif problem == "found incompatible YAML document":
        found = "a %YAML directive of a version other than 1.1 or 1.2"
    elif "directive" in context:
        found = (
            f"{word}, a directive YAML does not have (quote a value that starts with"
            " '%')"
        )
    elif problem == "did not find expected <document start>":
        found = f"{word} after the end of the document (a line '...' ends it)"
    elif problem == "found unhashable key":
        found = (
            "a key that is a mapping or a list (a key is a string, a number, a boolean"
            " or null)"
        )
    elif "for merging" in problem:
        found = "a merge key ('<<') whose value is not a mapping or a list of mappings"
    elif "did not find expected alphabetic or numeric character" in problem:
        found = (
            f"{word}: an anchor or an alias needs a name (quote a value that starts"
            " with '&' or '*')"
        )
    elif problem == "found unconstructable recursive node":
        found = "an alias inside the value it names, where YAML cannot build it"
    elif problem.startswith("failed to convert base64"):
        found = "a !!binary value that is not base64"
    else:
        found = _plain(problem or context or "invalid YAML")
        if exc.problem and context:
            found += f" (in the {_plain(context).split(' ', 2)[-1]} at {where})"
    return _at(expected, found, mark, name)


def _at(expected: str, found: str, mark: Any, name: str) -> Problem:
    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
    return Problem((), expected, found, line, column, name)


def _word_at(text: str, mark: Any) -> str:
    """The text at ``mark`` up to a space or the end of its line, quoted (or what ends it)."""
    if mark is None or mark.index >= len(text):
        return "the end of the text"
    rest = text[mark.index : mark.index + 40]
    word = re.split(r"[ \t\r\n\x85\u2028\u2029]", rest, maxsplit=1)[0]
    return shown(word) if word else "the end of the line"


def _plain(message: str) -> str:
    """One of pyyaml's messages without its parser words: ``expected X, but found Y`` reads
    ``Y where X should be``, and ``<block end>``-like tokens get names."""
    for token, words in (
        ("<block end>", "the end of a block"),
        ("<block mapping start>", "a mapping"),
        ("<block sequence start>", "a list"),
        ("<block collection start>", "a block"),
        ("<document start>", "the start of a document"),
        ("<stream end>", "the end of the text"),
        ("<scalar>", "a value"),
    ):
        message = message.replace(token, words)
    match = re.fullmatch(r"expected (.*?),? but found (.*)", message)
    if match:
        return f"{match[2]} where {match[1]} should be"
    return message.removeprefix("found ")


def locate(
    problems: list[Problem],
    root: yaml.Node | None,
    name: str,
    document: int | None = None,
) -> list[Problem]:
    """Give each problem the line and column of its value under ``root`` (a document's nodes;
    for a file of several, the ``document``-th, and the problems' paths start with its index).

    In place (a loader's problems are its own until they are reported). Runs only when there
    are problems to report: a valid document never pays for positions.
    """
    indexes: dict[int, dict[object, tuple[yaml.Node, yaml.Node]]] = {}
    skip = 0 if document is None else 1
    for problem in problems:
        node, mark = root, root.start_mark if root is not None else None
        parts = problem.path
        last = len(parts) - 1
        for depth in range(skip, len(parts)):
            part = parts[depth]
            if isinstance(node, yaml.MappingNode):
                index = indexes.get(id(node))
                # each mapping is indexed once, not searched once per problem
                if index is None:
                    index = indexes[id(node)] = {}
                    for key_node, value_node in node.value:
                        if isinstance(key_node, yaml.ScalarNode):
                            index.setdefault(key_node.value, (key_node, value_node))
                            if key_node.tag != _STR:  # a path names it as key_text does
                                index.setdefault(
                                    _named(key_node), (key_node, value_node)
                                )
                found = index.get(part)
                if found is None:
                    break
                key_node, node = found
                mark = (
                    key_node if problem.at_key and depth == last else node
                ).start_mark
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(part, int)
                and part < len(node.value)
            ):
                node = node.value[part]
                mark = node.start_mark
            else:
                break
        if mark is None:
            problem._place(None, None, name)
        else:
            problem._place(mark.line + 1, mark.column + 1, name)
    return problems


def _named(node: yaml.ScalarNode) -> str:
    """How a path names a key that is no string (``true`` is ``True``, ``0x10`` is ``16``): the
    text of its value, as the loaders' :func:`key_text`; its own text when it is no value.
    """
    try:
        return key_text(yaml.constructor.SafeConstructor().construct_object(node))
    except _UNBUILT:  # a scalar its tag cannot hold
        return str(node.value)


#: What pyyaml's constructors raise on a scalar its tag cannot hold.
_UNBUILT = (
    yaml.YAMLError,
    ArithmeticError,
    LookupError,
    ValueError,
    TypeError,
    AttributeError,
)


def _tag_name(tag: str) -> str:
    """A tag as a document writes it (``!!int``, not ``tag:yaml.org,2002:int``)."""
    return (
        "!!" + tag.removeprefix("tag:yaml.org,2002:")
        if tag.startswith("tag:yaml.org,2002:")
        else tag
    )


def _issues(
    issues: list[_Issue],
    parsed: list[tuple[yaml.Node | None, object]],
    several: bool,
    name: str,
) -> list[Problem]:
    """The problems of ``issues``, each with its path (starting with its document's index when
    the text has ``several``)."""
    targets = {id(node) for node, *_ in issues}
    paths: dict[int, tuple[PathKey, ...]] = {}
    for index, (root, _) in enumerate(parsed):
        if root is not None:
            _find_paths(root, ((index,) if several else ()), targets, paths)
    problems = []
    for node, expected, found, at_key in issues:
        mark = node.start_mark
        path = paths.get(id(node), ())
        problems.append(
            Problem(path, expected, found, mark.line + 1, mark.column + 1, name, at_key)
        )
    return problems


def _find_paths(
    root: yaml.Node,
    start: tuple[PathKey, ...],
    targets: set[int],
    paths: dict[int, tuple[PathKey, ...]],
) -> None:
    """Put in ``paths`` the path of each node of ``targets`` under ``root`` (a key node's path
    is its key's; a node an alias repeats gets its first place in the document, its anchor's).
    """
    stack: list[tuple[yaml.Node, tuple[PathKey, ...]]] = [(root, start)]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if id(node) in targets:
            paths.setdefault(id(node), path)
        if isinstance(node, yaml.MappingNode):
            pairs = []
            for key_node, value_node in node.value:
                part = _key_text(key_node)
                if id(key_node) in targets:
                    paths.setdefault(id(key_node), (*path, part))
                pairs.append((value_node, (*path, part)))
            stack.extend(reversed(pairs))  # the first pair is taken first
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(
                reversed([(item, (*path, i)) for i, item in enumerate(node.value)])
            )


def _key_text(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        value = str(node.value)
        return value if len(value) <= 60 else value[:57] + "..."
    return "<a key that is a mapping or a list>"


#: A ``%YAML 1.2`` directive (before a document's ``---``).
_YAML12 = re.compile(r"^%YAML[ \t]+1\.2[ \t]*(?:#.*)?$", re.MULTILINE)
#: Where a scalar with an explicit tag starts (its anchor may come first).
_TAGGED = re.compile(r"!|&\S+[ \t]+!")
#: The plain scalars YAML 1.2's core schema reads as no string, by what it reads them as.
_CORE_NULL = r"null|Null|NULL|~|"
_CORE_BOOL = r"true|True|TRUE|false|False|FALSE"
_CORE_INT = r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
_CORE_FLOAT = (
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
#: The implicit resolvers of a loader that reads YAML 1.2's core schema, as pyyaml takes them
#: (tag, pattern, the characters a scalar it matches may start with), with the merge key ``<<``.
CORE_RESOLVERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("tag:yaml.org,2002:null", f"^(?:{_CORE_NULL})$", ("~", "n", "N", "")),
    ("tag:yaml.org,2002:bool", f"^(?:{_CORE_BOOL})$", tuple("tTfF")),
    ("tag:yaml.org,2002:int", f"^(?:{_CORE_INT})$", tuple("-+0123456789")),
    ("tag:yaml.org,2002:float", f"^(?:{_CORE_FLOAT})$", tuple("-+.0123456789")),
    ("tag:yaml.org,2002:merge", "^(?:<<)$", ("<",)),
)


def declares_yaml12(text: str) -> bool:
    """Whether ``text`` has a ``%YAML 1.2`` directive."""
    return "%YAML" in text and _YAML12.search(text) is not None


def yaml12_differences(root: yaml.Node, data: Any, text: str) -> list[_Issue]:
    """The plain, untagged scalar values under ``root`` (built as ``data``) that YAML 1.2's core
    schema reads otherwise than YAML 1.1, which this package reads (as pyyaml does): ``yes`` (true
    in 1.1, a string in 1.2), ``012`` (ten in 1.1, twelve in 1.2), ``1_000``, ``0o17``, ``1e3``, a
    date... Keys that are no strings are not looked into."""
    issues: list[_Issue] = []
    stack: list[tuple[yaml.Node, Any]] = [(root, data)]
    seen: set[int] = set()
    while stack:
        node, value = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if not node.style and not _TAGGED.match(text, node.start_mark.index):
                core = _core_value(node.value)
                if type(core) is not type(value) or (core != value and core == core):
                    issues.append(
                        (node, *_read_otherwise(node.value, value, core), False)
                    )
        elif isinstance(node, yaml.MappingNode) and isinstance(value, dict):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value in value:
                    stack.append((value_node, value[key_node.value]))
        elif isinstance(node, yaml.SequenceNode) and isinstance(value, list):
            stack.extend(zip(node.value, value, strict=False))
    return issues


def _core_value(text: str) -> object:
    """What the YAML 1.2 core schema makes of a plain scalar."""
    if re.fullmatch(_CORE_NULL, text):
        return None
    if re.fullmatch(_CORE_BOOL, text):
        return text.lower() == "true"
    if re.fullmatch(_CORE_INT, text):
        return core_int(text)
    if re.fullmatch(_CORE_FLOAT, text):
        return float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
    return text


def core_int(text: str) -> int:
    """The integer YAML 1.2's core schema reads in ``text`` (``012`` is twelve, ``0o17`` fifteen)."""
    base = {"0o": 8, "0x": 16}.get(text[:2])
    return int(text) if base is None else int(text[2:], base)


def _read_otherwise(text: str, value: object, core: object) -> tuple[str, str]:
    as_12 = "a string" if isinstance(core, str) else describe(core)
    return (
        "a value YAML 1.1 (which this package reads) and YAML 1.2 (which the document declares)"
        f" read alike: 1.2 reads it as {as_12} (quote it, or write it as both read it)",
        f"{shown(text)}, read as {'a date' if hasattr(value, 'isoformat') else describe(value)}"
        " by YAML 1.1",
    )
