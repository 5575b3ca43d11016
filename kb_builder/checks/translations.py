"""Translation checks: untranslated, stale, incomplete and copied-but-not-translated text."""

from __future__ import annotations

import re
from typing import Iterator

from kb_builder.checks.registry import CheckContext, check, finding
from kb_builder.errors import Problem
from kb_builder.model import Entry, Translation
from kb_builder.translation import normalise

_WORD = re.compile(r"[^\W\d_]{2,}")
_MIN_WORDS = 3


def _listed(items, limit: int = 6) -> str:
    items = list(items)
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def translation_mark(entry: Entry, tr: Translation):
    """Where a translation block starts (its language key)."""
    return entry.marks.get(f"translations.{tr.lang}") or tr.mark or entry.mark


@check("translations")
def untranslated(ctx: CheckContext) -> Iterator[Problem]:
    """Each (entry, language) a market in scope needs and no translation provides."""
    source = ctx.catalog.settings.source_language
    for entry in ctx.catalog.entries():
        for lang in ctx.languages_needed(entry.markets):
            if lang == source or lang in entry.translations:
                continue
            markets = ctx.markets_speaking(entry.markets, lang)
            yield finding(
                "untranslated", f"{entry.ref} has no {lang} translation (needed in {_listed(markets)})",
                f"add a '{lang}:' block under translations with from: {ctx.fingerprint(entry)}, "
                "or narrow the entry's markets", entry.mark, entry=entry.ref, lang=lang, markets=markets)


@check("translations")
def stale_translations(ctx: CheckContext) -> Iterator[Problem]:
    """Translations made from other source text, or that do not say which."""
    for entry in ctx.catalog.entries():
        current = ctx.fingerprint(entry)
        for lang, tr in entry.translations.items():
            if tr.source_fingerprint == current:
                continue
            markets = ctx.markets_speaking(entry.markets, lang)
            mark_cmd = f"kb translations mark-current {entry.ref} --lang {lang}"
            if tr.source_fingerprint is None:
                yield finding(
                    "stale-translation", f"the {lang} translation of {entry.ref} has no 'from:' fingerprint, "
                    "so nothing shows which source text it was made from",
                    f"if it matches the current source, run '{mark_cmd}'", translation_mark(entry, tr),
                    entry=entry.ref, lang=lang, markets=markets)
            else:
                yield finding(
                    "stale-translation", f"the {lang} translation of {entry.ref} was made from source "
                    f"{tr.source_fingerprint}, but the source is now {current}",
                    f"update the translation ('kb check --diff' shows what changed), then run '{mark_cmd}'",
                    tr.from_mark or translation_mark(entry, tr), entry=entry.ref, lang=lang, markets=markets)


@check("translations")
def incomplete_translations(ctx: CheckContext) -> Iterator[Problem]:
    """Translations that leave some source fields untranslated."""
    for entry in ctx.catalog.entries():
        for lang, tr in entry.translations.items():
            missing = [path for path in entry.source if path not in tr.fields]
            if not missing:
                continue
            yield finding(
                "incomplete-translation",
                f"the {lang} translation of {entry.ref} lacks {len(missing)} field(s): {_listed(missing)}",
                "translate them; until then readers see those fields in the source language",
                translation_mark(entry, tr), entry=entry.ref, lang=lang,
                markets=ctx.markets_speaking(entry.markets, lang))


def _same_text(a: str, b: str) -> bool:
    """Equal after normalisation; texts whose first or last words differ are told apart cheaply."""
    if a == b:
        return True
    if not a or not b or a.split(None, 1)[:1] != b.split(None, 1)[:1] or a.rsplit(None, 1)[-1:] != b.rsplit(None, 1)[-1:]:
        return False
    return normalise(a) == normalise(b)


def _is_prose(text: str) -> bool:
    return len(_WORD.findall(text)) >= _MIN_WORDS


@check("translations")
def identical_translations(ctx: CheckContext) -> Iterator[Problem]:
    """Translated fields whose text is the source text itself: probably copied, not translated."""
    for entry in ctx.catalog.entries():
        source = entry.source
        for lang, tr in entry.translations.items():
            same = [path for path, text in tr.fields.items()
                    if _same_text(text, source.get(path, "")) and _is_prose(text)]
            if not same:
                continue
            yield finding(
                "identical-translation",
                f"the {lang} translation of {entry.ref} is identical to the source in {_listed(same)}",
                f"translate the text into {lang}; leave the field out to fall back to the source on purpose",
                entry.marks.get(f"translations.{lang}.{same[0]}") or translation_mark(entry, tr),
                entry=entry.ref, lang=lang, markets=ctx.markets_speaking(entry.markets, lang))
