"""The HTTP side of feedback, one implementation for `kb serve` (serve.py) and the production
search API (search/wsgi.py): `POST /api/feedback` as a WSGI app, and the hook that records the
searches of /api/search that found nothing.

The help centers are served elsewhere (any static host), so a vote from another origin is taken
only when that origin is allowed; a page of this server's own origin may always send. The body
is JSON sent as application/json or text/plain: text/plain is a request browsers make without a
preflight, so a vote sent as the visitor leaves the page still arrives (see kb-public.js).
"""

from __future__ import annotations

from typing import Callable, Iterable
from urllib.parse import urlsplit

from kb_builder.feedback.intake import MAX_BODY, Answers, BadFeedback, parse_vote, search_miss
from kb_builder.feedback.store import FeedbackStore
from kb_builder.search.api import json_response

PATH = "/api/feedback"


def feedback_app(answers: Callable[[], Answers | None], store: Callable[[], FeedbackStore],
                 allowed_origins: Iterable[str] = (), *, allow_hint: Callable[[str], str],
                 not_ready: str):
    """A WSGI app serving PATH. `answers()` gives the help centers' answers a vote must name
    (None: not known yet, 503 with `not_ready`), `store()` this process's database,
    `allow_hint(origin)` the words telling an operator how to allow a refused origin."""
    allowed = frozenset(o.rstrip("/") for o in allowed_origins)

    def app(environ: dict, start_response) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        origin = environ.get("HTTP_ORIGIN", "")
        same = bool(origin) and urlsplit(origin).netloc.lower() == environ.get("HTTP_HOST", "").lower()
        cors = origin if origin and not same and (origin in allowed or "*" in allowed) else None
        cors_headers = [("Access-Control-Allow-Origin", cors), ("Vary", "Origin")] if cors else []
        if method == "OPTIONS":
            headers = [("Content-Length", "0")]
            if cors:
                headers += cors_headers + [("Access-Control-Allow-Methods", "POST, OPTIONS"),
                                           ("Access-Control-Allow-Headers", "Content-Type"),
                                           ("Access-Control-Max-Age", "86400")]
            start_response("204 No Content", headers)
            return [b""]
        if method != "POST":
            return json_response(start_response, "405 Method Not Allowed",
                                 {"error": f"{method} is not supported; POST a JSON vote"}, cors,
                                 [("Allow", "POST, OPTIONS")])
        if origin and not same and not cors:
            return json_response(start_response, "403 Forbidden",
                                 {"error": f"pages of {origin[:100]} may not send feedback; {allow_hint(origin[:100])}"})
        ctype = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if ctype not in ("application/json", "text/plain"):
            return json_response(start_response, "415 Unsupported Media Type",
                                 {"error": "send the vote as JSON (Content-Type: application/json or text/plain)"},
                                 cors)
        try:
            length = int(environ.get("CONTENT_LENGTH") or "-1")
        except ValueError:
            length = -1
        if length < 0:
            return json_response(start_response, "411 Length Required",
                                 {"error": "the request needs a Content-Length"}, cors)
        if length > MAX_BODY:
            return json_response(start_response, "413 Content Too Large",
                                 {"error": f"the body is larger than {MAX_BODY} bytes"}, cors)
        body = environ["wsgi.input"].read(length) if length else b""
        known = answers()
        if known is None:
            return json_response(start_response, "503 Service Unavailable", {"error": not_ready}, cors)
        try:
            vote = parse_vote(body, known)
        except BadFeedback as exc:
            return json_response(start_response, "400 Bad Request", {"error": str(exc)}, cors)
        store().add_vote(vote)
        start_response("204 No Content", cors_headers)
        return [b""]

    return app


def miss_recorder(store: Callable[[], FeedbackStore], say: Callable[[str], None]) -> Callable[[dict], None]:
    """The `on_miss` hook of search_app: stores a search that found nothing. A search is answered
    even when it cannot be recorded; `say` tells the operator why."""

    def record(params: dict) -> None:
        try:
            store().add_search_miss(search_miss(params["q"], params["market"], params["lang"], params["kind"]))
        except Exception as exc:
            say(f"could not record a failed search: {exc!r}")

    return record
