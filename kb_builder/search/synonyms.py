"""Query expansion: the words customers and agents use for things the content names otherwise.

Content owners keep the lists, one file per language (`content/synonyms/<lang>.yaml`, see
docs/content-format.md): groups of words and phrases that mean the same for a search. The
indexer copies them into the index's manifest; at query time a group matches when one of its
members occurs in the query, and the other members are added to the query with a lower weight
(WEIGHT), so they help recall without outranking the words typed.

A member matches on analysed terms, as a run of consecutive query terms (so `send back` matches
"sending it back": stemmed, stop word skipped); in Chinese and Japanese, whose analyzers make
overlapping pieces, a member matches as a substring of the query (NFKC, lower case). A few
built-in pairs (BUILT_IN) stay for the bundled analyzers' quirks.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from kb_builder.search.analysis import analyzer_for, base_language

WEIGHT = 0.5
_SUBSTRING = ("ja", "zh")

BUILT_IN: dict[str, list[list[str]]] = {
    "ja": [["方法", "手順", "やり方"]],
    "zh": [["在哪", "哪里", "哪儿"], ["发错", "错发"]],
}

Groups = tuple[tuple[str, ...], ...]


def expansions(query: str, lang: str, groups: list[list[str]] | None = None) -> list[str]:
    """Texts to add to a query in a language: the other members of every group with a member in
    the query (content owners' `groups` first, then the built-in ones); empty when none match."""
    out: list[str] = []
    for _member, others in matches(query, lang, groups):
        out.extend(m for m in others if m not in out)
    return out


def member_terms(member: str, terms: list[str], lang: str) -> list[str]:
    """The query's terms that a matched member stands for (its analysed words; in Chinese and
    Japanese the query's pieces inside it)."""
    if base_language(lang) in _SUBSTRING:
        key = unicodedata.normalize("NFKC", member).lower()
        return [t for t in terms if t in key]
    mine = set(analyzer_for(lang).terms(member, query=True))
    return [t for t in terms if t in mine]


def matches(query: str, lang: str, groups: list[list[str]] | None = None) -> list[tuple[str, list[str]]]:
    """(the member found in the query, the group's other members) for every matching group."""
    base = base_language(lang)
    table = tuple(tuple(g) for g in (groups or ())) + tuple(tuple(g) for g in BUILT_IN.get(base, ()))
    if not table:
        return []
    matchers = _compiled(lang, table)
    if base in _SUBSTRING:
        text = unicodedata.normalize("NFKC", query).lower()
        hit = lambda key: key in text  # noqa: E731
    else:
        terms = analyzer_for(lang).terms(query, query=True)
        joined = "\x1f" + "\x1f".join(terms) + "\x1f"
        hit = lambda key: key in joined  # noqa: E731
    out: list[tuple[str, list[str]]] = []
    for members, keys in matchers:
        matched = [i for i, key in enumerate(keys) if key and hit(key)]
        if matched:
            out.append((members[matched[0]], [m for i, m in enumerate(members) if i not in matched]))
    return out


@lru_cache(maxsize=64)
def _compiled(lang: str, table: Groups) -> list[tuple[tuple[str, ...], list[str]]]:
    """Each group with the key its members match by: a substring, or `\\x1fterm\\x1fterm\\x1f`."""
    base = base_language(lang)
    analyzer = analyzer_for(lang)
    out = []
    for members in table:
        if base in _SUBSTRING:
            keys = [unicodedata.normalize("NFKC", m).lower().strip() for m in members]
        else:
            keys = []
            for m in members:
                terms = analyzer.terms(m, query=True)
                keys.append("\x1f" + "\x1f".join(terms) + "\x1f" if terms else "")
        out.append((members, keys))
    return out
