"""Stage 3: turn a validated spec into the model (``generator.model``), in ordered steps.

Each step is a module of this folder with a ``run(Resolution)`` function; :data:`STEPS` is
their order, and a :func:`gate` stops the resolution when the steps before it found problems
(the steps after it rely on what those built). Every problem is collected with its position;
the spec is rejected with all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..errors import SpecError
from ..model import Package
from ..spec.loader import Document
from . import classes, codecs, constraints, enums, families, fields, methods, package, texts
from .context import Resolution
from .naming import NameRules

Step = Callable[[Resolution], None]


def gate(res: Resolution) -> None:
    """Stop here when the steps before found problems."""
    if res.problems:
        raise SpecError(res.problems)


#: The steps, in order: the languages and texts, enums and the class graph, then fields (and their constraints) and
#: families (which need the MROs), then codecs (which need every field and family), methods, and the package itself.
STEPS: tuple[Step, ...] = (
    texts.run,
    enums.run,
    classes.run,
    gate,
    fields.run,
    constraints.run,
    families.run,
    gate,
    codecs.run,
    methods.run,
    package.run,
    gate,
)


def resolve(doc: Document, rules: Sequence[NameRules] = ()) -> Package:
    """Resolve a validated spec into its :class:`Package`; ``rules``: the targets' rules for names."""
    res = Resolution(doc, rules=list(rules))
    for step in STEPS:
        step(res)
    assert res.package is not None
    return res.package
