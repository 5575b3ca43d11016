"""JSON Schemas of the content files: used to validate while loading and written by `kb schema`.

One definition serves both, so editor autocompletion and `kb check` never disagree.
"""

from __future__ import annotations

ID = r"^[a-z0-9][a-z0-9-]{0,63}$"
LANG = r"^[a-z]{2,3}(-[A-Z]{2}|-[A-Z][a-z]{3})?$"
DATE = r"^\d{4}-\d{2}-\d{2}$"
MARKET_CODE = r"^[A-Za-z]{2,3}$"

TEXT = {"type": "string"}
REQ_TEXT = {"type": "string", "minLength": 1}
TEXT_LIST = {"type": "array", "items": REQ_TEXT}
DATE_T = {"type": "string", "pattern": DATE, "description": "A date written YYYY-MM-DD."}
DAYS = {"type": "integer", "minimum": 1}
HOURS = {"type": "number", "minimum": 0}
AUDIENCE = {"enum": ["internal", "public"], "description": "internal: agents only; public: also customers."}
MARKETS = {
    "description": "`all` or a list of market codes.",
    "anyOf": [{"const": "all"}, {"type": "array", "items": {"type": "string", "pattern": MARKET_CODE}}],
}
IDREF_LIST = {"type": "array", "items": {"type": "string", "pattern": ID}}
ENTRY_ID = {"type": "string", "pattern": ID, "description": "Optional; must equal the file stem."}
TR_COMMON = {
    "from": {"type": "string", "pattern": r"^[0-9a-f]{12}$",
             "description": "Fingerprint of the source text this translation was made from."},
    "reviewed": DATE_T,
    "review_every_days": DAYS,
}


def _obj(props: dict, required: tuple[str, ...] = (), description: str = "") -> dict:
    schema = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    if description:
        schema["description"] = description
    return schema


def _translations(fields: dict) -> dict:
    return {
        "type": "object",
        "description": "Language code -> the translated fields.",
        "propertyNames": {"pattern": LANG},
        "additionalProperties": _obj({**TR_COMMON, **fields}),
    }


PLACEHOLDER_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
EXPORT_TARGET = _obj({
    "placeholders": {"type": "object", "propertyNames": {"pattern": PLACEHOLDER_NAME},
                     "additionalProperties": REQ_TEXT,
                     "description": "Template placeholder name -> the helpdesk's own placeholder, "
                                    "e.g. customer_name: \"{{ticket.requester.first_name}}\"."},
    "intents": {"type": "object", "propertyNames": {"pattern": ID}, "additionalProperties": REQ_TEXT,
                "description": "Template scenario -> Gorgias macro intent, e.g. damaged-item: order/damaged."},
    "locale_ids": {"type": "object", "propertyNames": {"pattern": LANG},
                   "additionalProperties": {"type": "integer", "minimum": 1},
                   "description": "Language code -> Zendesk locale id (dynamic content variants)."},
    "permission_group_id": {"type": "integer", "minimum": 1,
                            "description": "Zendesk only: the permission group that may edit exported articles."},
}, (), "Settings of one `kb export` target.")
EXPORT = {"type": "object", "propertyNames": {"enum": ["zendesk", "gorgias", "freshdesk", "json"]},
          "additionalProperties": EXPORT_TARGET,
          "description": "Helpdesk export settings per target: zendesk, gorgias, freshdesk, json (see `kb export`)."}

FEEDBACK_URL = r"^(https?://[^\s/?#]+|/(?!/))[^\s\"'<>\\]*$"
KB = _obj({
    "name": REQ_TEXT,
    "source_language": {"type": "string", "pattern": LANG},
    "languages": {"type": "array", "items": {"type": "string", "pattern": LANG}, "minItems": 1},
    "review_every_days": DAYS,
    "site_url": {"type": "string", "pattern": r"^https?://[^\s/?#]+(/[^\s?#]*)?$"},
    "feedback_url": {"type": "string", "pattern": FEEDBACK_URL,
                     "description": "Where answer pages send \"Was this helpful?\" votes: an absolute http(s) URL "
                                    "or a site-relative path such as /api/feedback (kb serve's endpoint). "
                                    "Without it the widget is not on the pages."},
    "semantic_search": {"type": "boolean",
                        "description": "Also rank search hits by meaning (needs pip install 'kb-builder[semantic]')."},
    "categories": {"type": "object", "propertyNames": {"pattern": ID},
                   "additionalProperties": {"type": "object", "propertyNames": {"pattern": LANG},
                                            "additionalProperties": REQ_TEXT}},
    "labels": {"type": "object", "propertyNames": {"pattern": LANG},
               "additionalProperties": {"type": "object", "additionalProperties": REQ_TEXT}},
    "export": EXPORT,
}, ("name", "source_language", "languages"), "Site-wide settings (content/kb.yaml).")

CHANNEL = _obj({
    "type": {"type": "string", "pattern": r"^[a-z][a-z0-9-]*$"},
    "address": TEXT,
    "number": {"type": "string", "pattern": r"^\+?[0-9][0-9 ()./-]{2,30}$"},
    "url": TEXT,
    "hours": TEXT,
    "first_response_hours": HOURS,
    "max_chars": {"type": "integer", "minimum": 1},
}, ("type",))

MARKET = _obj({
    "code": {"type": "string", "pattern": r"^[A-Z]{2,3}$"},
    "name": REQ_TEXT,
    "languages": {"type": "array", "items": {"type": "string", "pattern": LANG}, "minItems": 1},
    "currency": {"type": "string", "pattern": r"^[A-Z]{3}$"},
    "timezone": REQ_TEXT,
    "support_hours": TEXT,
    "channels": {"type": "array", "items": CHANNEL},
    "vars": {"type": "object", "propertyNames": {"pattern": r"^[A-Za-z_][A-Za-z0-9_]*$"},
             "additionalProperties": {"type": ["string", "number", "boolean"]}},
    "notes": TEXT,
}, ("code", "name", "languages", "currency", "timezone"), "A market (content/markets/<code>.yaml).")

COMMON = {
    "id": ENTRY_ID,
    "audience": AUDIENCE,
    "markets": MARKETS,
    "owner": TEXT,
    "reviewed": DATE_T,
    "review_every_days": DAYS,
    "tags": TEXT_LIST,
    "draft": {"type": "boolean",
              "description": "true: work in progress. On the internal site with a Draft banner and in agent search "
                             "marked as a draft; never on a public help center or in public search."},
}

BRANCH = _obj({"if": REQ_TEXT, "then": REQ_TEXT, "next": {"type": "string", "pattern": ID}}, ("if", "then"))
STEP = _obj({
    "id": {"type": "string", "pattern": ID},
    "do": REQ_TEXT,
    "markets": MARKETS,
    "templates": IDREF_LIST,
    "faq": IDREF_LIST,
    "branches": {"type": "array", "items": BRANCH},
}, ("id", "do"))

SOP = _obj({
    **COMMON,
    "title": REQ_TEXT,
    "summary": TEXT,
    "severity": {"enum": ["low", "medium", "high", "critical"]},
    "first_response_hours": HOURS,
    "trigger": TEXT,
    "steps": {"type": "array", "items": STEP, "minItems": 1},
    "authority": {"type": "array", "items": _obj({"role": REQ_TEXT, "may": REQ_TEXT}, ("role", "may"))},
    "escalate_when": TEXT_LIST,
    "related": IDREF_LIST,
    "faq": IDREF_LIST,
    "translations": _translations({
        "title": REQ_TEXT, "summary": TEXT, "trigger": TEXT,
        "steps": {"type": "object", "additionalProperties": {"anyOf": [
            REQ_TEXT,
            _obj({"do": REQ_TEXT, "branches": {"type": "array", "items": _obj({"if": TEXT, "then": TEXT})}}),
        ]}},
        "authority": {"type": "array", "items": {"anyOf": [REQ_TEXT, _obj({"role": TEXT, "may": REQ_TEXT}, ("may",))]}},
        "escalate_when": TEXT_LIST,
    }),
}, ("title", "steps"), "A standard operating procedure (content/sops/<id>.yaml).")

FAQ = _obj({
    **COMMON,
    "category": {"type": "string", "pattern": ID},
    "source": _obj({"question": REQ_TEXT, "answer": REQ_TEXT}, ("question", "answer")),
    "internal_note": TEXT,
    "related": IDREF_LIST,
    "translations": _translations({"question": REQ_TEXT, "answer": REQ_TEXT}),
}, ("category", "source"), "An FAQ entry (content/faq/<id>.yaml).")

TEMPLATE = _obj({
    **COMMON,
    "channel": {"enum": ["email", "chat", "review-reply", "social", "sms"]},
    "scenario": {"type": "string", "pattern": ID},
    "tone": TEXT,
    "placeholders": {"type": "array", "items": {"type": "string", "pattern": r"^[A-Za-z_][A-Za-z0-9_]*$"}},
    "source": _obj({"title": TEXT, "subject": TEXT, "body": REQ_TEXT}, ("body",)),
    "translations": _translations({"title": TEXT, "subject": TEXT, "body": REQ_TEXT}),
}, ("channel", "source"), "A reply template (content/templates/<id>.yaml).")

QUIZ = _obj({
    "question": REQ_TEXT,
    "choices": {"type": "array", "items": {"type": ["string", "number"]}, "minItems": 2},
    "answer": {"type": "integer"},
}, ("question", "choices", "answer"))

PATH = _obj({
    **COMMON,
    "title": REQ_TEXT,
    "summary": TEXT,
    "for_roles": TEXT_LIST,
    "modules": {"type": "array", "minItems": 1, "items": _obj({
        "title": REQ_TEXT,
        "read": {"type": "array", "items": {"type": "string", "pattern": r"^(sop|faq|template|path):[a-z0-9][a-z0-9-]{0,63}$"}},
        "exercise": TEXT,
        "quiz": {"type": "array", "items": QUIZ},
    }, ("title",))},
}, ("title", "modules"), "An onboarding learning path (content/paths/<id>.yaml).")

SYNONYMS = _obj({
    "groups": {"type": "array", "minItems": 1,
               "description": "Each group: words or phrases that a search treats as meaning the same.",
               "items": {"type": "array", "items": REQ_TEXT, "minItems": 2}},
}, required=("groups",), description="Search synonyms of one language (synonyms/<lang>.yaml).")

SCHEMAS: dict[str, dict] = {"kb": KB, "market": MARKET, "sop": SOP, "faq": FAQ, "template": TEMPLATE, "path": PATH,
                            "synonyms": SYNONYMS}


def document(kind: str) -> dict:
    """A standalone JSON Schema document for one content file kind."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://kb-builder.example/schemas/{kind}.schema.json",
            "title": f"kb_builder {kind} file", **SCHEMAS[kind]}
