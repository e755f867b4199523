"""Stage 4: lay the model out as text with the Jinja2 templates of ``templates/``.

The environment is strict (``StrictUndefined``); every filter of every target is registered
here. Templates decide nothing: they lay out what the model and the targets' plans computed.

A user's folder of templates may be layered over ours (:func:`overrides`, ``--templates``):

- a template of the same name replaces ours (``docs/class.md.j2``);
- a macro file of the same name (a template imported as a module: ``python/kinds/*.py.j2``,
  ``docs/_macros.md.j2``) replaces the macros it defines and keeps ours for the others, so a file
  holding only ``{% macro load(c, x) %}...{% endmacro %}`` replaces one macro;
- ours stay reachable as ``builtin/<name>`` (``{% include "builtin/docs/index.md.j2" %}``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import jinja2

from .outputs import TEMPLATES
from .spec.names import snake
from .targets.python.filters import doc, hook_argument, pydefault, pystr, pytype, tomlstr
from .targets.python.plan import deprecation_note
from .targets.python.pysource import stmt

#: The prefix that names a built-in template when a user's folder is layered over ours.
BUILTIN = "builtin/"

_overrides: ContextVar[Path | None] = ContextVar("template_overrides", default=None)


@contextmanager
def overrides(folder: Path | None) -> Iterator[None]:
    """Within the block, :func:`environment` layers ``folder`` (None: nothing) over the built-in templates."""
    token = _overrides.set(folder)
    try:
        yield
    finally:
        _overrides.reset(token)


class LayeredTemplate(jinja2.Template):
    """A template of the user's folder; ``builtin`` is ours of the same name, whose macros fill
    in those the user's does not define when the template is imported as a module."""

    builtin: jinja2.Template | None = None

    def make_module(
        self, vars: dict[str, Any] | None = None, shared: bool = False, locals: Mapping[str, Any] | None = None
    ) -> jinja2.environment.TemplateModule:
        """The user's macros over ours (a module of ours with the user's exported names set on it)."""
        mine = super().make_module(vars, shared, locals)
        if self.builtin is None:
            return mine
        module = self.builtin.make_module(vars, shared, locals)
        for name, value in vars_of(mine).items():
            setattr(module, name, value)
        return module


def vars_of(module: jinja2.environment.TemplateModule) -> dict[str, Any]:
    """The names a template module exports (its macros and top-level ``set``s)."""
    return {k: v for k, v in vars(module).items() if k not in ("_body_stream", "__name__")}


class LayeredLoader(jinja2.BaseLoader):
    """The user's folder over ours; ``builtin/<name>`` is always ours."""

    def __init__(self, user: Path, builtin: Path) -> None:
        self.user = jinja2.FileSystemLoader(str(user))
        self.builtin = jinja2.FileSystemLoader(str(builtin))

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        """The user's source of ``template`` if there is one, else ours."""
        if template.startswith(BUILTIN):
            return self.builtin.get_source(environment, template.removeprefix(BUILTIN))
        try:
            return self.user.get_source(environment, template)
        except jinja2.TemplateNotFound:
            return self.builtin.get_source(environment, template)

    def load(
        self, environment: jinja2.Environment, name: str, globals: MutableMapping[str, Any] | None = None
    ) -> jinja2.Template:
        """The template ``name``; a user's one that replaces ours knows ours (:class:`LayeredTemplate`)."""
        template = super().load(environment, name, globals)
        if isinstance(template, LayeredTemplate) and not name.startswith(BUILTIN):
            try:
                self.user.get_source(environment, name)
            except jinja2.TemplateNotFound:
                return template  # ours
            with suppress(jinja2.TemplateNotFound):  # else a template of the user's own
                template.builtin = self.builtin.load(environment, name, globals)
        return template


def environment() -> jinja2.Environment:
    """The one Jinja environment, with every filter registered (and the user's templates over
    ours within :func:`overrides`)."""
    user = _overrides.get()
    loader: jinja2.BaseLoader = LayeredLoader(user, TEMPLATES) if user else jinja2.FileSystemLoader(str(TEMPLATES))
    env = jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        extensions=["jinja2.ext.do"],
    )
    if user:
        env.template_class = LayeredTemplate
    env.filters.update(deprecation=deprecation_note, doc=doc, hook_argument=hook_argument, pydefault=pydefault, pystr=pystr, pytype=pytype, tomlstr=tomlstr, snake=snake, stmt=stmt)
    return env
