"""Agent search: a Whoosh index per language over every entry, `kb search`, and a JSON API.

    build_index(catalog, out_dir / "search")   write or update the index (incremental)
    SearchIndex(out_dir / "search").search(q, market=, lang=, kind=, public=, n=)
"""

from kb_builder.search.indexer import IndexReport, build_index
from kb_builder.search.query import IndexMissing, SearchError, SearchHit, SearchIndex, SearchResults, open_index

__all__ = ["IndexMissing", "IndexReport", "SearchError", "SearchHit", "SearchIndex", "SearchResults", "build_index",
           "open_index"]
