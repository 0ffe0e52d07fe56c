"""benchmarks/crawl_tail.py: the end of the run's phases read from a crawl's log."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import crawl_tail  # benchmarks/, on the path above

LOG = """\
2026-11-29 04:55:06.000 [scrapy.core.engine] INFO: Crawled (200) <GET http://x/a/1.html>
2026-11-29 04:55:07.138 [scrapy.core.engine] INFO: Closing spider (finished)
2026-11-29 04:55:07.466 [feedexport] INFO: Stored jsonl feed (2121 items) in: front_page.jsonl
2026-11-29 04:55:07.576 [feedexport] INFO: Stored jsonl feed (2000 items) in: articles.jsonl
2026-11-29 04:55:07.665 [feedexport] INFO: Stored jsonl feed (0 items) in: rejects.jsonl
2026-11-29 04:55:09.259 [feedexport] INFO: Stored xlsx feed (4131 items) in: newsspider.xlsx
2026-11-29 04:55:16.097 [run] INFO: History tables refreshed in h/ (articles_latest 2000)
2026-11-29 04:55:16.232 [scrapy.core.engine] INFO: Spider closed (finished)
"""


def test_phases_of_the_end_of_the_run() -> None:
    assert crawl_tail.phases(LOG) == {
        "scraper_close_s": 0.328,
        "feeds_close_s": 0.199,
        "workbook_close_s": 1.594,
        "finish_run_s": 6.838,
        "tail_s": 9.094,
    }


def test_a_run_that_left_the_history_as_it_was() -> None:
    log = LOG.replace(
        "History tables refreshed in h/ (articles_latest 2000)",
        "History in h/ left as it is: this run changed nothing",
    )
    assert crawl_tail.phases(log)["finish_run_s"] == 6.838
