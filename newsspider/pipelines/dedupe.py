"""Deduplicate within a run: each article, slot and popular entry is exported once.

* Article: keyed by (site, article_id), then by canonical URL - one article reached through
  several URLs (tracking parameters, fragments) is exported once.
* FrontPageSlot: keyed by (page, position on page).
* PopularEntry: keyed by (list, rank, article, headline) - the same list printed on every
  article page is exported once, from the first page it was seen on.

Duplicates are dropped at DEBUG level and counted as ``newsspider/dedupe/<ItemType>``.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newsspider.items import Article, FrontPageSlot, PopularEntry


def keys_of(item: Any) -> list[tuple[Any, ...]]:
    """Every identity of an item; a match on any one of them makes it a duplicate."""
    if isinstance(item, Article):
        # not canonical_url: some sites point every page's canonical link at the home page
        keys: list[tuple[Any, ...]] = []
        if item.article_id:
            keys.append(("article_id", item.site, item.article_id))
        if item.url:
            keys.append(("article_url", item.url))
        return keys
    if isinstance(item, FrontPageSlot):
        return [("slot", item.page_url, item.position_on_page)]
    if isinstance(item, PopularEntry):
        return [("popular", item.list_name, item.rank, item.article_url, item.headline)]
    return []


class DedupePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.seen: set[tuple[Any, ...]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        assert self.stats is not None
        keys = keys_of(item)
        if any(key in self.seen for key in keys):
            self.stats.inc_value(f"newsspider/dedupe/{type(item).__name__}")
            raise DropItem(f"duplicate {type(item).__name__} {keys[0]}", log_level="DEBUG")
        self.seen.update(keys)
        return item
