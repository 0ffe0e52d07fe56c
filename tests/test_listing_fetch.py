"""The kept full fetch of a listing page (newsspider/state/listing.py): what a 304 relies on."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsspider.state.listing import (
    META_PREFIX,
    ListingFetch,
    load_listing_fetch,
    save_listing_fetch,
    trusted_last_modified,
)
from newsspider.state.store import StateStore

PAGE = "http://127.0.0.1:8000/"


@pytest.mark.parametrize(
    ("last_modified", "date", "trusted"),
    [
        # a second or more before the response: a later change shows
        ("Sat, 28 Nov 2026 10:00:00 GMT", "Sat, 28 Nov 2026 10:00:01 GMT", True),
        ("Sat, 28 Nov 2026 09:00:00 GMT", "Sat, 28 Nov 2026 10:00:00 GMT", True),
        # the same second: a change later in that second would pass as "not modified"
        ("Sat, 28 Nov 2026 10:00:00 GMT", "Sat, 28 Nov 2026 10:00:00 GMT", False),
        # after the response's own date (a clock gone wrong)
        ("Sat, 28 Nov 2026 10:00:05 GMT", "Sat, 28 Nov 2026 10:00:00 GMT", False),
        (None, "Sat, 28 Nov 2026 10:00:00 GMT", False),
        ("Sat, 28 Nov 2026 10:00:00 GMT", None, False),  # no Date: can't tell
        ("yesterday", "Sat, 28 Nov 2026 10:00:00 GMT", False),
        ("Sat, 28 Nov 2026 10:00:00", "Sat, 28 Nov 2026 10:00:09", False),  # no zone
    ],
)
def test_last_modified_is_trusted_only_a_second_before_the_response(
    last_modified: str | None, date: str | None, trusted: bool
) -> None:
    assert trusted_last_modified(last_modified, date) == (last_modified if trusted else None)


def test_a_kept_fetch_reads_back_as_it_was_and_can_be_forgotten(tmp_path: Path) -> None:
    fetch = ListingFetch(
        rule={"max_articles": 5, "site": None},
        etag='"abc"',
        last_modified=None,
        links=[(f"{PAGE}a/1", "news1global"), (f"{PAGE}a/2", None)],
        snapshots={"listing": [(PAGE, "h1", "run1")], "popular": [("Most Read", "h2", "run0")]},
    )
    with StateStore(tmp_path / "s.sqlite3") as store:
        assert load_listing_fetch(store, PAGE) is None
        save_listing_fetch(store, PAGE, fetch)
        assert load_listing_fetch(store, PAGE) == fetch
        assert load_listing_fetch(store, PAGE + "other") is None
        save_listing_fetch(store, PAGE, None)
        assert load_listing_fetch(store, PAGE) is None


@pytest.mark.parametrize("text", ["{not json", '{"etag": "x"}', '{"rule": 1, "links": 2}', "[]"])
def test_a_record_of_another_shape_means_a_full_fetch(tmp_path: Path, text: str) -> None:
    with StateStore(tmp_path / "s.sqlite3") as store:
        store.set_meta(META_PREFIX + PAGE, text)
        assert load_listing_fetch(store, PAGE) is None
