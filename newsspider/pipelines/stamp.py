"""Stamp: every item carries the id of the run that exported it.

The run id is the run context's (newsspider/run.py): a resumed JOBDIR run keeps its own, so
spiders and middlewares that make items never need to know it.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler

from newsspider.run import run_context


class StampRunPipeline:
    def __init__(self, run_id: str) -> None:
        self.run_id = run_id

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StampRunPipeline:
        return cls(run_context(crawler).run_id)  # NotConfigured outside a newsspider run

    def process_item(self, item: Any) -> Any:
        if hasattr(item, "run_id"):
            item.run_id = self.run_id
        return item
