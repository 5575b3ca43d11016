"""The reply composer's data: a template's texts in every language, the values of every market it
applies to, its placeholders with labels and the channel's limit, for `kb-composer.js`.

The texts go to the page as written (with `{market.NAME}`, `{name}`, `{{`, `}}`); the script fills
them with the same three-token rule as `variables.substitute`. Without the script the page still
has the tabs with every market's text and their copy buttons.
"""

from __future__ import annotations

import json

from markupsafe import Markup

from kb_builder.model import Catalog, Template
from kb_builder.reply_length import max_chars
from kb_builder.render.common import language_name
from kb_builder.variables import market_variables, tokens

RTL = {"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv"}


def placeholder_label(catalog: Catalog, name: str, lang: str) -> str:
    """`kb.yaml: labels.<lang>.placeholder_<name>`, else the source language's, else the name in words."""
    labels = catalog.settings.labels
    key = f"placeholder_{name}"
    return (labels.get(lang, {}).get(key) or labels.get(catalog.settings.source_language, {}).get(key)
            or name.replace("_", " ").capitalize())


def composer_data(catalog: Catalog, t: Template, languages: list[str]) -> dict:
    """Everything the composer of one template needs, as JSON-ready values."""
    used: set[str] = set()
    order: list[str] = []
    for lang in languages:
        for key in ("subject", "body"):
            text = t.text(key, lang)
            used |= market_variables(text)
            order += [tok.name for tok in tokens(text) if not tok.market]
    names = list(dict.fromkeys(order + list(t.placeholders)))
    markets = []
    for m in catalog.markets_of(t.markets):
        values = m.variables()
        channel = next((c for c in m.channels if c.type == t.channel), None)
        markets.append({"code": m.code, "name": m.name, "languages": m.languages,
                        "values": {k: values[k] for k in sorted(used) if k in values},
                        "max_chars": max_chars(t.channel, channel.max_chars if channel else None)})
    return {
        "id": t.id, "channel": t.channel, "sms": t.channel == "sms", "uses_market_values": bool(used),
        "languages": [{"code": lang, "name": language_name(lang), "dir": "rtl" if lang.split("-")[0] in RTL else "ltr",
                       "subject": t.text("subject", lang).strip("\n"), "body": t.text("body", lang).strip("\n")}
                      for lang in languages],
        "markets": markets,
        "placeholders": [{"name": n, "declared": n in t.placeholders,
                          "labels": {lang: placeholder_label(catalog, n, lang) for lang in languages}}
                         for n in names],
        "default_max_chars": max_chars(t.channel),
    }


def script_json(value) -> str:
    """JSON safe inside a <script> element: no `<`, `>` or `&` can end it or open a comment."""
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def composer_html(catalog: Catalog, t: Template, languages: list[str]) -> Markup:
    """The composer's mount point with its data; kb-composer.js builds the form in it."""
    data = script_json(composer_data(catalog, t, languages))
    return Markup(f'<div class="kb-composer" data-kb-composer="{t.id}">'
                  f'<script type="application/json" class="kb-composer-data">{data}</script></div>')
