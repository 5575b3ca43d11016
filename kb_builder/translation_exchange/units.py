"""Translatable units: one per translatable field of an entry, keyed `kind:id#field.path`.

The field paths are the entry's source keys (the fingerprint's field paths), so a unit is exactly
a field content-format.md lists as translatable: never ids, numbers, booleans or enums.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kb_builder.model import Catalog, Entry, Template
from kb_builder.translation import normalise
from kb_builder.variables import tokens

State = Literal["untranslated", "stale", "translated"]
STATES: tuple[State, ...] = ("untranslated", "stale", "translated")
KINDS = ("sop", "faq", "template")

# Channels with a hard length limit on a field: one SMS segment of GSM-7 text.
CHANNEL_MAX_CHARS = {("sms", "body"): 160}


@dataclass(frozen=True)
class Unit:
    """One translatable field of an entry in one target language."""

    id: str  # `faq:return-policy#answer`
    entry_ref: str
    path: str  # the field path, `answer` or `steps.decide.branches.0.then`
    file: str  # the entry's YAML file as the loader shows it
    source: str
    target: str  # the current translation, "" when there is none
    state: State
    fingerprint: str  # of the current source: what an import writes into `from:`
    previous_source: str | None = None  # the source the stale translation was made from (git history)
    notes: tuple[str, ...] = ()  # context for the translator
    max_chars: int | None = None
    kind: str = ""
    title: str = ""
    markets: tuple[str, ...] = ()


def unit_id(entry: Entry, path: str) -> str:
    """The stable id of an entry's field: `kind:id#path`."""
    return f"{entry.ref}#{path}"


def split_unit_id(uid: str) -> tuple[str, str] | None:
    """`faq:x#answer` -> ("faq:x", "answer"); None when it is not of that form."""
    ref, sep, path = uid.partition("#")
    if not sep or ":" not in ref or not path:
        return None
    return ref, path


def placeholder_counts(text: str) -> Counter:
    """The `{market.NAME}` and `{name}` tokens of a text, counted (literal braces are not tokens)."""
    return Counter(("market." if t.market else "") + t.name for t in tokens(text))


@dataclass
class Selection:
    """Which units an export takes."""

    lang: str
    states: tuple[State, ...] = ("untranslated", "stale")
    market: str | None = None
    kind: str | None = None


def markets_using(catalog: Catalog, entry: Entry, lang: str) -> tuple[str, ...]:
    """Codes of the markets the entry applies to that use the language."""
    return tuple(m.code for m in catalog.markets_of(entry.markets) if lang in m.languages)


def content_path(catalog: Catalog, entry: Entry) -> str:
    """The entry's file relative to the content folder (`faq/x.yaml`), the same from any working folder."""
    try:
        return Path(entry.file).resolve().relative_to(Path(catalog.root).resolve()).as_posix()
    except ValueError:
        return Path(entry.file).as_posix()


def entry_units(catalog: Catalog, entry: Entry, lang: str, previous: dict[str, str] | None = None) -> list[Unit]:
    """Every unit of one entry in `lang`, with its state.

    `previous` is the source the stale translation was made from (from git history), when known:
    fields whose text did not change since then are `translated`, the others `stale`.
    """
    tr = entry.translations.get(lang)
    current = entry.fingerprint()
    stale = tr is not None and tr.source_fingerprint != current
    markets = markets_using(catalog, entry, lang)
    title = entry.display_title()
    units = []
    for path, source in entry.source.items():
        target = tr.fields.get(path, "") if tr else ""
        before = previous.get(path) if previous is not None else None
        if not target:
            state: State = "untranslated"
        elif stale and (previous is None or normalise(before or "") != normalise(source)):
            state = "stale"
        else:
            state = "translated"
        units.append(Unit(
            id=unit_id(entry, path), entry_ref=entry.ref, path=path, file=content_path(catalog, entry), source=source,
            target=target, state=state, fingerprint=current,
            previous_source=before if state == "stale" else None,
            notes=tuple(_notes(catalog, entry, source, markets, title)),
            max_chars=CHANNEL_MAX_CHARS.get((entry.channel, path)) if isinstance(entry, Template) else None,
            kind=entry.kind, title=title, markets=markets))
    return units


def _notes(catalog: Catalog, entry: Entry, source: str, markets: tuple[str, ...], title: str) -> list[str]:
    out = [f"{entry.kind} \"{title}\"; used in {', '.join(markets) if markets else 'no market of this language'}"]
    seen: set[str] = set()
    for tok in tokens(source):
        key = ("market." if tok.market else "") + tok.name
        if key in seen:
            continue
        seen.add(key)
        if tok.market:
            values = []
            for code in markets or tuple(m.code for m in catalog.markets_of(entry.markets)):
                value = catalog.markets[code].variables().get(tok.name)
                values.append(f"{value} in {code}" if value is not None else f"undefined in {code}")
            out.append(f"{{market.{tok.name}}} = " + (", ".join(values) or "a market value") +
                       " (keep it as written: it is filled per market)")
        else:
            out.append(f"{{{tok.name}}} = a ticket value the agent fills in (keep it as written)")
    return out


def select_units(catalog: Catalog, sel: Selection, previous_source=None) -> list[Unit]:
    """The units of every entry the selection covers, in catalog order.

    Entries are those some market needs in the language (or that already have a translation
    into it). `previous_source(entry, lang)` gives the source a stale translation was made from.
    """
    out = []
    for entry in catalog.entries():
        if sel.kind and entry.kind != sel.kind:
            continue
        if sel.market and not entry.markets.includes(sel.market):
            continue
        if sel.lang not in catalog.languages_needed(entry.markets) and sel.lang not in entry.translations:
            continue
        prev = None
        if entry.is_stale(sel.lang) and previous_source is not None:
            prev = previous_source(entry, sel.lang)
        out.extend(u for u in entry_units(catalog, entry, sel.lang, prev) if u.state in sel.states)
    return out
