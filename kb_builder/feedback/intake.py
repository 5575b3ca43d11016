"""What a help-center page may send: `{market, lang, entry, helpful, reason}` for an answer that
exists, checked before anything is stored. Anything else is refused with a message saying what
was wrong (the endpoint answers 400 with it)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from kb_builder.feedback.store import SearchMiss, Vote
from kb_builder.model import Catalog

MAX_BODY = 4096  # bytes; a vote with a 500-character reason in any script fits easily
MAX_REASON = 500  # characters
MAX_QUERY = 200  # characters of a failed search kept
FIELDS = ("market", "lang", "entry", "helpful", "reason")


class BadFeedback(ValueError):
    """A vote that is not of the expected form or names no answer of the built site."""


@dataclass(frozen=True)
class Answers:
    """The answers of the help centers: market code -> its languages, and -> its public entry ids."""

    languages: dict[str, tuple[str, ...]]
    entries: dict[str, frozenset[str]]

    @classmethod
    def of(cls, catalog: Catalog) -> "Answers":
        """The public FAQ entries per market of a catalog, as its help centers show them."""
        from kb_builder.render.public_content import public_content

        content = public_content(catalog)
        return cls(languages={m.code: tuple(m.languages) for m in content.markets},
                   entries={m.code: frozenset(f.id for f in content.faqs_for(m)) for m in content.markets})


def parse_vote(body: bytes, answers: Answers) -> Vote:
    """The vote in a request body (UTF-8 JSON); BadFeedback says what is wrong with it."""
    if len(body) > MAX_BODY:
        raise BadFeedback(f"the body is larger than {MAX_BODY} bytes")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeError, ValueError):
        raise BadFeedback("the body is not JSON; send {\"market\", \"lang\", \"entry\", \"helpful\", \"reason\"}") from None
    if not isinstance(data, dict):
        raise BadFeedback("the body must be a JSON object with market, lang, entry, helpful and reason")
    extra = sorted(set(data) - set(FIELDS))
    if extra:
        raise BadFeedback(f"unknown field '{extra[0]}': only {', '.join(FIELDS)} are accepted")
    for name in ("market", "lang", "entry"):
        if not isinstance(data.get(name), str) or not data[name]:
            raise BadFeedback(f"'{name}' is required and must be text")
    market, lang, entry = data["market"], data["lang"], data["entry"]
    if market not in answers.languages:
        raise BadFeedback(f"'market': no help center for market '{market[:20]}'")
    if lang not in answers.languages[market]:
        raise BadFeedback(f"'lang': market {market} has no help center in '{lang[:20]}'")
    if entry not in answers.entries[market]:
        raise BadFeedback(f"'entry': no public answer '{entry[:80]}' in market {market}")
    helpful = data.get("helpful")
    if not isinstance(helpful, bool):
        raise BadFeedback("'helpful' is required and must be true or false")
    reason = data.get("reason")
    if reason is None:
        reason = ""
    if not isinstance(reason, str):
        raise BadFeedback("'reason' must be text (or null)")
    reason = tidy(reason)
    if len(reason) > MAX_REASON:
        raise BadFeedback(f"'reason' is {len(reason)} characters long; at most {MAX_REASON} are accepted")
    return Vote(market, lang, entry, helpful, reason)


def search_miss(query: str, market: str | None, lang: str | None, kind: str | None) -> SearchMiss:
    """A failed search as stored: the query with its spaces collapsed, cut to MAX_QUERY characters."""
    return SearchMiss(tidy(query)[:MAX_QUERY], market or "", lang or "", kind or "")


def tidy(text: str) -> str:
    """Text as stored: spaces collapsed, and a lone surrogate (JSON's "\\ud800" decodes to one, and
    SQLite cannot store it as UTF-8) replaced by U+FFFD."""
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return " ".join(text.split())
