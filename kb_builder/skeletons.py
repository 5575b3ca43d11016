"""`kb new`: valid starting files for a new SOP, FAQ entry, template, market or learning path."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from kb_builder.errors import UsageError
from kb_builder.layout import KB_FILE, entry_file, require_content


_SOP = """\
# yaml-language-server: $schema=../../schemas/sop.schema.json
title: {title}
summary: One sentence on what this procedure solves.
audience: internal
markets: all
owner: after-sales
reviewed: {today}
severity: medium
first_response_hours: 24
tags: []
trigger: What the customer says or what happened that starts this procedure.
steps:
  - id: acknowledge
    do: Reply within {{market.response_hours_email}} hours, thank the customer and say what happens next.
  - id: resolve
    do: Gather the facts and offer one or two concrete options.
    branches:
      - if: The case is simple
        then: Resolve it now.
        next: close
      - if: Otherwise
        then: Escalate to a lead with the facts gathered.
  - id: close
    do: Confirm with the customer that the problem is solved.
authority:
  - {{role: agent, may: "Resolve within the agent refund limit."}}
escalate_when: [The customer threatens a chargeback]
"""

_FAQ = """\
# yaml-language-server: $schema=../../schemas/faq.schema.json
category: {category}
audience: public
markets: all
reviewed: {today}
tags: []
source:
  question: {title}?
  answer: |
    Write the answer the way you would say it to a customer.
"""

_TEMPLATE = """\
# yaml-language-server: $schema=../../schemas/template.schema.json
channel: email
audience: internal
markets: all
tone: friendly
reviewed: {today}
placeholders: [customer_name, agent_name]
source:
  subject: "{title}"
  body: |
    Hi {{customer_name}},

    thank you for your message.

    Best regards,
    {{agent_name}}
"""

_MARKET = """\
# yaml-language-server: $schema=../../schemas/market.schema.json
code: {code}
name: {code}
languages: [{lang}]
currency: EUR
timezone: Europe/Berlin
support_hours: "Mon-Fri 09:00-17:00"
channels:
  - {{type: email, address: support@example.com, first_response_hours: 24}}
vars: {{}}
notes: |
  Internal notes for agents about this market.
"""

_PATH = """\
# yaml-language-server: $schema=../../schemas/path.schema.json
title: {title}
audience: internal
for_roles: [agent]
markets: all
modules:
  - title: First module
    read: []
    exercise: What the trainee does to practise.
    quiz:
      - question: A question about the reading?
        choices: ["First answer", "Second answer"]
        answer: 0
"""


def write_skeleton(content: Path, kind: str, ident: str) -> Path:
    """Create content/<folder>/<ident>.yaml from a skeleton; never overwrite an existing file."""
    if kind == "market":
        if not re.fullmatch(r"[A-Za-z]{2,3}", ident):
            raise UsageError(f"'{ident}' is not a market code; use the country code, e.g. FR")
        ident = ident.lower()
    elif not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", ident):
        raise UsageError(f"'{ident}' is not a valid id; use lowercase letters, digits and '-', e.g. damaged-item")
    require_content(content)
    settings = yaml.safe_load((content / KB_FILE).read_text(encoding="utf-8")) or {}
    path = entry_file(content, kind, ident)
    if path.exists():
        raise UsageError(f"{path} already exists; choose another id or edit that file")
    fields = {
        "title": ident.replace("-", " ").capitalize(),
        "today": dt.date.today().isoformat(),
        "category": next(iter(settings.get("categories") or {"general": None})),
        "code": ident.upper(),
        "lang": settings.get("source_language", "en"),
    }
    text = {"sop": _SOP, "faq": _FAQ, "template": _TEMPLATE, "market": _MARKET, "path": _PATH}[kind].format(**fields)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
