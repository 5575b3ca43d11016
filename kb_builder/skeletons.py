"""`kb new`: valid starting files for a new SOP, FAQ entry, template, market or learning path."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from kb_builder.errors import UsageError
from kb_builder.layout import KB_FILE, MARKETS_FOLDER, entry_file, require_content


SKELETON_MARKER = "TODO(kb new)"  # in every text a skeleton invents; see checks/drafts.py
_M = SKELETON_MARKER

_SOP = f"""\
# yaml-language-server: $schema=../../schemas/sop.schema.json
draft: true  # remove when every {_M} text below is written
title: {{title}}
summary: "{_M}: one sentence on what this procedure solves."
audience: internal
markets: all
owner: after-sales
reviewed: {{today}}
severity: medium
first_response_hours: 24
tags: []
trigger: "{_M}: what the customer says or what happened that starts this procedure."
steps:
  - id: acknowledge
    do: "{_M}: thank the customer and say what happens next."
  - id: resolve
    do: "{_M}: gather the facts and offer one or two concrete options."
    branches:
      - if: "{_M}: the case is simple"
        then: "{_M}: resolve it now."
        next: close
      - if: "{_M}: otherwise"
        then: "{_M}: escalate to a lead with the facts gathered."
  - id: close
    do: "{_M}: confirm with the customer that the problem is solved."
authority:
  - {{{{role: agent, may: "{_M}: what an agent may decide alone."}}}}
escalate_when: ["{_M}: when a lead takes over"]
"""

_FAQ = f"""\
# yaml-language-server: $schema=../../schemas/faq.schema.json
draft: true  # remove when every {_M} text below is written; drafts are never on a help center
category: {{category}}
audience: public
markets: all
reviewed: {{today}}
tags: []
source:
  question: "{_M}: {{title}}?"
  answer: |
    {_M}: write the answer the way you would say it to a customer.
"""

_TEMPLATE = f"""\
# yaml-language-server: $schema=../../schemas/template.schema.json
draft: true  # remove when every {_M} text below is written
channel: email
audience: internal
markets: all
tone: friendly
reviewed: {{today}}
placeholders: [customer_name, agent_name]
source:
  subject: "{_M}: {{title}}"
  body: |
    Hi {{{{customer_name}}}},

    {_M}: thank the customer and say what happens next.

    Best regards,
    {{{{agent_name}}}}
"""

# A market cannot be a draft: its help center goes live with the next build, so every text to
# fill in is marked and `kb check` refuses the file (skeleton-text) until each is replaced.
_MARKET = f"""\
# yaml-language-server: $schema=../../schemas/market.schema.json
code: {{code}}
name: "{_M}: the country's name"
languages: [{{lang}}]
currency: {{currency}}
timezone: {{timezone}}
support_hours: "{_M}: e.g. Mon-Fri 09:00-17:00"
channels:
  - {{{{type: email, address: "{_M}: support@your-shop.example", first_response_hours: 24}}}}
vars:{{vars}}
notes: |
  {_M}: internal notes for agents about this market.
"""

_PATH = f"""\
# yaml-language-server: $schema=../../schemas/path.schema.json
draft: true  # remove when every {_M} text below is written
title: {{title}}
audience: internal
for_roles: [agent]
markets: all
modules:
  - title: "{_M}: first module"
    read: []
    exercise: "{_M}: what the trainee does to practise."
    quiz:
      - question: "{_M}: a question about the reading?"
        choices: ["{_M}: first answer", "{_M}: second answer"]
        answer: 0
"""


def write_skeleton(content: Path, kind: str, ident: str) -> Path:
    """Create content/<folder>/<ident>.yaml from a skeleton; never overwrite an existing file.

    What must match the KB comes from it: an FAQ entry's category is the first of kb.yaml, a
    market speaks the source language and takes its currency and time zone from an existing
    market. Entries are written as drafts (`draft: true`), every invented text marked
    SKELETON_MARKER."""
    if kind == "market":
        if not re.fullmatch(r"[A-Za-z]{2,3}", ident):
            raise UsageError(f"'{ident}' is not a market code; use the country code, e.g. FR")
        ident = ident.lower()
    elif not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", ident):
        raise UsageError(f"'{ident}' is not a valid id; use lowercase letters, digits and '-', e.g. damaged-item")
    require_content(content)
    path = entry_file(content, kind, ident)
    if path.exists():
        raise UsageError(f"{path} already exists; choose another id or edit that file")
    fields = {"title": ident.replace("-", " ").capitalize(), "today": dt.date.today().isoformat(),
              "code": ident.upper(), **_from_kb(content, kind)}
    text = {"sop": _SOP, "faq": _FAQ, "template": _TEMPLATE, "market": _MARKET, "path": _PATH}[kind].format(**fields)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _from_kb(content: Path, kind: str) -> dict[str, str]:
    """The values of a skeleton that must be valid in this KB (see write_skeleton)."""
    try:
        settings = yaml.safe_load((content / KB_FILE).read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError, OSError):
        settings = {}  # kb check explains what is wrong with kb.yaml; the skeleton uses defaults
    settings = settings if isinstance(settings, dict) else {}
    values = {"lang": str(settings.get("source_language") or "en"), "category": "", "currency": "EUR",
              "timezone": "Europe/Berlin", "vars": " {}"}
    if kind == "faq":
        categories = settings.get("categories")
        if not isinstance(categories, dict) or not categories:
            raise UsageError(f"{content / KB_FILE} defines no FAQ categories; add one first, e.g. "
                             f"categories: {{general: {{{values['lang']}: General questions}}}}")
        values["category"] = str(next(iter(categories)))
    if kind == "market":
        names: dict[str, None] = {}  # every variable another market defines: entries may use any
        like: dict | None = None  # the first market with a currency and time zone
        for other in sorted((content / MARKETS_FOLDER).glob("*.yaml")):
            try:
                doc = yaml.safe_load(other.read_text(encoding="utf-8"))
            except (yaml.YAMLError, UnicodeDecodeError, OSError):
                continue
            if not isinstance(doc, dict):
                continue
            if like is None and doc.get("currency") and doc.get("timezone"):
                like = doc
                values.update(currency=str(doc["currency"]), timezone=str(doc["timezone"]))
            if isinstance(doc.get("vars"), dict):
                names.update((str(k), None) for k in doc["vars"] if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(k)))
        if names:
            values["vars"] = "".join(f'\n  {k}: "{SKELETON_MARKER}: this market\'s value"' for k in names)
    return values
