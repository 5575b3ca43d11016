"""Highlighted snippets: the part of a text where the query matches, with the matches marked.

Cheap by design (a few regular-expression passes, no re-analysis of the text): query words
and their stems are looked for in a folded copy of the text that keeps every character at its
offset, so the marks land on the original text. The result is HTML: the text escaped, each
match wrapped in <mark>.
"""

from __future__ import annotations

import html
import re

from kb_builder.search.analysis import Analyzer, fold

WIDTH = 200  # characters of text in a snippet
_ARABIC_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال")
_SPACED = re.compile(r"\s")
_VARIABLE = re.compile(r"\{[A-Za-z_][A-Za-z0-9_.]*\}")


def snippet(text: str, query: str, terms: list[str], analyzer: Analyzer, width: int = WIDTH) -> str:
    """An HTML snippet of `text` around the best cluster of matches of the query (the start of
    the text when nothing matches)."""
    if not text:
        return ""
    pattern = _pattern(query, terms, analyzer)
    folded = fold(text)
    if len(folded) != len(text):  # a rare letter whose lower case is longer (İ): fold letter by letter
        folded = "".join(f if len(f := fold(ch)) == 1 else ch for ch in text)
    spans = [m.span() for m in pattern.finditer(folded)] if pattern else []
    if spans and "{" in text:  # never mark inside a {market.NAME} variable or a {placeholder}
        hidden = [m.span() for m in _VARIABLE.finditer(text)]
        spans = [(s, e) for s, e in spans if not any(a < e and s < b for a, b in hidden)]
    start, end = _window(text, spans, width)
    out, pos = [], start
    for s, e in spans:
        if s < start or e > end or s < pos:
            continue
        out.append(html.escape(text[pos:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        pos = e
    out.append(html.escape(text[pos:end]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + "".join(out).strip() + suffix


def _pattern(query: str, terms: list[str], analyzer: Analyzer) -> re.Pattern | None:
    cjk = analyzer.name in ("jieba", "ngram")
    words = {fold(w) for w in re.findall(r"[^\W_]+", query) if len(w) > 1}
    if analyzer.name == "arabic":
        words |= {_strip_arabic(w) for w in words}
    alternatives = set()
    for w in words | set(terms):
        if len(w) < 2 and not (cjk and w):
            continue
        if cjk or analyzer.name == "arabic" or not w.isascii() and not w.isalpha():
            alternatives.add(re.escape(w))
        else:
            alternatives.add(re.escape(w) + r"[^\W_]*")
    if not alternatives:
        return None
    body = "|".join(sorted(alternatives, key=lambda a: (-len(a), a)))
    if cjk:
        return re.compile(f"(?:{body})")
    return re.compile(rf"(?<![^\W_])(?:{body})")


def _strip_arabic(word: str) -> str:
    for p in _ARABIC_PREFIXES:
        if word.startswith(p) and len(word) - len(p) >= 3:
            return word[len(p):]
    return word


def _window(text: str, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    """The stretch of text to show: the window that holds the most distinct matches."""
    if len(text) <= width:
        return 0, len(text)
    best_start, best_count = 0, 0
    for i, (s, _e) in enumerate(spans[:50]):
        seen = {text[a:b].lower() for a, b in spans[i:] if b <= s + width}
        if len(seen) > best_count:
            best_start, best_count = s, len(seen)
    if not spans:
        return 0, _cut(text, width)
    start = max(0, best_start - width // 5)
    if start > 0 and _SPACED.search(text[:start]):
        space = text.rfind(" ", 0, start)
        start = space + 1 if space != -1 and start - space < 20 else start
    end = min(len(text), start + width)
    if end < len(text):
        end = _cut(text, end)
    return start, end


def _cut(text: str, end: int) -> int:
    space = text.rfind(" ", 0, end)
    return space if space > end - 25 else end
