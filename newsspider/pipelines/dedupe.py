"""Deduplicate within a run: each article, slot and popular entry is exported once.

* Article: keyed by (site, article_id), then by canonical URL - one article reached through
  several URLs (tracking parameters, fragments) is exported once.
* FrontPageSlot: keyed by (page, position on page).
* PopularEntry: keyed by (list, rank, article, headline) - the same list printed on every
  article page is exported once, from the first page it was seen on.

Duplicates are dropped at DEBUG level and counted as ``newsspider/dedupe/<ItemType>``.

A resumed run (``-s JOBDIR=…``, see newsspider/feeds.py) first reloads the keys of every row
its files already hold, so nothing exported before the pause is exported again; Reject rows
from before the pause are not repeated either.
"""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newsspider.feeds import EXPORT_FILES, ResumeState
from newsspider.intsets import IntSet
from newsspider.items import Article, FrontPageSlot, PopularEntry, Reject, field_names
from newsspider.run import run_context


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


def reject_key(row: Any) -> tuple[Any, ...]:
    """Identity of a Reject row (an item or its JSONL dict): what, where, why."""
    data: dict[str, Any] = row if isinstance(row, dict) else vars(row)
    return ("reject", data.get("item_type"), data.get("url"), tuple(data.get("reasons") or ()))


class DedupePipeline:
    def __init__(self, crawler: Crawler, resume: ResumeState) -> None:
        self.stats = crawler.stats
        self.resume = resume
        # hash() of each key, not the key: a tuple of URLs costs ~250 bytes, a 64-bit int ~60
        # in a set and ~12-24 in an IntSet (a whole-site crawl of 50,000 articles keeps
        # ~150,000 keys). hash() is stable within the process, which is all a per-run dedupe
        # needs; the chance of two keys colliding among 10^6 is ~10^-8.
        self.seen = IntSet()
        self.rejects_before_pause: set[tuple[Any, ...]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler, run_context(crawler).resume)

    def open_spider(self) -> None:
        state = self.resume
        if not state.resumed:
            return
        for stem, item_class in EXPORT_FILES.items():
            names = set(field_names(item_class))
            for row in state.rows.get(stem, []):
                item = item_class(**{k: v for k, v in row.items() if k in names})
                self.seen.update(hash(key) for key in keys_of(item))
        self.rejects_before_pause = {reject_key(r) for r in state.rejects}

    def process_item(self, item: Any) -> Any:
        assert self.stats is not None
        if isinstance(item, Reject) and self.rejects_before_pause:
            if reject_key(item) in self.rejects_before_pause:
                self.stats.inc_value("newsspider/dedupe/Reject")
                raise DropItem(f"Reject already exported before the pause: {item.url}")
            return item
        keys = keys_of(item)
        if len(keys) == 1:  # a slot, a popular entry: "seen? then add" in one probe
            if self.seen.add_new(hash(keys[0])):
                return item
        else:
            hashes = [hash(key) for key in keys]
            if not any(h in self.seen for h in hashes):
                self.seen.update(hashes)
                return item
        self.stats.inc_value(f"newsspider/dedupe/{type(item).__name__}")
        raise DropItem(f"duplicate {type(item).__name__} {keys[0]}", log_level="DEBUG")
