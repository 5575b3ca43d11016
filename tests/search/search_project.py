"""A small multilingual project for the search tests, and its index (fixtures imported by the
test modules: a conftest.py here would shadow the root one for `from conftest import ...`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb_builder.loading.loader import load
from kb_builder.search import SearchIndex, build_index

FILES = {
    "faq/where-is-my-order.yaml": """\
        category: shipping
        tags: [tracking]
        source:
          question: Where is my order?
          answer: |
            Track your parcel with the link in the **shipping email**.
            Delivery takes a few days.
        translations:
          de:
            question: Wo ist meine Bestellung?
            answer: Verfolgen Sie Ihr Paket mit dem Link in der Versand-E-Mail.
          ja:
            question: 注文した商品はどこですか？
            answer: 発送メールのリンクから荷物の配送状況を確認できます。
        """,
    "faq/refund-timing.yaml": """\
        category: returns
        tags: [refund]
        source:
          question: When will I get my refund?
          answer: |
            We refund within {market.return_window_days} days of receiving your return.
            Never paste <script>alert(1)</script> into a ticket.
        translations:
          de:
            question: Wann erhalte ich meine Rückerstattung?
            answer: Wir erstatten innerhalb von {market.return_window_days} Tagen nach Eingang der Rücksendung.
          ja:
            question: 返金はいつ受け取れますか？
            answer: 返品商品の到着後{market.return_window_days}日以内に返金いたします。
        """,
    "faq/withdrawal.yaml": """\
        category: returns
        markets: [DE]
        source:
          question: What is my right of withdrawal?
          answer: You may cancel within {market.withdrawal_days} days without giving a reason.
        """,
    "faq/island-delivery.yaml": """\
        category: shipping
        internal_note: INTERNALNOTEXYZ never promise island delivery dates
        source:
          question: Do you deliver to islands?
          answer: Yes, islands get the same delivery (fees < 5 EUR & no surcharge), it may take a little longer.
        """,
    "faq/carrier-claims.yaml": """\
        category: shipping
        audience: internal
        source:
          question: What are the carrier claim deadlines?
          answer: File a claim with the carrier within SECRETDEADLINE days.
        """,
    "sops/damaged-item.yaml": """\
        title: Item arrived damaged
        summary: What to do when a customer reports a broken kettle or lamp.
        tags: [quality]
        steps:
          - id: acknowledge
            do: Apologise and ask for photos of the damage.
          - id: decide
            do: Offer a refund or a replacement.
        translations:
          de:
            title: Artikel beschädigt angekommen
            summary: Was zu tun ist, wenn ein Kunde einen kaputten Wasserkocher meldet.
            steps:
              acknowledge: Entschuldigen Sie sich und bitten Sie um Fotos.
              decide: Bieten Sie eine Erstattung oder einen Ersatz an.
        """,
    "templates/apology-damaged.yaml": """\
        channel: email
        scenario: damaged-item
        placeholders: [customer_name, order_id]
        source:
          subject: "Your order {order_id}: we're sorry it arrived damaged"
          body: |
            Hi {customer_name}, we are sorry your order arrived damaged.
        """,
    "templates/chat-greeting.yaml": """\
        channel: chat
        placeholders: [customer_name]
        source:
          body: Hi {customer_name}, thanks for contacting us! How can I help?
        """,
}


@pytest.fixture
def project(make_project) -> Path:
    """The content folder of the search test project (cwd is its parent)."""
    return make_project(FILES)


@pytest.fixture
def catalog(project):
    result = load(project)
    assert result.ok, [p.format() for p in result.problems]
    return result.catalog


@pytest.fixture
def index_dir(project) -> Path:
    return project.parent / "out" / "search"


@pytest.fixture
def index(catalog, index_dir) -> SearchIndex:
    build_index(catalog, index_dir)
    return SearchIndex(index_dir)


