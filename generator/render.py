"""Stage 4: lay the model out as text with the Jinja2 templates of ``templates/``.

The environment is strict (``StrictUndefined``); every filter of every target is registered
here. Templates decide nothing: they lay out what the model and the targets' plans computed.
"""

from __future__ import annotations

import jinja2

from .outputs import TEMPLATES
from .spec.names import snake
from .targets.python.filters import doc, pydefault, pystr, pytype, tomlstr
from .targets.python.pysource import stmt


def environment() -> jinja2.Environment:
    """The one Jinja environment, with every filter registered."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        extensions=["jinja2.ext.do"],
    )
    env.filters.update(doc=doc, pystr=pystr, pytype=pytype, pydefault=pydefault, tomlstr=tomlstr, snake=snake, stmt=stmt)
    return env
