"""`kb init DIR`: a new knowledge-base project that checks, builds and searches cleanly as it is.

DIR gets content/ (kb.yaml, the markets asked for, one SOP, FAQ entry, reply template and
learning path that reference each other), schemas/ for editors, a .gitignore, a pre-commit
config using kb_builder's own hook, a GitHub Actions workflow and a README for content authors.
Country facts (name, currency, time zone, official languages) come from CLDR through Babel.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from kb_builder.errors import UsageError
from kb_builder.layout import KB_FILE, entry_file

LANG = re.compile(r"^[a-z]{2,3}(-[A-Z]{2}|-[A-Z][a-z]{3})?$")
MARKET = re.compile(r"^[A-Za-z]{2}$")
_PENDING = "000000000000"  # replaced by each entry's real fingerprint once the files are written

# Category names in the languages kb init knows; any other language gets the English name to edit.
CATEGORIES = {
    "orders": {"en": "Orders & delivery", "de": "Bestellung & Lieferung", "fr": "Commandes et livraison",
               "es": "Pedidos y envíos", "it": "Ordini e consegna", "nl": "Bestellingen en levering",
               "pt": "Pedidos e entrega", "sv": "Beställningar och leverans", "da": "Ordrer og levering",
               "nb": "Bestillinger og levering", "fi": "Tilaukset ja toimitus", "pl": "Zamówienia i dostawa",
               "cs": "Objednávky a doručení", "tr": "Siparişler ve teslimat", "ru": "Заказы и доставка",
               "ja": "ご注文と配送", "zh": "订单与配送", "ko": "주문 및 배송", "ar": "الطلبات والتوصيل"},
    "returns": {"en": "Returns & refunds", "de": "Rückgabe & Erstattung", "fr": "Retours et remboursements",
                "es": "Devoluciones y reembolsos", "it": "Resi e rimborsi", "nl": "Retouren en terugbetalingen",
                "pt": "Devoluções e reembolsos", "sv": "Returer och återbetalningar", "da": "Returnering og refusion",
                "nb": "Retur og refusjon", "fi": "Palautukset ja hyvitykset", "pl": "Zwroty i refundacje",
                "cs": "Vrácení a refundace", "tr": "İadeler ve geri ödemeler", "ru": "Возвраты и возмещения",
                "ja": "返品と返金", "zh": "退货与退款", "ko": "반품 및 환불", "ar": "الإرجاع واسترداد المبالغ"},
}

# The customer-facing sample texts in the languages kb init has them in (the FAQ answer and the
# reply template); other languages are left untranslated, which `kb check` reports as a warning.
FAQ_TEXTS = {
    "en": ("When do I get my refund?",
           "You can return an item within {market.return_window_days} days of delivery. As soon as it has "
           "reached us, your refund is on its way: it reaches the payment method you used within "
           "{market.refund_days} days."),
    "de": ("Wann bekomme ich mein Geld zurück?",
           "Sie können einen Artikel innerhalb von {market.return_window_days} Tagen nach der Lieferung "
           "zurückgeben. Sobald er bei uns angekommen ist, erstatten wir den Betrag: Er ist innerhalb von "
           "{market.refund_days} Tagen auf dem Zahlungsmittel, mit dem Sie bezahlt haben."),
    "fr": ("Quand vais-je recevoir mon remboursement ?",
           "Vous pouvez retourner un article dans les {market.return_window_days} jours suivant la livraison. "
           "Dès qu'il nous est parvenu, nous vous remboursons : le montant arrive sur le moyen de paiement "
           "utilisé sous {market.refund_days} jours."),
    "es": ("¿Cuándo recibiré mi reembolso?",
           "Puedes devolver un artículo en un plazo de {market.return_window_days} días desde la entrega. "
           "En cuanto nos llegue, te devolvemos el dinero: lo recibirás en el medio de pago que usaste en "
           "{market.refund_days} días."),
    "ja": ("返金はいつ受け取れますか？",
           "商品はお届けから{market.return_window_days}日以内であれば返品いただけます。商品が当店に届きしだい返金手続きを行い、"
           "{market.refund_days}日以内にお支払いに使われた方法へ返金されます。"),
    "zh": ("我什么时候能收到退款？",
           "收货后{market.return_window_days}天内可以退货。我们收到商品后会立即为您退款，款项将在{market.refund_days}天内"
           "退回到您付款时使用的账户。"),
    "ar": ("متى أسترد أموالي؟",
           "يمكنك إرجاع المنتج خلال {market.return_window_days} يومًا من التسليم. بمجرد وصوله إلينا نرد لك المبلغ، "
           "ويصل إلى وسيلة الدفع التي استخدمتها خلال {market.refund_days} يومًا."),
}
TEMPLATE_TEXTS = {
    "en": ("Your refund for order {order_number}",
           "Hi {customer_name},\n\nwe have refunded your order {order_number}. The money reaches your account "
           "within {market.refund_days} days.\n\nBest regards,\n{agent_name}"),
    "de": ("Ihre Erstattung für Bestellung {order_number}",
           "Hallo {customer_name},\n\nwir haben Ihre Bestellung {order_number} erstattet. Das Geld ist innerhalb "
           "von {market.refund_days} Tagen auf Ihrem Konto.\n\nViele Grüße\n{agent_name}"),
    "fr": ("Votre remboursement pour la commande {order_number}",
           "Bonjour {customer_name},\n\nnous avons remboursé votre commande {order_number}. Le montant arrive sur "
           "votre compte sous {market.refund_days} jours.\n\nCordialement,\n{agent_name}"),
    "es": ("Tu reembolso del pedido {order_number}",
           "Hola, {customer_name}:\n\nhemos reembolsado tu pedido {order_number}. El dinero llegará a tu cuenta "
           "en {market.refund_days} días.\n\nUn saludo,\n{agent_name}"),
    "ja": ("ご注文 {order_number} の返金について",
           "{customer_name} 様\n\nご注文 {order_number} の返金手続きが完了しました。{market.refund_days}日以内にご返金いたします。"
           "\n\nよろしくお願いいたします。\n{agent_name}"),
    "zh": ("订单 {order_number} 的退款",
           "{customer_name}，您好：\n\n我们已为您的订单 {order_number} 办理退款，款项将在{market.refund_days}天内到账。"
           "\n\n祝好，\n{agent_name}"),
    "ar": ("استرداد مبلغ طلبك {order_number}",
           "مرحبًا {customer_name}،\n\nلقد رددنا مبلغ طلبك {order_number}. سيصل المبلغ إلى حسابك خلال "
           "{market.refund_days} يومًا.\n\nمع أطيب التحيات،\n{agent_name}"),
}

# Countries with several time zones: the one a support team there most likely works in.
MAIN_ZONE = {"US": "America/New_York", "CA": "America/Toronto", "AU": "Australia/Sydney", "BR": "America/Sao_Paulo",
             "MX": "America/Mexico_City", "RU": "Europe/Moscow", "ES": "Europe/Madrid", "PT": "Europe/Lisbon",
             "AR": "America/Argentina/Buenos_Aires", "CL": "America/Santiago", "NZ": "Pacific/Auckland",
             "ID": "Asia/Jakarta", "CN": "Asia/Shanghai", "KZ": "Asia/Almaty", "DE": "Europe/Berlin",
             "EC": "America/Guayaquil", "FR": "Europe/Paris", "GB": "Europe/London", "NL": "Europe/Amsterdam"}
# What an agent may refund alone, in a currency's own size; other currencies get 50 units to edit.
REFUND_LIMIT = {"JPY": 7000, "KRW": 70000, "CNY": 350, "INR": 4000, "SEK": 500, "NOK": 500, "DKK": 350,
                "PLN": 200, "CZK": 1200, "TRY": 1500, "RUB": 4500, "BRL": 250, "MXN": 900, "AED": 200,
                "SAR": 200, "HKD": 400, "TWD": 1500, "THB": 1800, "ZAR": 900}


@dataclass
class MarketFacts:
    """What kb init writes into markets/<code>.yaml for a country."""

    code: str
    name: str
    currency: str
    timezone: str
    languages: list[str] = field(default_factory=list)


@dataclass
class Starter:
    """The options of `kb init`, checked."""

    folder: Path
    source_language: str = "en"
    languages: list[str] = field(default_factory=list)
    markets: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not LANG.match(self.source_language):
            raise UsageError(f"--source-language '{self.source_language}' is not a language code; write it like en, "
                             "de or zh-CN")
        self.languages = self.languages or [self.source_language]
        for lang in self.languages:
            if not LANG.match(lang):
                raise UsageError(f"--languages: '{lang}' is not a language code; write them like en,de,zh-CN")
        if self.source_language not in self.languages:
            self.languages.insert(0, self.source_language)
        self.languages = list(dict.fromkeys(self.languages))
        self.markets = [m.upper() for m in (self.markets or ["US"])]
        for code in self.markets:
            if not MARKET.match(code):
                raise UsageError(f"--markets: '{code}' is not a two-letter country code; write them like DE,US")
        self.markets = list(dict.fromkeys(self.markets))


def market_facts(code: str, kb_languages: list[str], source_language: str) -> MarketFacts:
    """Name, currency, time zone and languages of a country from CLDR, or a UsageError for an unknown code."""
    from babel import Locale
    from babel.core import get_global
    from babel.languages import get_official_languages
    from babel.numbers import get_territory_currencies

    name = Locale("en").territories.get(code)
    currencies = get_territory_currencies(code, tender=True)
    zones = get_global("territory_zones").get(code, [])
    if not name or not currencies or not zones:
        raise UsageError(f"--markets: '{code}' is not a country code kb init knows; use ISO 3166 codes like DE, US, JP")
    official = set(get_official_languages(code, de_facto=True))
    speaks = [lang for lang in kb_languages if lang.split("-")[0] in official]
    return MarketFacts(code=code, name=name, currency=currencies[0], timezone=MAIN_ZONE.get(code, zones[0]),
                       languages=speaks or [source_language])


def category_name(key: str, lang: str) -> str:
    """A starter category's name in a language (the English one where kb init has none)."""
    names = CATEGORIES[key]
    return names.get(lang) or names.get(lang.split("-")[0]) or names["en"]


def _q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _block(text: str, indent: int) -> str:
    pad = " " * indent
    return "|\n" + "\n".join(pad + line if line else "" for line in text.split("\n")) + "\n"


def _texts(table: dict, lang: str):
    return table.get(lang) or table.get(lang.split("-")[0])


def project_files(s: Starter, today: dt.date) -> dict[str, str]:
    """Every file kb init writes, by path relative to DIR (translations carry a pending `from:`)."""
    name = s.folder.resolve().name.replace("-", " ").replace("_", " ").strip().title() or "Our"
    langs = ", ".join(s.languages)
    cats = "".join(f"  {key}: {{{', '.join(f'{l}: {_q(category_name(key, l))}' for l in s.languages)}}}\n"
                   for key in CATEGORIES)
    files = {f"content/{KB_FILE}": f"""\
# yaml-language-server: $schema=../schemas/kb.schema.json
# Site-wide settings. The format of every file: docs/content-format.md in kb_builder's repository.
name: {_q(name + " Support")}
source_language: {s.source_language}
languages: [{langs}]
review_every_days: 180
categories:
{cats}"""}
    for code in s.markets:
        m = market_facts(code, s.languages, s.source_language)
        limit = REFUND_LIMIT.get(m.currency, 50)
        files[f"content/markets/{code.lower()}.yaml"] = f"""\
# yaml-language-server: $schema=../../schemas/market.schema.json
# Edit the promises and policy values below: every page, help center and reply uses them.
code: {code}
name: {_q(m.name)}
languages: [{", ".join(m.languages)}]
currency: {m.currency}
timezone: {m.timezone}
support_hours: "Mon-Fri 09:00-17:00"
channels:
  - {{type: email, address: support-{code.lower()}@example.com, first_response_hours: 24}}
  - {{type: chat, first_response_hours: 0.1}}
vars:
  return_window_days: 30  # days after delivery a customer may return an item
  refund_days: 14  # days until a refund reaches the customer
  refund_limit: "{limit} {m.currency}"  # what an agent may refund without asking a lead
notes: |
  Internal notes for agents about {m.name}: holidays, carriers, legal points.
"""
    faq_tr = "".join(
        f"  {lang}:\n    from: {_PENDING}\n    question: {_q(q)}\n    answer: {_block(a, 6)}"
        for lang in s.languages if lang != s.source_language and (t := _texts(FAQ_TEXTS, lang)) for q, a in [t])
    src_q, src_a = _texts(FAQ_TEXTS, s.source_language) or FAQ_TEXTS["en"]
    files["content/faq/refund-how-long.yaml"] = f"""\
# yaml-language-server: $schema=../../schemas/faq.schema.json
category: returns
audience: public
markets: all
owner: support
reviewed: {today}
tags: [refund, money back, return]
source:
  question: {_q(src_q)}
  answer: {_block(src_a, 4)}internal_note: Agents handle refunds with [the refund procedure](sop:refund-request).
""" + (f"translations:\n{faq_tr}" if faq_tr else "")
    tpl_tr = "".join(
        f"  {lang}:\n    from: {_PENDING}\n    subject: {_q(sub)}\n    body: {_block(body, 6)}"
        for lang in s.languages if lang != s.source_language and (t := _texts(TEMPLATE_TEXTS, lang))
        for sub, body in [t])
    src_sub, src_body = _texts(TEMPLATE_TEXTS, s.source_language) or TEMPLATE_TEXTS["en"]
    files["content/templates/refund-confirmation.yaml"] = f"""\
# yaml-language-server: $schema=../../schemas/template.schema.json
channel: email
scenario: refund-request
audience: internal
markets: all
tone: friendly
owner: support
reviewed: {today}
tags: [refund]
placeholders: [customer_name, order_number, agent_name]
source:
  subject: {_q(src_sub)}
  body: {_block(src_body, 4)}""" + (f"translations:\n{tpl_tr}" if tpl_tr else "")
    files["content/sops/refund-request.yaml"] = f"""\
# yaml-language-server: $schema=../../schemas/sop.schema.json
title: Refund request
summary: A customer asks for their money back for an order.
audience: internal
markets: all
owner: support
reviewed: {today}
severity: medium
first_response_hours: 24
tags: [refund, return, money back]
trigger: The customer asks for a refund, or has returned an item and asks when the money arrives.
steps:
  - id: check-order
    do: Find the order and check that it was delivered less than {{market.return_window_days}} days ago.
    faq: [refund-how-long]
    branches:
      - if: It was delivered more than {{market.return_window_days}} days ago
        then: Explain the return window kindly; a lead may still approve store credit.
        next: close
      - if: It is within the return window
        then: Go on with the refund.
  - id: refund
    do: Refund the order and send the confirmation reply. Above {{market.refund_limit}}, ask a lead first.
    templates: [refund-confirmation]
  - id: close
    do: Tag the ticket `refund` and close it.
authority:
  - {{role: agent, may: "Refund up to {{market.refund_limit}} without asking."}}
  - {{role: lead, may: "Refund any amount, and approve store credit outside the return window."}}
escalate_when:
  - The customer mentions a chargeback or a lawyer.
faq: [refund-how-long]
"""
    files["content/paths/new-agent.yaml"] = f"""\
# yaml-language-server: $schema=../../schemas/path.schema.json
title: Your first week in support
audience: internal
for_roles: [agent]
markets: all
modules:
  - title: Refunds
    read: [sop:refund-request, faq:refund-how-long, template:refund-confirmation]
    exercise: Answer a test ticket that asks for a refund, with the reply template.
    quiz:
      - question: Up to which amount may you refund without asking a lead?
        choices: ["Any amount", "The refund limit of the customer's market", "Nothing at all"]
        answer: 1
"""
    files.update(_project_files(s))
    return files


def _project_files(s: Starter) -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        meta = metadata("kb-builder")
        version = meta["Version"]
        urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL") or [])
        repo = urls.get("Source", "")
    except PackageNotFoundError:  # pragma: no cover - running from a checkout without metadata
        version, repo = "0.1.0", ""
    return {
        ".gitignore": "# kb_builder's output and caches\n/site/\n.kb-cache/\n__pycache__/\n/.venv/\n",
        ".pre-commit-config.yaml": f"""\
# pre-commit (https://pre-commit.com) runs kb_builder's own hooks before each commit:
#   pip install pre-commit && pre-commit install
repos:
  - repo: {repo or "<kb_builder's repository URL>"}
    rev: v{version}
    hooks:
      - id: kb-check        # YAML, schema, references, links, variables: fails on errors
        args: [--content, content]
      - id: kb-schema       # schemas/ matches what `kb schema` writes
""",
        ".github/workflows/kb.yml": f"""\
# Checks the content on every push and pull request (findings show as annotations on the
# changed lines), builds the sites and uploads them as the artifact "site".
name: knowledge base
on:
  push:
  pull_request:
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      # the kb_builder this project was started with; or a wheel, or "git+<repository URL>@v{version}"
      - run: pip install "kb-builder=={version}"
      - run: kb check --format github
      - run: kb build
      - uses: actions/upload-artifact@v4
        with:
          name: site
          path: site/
""",
        "README.md": f"""\
# Support knowledge base

The content of our support knowledge base: procedures (SOPs) for agents, FAQ answers for the
public help centers, reply templates, markets with their promises and policy values, and
onboarding paths. [kb_builder](https://pypi.org/project/kb-builder/) turns it into an internal
site for agents, a help center per market and language, and a search index.

## Every day

```sh
kb check                    # what is wrong, untranslated, stale or overdue (file:line: ...)
kb serve                    # preview on http://127.0.0.1:8000, rebuilt on every save
kb new faq my-question      # start an entry (also: sop, template, path, market); it is a draft
kb build                    # site/internal/ for agents, site/public/ for customers
kb search refund            # what agents find
```

- Everything lives in `content/`: `kb.yaml` (languages, FAQ categories), `markets/`, `sops/`,
  `faq/`, `templates/`, `paths/`. Editors that read `# yaml-language-server` lines complete the
  keys from `schemas/`.
- `kb new` writes a draft (`draft: true`) with texts marked `TODO(kb new)`: replace them, then
  delete the `draft: true` line. Drafts never reach a help center.
- After translating, record which source text you translated: `kb translations mark-current faq:ID`.
- Markets: `{{market.NAME}}` in any text is filled from that market's `vars`.
- Colours, logo, extra CSS: files in `content/site_overrides/` replace kb_builder's theme files.

## Publishing

`kb build` writes static files: publish `site/public/` on any web server (the workflow in
`.github/workflows/kb.yml` uploads `site/` as an artifact on every push), and `site/internal/`
somewhere only agents can reach.
""",
    }


def init_project(folder: Path, source_language: str = "en", languages: list[str] | None = None,
                 markets: list[str] | None = None, force: bool = False, today: dt.date | None = None) -> list[Path]:
    """Write a new project into folder (see the module docstring); returns the files written.

    Refuses a folder that holds anything unless `force` (then only kb init's own files are
    replaced). Translations get the fingerprint of their source, so they start current.
    """
    from kb_builder.pipeline import load_catalog
    from kb_builder.schema_files import write_schemas

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"'{folder}' is a file; name a folder for the new knowledge base")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise UsageError(f"'{folder}' is not empty; choose a new folder, or pass --force to write the starter "
                         "files into it (replacing files of the same name)")
    starter = Starter(folder, source_language, list(languages or []), list(markets or []))
    files = project_files(starter, today or dt.date.today())
    written = []
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    for entry in load_catalog(folder / "content").entries():
        if entry.translations:
            path = entry_file(folder / "content", entry.kind, entry.id)
            path.write_text(path.read_text(encoding="utf-8").replace(f"from: {_PENDING}", f"from: {entry.fingerprint()}"),
                            encoding="utf-8")
    written += write_schemas(folder / "schemas")
    return written
