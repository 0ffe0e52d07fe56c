from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsspider.extract.dates import parse_datetime

NOW = datetime(2026, 2, 21, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "default_tz", "expected", "assumed"),
    [
        ("2026-02-21T09:05:00+09:00", None, "2026-02-21T09:05:00+09:00", False),
        ("2026-02-21T00:05:00Z", None, "2026-02-21T00:05:00+00:00", False),
        ("2026-02-21T00:05:00.123-0500", None, "2026-02-21T00:05:00-05:00", False),
        ("Feb. 21, 2026 9:05 AM KST", None, "2026-02-21T09:05:00+09:00", False),
        ("Feb. 21, 2026 9:05 PM EST", None, "2026-02-21T21:05:00-05:00", False),
        ("Sat, 21 Feb 2026 09:05:00 GMT", None, "2026-02-21T09:05:00+00:00", False),
        ("2026-02-21 09:05", "Asia/Seoul", "2026-02-21T09:05:00+09:00", True),
        ("2026-02-21 09:05", None, "2026-02-21T09:05:00", False),
        ("2026-02-21", "Asia/Seoul", "2026-02-21", False),
        ("21/02/2026", None, "2026-02-21", False),
        ("02/21/2026", None, "2026-02-21", False),
        ("03/04/2026", None, "2026-04-03", False),
        ("Saturday, February 21, 2026", None, "2026-02-21", False),
        ("21st February 2026", None, "2026-02-21", False),
        ("2026년 2월 21일 09:05", "Asia/Seoul", "2026-02-21T09:05:00+09:00", True),
        ("2026.02.21 09:05", "Asia/Seoul", "2026-02-21T09:05:00+09:00", True),
        ("3 hours ago", None, "2026-02-21T09:00:00+00:00", False),
        ("yesterday", None, "2026-02-20", False),
        ("2 days ago", None, "2026-02-19", False),
        ("20260221", None, "2026-02-21", False),
        ("9:05 AM EST, Feb 21, 2026", None, "2026-02-21T09:05:00-05:00", False),
        ("3시간 전", None, "2026-02-21T09:00:00+00:00", False),
        ("5 min ago", None, "2026-02-21T11:55:00+00:00", False),
        ("2026年2月21日", None, "2026-02-21", False),
        ("garbage", None, None, False),
        ("", None, None, False),
        ("2026-13-45", None, None, False),
        ("99/99/9999", None, None, False),
        ("\x00\xff\ufffd", None, None, False),
    ],
)
def test_parse_datetime_table(
    text: str, default_tz: str | None, expected: str | None, assumed: bool
) -> None:
    assert parse_datetime(text, default_tz=default_tz, now=NOW) == (expected, assumed)


def test_relative_needs_now() -> None:
    assert parse_datetime("3 hours ago") == (None, False)


def test_unknown_default_tz_is_ignored() -> None:
    assert parse_datetime("2026-02-21 09:05", default_tz="Not/AZone") == (
        "2026-02-21T09:05:00",
        False,
    )


def test_never_raises_on_non_strings() -> None:
    assert parse_datetime(None) == (None, False)  # type: ignore[arg-type]
    assert parse_datetime("9" * 10000) == (None, False)
