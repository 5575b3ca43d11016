"""`kb export gorgias`: one macro per template, market and language.

Layout: a Gorgias macro has one `language`, so each language is its own macro, and market values
differ, so each market too: "Title · DE · de". `external_id` holds our stable key (Gorgias leaves
the field to the integrator), so a second push updates instead of duplicating. The reply is a
`setResponseText` action (body_text keeps line breaks; body_html is sanitised), the subject a
`setSubject` action (email), and `addTags` tags the ticket with `kb` and the template id. `intent`
comes from the template's scenario through kb.yaml's `export: gorgias: intents:` (else none).
Gorgias help-center articles are not exported (its Help Center API is not covered yet).
"""

from __future__ import annotations

from .resources import Export, Resource
from .selection import Selection

CHANNELS = ("email", "chat", "social", "sms")


def language(lang: str) -> str:
    """ISO 639-1, as Gorgias wants it: `zh-CN` -> `zh`."""
    return lang.split("-")[0].lower()


def build(sel: Selection, intents: dict[str, str] | None = None) -> Export:
    """A macro per reply variant."""
    intents = intents or {}
    export = Export("gorgias", skipped=list(sel.skipped))
    for r in sel.replies:
        actions = []
        if r.subject and r.channel == "email":
            actions.append({"name": "setSubject", "type": "user", "arguments": {"subject": r.subject}})
        actions.append({"name": "setResponseText", "type": "user",
                        "arguments": {"body_text": r.body_text, "body_html": r.body_html}})
        actions.append({"name": "addTags", "type": "user", "arguments": {"tags": f"kb, {r.template}"}})
        export.resources.append(Resource(
            "macro", r.key, f"macros/{r.key}.json", r.name,
            {"name": r.name, "external_id": r.key, "language": language(r.lang),
             "intent": intents.get(r.scenario or ""), "actions": actions}))
    return export
