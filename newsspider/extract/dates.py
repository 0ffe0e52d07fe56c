"""Lenient date parsing for article pages.

:func:`parse_datetime` turns the date strings found on news pages into ISO 8601 strings.
It never raises: anything it does not understand gives ``(None, False)``.

Rules:

* ISO 8601 / RFC 3339 forms (``2026-02-21T09:05:00+09:00``, ``...Z``, ``2026-02-21 09:05``,
  ``20260221``) and RFC 2822 (``Sat, 21 Feb 2026 09:05:00 GMT``).
* Month names in English (full, abbreviated, with or without a dot), e.g.
  ``Feb. 21, 2026 9:05 AM KST``, ``Saturday, February 21, 2026``, ``21 February 2026``.
* Numeric dates with slashes, dots or dashes: ``YYYY/MM/DD`` is always year-first.
  For ``A/B/YYYY`` the value is read **day-first** (``21/02/2026`` = 21 February) when that is
  the only valid reading or when both readings are valid (European/Asian convention),
  and month-first only when day-first is impossible (``02/21/2026``) or ``dayfirst=False``
  is passed (a page known to write month-first dates).
* Year first with a month name: ``2023 Jan 7``.
* Korean/CJK forms ``2026년 2월 21일 09:05`` / ``2026.02.21 09:05`` / ``2026年2月21日``.
* Timezones: numeric offsets, ``Z``, and the abbreviations in :data:`TZ_ABBREVIATIONS`
  (KST, JST, EST, EDT, GMT, UTC, CET, BST, ...). A time without any zone gets ``default_tz``
  (an IANA name such as ``"Asia/Seoul"``) applied and ``tz_assumed=True``; without
  ``default_tz`` the naive local time is returned without an offset.
* A date without a time gives ``YYYY-MM-DD`` (no offset, ``tz_assumed=False``).
* Relative forms ("3 hours ago", "yesterday", "2 days ago", "just now") need ``now``
  (a datetime; naive values are taken in ``default_tz`` or UTC).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["TZ_ABBREVIATIONS", "parse_datetime"]

TZ_ABBREVIATIONS: dict[str, float] = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "UT": 0,
    "WET": 0,
    "WEST": 1,
    "BST": 1,
    "IST": 5.5,
    "CET": 1,
    "CEST": 2,
    "MET": 1,
    "MEST": 2,
    "EET": 2,
    "EEST": 3,
    "MSK": 3,
    "KST": 9,
    "JST": 9,
    "HKT": 8,
    "SGT": 8,
    "PHT": 8,
    "AWST": 8,
    "ACST": 9.5,
    "AEST": 10,
    "AEDT": 11,
    "NZST": 12,
    "NZDT": 13,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "AKST": -9,
    "AKDT": -8,
    "HST": -10,
    "ET": -5,
    "PT": -8,
}

MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    [
        ("january", "jan"),
        ("february", "feb"),
        ("march", "mar"),
        ("april", "apr"),
        ("may",),
        ("june", "jun"),
        ("july", "jul"),
        ("august", "aug"),
        ("september", "sep", "sept"),
        ("october", "oct"),
        ("november", "nov"),
        ("december", "dec"),
    ],
    start=1,
):
    for _n in _names:
        MONTHS[_n] = _i

_MONTH_RE = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_TIME_RE = (
    r"(?:(?:\s*(?:,|at|@|-|\||T|//))?\s*(?P<h>\d{1,2})[:h.](?P<mi>\d{2})(?::(?P<s>\d{2})"
    r"(?:\.\d+)?)?\s*(?P<ampm>[ap]\.?\s?m\.?)?)?"
)
_TZ_RE = (
    r"(?:\s*\(?(?P<tz>Z|[+-]\d{2}:?\d{2}|[+-]\d{1,2}(?![\d:])|(?:UTC|GMT)\s?[+-]\s?\d{1,2}(?::?\d{2})?"
    r"|[A-Z]{1,5}T|UTC|GMT|UT|Z)\)?)?"
)

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ]+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2}|[+-]\d{2}(?!\d))?",
    re.IGNORECASE,
)
_COMPACT = re.compile(
    r"^(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?:T?(?P<h>\d{2})(?P<mi>\d{2}))?"
)
_YMD = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*(?:[/.]|년)\s*(?P<m>\d{1,2})\s*(?:[/.]|월)\s*(?P<d>\d{1,2})\s*"
    r"(?:일|\.)?(?:\s*\([^)]{1,4}\))?" + _TIME_RE + _TZ_RE,
    re.IGNORECASE,
)
_CJK = re.compile(r"(?P<y>\d{4})年\s*(?P<m>\d{1,2})月\s*(?P<d>\d{1,2})日" + _TIME_RE + _TZ_RE)
_DMY_NUM = re.compile(
    r"(?<!\d)(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})[/.\-](?P<y>\d{4})(?!\d)" + _TIME_RE + _TZ_RE,
    re.IGNORECASE,
)
_MDY = re.compile(
    _MONTH_RE + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})" + _TIME_RE + _TZ_RE,
    re.IGNORECASE,
)
_DMY = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
    + _MONTH_RE
    + r",?\s+(?P<y>\d{4})"
    + _TIME_RE
    + _TZ_RE,
    re.IGNORECASE,
)
_YMD_NAME = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s+" + _MONTH_RE + r"\s+(?P<d>\d{1,2})(?!\d)" + _TIME_RE + _TZ_RE,
    re.IGNORECASE,
)
_MY_TIME_FIRST = re.compile(
    r"(?P<h>\d{1,2}):(?P<mi>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?\s*(?P<tz>[A-Z]{2,5})?\s*[,|·-]?\s*"
    + _MONTH_RE
    + r"\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"(?P<n>\d+|an?|one)\s*(?P<unit>sec(?:ond)?s?|min(?:ute)?s?|h(?:ou)?rs?|days?|weeks?|months?"
    r"|years?|초|분|시간|일|주)\s*(?:ago|전)",
    re.IGNORECASE,
)


def _zone(name: str | None) -> tzinfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return None


def _tz_from(token: str | None) -> tzinfo | None:
    if not token:
        return None
    tok = token.strip().upper().replace(" ", "")
    if tok in TZ_ABBREVIATIONS:
        return timezone(timedelta(hours=TZ_ABBREVIATIONS[tok]))
    m = re.fullmatch(r"(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?", tok)
    if m:
        hours, minutes = int(m.group(2)), int(m.group(3) or 0)
        if hours > 14 or minutes > 59:
            return None
        delta = timedelta(hours=hours, minutes=minutes)
        return timezone(-delta if m.group(1) == "-" else delta)
    return None


def _iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


def _build(
    y: int,
    m: int,
    d: int,
    h: str | None,
    mi: str | None,
    s: str | None,
    ampm: str | None,
    tz: str | None,
    default_tz: str | None,
) -> tuple[str | None, bool]:
    if not (1900 <= y <= 2100):
        return None, False
    try:
        day = date(y, m, d)
    except ValueError:
        return None, False
    if h is None or mi is None:
        return day.isoformat(), False
    hour, minute, sec = int(h), int(mi), int(s or 0)
    if ampm:
        pm = ampm.lower().startswith("p")
        if hour == 12:
            hour = 12 if pm else 0
        elif pm:
            hour += 12
    try:
        naive = datetime(y, m, d, hour, minute, sec)
    except ValueError:
        return day.isoformat(), False
    zone = _tz_from(tz)
    if tz and zone is None:
        # an unknown abbreviation: treat as no zone at all
        tz = None
    if zone is not None:
        return _iso(naive.replace(tzinfo=zone)), False
    default = _zone(default_tz)
    if default is not None:
        return _iso(naive.replace(tzinfo=default)), True
    return _iso(naive), False


def _relative(text: str, now: datetime | None, default_tz: str | None) -> tuple[str | None, bool]:
    if now is None:
        return None, False
    if now.tzinfo is None:
        now = now.replace(tzinfo=_zone(default_tz) or UTC)
    low = text.strip().lower()
    if low in ("just now", "now", "방금", "방금 전"):
        return _iso(now), False
    if low.startswith("today"):
        return now.date().isoformat(), False
    if low.startswith("yesterday") or low.startswith("어제"):
        return (now - timedelta(days=1)).date().isoformat(), False
    m = _RELATIVE.search(low)
    if not m:
        return None, False
    n_raw = m.group("n")
    n = 1 if n_raw in ("a", "an", "one") else int(n_raw)
    unit = m.group("unit")
    if unit.startswith("sec") or unit == "초":
        delta = timedelta(seconds=n)
    elif unit.startswith("min") or unit == "분":
        delta = timedelta(minutes=n)
    elif unit.startswith("h") or unit == "시간":
        delta = timedelta(hours=n)
    elif unit.startswith("day") or unit == "일":
        delta = timedelta(days=n)
    elif unit.startswith("week") or unit == "주":
        delta = timedelta(weeks=n)
    elif unit.startswith("month"):
        delta = timedelta(days=30 * n)
    else:
        delta = timedelta(days=365 * n)
    if delta > timedelta(days=36500):
        return None, False
    when = now - delta
    if delta >= timedelta(days=1):
        return when.date().isoformat(), False
    return _iso(when), False


def parse_datetime(
    text: str,
    *,
    default_tz: str | None = None,
    now: datetime | None = None,
    dayfirst: bool | None = None,
) -> tuple[str | None, bool]:
    """Parse a date/time string; return ``(iso_string_or_None, tz_assumed)``. Never raises.

    ``dayfirst=False`` reads an ambiguous numeric ``A/B/YYYY`` month-first (a page that also
    prints ``8/27/2025`` or declares ``en-US``); the default reads it day-first.
    """
    try:
        return _parse(text, default_tz, now, dayfirst)
    except Exception:  # garbage must never crash a crawl
        return None, False


def _parse(
    text: str, default_tz: str | None, now: datetime | None, dayfirst: bool | None = None
) -> tuple[str | None, bool]:
    if not isinstance(text, str):
        return None, False
    s = " ".join(text.split())[:200]
    if not s:
        return None, False
    m = _ISO.search(s)
    if m:
        return _build(
            int(m["y"]),
            int(m["m"]),
            int(m["d"]),
            m["h"],
            m["mi"],
            m["s"],
            None,
            m["tz"],
            default_tz,
        )
    m = _COMPACT.match(s)
    if m:
        return _build(
            int(m["y"]), int(m["m"]), int(m["d"]), m["h"], m["mi"], None, None, None, default_tz
        )
    for rx in (_MY_TIME_FIRST, _MDY, _DMY, _YMD_NAME):
        m = rx.search(s)
        if m:
            return _build(
                int(m["y"]),
                MONTHS[m["mon"].lower().rstrip(".")],
                int(m["d"]),
                m["h"],
                m["mi"],
                m.groupdict().get("s"),
                m["ampm"],
                m["tz"],
                default_tz,
            )
    for rx in (_YMD, _CJK):
        m = rx.search(s)
        if m:
            return _build(
                int(m["y"]),
                int(m["m"]),
                int(m["d"]),
                m["h"],
                m["mi"],
                m["s"],
                m["ampm"],
                m["tz"],
                default_tz,
            )
    m = _DMY_NUM.search(s)
    if m:
        a, b = int(m["a"]), int(m["b"])
        if a <= 12 and b <= 12 and dayfirst is False:
            d, mo = b, a
        elif b <= 12:  # day-first whenever that reading is possible
            d, mo = a, b
        elif a <= 12:
            d, mo = b, a
        else:
            return None, False
        return _build(int(m["y"]), mo, d, m["h"], m["mi"], m["s"], m["ampm"], m["tz"], default_tz)
    return _relative(s, now, default_tz)
