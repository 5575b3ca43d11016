"""Generate a large, valid, multilingual content folder for benchmarking kb_builder.

    python benchmarks/generate.py --preset small|medium|large --out DIR [--seed N]

Deterministic: the same preset and seed give byte-identical files (seeded random, no clock,
no set iteration). Standard library only: the YAML is written by a small emitter below, so
the output does not depend on how PyYAML or libyaml would format it.

What is generated (see PRESETS): kb.yaml, markets/, sops/, faq/, templates/, paths/ in the
content format of /work/shared/spec/content-format.md, with
- text built from per-language phrase banks (benchmarks/phrases.py), so every language is in
  its own script and a translation mirrors its source sentence by sentence;
- {market.NAME} variables that every market defines, and ticket placeholders in templates
  that every translation keeps;
- about 90% of the needed (entry, language) translations, about 5% of those stale (a `from:`
  fingerprint of an older source text), and a few overdue `reviewed:` dates
  (today for the benchmark is 2026-11-23: pass `kb check --today 2026-11-23`).
A manifest, `.benchmark.json`, records the preset, the expected counts and the entries that
`benchmarks/run.py` edits for its rebuild measurement. The loader ignores it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.phrases import ALL_LANGUAGES, BANKS, NO_SPACE  # noqa: E402
from kb_builder.translation import fingerprint  # noqa: E402  (stdlib only: no PyYAML in the bytes)

GENERATOR_VERSION = 1
TODAY = dt.date(2026, 11, 23)
MANIFEST = ".benchmark.json"
CONTENT_PARTS = ("kb.yaml", "markets", "sops", "faq", "templates", "paths", MANIFEST)


@dataclass(frozen=True)
class Preset:
    sops: int
    faqs: int
    templates: int
    markets: tuple[str, ...]
    languages: tuple[str, ...]
    paths: int


# Market codes are taken in this order; the first 12 cover the medium languages.
_MARKET_ORDER = ("US", "GB", "DE", "FR", "JP", "CN", "AE", "ES", "BR", "MX", "CA", "SG",
                 "IT", "NL", "SA", "PL", "SE", "DK", "FI", "CZ", "TR", "KR", "IL", "KZ", "GR",
                 "CH", "AT", "BE", "AU", "NO")

PRESETS: dict[str, Preset] = {
    "small": Preset(sops=10, faqs=60, templates=24, markets=("US", "DE", "JP", "CN", "AE"),
                    languages=("en", "de", "ja", "zh-CN", "ar"), paths=1),
    "medium": Preset(sops=100, faqs=800, templates=200, markets=_MARKET_ORDER[:12],
                     languages=("en", "de", "fr", "es", "pt-BR", "ja", "zh-CN", "ar"), paths=2),
    "large": Preset(sops=300, faqs=5000, templates=1000, markets=_MARKET_ORDER,
                    languages=ALL_LANGUAGES, paths=3),
}

# code: (name, natural languages, currency, time zone, EUR->currency rate, carrier, extra channel)
_MARKETS: dict[str, tuple] = {
    "US": ("United States", ("en", "es"), "USD", "America/New_York", 1.1, "UPS", "phone"),
    "GB": ("United Kingdom", ("en",), "GBP", "Europe/London", 0.85, "Royal Mail", "whatsapp"),
    "DE": ("Germany", ("de", "en"), "EUR", "Europe/Berlin", 1, "DHL", "whatsapp"),
    "FR": ("France", ("fr", "en"), "EUR", "Europe/Paris", 1, "Colissimo", "whatsapp"),
    "JP": ("Japan", ("ja", "en"), "JPY", "Asia/Tokyo", 160, "Yamato", "line"),
    "CN": ("China", ("zh-CN",), "CNY", "Asia/Shanghai", 7.8, "SF Express", "wechat"),
    "AE": ("United Arab Emirates", ("ar", "en"), "AED", "Asia/Dubai", 4, "Aramex", "whatsapp"),
    "ES": ("Spain", ("es", "en"), "EUR", "Europe/Madrid", 1, "Correos", "whatsapp"),
    "BR": ("Brazil", ("pt-BR",), "BRL", "America/Sao_Paulo", 6, "Correios", "whatsapp"),
    "MX": ("Mexico", ("es", "en"), "MXN", "America/Mexico_City", 19, "Estafeta", "whatsapp"),
    "CA": ("Canada", ("en", "fr"), "CAD", "America/Toronto", 1.5, "Canada Post", "phone"),
    "SG": ("Singapore", ("en", "zh-CN"), "SGD", "Asia/Singapore", 1.45, "Ninja Van", "whatsapp"),
    "IT": ("Italy", ("it", "en"), "EUR", "Europe/Rome", 1, "BRT", "whatsapp"),
    "NL": ("Netherlands", ("nl", "en"), "EUR", "Europe/Amsterdam", 1, "PostNL", "whatsapp"),
    "SA": ("Saudi Arabia", ("ar", "en"), "SAR", "Asia/Riyadh", 4.1, "SMSA", "whatsapp"),
    "PL": ("Poland", ("pl", "en"), "PLN", "Europe/Warsaw", 4.3, "InPost", "phone"),
    "SE": ("Sweden", ("sv", "en"), "SEK", "Europe/Stockholm", 11.5, "PostNord", "phone"),
    "DK": ("Denmark", ("da", "en"), "DKK", "Europe/Copenhagen", 7.46, "GLS", "phone"),
    "FI": ("Finland", ("fi", "sv", "en"), "EUR", "Europe/Helsinki", 1, "Posti", "phone"),
    "CZ": ("Czechia", ("cs", "en"), "CZK", "Europe/Prague", 25, "PPL", "phone"),
    "TR": ("Türkiye", ("tr", "en"), "TRY", "Europe/Istanbul", 37, "Yurtiçi Kargo", "whatsapp"),
    "KR": ("South Korea", ("ko", "en"), "KRW", "Asia/Seoul", 1500, "CJ Logistics", "kakaotalk"),
    "IL": ("Israel", ("he", "ar", "en"), "ILS", "Asia/Jerusalem", 4, "Israel Post", "whatsapp"),
    "KZ": ("Kazakhstan", ("ru", "en"), "KZT", "Asia/Almaty", 520, "Kazpost", "whatsapp"),
    "GR": ("Greece", ("el", "en"), "EUR", "Europe/Athens", 1, "ELTA", "viber"),
    "CH": ("Switzerland", ("de", "fr", "it"), "CHF", "Europe/Zurich", 0.95, "Swiss Post", "phone"),
    "AT": ("Austria", ("de", "en"), "EUR", "Europe/Vienna", 1, "Austrian Post", "whatsapp"),
    "BE": ("Belgium", ("nl", "fr", "de"), "EUR", "Europe/Brussels", 1, "bpost", "phone"),
    "AU": ("Australia", ("en",), "AUD", "Australia/Sydney", 1.65, "Australia Post", "phone"),
    "NO": ("Norway", ("en", "sv"), "NOK", "Europe/Oslo", 11.7, "Posten", "phone"),
}
_WITHDRAWAL = ("DE", "FR", "ES", "IT", "NL", "PL", "SE", "DK", "FI", "CZ", "GR", "AT", "BE", "GB")
CATEGORIES = ("orders", "shipping", "returns", "payments", "customs", "products", "account")
MODELS = ("Aurora", "Fjord", "Sakura", "Nova", "Atlas", "Luna", "Terra", "Orion", "Mistral", "Kiri",
          "Sol", "Vega", "Bora", "Tundra", "Lotus", "Delta")
STEP_IDS = ("acknowledge", "verify-order", "check-tracking", "evidence", "decide", "act", "refund",
            "reship", "notify-carrier", "log-case", "follow-up", "close")
OWNERS = ("after-sales", "logistics", "quality", "payments", "customer-care")
TAGS = ("damage", "refund", "reship", "tracking", "customs", "quality", "invoice", "warranty",
        "delivery", "returns", "chargeback", "review")
CHANNELS = ("email",) * 10 + ("chat",) * 5 + ("review-reply",) * 2 + ("social",) * 2 + ("sms",)
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
COVERAGE, STALE, OVERDUE = 0.90, 0.05, 0.05


# --- a small YAML emitter: block style, plain scalars where safe, JSON-quoted otherwise ------

class Date(str):
    """A date, written unquoted as YYYY-MM-DD."""


class Flow(list):
    """A short list written inline: [a, b]."""


_RESERVED = {"yes", "no", "on", "off", "y", "n", "true", "false", "null", "~"}


def scalar(value, flow: bool = False) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, Date):
        return str(value)
    s = str(value)
    plain = (s and s[0].isalpha() and s[-1] != " " and s[-1] != ":" and "\n" not in s and "\t" not in s
             and ": " not in s and " #" not in s and s.lower() not in _RESERVED
             and not (flow and any(c in s for c in ",[]{}#")))
    return s if plain else json.dumps(s, ensure_ascii=False)


def dump(doc: dict) -> str:
    out: list[str] = []
    _emit_map(doc, 0, out)
    return "\n".join(out) + "\n"


def _emit_map(d: dict, ind: int, out: list[str]) -> None:
    for key, value in d.items():
        _emit_entry(" " * ind + key + ":", value, ind, out)


def _emit_entry(prefix: str, value, ind: int, out: list[str]) -> None:
    if isinstance(value, dict):
        if value:
            out.append(prefix)
            _emit_map(value, ind + 2, out)
        else:
            out.append(prefix + " {}")
    elif isinstance(value, Flow):
        out.append(prefix + " [" + ", ".join(scalar(v, flow=True) for v in value) + "]")
    elif isinstance(value, list):
        if value:
            out.append(prefix)
            _emit_seq(value, ind + 2, out)
        else:
            out.append(prefix + " []")
    elif isinstance(value, str) and "\n" in value:
        _emit_block(prefix, value, ind + 2, out)
    else:
        out.append(prefix + " " + scalar(value))


def _emit_block(prefix: str, text: str, ind: int, out: list[str]) -> None:
    out.append(prefix + (" |" if text.endswith("\n") else " |-"))
    for line in text.rstrip("\n").split("\n"):
        out.append(" " * ind + line if line else "")


def _emit_seq(items: list, ind: int, out: list[str]) -> None:
    pad = " " * ind
    for item in items:
        if isinstance(item, dict):
            for i, (key, value) in enumerate(item.items()):
                _emit_entry((pad + "- " if i == 0 else pad + "  ") + key + ":", value, ind + 2, out)
        elif isinstance(item, str) and "\n" in item:
            _emit_block(pad + "-", item, ind + 2, out)
        else:
            out.append(pad + "- " + scalar(item))


# --- text from phrase banks ---------------------------------------------------------------

@dataclass
class Slots:
    """What one entry talks about: a product, a ticket noun, a number and an SKU."""

    product: int
    model: str
    noun: int
    number: int
    sku: str


def sentence(lang: str, key: str, index: int, slots: Slots) -> str:
    bank = BANKS[lang]
    text = bank[key][index]
    if "{p}" in text:
        text = text.replace("{p}", f"{bank['P'][slots.product]} {slots.model}")
    return (text.replace("{n}", bank["N"][slots.noun]).replace("{d}", str(slots.number))
            .replace("{k}", slots.sku))


def paragraph(lang: str, key: str, indexes: list[int], slots: Slots, bold_first: bool = False) -> str:
    parts = [sentence(lang, key, i, slots) for i in indexes]
    if bold_first and parts:
        parts[0] = f"**{parts[0]}**"
    return ("" if lang in NO_SPACE else " ").join(parts)


@dataclass
class TextPlan:
    """The structure of a long text, rendered the same way in every language."""

    blocks: list[tuple[str, list[int]]]  # ("p" | "ul", sentence indexes)
    key: str
    bold: bool = False

    def render(self, lang: str, slots: Slots) -> str:
        rendered = []
        for i, (kind, indexes) in enumerate(self.blocks):
            if kind == "ul":
                rendered.append("\n".join("- " + sentence(lang, self.key, j, slots) for j in indexes))
            else:
                rendered.append(paragraph(lang, self.key, indexes, slots, bold_first=self.bold and i == 0))
        text = "\n\n".join(rendered)
        return text + "\n" if "\n" in text else text


def slug(text: str, limit: int = 56) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(s) > limit:
        s = s[:limit].rsplit("-", 1)[0]
    return s or "entry"


# --- the generator ------------------------------------------------------------------------

@dataclass
class Stats:
    files: dict[str, int] = field(default_factory=dict)
    translations_needed: int = 0
    translations_present: int = 0
    stale: int = 0
    overdue_entries: int = 0
    never_reviewed: int = 0
    overdue_translations: int = 0
    coverage_by_lang: dict[str, list[int]] = field(default_factory=dict)  # lang -> [present, needed]


class Generator:
    """Builds every file of a preset in memory: {relative path: text}."""

    def __init__(self, preset_name: str, seed: int):
        self.name = preset_name
        self.preset = PRESETS[preset_name]
        self.seed = seed
        self.rng = random.Random(f"kb-benchmark:{preset_name}:{seed}")
        self.languages = list(self.preset.languages)
        self.source = self.languages[0]
        self.files: dict[str, str] = {}
        self.stats = Stats()
        self.markets: dict[str, list[str]] = {}  # code -> languages
        self.used_ids: dict[str, set[str]] = {"sop": set(), "faq": set(), "template": set()}
        self.edit_targets: dict[str, str] = {}

    # helpers
    def new_id(self, kind: str, text: str) -> str:
        base = slug(text)
        ident, n = base, 1
        while ident in self.used_ids[kind]:
            n += 1
            ident = f"{base}-{n}"
        self.used_ids[kind].add(ident)
        return ident

    def slots(self) -> Slots:
        r = self.rng
        return Slots(product=r.randrange(10), model=f"{r.choice(MODELS)} {r.randint(1, 9)}", noun=r.randrange(6),
                     number=r.choice((3, 5, 7, 10, 14, 20, 30)), sku=f"KH-{r.randint(10000, 99999)}")

    def scope(self, p_all: float = 0.8):
        if self.rng.random() < p_all:
            return "all", list(self.markets)
        codes = sorted(self.rng.sample(list(self.markets), self.rng.randint(1, min(4, len(self.markets)))))
        return Flow(codes), codes

    def needed_languages(self, codes: list[str]) -> list[str]:
        wanted = {lang for c in codes for lang in self.markets[c]}
        return [lang for lang in self.languages if lang in wanted and lang != self.source]

    def reviewed(self, every: int) -> Date | None:
        r = self.rng.random()
        if r < 0.03:
            self.stats.never_reviewed += 1
            return None
        if r < 0.03 + OVERDUE:
            self.stats.overdue_entries += 1
            return Date((TODAY - dt.timedelta(days=every + self.rng.randint(20, 300))).isoformat())
        return Date((TODAY - dt.timedelta(days=self.rng.randint(3, every - 10))).isoformat())

    def translations(self, codes: list[str], fields_of, flat_of) -> dict:
        """`fields_of(lang)` -> the YAML block of a language; `flat_of(lang)` -> the flat source fields."""
        out = {}
        current = fingerprint(flat_of(self.source))
        for lang in self.needed_languages(codes):
            self.stats.translations_needed += 1
            cov = self.stats.coverage_by_lang.setdefault(lang, [0, 0])
            cov[1] += 1
            if self.rng.random() >= COVERAGE:
                continue
            self.stats.translations_present += 1
            cov[0] += 1
            block: dict = {}
            if self.rng.random() < STALE:
                self.stats.stale += 1
                older = flat_of(self.source)
                older[-1] = (older[-1][0], older[-1][1].rstrip("\n") + " (draft)")
                block["from"] = fingerprint(older)
            else:
                block["from"] = current
            r = self.rng.random()
            if r < 0.02:
                self.stats.overdue_translations += 1
                block["reviewed"] = Date((TODAY - dt.timedelta(days=self.rng.randint(400, 700))).isoformat())
            elif r < 0.6:
                block["reviewed"] = Date((TODAY - dt.timedelta(days=self.rng.randint(2, 80))).isoformat())
            block.update(fields_of(lang))
            out[lang] = block
        return out

    # files
    def kb_yaml(self) -> None:
        cats = {}
        for i, key in enumerate(CATEGORIES):
            cats[key] = {lang: BANKS[lang]["C"][i] for lang in self.languages}
        doc = {"name": f"Northwind Benchmark Support ({self.name})", "source_language": self.source,
               "languages": Flow(self.languages), "review_every_days": 180, "categories": cats}
        self.files["kb.yaml"] = ("# Generated by benchmarks/generate.py: do not edit by hand.\n" + dump(doc))

    def market_files(self) -> None:
        for code in self.preset.markets:
            name, natural, currency, tz, rate, carrier, extra = _MARKETS[code]
            langs = [lang for lang in natural if lang in self.languages][:3] or [self.source]
            self.markets[code] = langs
            r = self.rng

            def money(eur: float) -> str:
                v = eur * rate
                digits = max(0, len(str(int(v))) - 2)
                return f"{int(round(v, -digits))} {currency}"

            channels = [{"type": "email", "address": f"help-{code.lower()}@northwind.example",
                         "first_response_hours": r.choice((12, 24, 24, 48))},
                        {"type": "chat", "first_response_hours": r.choice((0.05, 0.1, 0.25))},
                        {"type": extra, "first_response_hours": r.choice((2, 4, 8))}]
            vars_ = {"return_window_days": 30 if code in _WITHDRAWAL else r.choice((14, 21, 30)),
                     "agent_refund_limit": money(50), "no_return_refund_limit": money(15),
                     "delivery_days": r.choice(("3-5", "5-9", "7-12", "10-15")),
                     "express_delivery_days": r.choice(("1-2", "2-3", "3-5")),
                     "free_shipping_over": money(60), "carrier": carrier,
                     "refund_days": r.choice(("3-5", "5-10", "7-14")), "claim_deadline_days": r.choice((7, 14, 21))}
            if code in _WITHDRAWAL:
                vars_["withdrawal_days"] = 14
            start = r.choice(("08:00", "09:00", "10:00"))
            doc = {"code": code, "name": name, "languages": Flow(langs), "currency": currency, "timezone": tz,
                   "support_hours": f"Mon-Fri {start}-18:00", "channels": channels, "vars": vars_,
                   "notes": (f"Internal: {name} is served by the {r.choice(('EMEA', 'APAC', 'Americas'))} team. "
                             f"Claims with {carrier} must be filed within {vars_['claim_deadline_days']} days.\n"
                             "Never quote internal refund limits to customers.\n")}
            self.files[f"markets/{code.lower()}.yaml"] = dump(doc)

    def faq_files(self) -> list[tuple[str, bool, bool]]:
        """FAQ entries; returns (id, applies to all markets, public) for each."""
        made = []
        for _ in range(self.preset.faqs):
            r = self.rng
            s = self.slots()
            qi = r.choice((0, 1, 1, 2, 2, 3, 4))
            picks = r.sample(range(8), r.randint(2, 6))
            if len(picks) >= 4 and r.random() < 0.3:
                blocks = [("p", picks[:2]), ("ul", picks[2:])]
            elif len(picks) >= 3:
                blocks = [("p", picks[:2]), ("p", picks[2:])]
            else:
                blocks = [("p", picks)]
            plan = TextPlan(blocks, "A", bold=r.random() < 0.15)
            question = lambda lang: sentence(lang, "Q", qi, s)  # noqa: E731
            ident = self.new_id("faq", question(self.source))
            markets, codes = self.scope(0.85)
            public = r.random() < 0.9

            def flat(lang: str) -> list[tuple[str, str]]:
                return [("question", question(lang)), ("answer", plan.render(lang, s))]

            doc: dict = {"category": r.choice(CATEGORIES), "audience": "public" if public else "internal",
                         "markets": markets}
            rev = self.reviewed(180)
            if rev:
                doc["reviewed"] = rev
            doc["tags"] = Flow(sorted(r.sample(TAGS, r.randint(1, 3))))
            doc["source"] = dict(flat(self.source))
            if r.random() < 0.3:
                doc["internal_note"] = f"Check the order history in the back office before answering ({s.sku})."
            linkable = [m[0] for m in made if m[1] and m[2]]  # public, all markets: never an internal link
            if linkable and r.random() < 0.2:
                doc["related"] = Flow(sorted({r.choice(linkable) for _ in range(2)}))
            trs = self.translations(codes, lambda lang: dict(flat(lang)), flat)
            if trs:
                doc["translations"] = trs
            self.files[f"faq/{ident}.yaml"] = dump(doc)
            made.append((ident, markets == "all", public))
            if "faq" not in self.edit_targets and public and markets == "all" and len(blocks) > 1:
                self.edit_targets["faq"] = ident
        return made

    def template_files(self, sop_ids: list[str]) -> list[tuple[str, bool]]:
        made = []
        for _ in range(self.preset.templates):
            r = self.rng
            s = self.slots()
            channel = r.choice(CHANNELS)
            picks = r.sample(range(5), r.randint(2, 4))
            ji = r.randrange(3)
            greet = channel in ("email", "chat", "review-reply", "social")
            sign = channel in ("email", "review-reply")

            def body(lang: str) -> str:
                bank = BANKS[lang]
                parts = [bank["HI"][0]] if greet else []
                parts.append(paragraph(lang, "B", picks, s))
                if sign:
                    parts.append(bank["BY"][0])
                sep = "\n\n" if channel == "email" else "\n"
                return sep.join(parts) + "\n"

            def flat(lang: str) -> list[tuple[str, str]]:
                fields = [("subject", sentence(lang, "J", ji, s))] if channel == "email" else []
                return fields + [("body", body(lang))]

            purpose = ("apology", "order-update", "refund-confirmed")[ji] if channel == "email" else \
                ("thanks", "sorry", "tracking-link", "replacement-sent", "refund-offer")[picks[0]]
            ident = self.new_id("template", f"{purpose}-{channel}-{BANKS['en']['P'][s.product]}")
            markets, codes = self.scope(0.85)
            source = dict(flat(self.source))
            placeholders = list(dict.fromkeys(PLACEHOLDER.findall("\n".join(source.values()))))
            doc: dict = {"channel": channel, "audience": "internal", "markets": markets}
            if sop_ids and r.random() < 0.6:
                doc["scenario"] = r.choice(sop_ids)
            doc["tone"] = r.choice(("apologetic", "friendly", "formal", "reassuring"))
            rev = self.reviewed(180)
            if rev:
                doc["reviewed"] = rev
            doc["placeholders"] = Flow(placeholders)
            doc["source"] = source
            trs = self.translations(codes, lambda lang: dict(flat(lang)), flat)
            if trs:
                doc["translations"] = trs
            self.files[f"templates/{ident}.yaml"] = dump(doc)
            made.append((ident, markets == "all"))
        return made

    def sop_heads(self) -> list[tuple[str, int, Slots]]:
        heads = []
        for _ in range(self.preset.sops):
            s = self.slots()
            ti = self.rng.choice((0, 0, 0, 1, 2, 3, 3, 3))  # mostly titles that name a product
            heads.append((self.new_id("sop", sentence(self.source, "T", ti, s)), ti, s))
        return heads

    def sop_files(self, heads, templates, faqs) -> None:
        all_templates = [t for t, is_all in templates if is_all] or [t for t, _ in templates]
        all_faqs = [f for f, is_all, _ in faqs if is_all] or [f[0] for f in faqs]
        eu = [c for c in self.markets if c in _WITHDRAWAL]
        sop_ids = [h[0] for h in heads]
        for ident, ti, s in heads:
            r = self.rng
            markets, codes = self.scope(0.8)
            step_ids = sorted(r.sample(range(len(STEP_IDS)), r.randint(5, 8)))
            steps_plan = []  # (step id, do indexes or "W", branches [(if, then, next)], templates, faq)
            ids = [STEP_IDS[i] for i in step_ids]
            with_eu = markets == "all" and eu and r.random() < 0.3
            if with_eu:
                ids.insert(2, "eu-withdrawal")
            branching = set(r.sample(range(len(ids) - 2), r.randint(1, 2)))
            texts: list[int] = []  # step texts are drawn without repeats until the bank runs out
            for pos, sid in enumerate(ids):
                if sid == "eu-withdrawal":
                    steps_plan.append((sid, "W", [], [], []))
                    continue
                do = []
                for _ in range(r.choice((1, 1, 2))):
                    if not texts:
                        texts = r.sample(range(8), 8)
                    if texts[-1] not in do:
                        do.append(texts.pop())
                branches = []
                if pos in branching:
                    for _ in range(r.randint(1, 2)):
                        later = [x for x in ids[pos + 2:] if x != "eu-withdrawal"]
                        branches.append((r.randrange(3), r.randrange(4), r.choice(later) if later and r.random() < 0.6 else None))
                    branches.append((3, r.randrange(4), None))  # "Otherwise": falls through to the next step
                tpls = sorted(set(r.sample(all_templates, min(len(all_templates), r.randint(1, 2))))) \
                    if all_templates and r.random() < 0.5 else []
                step_faq = [r.choice(all_faqs)] if all_faqs and r.random() < 0.1 else []
                steps_plan.append((sid, do, branches, tpls, step_faq))
            esc = r.sample(range(3), r.randint(1, 3))
            si, gi = r.randrange(2), r.randrange(2)

            def flat(lang: str) -> list[tuple[str, str]]:
                out = [("title", sentence(lang, "T", ti, s)), ("summary", sentence(lang, "S", si, s)),
                       ("trigger", sentence(lang, "G", gi, s))]
                for sid, do, branches, _, _ in steps_plan:
                    out.append((f"steps.{sid}.do", sentence(lang, "W", 0, s) if do == "W" else paragraph(lang, "D", do, s)))
                    for i, (bi, bt, _) in enumerate(branches):
                        out.append((f"steps.{sid}.branches.{i}.if", sentence(lang, "I", bi, s)))
                        out.append((f"steps.{sid}.branches.{i}.then", sentence(lang, "H", bt, s)))
                out.append(("authority.0.may", sentence(lang, "M", 0, s)))
                out.append(("authority.1.may", sentence(lang, "M", 1, s)))
                out.extend((f"escalate_when.{i}", sentence(lang, "E", e, s)) for i, e in enumerate(esc))
                return out

            src = dict(flat(self.source))
            every = r.choice((90, 180, 180))
            doc: dict = {"title": src["title"], "summary": src["summary"], "audience": "internal", "markets": markets,
                         "owner": r.choice(OWNERS)}
            rev = self.reviewed(every)
            if rev:
                doc["reviewed"] = rev
            if every != 180:
                doc["review_every_days"] = every
            doc["severity"] = r.choice(("low", "medium", "medium", "high", "critical"))
            doc["first_response_hours"] = r.choice((4, 12, 24, 24, 48))
            doc["tags"] = Flow(sorted(r.sample(TAGS, r.randint(1, 4))))
            doc["trigger"] = src["trigger"]
            steps = []
            for sid, _, branches, tpls, step_faq in steps_plan:
                step: dict = {"id": sid}
                if sid == "eu-withdrawal":
                    step["markets"] = Flow(eu)
                step["do"] = src[f"steps.{sid}.do"]
                if tpls:
                    step["templates"] = Flow(tpls)
                if step_faq:
                    step["faq"] = Flow(step_faq)
                if branches:
                    step["branches"] = []
                    for i, (_, _, nxt) in enumerate(branches):
                        b = {"if": src[f"steps.{sid}.branches.{i}.if"], "then": src[f"steps.{sid}.branches.{i}.then"]}
                        if nxt:
                            b["next"] = nxt
                        step["branches"].append(b)
                steps.append(step)
            doc["steps"] = steps
            doc["authority"] = [{"role": "agent", "may": src["authority.0.may"]},
                                {"role": "lead", "may": src["authority.1.may"]}]
            doc["escalate_when"] = [src[f"escalate_when.{i}"] for i in range(len(esc))]
            others = [x for x in sop_ids if x != ident]
            if others and r.random() < 0.6:
                doc["related"] = Flow(sorted(set(r.sample(others, min(len(others), r.randint(1, 3))))))
            if all_faqs and r.random() < 0.7:
                doc["faq"] = Flow(sorted(set(r.sample(all_faqs, min(len(all_faqs), r.randint(1, 3))))))

            def tr_fields(lang: str) -> dict:
                f = dict(flat(lang))
                block: dict = {"title": f["title"], "summary": f["summary"], "trigger": f["trigger"], "steps": {}}
                for sid, _, branches, _, _ in steps_plan:
                    do = f[f"steps.{sid}.do"]
                    if branches:
                        block["steps"][sid] = {"do": do, "branches": [
                            {"if": f[f"steps.{sid}.branches.{i}.if"], "then": f[f"steps.{sid}.branches.{i}.then"]}
                            for i in range(len(branches))]}
                    else:
                        block["steps"][sid] = do
                block["authority"] = [f["authority.0.may"], f["authority.1.may"]]
                block["escalate_when"] = [f[f"escalate_when.{i}"] for i in range(len(esc))]
                return block

            trs = self.translations(codes, tr_fields, flat)
            if trs:
                doc["translations"] = trs
            self.files[f"sops/{ident}.yaml"] = dump(doc)
            if "sop" not in self.edit_targets and markets == "all":
                self.edit_targets["sop"] = ident
                self.edit_targets["sop_step"] = steps_plan[0][0]

    def path_files(self, sops, templates, faqs) -> None:
        titles = (("new-agent-week-one", "New agent - week one", ["agent"]),
                  ("returns-specialist", "Returns and refunds specialist", ["agent", "specialist"]),
                  ("team-lead-onboarding", "Team lead onboarding", ["lead"]))
        for ident, title, roles in titles[:self.preset.paths]:
            r = self.rng
            modules = []
            for m in range(r.randint(3, 5)):
                reads = ([f"sop:{x}" for x in r.sample(sops, min(2, len(sops)))]
                         + [f"template:{x}" for x in r.sample(templates, min(r.randint(1, 2), len(templates)))]
                         + [f"faq:{x}" for x in r.sample(faqs, min(r.randint(1, 2), len(faqs)))])
                quiz = []
                for _ in range(r.randint(1, 3)):
                    hours = r.choice((4, 12, 24))
                    choices = [f"{h} hours" for h in (4, 12, 24, 48)]
                    quiz.append({"question": f"A new email arrives in a market with a {hours}-hour promise. "
                                             "When is the first reply due at the latest?",
                                 "choices": choices, "answer": choices.index(f"{hours} hours")})
                modules.append({"title": f"Day {m + 1}: {r.choice(('Damaged and lost parcels', 'Refunds', 'Returns across borders', 'Reviews and escalations', 'Customs and duties'))}",
                                "read": reads,
                                "exercise": "Answer three sample tickets from the training queue, then compare your replies "
                                            "with the linked templates.\n",
                                "quiz": quiz})
            doc = {"title": title, "audience": "internal", "for_roles": Flow(roles), "markets": "all", "modules": modules}
            self.files[f"paths/{ident}.yaml"] = dump(doc)

    def build(self) -> dict[str, str]:
        self.kb_yaml()
        self.market_files()
        heads = self.sop_heads()
        faqs = self.faq_files()
        templates = self.template_files([h[0] for h in heads])
        self.sop_files(heads, templates, faqs)
        self.path_files([h[0] for h in heads], [t for t, _ in templates], [f[0] for f in faqs])
        for path in self.files:
            kind = path.split("/")[0] if "/" in path else "kb"
            self.stats.files[kind] = self.stats.files.get(kind, 0) + 1
        st = self.stats
        self.files[MANIFEST] = json.dumps({
            "generator_version": GENERATOR_VERSION, "preset": self.name, "seed": self.seed, "today": TODAY.isoformat(),
            "languages": self.languages, "markets": self.markets,
            "counts": {"files": st.files, "sops": self.preset.sops, "faqs": self.preset.faqs,
                       "templates": self.preset.templates, "paths": self.preset.paths},
            "translations": {"needed": st.translations_needed, "present": st.translations_present,
                             "untranslated": st.translations_needed - st.translations_present,
                             "stale": st.stale, "coverage": round(st.translations_present / max(1, st.translations_needed), 4),
                             "by_language": {k: {"present": v[0], "needed": v[1]} for k, v in st.coverage_by_lang.items()}},
            "overdue": {"entries": st.overdue_entries, "translations": st.overdue_translations,
                        "never_reviewed": st.never_reviewed},
            "edit_targets": self.edit_targets,
        }, indent=2, ensure_ascii=False) + "\n"
        return self.files


def write(files: dict[str, str], out: Path, force: bool = False) -> int:
    """Replace the content parts of `out` with `files`; returns the bytes written."""
    out.mkdir(parents=True, exist_ok=True)
    if any(out.iterdir()) and not (out / MANIFEST).exists() and not force:
        raise SystemExit(f"error: {out} is not empty and was not made by this generator; "
                         "choose another --out or pass --force")
    for part in CONTENT_PARTS:
        p = out / part
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()
    total = 0
    made_dirs: set[Path] = set()
    for rel, text in sorted(files.items()):
        path = out / rel
        if path.parent not in made_dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(path.parent)
        data = text.encode("utf-8")
        path.write_bytes(data)
        total += len(data)
    return total


def generate(preset: str, out: Path, seed: int = 1, force: bool = False) -> dict:
    """Generate a preset into `out`; returns the manifest (plus timing)."""
    start = time.perf_counter()
    files = Generator(preset, seed).build()
    size = write(files, Path(out), force=force)
    manifest = json.loads(files[MANIFEST])
    manifest["bytes"] = size
    manifest["seconds"] = round(time.perf_counter() - start, 3)
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", choices=sorted(PRESETS), required=True)
    ap.add_argument("--out", type=Path, required=True, help="content folder to (re)write")
    ap.add_argument("--seed", type=int, default=1, help="change it for a different but equally shaped corpus")
    ap.add_argument("--force", action="store_true", help="write into a non-empty folder not made by this generator")
    ap.add_argument("--quiet", "-q", action="store_true")
    args = ap.parse_args(argv)
    m = generate(args.preset, args.out, args.seed, args.force)
    if not args.quiet:
        tr = m["translations"]
        print(f"{args.preset}: {sum(m['counts']['files'].values())} files, {m['bytes'] / 1e6:.1f} MB in {m['seconds']:.2f} s "
              f"-> {args.out}")
        print(f"  {len(m['markets'])} markets, {len(m['languages'])} languages; translations {tr['present']}/{tr['needed']} "
              f"({tr['coverage']:.0%}), stale {tr['stale']}; overdue entries {m['overdue']['entries']}, "
              f"translations {m['overdue']['translations']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
