"""The marker project: unique internal strings in every internal field, and helpers to read output."""

from __future__ import annotations

import gzip
from pathlib import Path


# Every internal field carries a marker; none of them may appear in any public output byte.
INTERNAL_MARKERS = {
    "faq internal_note": "ZQX-FAQNOTE-41c7",
    "market notes": "ZQX-MARKETNOTE-8d2e",
    "market notes (jp)": "ZQX-JPNOTE-33aa",
    "faq owner": "ZQX-FAQOWNER-b5f0",
    "sop owner": "ZQX-SOPOWNER-19e4",
    "sop title": "ZQX-SOPTITLE-5a61",
    "sop summary": "ZQX-SOPSUMMARY-7c02",
    "sop trigger": "ZQX-SOPTRIGGER-0b9d",
    "sop step": "ZQX-SOPSTEP-e410",
    "sop branch": "ZQX-SOPBRANCH-2f7a",
    "sop authority": "ZQX-SOPAUTHORITY-6c33",
    "sop escalation": "ZQX-SOPESCALATE-d1d1",
    "template subject": "ZQX-TPLSUBJECT-a9a9",
    "template body": "ZQX-TPLBODY-4e4e",
    "template translation": "ZQX-TPLDE-7777",
    "internal faq question": "ZQX-INTFAQQ-3131",
    "internal faq answer": "ZQX-INTFAQA-5252",
    "internal faq translation": "ZQX-INTFAQDE-6363",
    "path title": "ZQX-PATHTITLE-8e8e",
    "path quiz": "ZQX-PATHQUIZ-9f9f",
    "internal-only market variable": "ZQX-AGENTLIMIT-2c2c",
    "draft faq question": "ZQX-DRAFTQ-7d7d",
    "draft faq answer": "ZQX-DRAFTA-8e8e",
    "draft faq translation": "ZQX-DRAFTDE-9f9f",
    "draft faq id": "unfinished-draft-faq",
}

# Review dates are public on purpose: an answer page says when its text was last updated (every
# hosted help center does). They appear there and nowhere else (test_leaks checks where).
REVIEW_DATE = "2031-07-13"
TRANSLATION_REVIEW_DATE = "2031-08-14"

KB_YAML = """\
name: Marker Support
source_language: en
languages: [en, de, ja, ar]
review_every_days: 180
categories:
  shipping: {en: Shipping, de: Versand, ja: 配送, ar: الشحن}
  returns: {en: Returns, de: Rücksendungen, ja: 返品, ar: الإرجاع}
labels:
  de: {contact: Kontaktieren Sie uns}
"""

MARKET_DE = """\
code: DE
name: Germany
languages: [de, en]
currency: EUR
timezone: Europe/Berlin
support_hours: "Mon-Fri 08:00-18:00"
channels:
  - {type: email, address: hilfe@example.de, first_response_hours: 24}
  - {type: chat, first_response_hours: 0.05}
vars:
  return_window_days: 30
  agent_refund_limit: "ZQX-AGENTLIMIT-2c2c"
notes: Internal note ZQX-MARKETNOTE-8d2e about Germany.
"""

MARKET_JP = """\
code: JP
name: Japan
languages: [ja]
currency: JPY
timezone: Asia/Tokyo
support_hours: "平日 9:00-18:00"
channels:
  - {type: email, address: support@example.jp, first_response_hours: 12}
vars:
  return_window_days: 14
  agent_refund_limit: "ZQX-AGENTLIMIT-2c2c"
notes: ZQX-JPNOTE-33aa
"""

MARKET_AE = """\
code: AE
name: United Arab Emirates
languages: [ar, en]
currency: AED
timezone: Asia/Dubai
support_hours: "Mon-Fri 09:00-18:00"
channels:
  - {type: email, address: support-ae@example.com, first_response_hours: 24}
  - {type: whatsapp, number: "+971 4 555 0142", first_response_hours: 4}
vars:
  return_window_days: 14
  agent_refund_limit: "ZQX-AGENTLIMIT-2c2c"
"""

FAQ_WHERE = """\
category: shipping
owner: ZQX-FAQOWNER-b5f0
reviewed: 2031-07-13
source:
  question: Where is my order?
  answer: |
    Track it with the link in your shipping email.
    Returns are accepted within {market.return_window_days} days.
internal_note: Check the carrier portal first. ZQX-FAQNOTE-41c7
translations:
  de:
    reviewed: 2031-08-14
    question: Wo ist meine Bestellung?
    answer: |
      Verfolgen Sie sie über den Link in der Versand-E-Mail.
      Rücksendungen nehmen wir innerhalb von {market.return_window_days} Tagen an.
  ja:
    question: 注文した商品はどこですか？
    answer: 発送メールのリンクから追跡できます。返品は{market.return_window_days}日以内に受け付けます。
  ar:
    question: أين طلبي؟
    answer: يمكنك تتبع الطلب من خلال الرابط في رسالة الشحن. نقبل الإرجاع خلال {market.return_window_days} يومًا.
"""

FAQ_UNTRANSLATED = """\
category: returns
source:
  question: Can I return a gift?
  answer: Yes, gifts can be returned within {market.return_window_days} days.
"""

FAQ_HOSTILE = """\
category: returns
source:
  question: "Is <b>this</b> safe? {: onclick=alert(1) }"
  answer: |
    Before <script>alert('owned')</script> after.

    <img src="x.png" onerror="alert(2)" alt="pic"> and <a href="javascript:alert(3)">bad link</a>.

    A <span onmouseover="alert(5)">hover</span> and <iframe src="https://evil.example/"></iframe>.

    Literal template text: {{ x }} and {% y %} and {{ 7*7 }}.
translations:
  de: {question: Ist das sicher?, answer: "Ja: {% raw %} bleibt {{ stehen }}."}
  ja: {question: 安全ですか？, answer: はい。}
  ar: {question: هل هذا آمن؟, answer: نعم.}
"""

FAQ_JP_ONLY = """\
category: shipping
markets: [JP]
source:
  question: Do you ship to Okinawa? ZQX-JPONLY-0c0c
  answer: Yes.
translations:
  ja: {question: 沖縄に配送できますか？, answer: はい。}
"""

FAQ_INTERNAL = """\
category: returns
audience: internal
source:
  question: How do I override the refund limit? ZQX-INTFAQQ-3131
  answer: Ask the lead. ZQX-INTFAQA-5252 {market.agent_refund_limit}
translations:
  de: {question: Limit überschreiben? ZQX-INTFAQDE-6363, answer: Lead fragen.}
"""

SOP = """\
title: Damaged item ZQX-SOPTITLE-5a61
summary: What to do ZQX-SOPSUMMARY-7c02
audience: internal
owner: ZQX-SOPOWNER-19e4
reviewed: 2031-07-13
severity: high
trigger: Customer says it broke ZQX-SOPTRIGGER-0b9d
steps:
  - id: first
    do: Apologise ZQX-SOPSTEP-e410 within {market.return_window_days} days.
    templates: [apology]
  - id: decide
    do: Decide.
    branches:
      - if: Cheap ZQX-SOPBRANCH-2f7a
        then: Refund.
      - if: Otherwise
        then: Return label.
authority:
  - {role: agent, may: "Refund ZQX-SOPAUTHORITY-6c33"}
escalate_when: [Chargeback ZQX-SOPESCALATE-d1d1]
faq: [where-is-my-order]
"""

TEMPLATE = """\
channel: email
audience: internal
placeholders: [customer_name]
source:
  subject: Sorry ZQX-TPLSUBJECT-a9a9
  body: Hi {customer_name}, ZQX-TPLBODY-4e4e
translations:
  de: {subject: Entschuldigung, body: "Hallo {customer_name}, ZQX-TPLDE-7777"}
"""

PATH = """\
title: Week one ZQX-PATHTITLE-8e8e
audience: internal
for_roles: [agent]
modules:
  - title: Day 1
    read: [sop:damaged]
    quiz:
      - question: Which? ZQX-PATHQUIZ-9f9f
        choices: [a, b]
        answer: 0
"""

# A public FAQ entry that is a draft (what `kb new faq` writes): never on a help center.
FAQ_DRAFT = """\
id: unfinished-draft-faq
draft: true
category: shipping
audience: public
markets: all
source:
  question: Can I pay later? ZQX-DRAFTQ-7d7d
  answer: Yes, soon. ZQX-DRAFTA-8e8e
translations:
  de: {from: 000000000000, question: Später zahlen?, answer: "Bald. ZQX-DRAFTDE-9f9f"}
  ja: {from: 000000000000, question: 後払い?, answer: "ZQX-DRAFTDE-9f9f"}
  ar: {from: 000000000000, question: لاحقا؟, answer: "ZQX-DRAFTDE-9f9f"}
"""

FILES = {
    "kb.yaml": KB_YAML,
    "faq/unfinished-draft-faq.yaml": FAQ_DRAFT,
    "markets/de.yaml": MARKET_DE,
    "markets/jp.yaml": MARKET_JP,
    "markets/ae.yaml": MARKET_AE,
    "faq/where-is-my-order.yaml": FAQ_WHERE,
    "faq/return-a-gift.yaml": FAQ_UNTRANSLATED,
    "faq/hostile.yaml": FAQ_HOSTILE,
    "faq/okinawa.yaml": FAQ_JP_ONLY,
    "faq/override-limit.yaml": FAQ_INTERNAL,
    "sops/damaged.yaml": SOP,
    "templates/apology.yaml": TEMPLATE,
    "paths/week-one.yaml": PATH,
}


def output_texts(folder: Path):
    """(path, text) for every file under folder; .gz files are decompressed, binaries decoded leniently."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        yield path, data.decode("utf-8", errors="replace")


def page(public_out: Path, rel: str) -> str:
    """The text of one built page, e.g. `de/de/returns/index.html`."""
    return (public_out / rel).read_text(encoding="utf-8")
