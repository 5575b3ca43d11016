"""The JSON search API as a WSGI application, for helpdesk sidebars:

    GET /api/search?q=&market=&lang=&kind=&n=&public=
    GET /api/health    200 {"status": "ok", "generation", "documents", "languages", "markets"}, else 503

200 with the results (see SearchResults.to_dict; `weak` says the best hit probably does not
answer the query, `confidence` how well it does, 0 to 1), 400 with {"error": "..."} for a bad
parameter, 503 while there is no index. No other origin may read the answers unless it is on
the allow-list (`allowed_origins`, from `kb serve --allow-origin`): an allowed Origin gets
`Access-Control-Allow-Origin` naming it, any other gets no CORS header, so a web page elsewhere
cannot read the internal KB through a browser. Preflight OPTIONS requests are answered.
Any WSGI server can run it; `kb serve` uses waitress.
"""

from __future__ import annotations

import json
import sys
import traceback
from typing import Callable, Iterable
from urllib.parse import parse_qs

from kb_builder.search.query import IndexMissing, SearchError, SearchIndex

PATH = "/api/search"
HEALTH_PATH = "/api/health"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


class BadRequest(Exception):
    """A request the API cannot answer as asked (400)."""


def json_response(start_response, status: str, body: dict, cors_origin: str | None = None,
                  extra: list[tuple[str, str]] | None = None) -> list[bytes]:
    """Send a JSON body with the API's headers."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    headers = [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(data))),
               ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")]
    if cors_origin:
        headers += [("Access-Control-Allow-Origin", cors_origin), ("Vary", "Origin")]
    start_response(status, headers + (extra or []))
    return [data]


def search_app(index: Callable[[], SearchIndex | None], allowed_origins: Iterable[str] = (),
               on_miss: Callable[[dict], None] | None = None):
    """A WSGI app serving PATH. `index()` returns the SearchIndex to use (None: not built yet),
    so the caller can swap it; the SearchIndex itself gives each server thread its own searchers.
    Only the origins in allowed_origins (e.g. "https://acme.zendesk.com") may read answers
    cross-origin; "*" in the list allows every origin. `on_miss(params)` is told of each search
    that found nothing (kb serve records them)."""
    allowed = frozenset(o.rstrip("/") for o in allowed_origins)

    def app(environ: dict, start_response) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        origin = environ.get("HTTP_ORIGIN", "")
        cors_origin = origin if origin and (origin in allowed or "*" in allowed) else None
        if method == "OPTIONS":
            headers = [("Content-Length", "0")]
            if cors_origin:
                headers += [("Access-Control-Allow-Origin", cors_origin), ("Vary", "Origin"),
                            ("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS"),
                            ("Access-Control-Allow-Headers", "Content-Type"), ("Access-Control-Max-Age", "86400")]
            start_response("204 No Content", headers)
            return [b""]
        if method not in ("GET", "HEAD"):
            return json_response(start_response, "405 Method Not Allowed",
                                 {"error": f"{method} is not supported; use GET"}, cors_origin,
                                 [("Allow", "GET, HEAD, OPTIONS")])
        try:
            params = parameters(environ.get("QUERY_STRING", ""))
            current = index()
            if current is None:
                raise IndexMissing("the search index is not built yet; try again in a moment")
            results = current.search(params["q"], market=params["market"], lang=params["lang"],
                                     kind=params["kind"], public=params["public"], n=params["n"])
        except (BadRequest, SearchError) as exc:
            return json_response(start_response, "400 Bad Request", {"error": str(exc)}, cors_origin)
        except IndexMissing as exc:
            return json_response(start_response, "503 Service Unavailable", {"error": str(exc)}, cors_origin)
        except Exception:  # a bug: say so without details, keep the traceback for the operator
            traceback.print_exc(file=sys.stderr)
            return json_response(start_response, "500 Internal Server Error", {"error": "internal error"},
                                 cors_origin)
        if on_miss is not None and not results.hits:
            on_miss(params)
        body = json_response(start_response, "200 OK", results.to_dict(), cors_origin)
        return [b""] if method == "HEAD" else body

    return app


def health(index: Callable[[], SearchIndex | None]) -> tuple[str, dict]:
    """The status line and body of HEALTH_PATH: 200 when this process can search (a load
    balancer takes a machine whose index is missing or damaged out of rotation on the 503)."""
    try:
        current = index()
        if current is None:
            raise IndexMissing("the search index is not built yet; try again in a moment")
        manifest = current.manifest
    except IndexMissing as exc:
        return "503 Service Unavailable", {"status": "unavailable", "error": str(exc)}
    return "200 OK", {"status": "ok", "generation": manifest.generation, "documents": manifest.documents,
                      "languages": sorted(manifest.languages), "markets": sorted(manifest.markets),
                      "audience": manifest.audience}


def health_app(index: Callable[[], SearchIndex | None]):
    """A WSGI app answering HEALTH_PATH (see health)."""

    def app(environ: dict, start_response) -> Iterable[bytes]:
        status, body = health(index)
        data = json_response(start_response, status, body)
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else data

    return app


def parameters(query_string: str) -> dict:
    """The search parameters of a query string, checked for form (their values are checked by
    SearchIndex.search). Raises BadRequest."""
    try:
        raw = query_string.encode("latin-1").decode("utf-8")  # WSGI hands over bytes as latin-1
        pairs = parse_qs(raw, keep_blank_values=True, encoding="utf-8", errors="strict", max_num_fields=50)
    except (UnicodeError, ValueError):
        raise BadRequest("the query string is not valid UTF-8 (or has too many fields)") from None
    for name in ("q", "market", "lang", "kind", "n", "public"):
        if len(pairs.get(name, [])) > 1:
            raise BadRequest(f"parameter '{name}' is given more than once")
    one = {name: values[0] for name, values in pairs.items()}
    if "q" not in one or not one["q"].strip():
        raise BadRequest("parameter 'q' is required: the words to search for, e.g. /api/search?q=refund")
    n_text = one.get("n", "").strip()
    if n_text:
        if not n_text.isdigit() or not n_text.isascii() or len(n_text) > 6:  # int() refuses > 4300 digits
            raise BadRequest(f"parameter 'n' must be a whole number from 1 to 100, not '{n_text}'")
        n = int(n_text)
    else:
        n = 10
    public_text = one.get("public", "").strip().lower()
    if public_text not in _TRUE | _FALSE:
        raise BadRequest(f"parameter 'public' must be true or false, not '{one['public']}'")
    return {"q": one["q"], "market": one.get("market", "").strip() or None, "lang": one.get("lang", "").strip() or None,
            "kind": one.get("kind", "").strip() or None, "n": n, "public": public_text in _TRUE}
