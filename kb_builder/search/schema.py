"""The Whoosh schema of a language's index, and how a document fills it.

Scoring is decided at index time. Each document's terms get one impact weight: the BM25 term
weight of each field (length-normalised, saturated) times the field's weight (title and tags
count more than body text), summed over the fields and stored in the postings of a single
`text` field; at query time Whoosh only multiplies it by the term's BM25 IDF. A query
term is then one posting list instead of one per field, and no field length is read per
posting: queries are several times faster than BM25F over separate fields, with the same
ranking ideas. Internal notes have their own field, so a public search can leave them out.

The values `{market.NAME}` variables take are indexed in the same field as `CODE|term` for
each market of the entry's scope and `*|term` for any market, weighted as body text (the query
asks for `CODE|term` when filtered by a market, else `*|term`). `|` never occurs in an
analysed term, so these never meet a word of the text.

Terms arrive already analysed (see analysis.py), so Whoosh's analyzers never run on the hot
paths. Positions are not stored (no phrase queries). What a hit shows is one stored tuple.
"""

from __future__ import annotations

from collections import Counter
from math import log

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.codec.whoosh3 import W3Codec
from whoosh.scoring import TF_IDF
from whoosh.system import pack_uint

from kb_builder.search.analysis import Analyzer
from kb_builder.search.documents import IndexDoc, indexable

FORMAT_VERSION = 4  # bump when fields or weights change: older indexes are rebuilt

# How much a term counts in each field, and the length (in terms) of a typical field, for
# length normalisation. Titles and tags say what an entry is about; body text only mentions
# things. Lengths are fixed (not measured per index) so an incremental update never has to
# reweigh documents it does not touch.
FIELD_WEIGHTS = {"title": 3.0, "keywords": 2.0, "body": 1.0}
TYPICAL_LENGTH = {"title": 8, "keywords": 6, "body": 150, "note": 20}
K1, B = 1.2, 0.75
NOTE_WEIGHT = 0.5  # query weight of the internal-notes field (agents only)


class ImpactText(TEXT):
    """A text field whose value is a {term: weight} map; the weight is stored in the posting."""

    def __init__(self):
        super().__init__(phrase=False)
        self.scorable = False  # no per-document lengths: the weights already account for them

    def index(self, value, **kwargs):
        for term, weight in value.items():
            yield term.encode("utf-8"), 1, weight, pack_uint(1)


class ImpactCodec(W3Codec):
    """Whoosh's codec with no per-posting length statistics (the weights already hold them;
    gathering them costs a file-system check per posting) and no zlib on posting blocks
    (segments are small: writing and reading are faster without it)."""

    length_stats = False

    def __init__(self):
        super().__init__(compression=0)


def schema() -> Schema:
    """The fields of every language's index."""
    return Schema(
        key=ID(unique=True),  # kind:id
        kind=ID,
        audience=ID,
        markets=KEYWORD,  # "*" for all markets, else the codes
        text=ImpactText(),  # title, tags and body, weighted
        note=ImpactText(),  # internal notes
        hit=STORED,
    )


def fields(doc: IndexDoc, analyzer: Analyzer) -> dict:
    """Keyword arguments for `writer.add_document` for one document."""
    values = {
        "key": doc.key,
        "kind": doc.kind,
        "audience": doc.indexed_audience,
        "markets": list(doc.markets),
        "hit": doc.stored(),
    }
    density = analyzer.density
    impact: Counter = Counter()
    body_terms = 0
    for name, text in (("title", doc.title), ("keywords", doc.keywords), ("body", doc.body)):
        terms = analyzer.terms(indexable(text)) if text else []
        _add(impact, terms, FIELD_WEIGHTS[name], TYPICAL_LENGTH[name] * density)
        if name == "body":
            body_terms = len(terms)
    if doc.market_values:
        typical = TYPICAL_LENGTH["body"] * density
        anywhere: set[str] = set()
        for code, text in doc.market_values:
            # words only: numbers differ per market ("30" days, "49" EUR) and match nothing useful
            terms = [t for t in analyzer.terms(text) if not t.isdigit()]
            anywhere.update(terms)
            _add(impact, [market_term(code, t) for t in terms], FIELD_WEIGHTS["body"], typical, body_terms)
        _add(impact, [market_term(None, t) for t in anywhere], FIELD_WEIGHTS["body"], typical, body_terms)
    if impact:
        values["text"] = _rounded(impact)
    if doc.note:
        note: Counter = Counter()
        _add(note, analyzer.terms(indexable(doc.note)), 1.0, TYPICAL_LENGTH["note"] * density)
        if note:
            values["note"] = _rounded(note)
    return values


def market_term(market: str | None, term: str) -> str:
    """The indexed form of a market value's term: `DE|dhl`, or `*|dhl` for any market."""
    return f"{market or '*'}|{term}"


def _add(impact: Counter, terms: list[str], weight: float, typical: float, length: int | None = None) -> None:
    """Add one field's BM25 term weights (length-normalised, saturated), times the field's weight;
    `length` is the field's length in terms when not len(terms)."""
    if not terms:
        return
    norm = 1.0 - B + B * (len(terms) if length is None else length) / typical
    for term, count in Counter(terms).items():
        tf = count / norm
        impact[term] += weight * tf * (K1 + 1) / (tf + K1)


def _rounded(impact: Counter) -> dict[str, float]:
    return {term: round(w, 4) for term, w in impact.items()}


class ImpactWeighting(TF_IDF):
    """Scores a posting as its stored impact times the term's BM25 IDF."""

    def idf(self, searcher, fieldname, text):
        n = searcher.doc_frequency(fieldname, text)
        return log(1.0 + (searcher.doc_count_all() - n + 0.5) / (n + 0.5))
