"""The fixture KB of the agent-facing browser tests (copy buttons, composer, market picker): the
mini project with Arabic and an Arabic-speaking market added, and the reply template and FAQ
entry translated into German, Japanese and Arabic. Built once per session, internal site only."""

from __future__ import annotations

import functools
import http.server
import shutil
import textwrap
import threading
from pathlib import Path

import pytest

from .conftest import REPO, _QuietHandler

KB_YAML = """\
name: Mini Support
source_language: en
languages: [en, de, ja, ar]
review_every_days: 180
categories:
  shipping: {en: Shipping, de: Versand, ja: 配送, ar: الشحن}
  returns: {en: Returns, de: Rücksendungen, ja: 返品, ar: الإرجاع}
labels:
  de: {placeholder_order_id: Bestellnummer, placeholder_customer_name: Name der Kundin oder des Kunden}
  ja: {placeholder_order_id: 注文番号}
  ar: {placeholder_order_id: رقم الطلب}
"""

AE_YAML = """\
code: AE
name: United Arab Emirates
languages: [ar, en]
currency: AED
timezone: Asia/Dubai
support_hours: "Sun-Thu 09:00-18:00"
channels:
  - {type: email, address: help@example.ae, first_response_hours: 8}
  - {type: sms, address: "+971 4 000 0000", first_response_hours: 2}
vars:
  return_window_days: 7
  agent_refund_limit: "150 AED"
  no_return_refund_limit: "60 AED"
"""

TEMPLATE_TRANSLATIONS = """\
  ja:
    reviewed: 2026-10-01
    subject: "ご注文 {order_id} について：申し訳ございません"
    body: |
      {customer_name} 様
      破損した状態で届き申し訳ございません。{market.return_window_days}日以内に返品いただけます。
  ar:
    reviewed: 2026-10-01
    subject: "طلبك {order_id}: نعتذر"
    body: |
      مرحباً {customer_name}،
      نأسف لوصول طلبك تالفاً. يمكنك إرجاعه خلال {market.return_window_days} أيام.
"""

SMS_TEMPLATE = """\
channel: sms
scenario: damaged-item
reviewed: 2026-10-01
placeholders: [order_id]
source:
  subject: ""
  body: "Order {order_id}: return within {market.return_window_days} days."
translations:
  ar:
    reviewed: 2026-10-01
    body: "الطلب {order_id}: الإرجاع خلال {market.return_window_days} أيام."
"""

FAQ_TRANSLATIONS = """\
  ja:
    reviewed: 2026-10-02
    question: 注文はどこですか？
    answer: |
      発送メールのリンクで追跡できます。
      返品は{market.return_window_days}日以内に受け付けます。
  ar:
    reviewed: 2026-10-02
    question: أين طلبي؟
    answer: |
      تتبعه عبر الرابط في رسالة الشحن.
      نقبل الإرجاع خلال {market.return_window_days} أيام.
"""

# Every market's return window: what the copied texts must show.
RETURN_DAYS = {"DE": "30", "JP": "14", "AE": "7"}
SPEAKERS = {"en": ["AE", "DE", "JP"], "de": ["DE"], "ja": ["JP"], "ar": ["AE"]}
SUBJECTS = {"en": "Your order {order_id}: we're sorry", "de": "Ihre Bestellung {order_id}: Es tut uns leid",
            "ja": "ご注文 {order_id} について：申し訳ございません", "ar": "طلبك {order_id}: نعتذر"}
BODIES = {
    "en": "Hi {customer_name},\nwe are sorry your order arrived damaged. You can return it within DAYS days.\n"
          "Braces stay literal: {like this}.",
    "de": "Hallo {customer_name},\nes tut uns leid. Rücksendung innerhalb von DAYS Tagen.\nKlammern bleiben: {so}.",
    "ja": "{customer_name} 様\n破損した状態で届き申し訳ございません。DAYS日以内に返品いただけます。",
    "ar": "مرحباً {customer_name}،\nنأسف لوصول طلبك تالفاً. يمكنك إرجاعه خلال DAYS أيام.",
}
FAQ_ANSWERS = {
    "en": "Track it with the link in your shipping email.\nReturns are accepted within DAYS days.",
    "de": "Verfolgen Sie sie über den Link in Ihrer Versand-E-Mail.\nRücksendungen nehmen wir innerhalb von DAYS Tagen an.",
    "ja": "発送メールのリンクで追跡できます。\n返品はDAYS日以内に受け付けます。",
    "ar": "تتبعه عبر الرابط في رسالة الشحن.\nنقبل الإرجاع خلال DAYS أيام.",
}


def make_content(root: Path) -> Path:
    """Write the fixture content under root and return its folder."""
    content = root / "content"
    shutil.copytree(REPO / "tests" / "projects" / "mini", content)
    (content / "kb.yaml").write_text(KB_YAML, encoding="utf-8")
    (content / "markets" / "ae.yaml").write_text(AE_YAML, encoding="utf-8")
    tpl = content / "templates" / "apology-damaged.yaml"
    tpl.write_text(tpl.read_text(encoding="utf-8") + TEMPLATE_TRANSLATIONS, encoding="utf-8")
    (content / "templates" / "sms-return.yaml").write_text(SMS_TEMPLATE, encoding="utf-8")
    faq = content / "faq" / "where-is-my-order.yaml"
    faq.write_text(faq.read_text(encoding="utf-8") + FAQ_TRANSLATIONS, encoding="utf-8")
    return content


@pytest.fixture(scope="session")
def agent_site(tmp_path_factory) -> Path:
    """The fixture content built as the internal site."""
    from kb_builder.pipeline import build

    root = tmp_path_factory.mktemp("agent")
    build(make_content(root), root / "out", audience="internal", progress=False)
    return root / "out" / "internal"


@pytest.fixture(scope="session")
def agent_url(agent_site) -> str:
    """The internal site served on 127.0.0.1 and a free port."""
    handler = functools.partial(_QuietHandler, directory=str(agent_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
