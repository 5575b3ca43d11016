"""How long a reply is for its channel: SMS segments (GSM-7 or UCS-2) and character limits.

The composer's script (`theme/overrides/assets/kb-composer.js`, `kbReplyLength`) follows the
same rules; `tests/reply_length_cases.json` holds the cases both are tested with.
"""

from __future__ import annotations

from dataclasses import dataclass

# GSM 03.38 default alphabet (the escape code itself excluded) and its extension table, whose
# characters are sent as escape + character and so count twice.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

# Characters a reply may have before the composer warns, per channel type, unless the market's
# channel sets `max_chars`. None: no limit (email). SMS: one GSM-7 message.
DEFAULT_MAX_CHARS: dict[str, int | None] = {
    "email": None, "sms": 160, "chat": 1000, "whatsapp": 4096, "line": 5000, "messenger": 2000,
    "social": 280, "review-reply": 1000, "marketplace": 2000, "phone": None,
}
FALLBACK_MAX_CHARS = 2000  # a channel type of the content's own


@dataclass(frozen=True)
class SmsLength:
    """An SMS text's encoding, its length in that encoding's units, and how many parts it is sent as."""

    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (extension characters count 2) or UTF-16 code units
    segments: int
    per_segment: int  # capacity of each part: 160/153 (GSM-7) or 70/67 (UCS-2)


def sms_length(text: str) -> SmsLength:
    """GSM-7 when every character is in the GSM alphabet (160 in one message, 153 per part of a
    longer one), else UCS-2 (70, or 67 per part), counted in UTF-16 code units so an emoji is 2."""
    if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text):
        units = sum(2 if c in GSM7_EXTENSION else 1 for c in text)
        single, part, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part, encoding = 70, 67, "UCS-2"
    if units <= single:
        return SmsLength(encoding, units, 1 if units else 0, single)
    return SmsLength(encoding, units, -(-units // part), part)


def char_count(text: str) -> int:
    """Characters as a helpdesk counts them for a limit: Unicode code points."""
    return len(text)


def max_chars(channel_type: str, configured: int | None = None) -> int | None:
    """The limit for a channel: the market's `max_chars`, else the channel type's default."""
    if configured is not None:
        return configured
    return DEFAULT_MAX_CHARS.get(channel_type, FALLBACK_MAX_CHARS)
