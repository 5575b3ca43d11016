"""How good the best hit is: a "no good answer" signal for helpdesk sidebars and chatbots.

A raw score says little (it grows with the number and rarity of the query's words). Two
comparable measures of the best hit instead, both from 0 to 1:

- coverage: the share of the query's own words (each weighted by its IDF, so "the" counts for
  nothing and "chargeback" for a lot) that the hit contains; a corrected typo counts as its
  correction, a word a synonym group matched counts when the hit has one of the group's words;
- strength: the hit's score over the query's self-score, the score a document would get whose
  title and body were the query itself (capped at 1).

`confidence` combines them; the best hit is `weak` below WEAK_BELOW. Both constants were
calibrated on the judged sets in tests/relevance/ (answerable and unanswerable queries; see
`python tests/relevance/evaluate.py`), not on single queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb_builder.search import schema

WEAK_BELOW = 0.3
COVERAGE_SHARE = 0.1  # confidence = COVERAGE_SHARE * coverage + (1 - COVERAGE_SHARE) * strength


@dataclass(frozen=True)
class Confidence:
    """The measures of one best hit."""

    coverage: float
    strength: float

    @property
    def value(self) -> float:
        """0 (nothing of the query) to 1 (all of it, as strongly as the query itself)."""
        return round(COVERAGE_SHARE * self.coverage + (1 - COVERAGE_SHARE) * self.strength, 4)

    @property
    def weak(self) -> bool:
        """True when the best hit probably does not answer the query."""
        return self.value < WEAK_BELOW


def self_score(idfs: list[float], density: float) -> float:
    """The score of a document whose title and body are the query's terms (each once)."""
    n = len(idfs)
    if not n:
        return 0.0
    total = 0.0
    for name in ("title", "body"):
        norm = 1.0 - schema.B + schema.B * n / (schema.TYPICAL_LENGTH[name] * density)
        tf = 1.0 / norm
        total += schema.FIELD_WEIGHTS[name] * tf * (schema.K1 + 1) / (tf + schema.K1)
    return total * sum(idfs)


def has_term(reader, fieldname: str, term: str, docnum: int) -> bool:
    """True when the document has the term in the field (one posting-list skip)."""
    if not reader.doc_frequency(fieldname, term):
        return False
    matcher = reader.postings(fieldname, term)
    matcher.skip_to(docnum)
    return matcher.is_active() and matcher.id() == docnum
