"""Query expansion: the words customers and agents use for things the content names otherwise.

Content owners keep the lists, one file per language (`content/synonyms/<lang>.yaml`, see
docs/content-format.md): groups of words and phrases that mean the same for a search. The
indexer copies them into the index's manifest; at query time a group matches when one of its
members occurs in the query, and the other members are added to the query with a lower weight
(WEIGHT), so they help recall without outranking the words typed.

A member matches on analysed terms: its terms in order in the query's terms, with at most GAP
other terms between two of them (so `send back` matches "sending it back": stemmed, stop word
skipped; `money back` matches "my money comes back"). In Chinese and Japanese, whose analyzers
make overlapping pieces, a member matches as a substring of the query (NFKC, lower case), and a
member of several terms also by its terms in order, so the particles between them may differ
(`お金が戻` matches お金は戻りますか); a member of one term (払え) only as typed, since a lone kanji
is a piece of many words (払い戻し). A few built-in pairs (BUILT_IN) stay for the bundled
analyzers' quirks.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from kb_builder.search.analysis import analyzer_for, base_language

WEIGHT = 0.5
GAP = 1  # other query terms a member's words may have between them ("money comes back")
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
    terms = analyzer_for(lang).terms(query, query=True)
    text = unicodedata.normalize("NFKC", query).lower() if base in _SUBSTRING else ""
    out: list[tuple[str, list[str]]] = []
    for members, keys in matchers:
        matched = [i for i, (piece, run) in enumerate(keys)
                   if (piece and piece in text) or (run and _in_order(run, terms))]
        if matched:
            out.append((members[matched[0]], [m for i, m in enumerate(members) if i not in matched]))
    return out


def _in_order(run: tuple[str, ...], terms: list[str]) -> bool:
    """True when the run's terms occur in terms in order, at most GAP other terms between two."""
    first = run[0]
    for start, term in enumerate(terms):
        if term != first:
            continue
        at = start
        for want in run[1:]:
            window = terms[at + 1:at + 2 + GAP]
            if want not in window:
                break
            at += 1 + window.index(want)
        else:
            return True
    return False


@lru_cache(maxsize=64)
def _compiled(lang: str, table: Groups) -> list[tuple[tuple[str, ...], list[tuple[str, tuple[str, ...]]]]]:
    """Each group with what each member matches by: (a piece of the query text, or ""; a run of
    query terms, or ())."""
    base = base_language(lang)
    analyzer = analyzer_for(lang)
    out = []
    for members in table:
        keys = []
        for m in members:
            run = tuple(analyzer.terms(m, query=True))
            if base in _SUBSTRING:
                # a piece of the text; also its terms in order when it has several, so particles
                # that differ do not matter (お金が戻 matches お金は戻りますか)
                keys.append((unicodedata.normalize("NFKC", m).lower().strip(), run if len(run) > 1 else ()))
            else:
                keys.append(("", run))
        out.append((members, keys))
    return out
