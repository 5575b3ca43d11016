"""Typo tolerance: map a query term the index does not know to the most common known term one
edit away (insertion, deletion, substitution or swap of two neighbours).

Built lazily from the index's own vocabulary the first time a query has an unknown term, with
the symmetric-delete method: every term is filed under itself and each form with one letter
removed; a query term looks up the same keys. Lookups are a few dictionary probes, not a scan.
"""

from __future__ import annotations

from whoosh.searching import Searcher

MIN_LENGTH = 4  # shorter terms have too many neighbours to guess from
SPELLED_FIELDS = ("text",)


class Corrector:
    """Suggestions for one language's index at one generation (read-only once built)."""

    def __init__(self, searcher: Searcher):
        reader = searcher.reader()
        self._df: dict[str, int] = {}
        for fieldname in SPELLED_FIELDS:
            if fieldname not in reader.schema:
                continue
            for btext in reader.lexicon(fieldname):
                term = btext.decode("utf-8")
                if len(term) >= MIN_LENGTH - 1 and term.isalpha():
                    self._df[term] = self._df.get(term, 0) + reader.doc_frequency(fieldname, term)
        self._keys: dict[str, list[str]] = {}
        for term in self._df:
            for key in _variants(term):
                self._keys.setdefault(key, []).append(term)

    def suggest(self, term: str) -> str | None:
        """The best known term one edit away from `term`, or None."""
        if len(term) < MIN_LENGTH or not term.isalpha():
            return None
        best: tuple[int, str] | None = None
        for key in _variants(term):
            for candidate in self._keys.get(key, ()):
                if candidate == term or not _one_edit(term, candidate):
                    continue
                rank = (self._df[candidate], candidate)
                if best is None or rank[0] > best[0] or (rank[0] == best[0] and rank[1] < best[1]):
                    best = rank
        return best[1] if best else None

    def split(self, term: str) -> list[str]:
        """For languages that write compounds as one word: known parts of a compound term
        (lieferzeit -> liefer, zeit; rucksendungskost -> rucksendung, kost), the most even split
        first; a linking s, n, en or es after the first part is allowed. Empty when none."""
        if len(term) < 2 * MIN_LENGTH - 1 or not term.isalpha():
            return []
        best: tuple[int, list[str]] | None = None
        for i in range(3, len(term) - 2):
            head, tail = term[:i], term[i:]
            if tail not in self._df:
                continue
            for link in ("", "s", "n", "en", "es"):
                if link and not head.endswith(link):
                    continue
                part = head[:len(head) - len(link)] if link else head
                if len(part) >= 3 and part in self._df:
                    balance = min(len(part), len(tail))
                    if best is None or balance > best[0]:
                        best = (balance, [part, tail])
                    break
        if best:
            return best[1]
        if term not in self._df:
            for i in range(2, len(term) - MIN_LENGTH + 1):  # at least a known ending
                if term[i:] in self._df:
                    return [term[i:]]
        return []


def _variants(term: str) -> set[str]:
    return {term} | {term[:i] + term[i + 1:] for i in range(len(term))}


def _one_edit(a: str, b: str) -> bool:
    """True when a and b differ by one insertion, deletion, substitution or adjacent swap."""
    if a == b:
        return False
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1:] == b[i + 1:]:
            return True  # substitution
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]  # swap
    if la > lb:
        return a[i + 1:] == b[i:]
    return a[i:] == b[i + 1:]
