"""The one Jinja environment of the project. Templates live in kb_builder/render/templates/."""

from __future__ import annotations

from functools import lru_cache

import jinja2

from markupsafe import Markup

from kb_builder.render import common, text


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The shared environment: autoescaping on, strict undefined, content helpers as filters."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("kb_builder.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = text.markdown_html
    env.filters["inline"] = text.inline_html
    env.filters["plain"] = text.plain
    env.filters["langname"] = common.language_name
    env.filters["raw"] = common.raw
    env.globals["tabs"] = common.tabs
    env.globals["tab"] = lambda label, body, lang=None: common.Tab(label, Markup(body), lang=lang)
    return env


def render(template: str, **context) -> str:
    """Render one template of the shared environment."""
    return environment().get_template(template).render(**context)
