"""``MallocTrim`` gives the C heap's free pages back (RSS, not time) and records it in stats;
it is off at 0."""

from __future__ import annotations

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from newsspider import settings as defaults
from newsspider.memory import MallocTrim, malloc_trim, rss_kb

glibc = pytest.mark.skipif(malloc_trim() is None, reason="needs glibc's malloc_trim")


@glibc
def test_trim_releases_the_free_pages_between_live_chunks() -> None:
    trim = malloc_trim()
    assert trim is not None
    trim(0)
    # 1,500-byte buffers come from the C heap (pymalloc takes <= 512 bytes); keeping one in 16
    # pins the heap, so freeing the others leaves ~55 MB free but resident
    chunks = [bytearray(1500) for _ in range(40_000)]
    for i in range(len(chunks)):
        chunks[i][::512] = b"x" * len(chunks[i][::512])  # touch every page
    kept = chunks[::16]
    del chunks
    before = rss_kb()
    trim(0)
    after = rss_kb()
    assert len(kept) == 2_500
    assert before - after > 20_000, (before, after)


def test_off_at_zero() -> None:
    crawler = get_crawler(settings_dict={"NEWSSPIDER_MALLOC_TRIM_INTERVAL": 0})
    with pytest.raises(NotConfigured, match="NEWSSPIDER_MALLOC_TRIM_INTERVAL"):
        MallocTrim.from_crawler(crawler)


@glibc
def test_each_release_is_counted_with_what_it_gave_back() -> None:
    crawler = get_crawler()
    crawler.stats.open_spider()
    ext = MallocTrim.from_crawler(crawler)
    assert ext.interval == defaults.NEWSSPIDER_MALLOC_TRIM_INTERVAL
    ext.release()
    ext.spider_closed()  # no timer started: still one release at close
    assert crawler.stats.get_value("newsspider/memory/malloc_trims") == 2
    assert crawler.stats.get_value("newsspider/memory/malloc_trimmed_kb") >= 0
