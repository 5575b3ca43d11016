"""The Whoosh schema of a language's index, and how a document fills it.

Text fields receive lists of terms already analysed by `analysis` (Whoosh accepts a sequence
instead of a string), so the analyzers pickled into the schema are never used to index.
Positions are not stored (no phrase queries): smaller segments and faster writes. What a hit
shows is one stored tuple, so a result costs one stored-fields read.
"""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from kb_builder.search.analysis import Analyzer
from kb_builder.search.documents import IndexDoc, indexable

FORMAT_VERSION = 1  # bump when fields change: older indexes are rebuilt

# How much a query term counts in each field. Titles and tags say what an entry is about;
# body text only mentions things. Internal notes help agents but must not outrank the answer.
FIELD_WEIGHTS = {"title": 3.0, "keywords": 2.0, "body": 1.0, "note": 0.5}
TEXT_FIELDS = tuple(FIELD_WEIGHTS)


def schema() -> Schema:
    """The fields of every language's index."""
    return Schema(
        key=ID(unique=True),  # kind:id
        kind=ID,
        audience=ID,
        markets=KEYWORD,  # "*" for all markets, else the codes
        title=TEXT(phrase=False),
        keywords=TEXT(phrase=False),
        body=TEXT(phrase=False),
        note=TEXT(phrase=False),
        hit=STORED,
    )


def fields(doc: IndexDoc, analyzer: Analyzer) -> dict:
    """Keyword arguments for `writer.add_document` for one document."""
    values = {
        "key": doc.key,
        "kind": doc.kind,
        "audience": doc.audience,
        "markets": list(doc.markets),
        "hit": doc.stored(),
    }
    for name, text in (("title", doc.title), ("keywords", doc.keywords), ("body", doc.body), ("note", doc.note)):
        terms = analyzer.terms(indexable(text)) if text else []
        if terms:
            values[name] = terms
    return values
