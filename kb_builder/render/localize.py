"""Names and quantities in the visitor's language, from CLDR data (via Babel, which MkDocs
Material already depends on): country and language names, time-zone names, weekday names in
support hours, and response times with the right plural forms.

Every function falls back to the text as written when the language or value is unknown, so a
help center in a language CLDR does not know still builds.
"""

from __future__ import annotations

import re
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import get_day_names, get_timezone_name
from babel.units import format_unit

from kb_builder.model import format_number
from kb_builder.render.common import language_name
from kb_builder.render.labels import Labels

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY = r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?"
_LIST_SEPARATORS = {"ja": "、", "zh": "、", "ar": "، ", "fa": "، "}
_SPAN = re.compile(rf"^{_DAY}(?:\s*[-–]\s*{_DAY})?\s+(\d{{1,2}}:\d\d)\s*[-–]\s*(\d{{1,2}}:\d\d)$", re.IGNORECASE)


@lru_cache(maxsize=None)
def babel_locale(lang: str) -> Locale | None:
    """The CLDR locale for a KB language code (`zh-CN` -> zh_Hans_CN), or None when unknown."""
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


def text_direction(lang: str) -> str:
    """`rtl` for right-to-left languages (Arabic, Hebrew, Persian ...), else `ltr`."""
    loc = babel_locale(lang)
    return loc.text_direction if loc is not None else "ltr"


def country_name(code: str, written: str, lang: str) -> str:
    """The market's country in the visitor's language (DE -> Deutschland), else its name as written."""
    loc = babel_locale(lang)
    if loc is not None and len(code) == 2:
        name = loc.territories.get(code.upper())
        if name:
            return name
    return written


def language_in(code: str, display_lang: str) -> str:
    """The name of language `code` as said in `display_lang` (en in de -> Englisch)."""
    loc = babel_locale(display_lang)
    if loc is not None:
        name = loc.languages.get(code.replace("-", "_")) or loc.languages.get(code.split("-")[0])
        if name:
            return name
    return language_name(code)


def timezone_name(tz: str, lang: str) -> str:
    """A time zone as people call it (Europe/Berlin in de -> Mitteleuropäische Zeit), else the id.

    The generic name (not summer or winter time) keeps the output independent of the build date.
    """
    loc = babel_locale(lang)
    if loc is None or not tz:
        return tz
    try:
        return get_timezone_name(ZoneInfo(tz), width="long", zone_variant="generic", locale=loc)
    except (LookupError, ValueError, KeyError):
        return tz


def support_hours(text: str, lang: str) -> str:
    """Weekday names of support hours in the visitor's language: `Mon-Fri 08:00-18:00` -> `Mo.–Fr. 08:00–18:00`.

    Only text made entirely of such spans (separated by commas or semicolons) is rewritten;
    anything else is shown as the author wrote it.
    """
    loc = babel_locale(lang)
    parts = [p.strip() for p in re.split(r"[,;]", text)] if text else []
    matches = [_SPAN.match(p) for p in parts]
    if loc is None or not parts or not all(matches):
        return text
    names = get_day_names("abbreviated", context="format", locale=loc)
    spans = []
    for m in matches:
        first, last, start, end = m.group(1), m.group(2), m.group(3), m.group(4)
        days = names[_DAYS.index(first.lower()[:3])]
        if last:
            days += "–" + names[_DAYS.index(last.lower()[:3])]
        spans.append(f"{days} {start}–{end}")
    return list_separator(lang).join(spans)


def list_separator(lang: str) -> str:
    """The comma used between list items in a language (`, `, Japanese `、`, Arabic `، `)."""
    return _LIST_SEPARATORS.get(lang.split("-")[0], ", ")


@lru_cache(maxsize=None)
def _unit_length(lang: str, unit: str) -> str | None:
    """The longest CLDR form of a unit that the locale really has (some lack the long one)."""
    loc = babel_locale(lang)
    if loc is None:
        return None
    for length in ("long", "short"):
        probe = format_unit(2, unit, length=length, locale=loc)
        if unit not in probe and unit.split("-")[-1] not in probe.split():
            return length
    return None


def duration(hours: float, lang: str, labels: Labels) -> str:
    """A response promise in words with correct plurals (0.05 -> `3 minutes`, 24 -> `24 Stunden`)."""
    if hours < 1:
        amount, unit, key = max(1, round(hours * 60)), "duration-minute", "minutes_unit"
    else:
        amount, unit, key = hours, "duration-hour", "hours_unit"
    override = labels.words.get(key) if key in labels.overridden else None
    if override is None:
        length = _unit_length(lang, unit)
        loc = babel_locale(lang)
        if length and loc is not None:
            value = int(amount) if float(amount).is_integer() else amount
            return format_unit(value, unit, length=length, locale=loc)
    return labels.get(key, n=format_number(amount))
