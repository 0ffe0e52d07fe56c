"""Finding and ranking the date candidates of an article page (extraction, not parsing).

Every candidate is read by :mod:`newsspider.dates`, the project's one date parser.
"""

from __future__ import annotations

import re
from datetime import datetime

from newsspider.dates import parse_date

__all__ = [
    "NEAR_HEADLINE_CHARS",
    "URL_DATE",
    "headline_position",
    "page_dayfirst",
    "printed_dates",
]

URL_DATE = re.compile(
    r"/((?:19|20)\d{2})[/\-_]?(0[1-9]|1[0-2])[/\-_]?(0[1-9]|[12]\d|3[01])(?:/|[\-_]|$)"
)
_TEXT_DATE = re.compile(
    r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?"
    r"\s+(?:19|20)\d{2}|\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov"
    r"|dec)[a-z]*\.?,?\s+(?:19|20)\d{2}|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[/.]\d{1,2}"
    r"[/.](?:19|20)\d{2})(?:,?\s*(?:at\s+)?\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?"
    # the zone in capitals, also when minified HTML glues the next word on ("ESTLawmakers")
    r"(?:\s*(?-i:(?:[A-Z]{2,5}|UTC[+-]\d{1,2})(?![a-z])))?)?",
    re.IGNORECASE,
)
# the same in any language: a day, a month word and a year ("5 juin 2026", "21 de febrero de
# 2026", "21. Februar 2026", "21 февраля 2026"), CJK year-month-day, then an optional time
_TEXT_DATE_ANY = re.compile(
    _TEXT_DATE.pattern + r"|\d{1,2}\.?\s+(?:de\s+)?[^\W\d_]{3,12}\.?,?\s+(?:de\s+)?(?:19|20)\d{2}"
    r"(?:,?\s*[^\W\d_]{0,3}\s*\d{1,2}[:h]\d{2})?"
    r"|(?:19|20)\d{2}\s*[年년]\s*\d{1,2}\s*[月월]\s*\d{1,2}\s*[日일]"
    r"(?:\s*(?:오전|오후|上午|下午|午前|午後)?\s*\d{1,2}[:時时시]\s*\d{2})?",
    re.IGNORECASE,
)


_NUM_DATE = re.compile(r"(?<![\d/.\-])(\d{1,2})[/.\-](\d{1,2})[/.\-](?:19|20)\d{2}(?!\d)")
NEAR_HEADLINE_CHARS = 600


def page_dayfirst(text: str, lang: str) -> bool | None:
    """How the page writes numeric dates: False = month-first, True = day-first, None = unknown.

    Unambiguous printed dates decide (``8/27/2025`` is month-first, ``27/8/2025`` day-first);
    failing that a US locale (``en-US``) means month-first.
    """
    mdy = dmy = 0
    for m in _NUM_DATE.finditer(text):
        a, b = int(m.group(1)), int(m.group(2))
        if a <= 12 < b <= 31:
            mdy += 1
        elif b <= 12 < a <= 31:
            dmy += 1
    if mdy != dmy:
        return mdy < dmy
    if lang.lower().replace("_", "-").endswith("-us"):
        return False
    return None


def printed_dates(
    text: str,
    dayfirst: bool | None,
    language: str | None = None,
    now: datetime | None = None,
) -> list[tuple[int, str, str]]:
    """``(position, raw text, YYYY-MM-DD)`` of dates printed in the page text (bounded work).

    English and numeric forms everywhere; on a page in another language also its own forms
    ("5 juin 2026", "21. Februar 2026", "2026년 2월 21일", "2026年2月21日").
    """
    out: list[tuple[int, str, str]] = []
    finder = _TEXT_DATE if (language or "en") == "en" else _TEXT_DATE_ANY
    for m in finder.finditer(text):
        iso = parse_date(m.group(0), now=now, dayfirst=dayfirst, language=language).value
        if iso:
            out.append((m.start(), m.group(0), iso[:10]))
        if len(out) >= 60:
            break
    return out


def headline_position(text: str, headlines: list[str]) -> int:
    for h in headlines:
        h = " ".join(h.split())[:60]
        if len(h) >= 8:
            pos = text.find(h)
            if pos >= 0:
                return pos
    return -1
