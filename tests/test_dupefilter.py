"""The run's duplicate-request filter (``RunDupeFilter``) decides as Scrapy's
``RFPDupeFilter`` does, writes nothing under ``JOBDIR`` and holds a request in a fraction of
the memory (tracemalloc, not time)."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from pathlib import Path

from scrapy import Request
from scrapy.dupefilters import RFPDupeFilter
from scrapy.utils.test import get_crawler

from newsspider.middlewares import RunDupeFilter


def requests() -> list[Request]:
    base = "https://news.example"
    return [
        *(Request(f"{base}/a/{n}") for n in range(300)),
        *(Request(f"{base}/a/{n}#comments") for n in range(0, 300, 7)),  # same page
        *(Request(f"{base}/list?page={n}&sort=new") for n in range(50)),
        *(Request(f"{base}/list?sort=new&page={n}") for n in range(50)),  # same, reordered
        Request(f"{base}/a/1", method="POST"),  # another request
        Request(f"{base}/a/1", method="POST", body=b"x=1"),
        Request(f"{base}/a/1", method="POST", body=b"x=1"),
        Request(f"{base}/a/1", method="POST", body=b"x=2"),
        *(Request(f"{base}/a/{n}") for n in range(290, 310)),
    ]


def test_it_filters_the_requests_scrapys_filter_filters() -> None:
    crawler = get_crawler()
    ours = RunDupeFilter.from_crawler(crawler)
    scrapys = RFPDupeFilter(fingerprinter=crawler.request_fingerprinter)
    decisions = [(ours.request_seen(r), scrapys.request_seen(r)) for r in requests()]
    assert [o for o, _ in decisions] == [s for _, s in decisions]
    assert sum(o for o, _ in decisions) == 43 + 50 + 1 + 10  # the repeats above


def test_it_writes_nothing_under_jobdir(tmp_path: Path) -> None:
    crawler = get_crawler(settings_dict={"JOBDIR": str(tmp_path)})
    dupefilter = RunDupeFilter.from_crawler(crawler)
    assert not dupefilter.request_seen(Request("https://news.example/a/1"))
    assert dupefilter.request_seen(Request("https://news.example/a/1"))
    dupefilter.close("finished")
    assert list(tmp_path.iterdir()) == []


def test_a_request_costs_a_fraction_of_scrapys_set() -> None:
    crawler = get_crawler()
    n = 20_000

    def fresh() -> Iterator[Request]:
        # each request dies after the filter has seen it, as in a crawl (the fingerprinter's
        # cache is keyed by the live request)
        return (Request(f"https://news.example/section/{i % 40}/a/{i}") for i in range(n))

    def held(dupefilter: RFPDupeFilter) -> int:
        tracemalloc.start()
        new = sum(not dupefilter.request_seen(r) for r in fresh())
        size = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        assert new == n
        return size

    ours = held(RunDupeFilter.from_crawler(crawler))
    scrapys = held(RFPDupeFilter(fingerprinter=crawler.request_fingerprinter))
    assert ours < 30 * n  # ~12-24 bytes per request
    assert scrapys > 80 * n  # a 20-byte bytes object and a set slot each
    assert ours * 3 < scrapys
