"""State: export only what is new or changed since the last run; remember everything.

Placed after dedupe. Per item type:

* ``Article`` - keyed by ``<site>:<article_id>``. New: exported as revision 1. Same content
  hash as the last exported version: dropped at DEBUG (``newsspider/state/unchanged``).
  Changed: exported again, and one :class:`~newsspider.items.ArticleRevision` row per changed
  field goes to ``revisions.{jsonl,csv}`` (``newsspider/state/changed``). A removed article
  that comes back is exported as ``restored``.
* ``FrontPageSlot`` / ``PopularEntry`` - recorded as the snapshot of this run (the state
  spider middleware already dropped snapshots identical to the previous one).

At the end of the run the history tables under ``<export dir>/history/<site key>/`` are
rebuilt from the state (:mod:`newsspider.history`).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newsspider.items import Article, ArticleRevision, FrontPageSlot, PopularEntry, utc_now_iso
from newsspider.middlewares_state import revision_record
from newsspider.state.runtime import (
    StateRuntime,
    article_content,
    article_key,
    changed_fields,
    render_value,
    stable_hash,
)
from newsspider.state.store import ArticleState

logger = logging.getLogger("newsspider.state")


class StatePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.runtime = StateRuntime.for_crawler(crawler)
        self.counts: Counter[str] = Counter()
        self.started_at = utc_now_iso()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatePipeline:
        return cls(crawler)

    @property
    def run_id(self) -> str:
        return str(getattr(self.crawler.spider, "run_id", "") or "")

    def open_spider(self) -> None:
        store = self.runtime.store
        if store is None:
            return
        spider = self.crawler.spider
        self.started_at = utc_now_iso()
        store.start_run(
            self.run_id,
            str(getattr(spider, "name", "")),
            getattr(spider, "start_url", None),
            self.started_at,
        )

    def close_spider(self) -> None:
        store = self.runtime.store
        if store is None:
            return
        stats = self.crawler.stats
        assert stats is not None
        reason = str(stats.get_value("finish_reason") or "finished")
        from newsspider.history import health_counts

        counts = {**self.counts, **health_counts(stats.get_stats())}
        store.finish_run(self.run_id, utc_now_iso(), reason, counts)
        if self.crawler.settings.getbool("NEWSSPIDER_HISTORY_ENABLED", True):
            from newsspider.history import history_dir_for, write_history

            export_dir = Path(self.crawler.settings.get("NEWSSPIDER_EXPORT_DIR", "exports"))
            out = history_dir_for(export_dir, store.path)
            written = write_history(
                store,
                out,
                top_n=self.crawler.settings.getint("NEWSSPIDER_HISTORY_TOP_N", 10),
                report=self.crawler.settings.getbool("NEWSSPIDER_REPORT_ENABLED", True),
            )
            logger.info(
                "History tables refreshed in %s/ (%s)",
                out,
                ", ".join(f"{name} {rows}" for name, rows in written.items()),
            )
            stats.set_value("newsspider/history/dir", str(out))
        self.runtime.close()

    def process_item(self, item: Any) -> Any:
        store = self.runtime.store
        if store is None:
            return item
        if isinstance(item, Article):
            return self.process_article(item)
        if isinstance(item, FrontPageSlot) and item.run_id and item.page_url:
            store.add_slot({**asdict(item), "page_url": item.page_url})
        elif isinstance(item, PopularEntry) and item.run_id and item.list_name:
            store.add_popular_entry(asdict(item))
        return item

    def process_article(self, item: Article) -> Article:
        store = self.runtime.store
        assert store is not None
        key = article_key(item.site, item.article_id, item.url)
        now = item.crawled_at or utc_now_iso()
        content = article_content(item)
        content_hash = stable_hash(content)
        if item.url:
            store.link_url(item.url, key, now)
        previous = store.article(key)
        data = asdict(item)

        def version(first_seen: str, revision: int) -> ArticleState:
            return ArticleState(
                article_key=key,
                site=item.site,
                article_id=item.article_id,
                url=item.url,
                first_seen=first_seen,
                last_seen=now,
                last_changed=now,
                revision=revision,
                content_hash=content_hash,
                status="live",
                removed_at=None,
                removed_reason=None,
                data=data,
            )

        if previous is None:
            store.save_article(version(now, 1))
            self.count("new")
            return item
        restored = previous.status == "removed"
        if previous.content_hash == content_hash and not restored:
            store.touch_article(key, now)
            self.count("unchanged")
            raise DropItem(f"unchanged article {key}", log_level="DEBUG")
        revision = previous.revision + 1
        changes = changed_fields(previous.data, content)
        all_fields = (["status"] if restored else []) + changes
        rows = []
        if restored:
            rows.append(self.revision_row(item, revision, "restored", all_fields, "status"))
            rows[-1].old_value, rows[-1].new_value = "removed", "live"
        for name in changes:
            row = self.revision_row(
                item, revision, "restored" if restored else "edited", all_fields, name
            )
            row.old_value = render_value(previous.data.get(name))
            row.new_value = render_value(content.get(name))
            rows.append(row)
        store.save_article(version(previous.first_seen, revision))
        store.add_revision_rows([revision_record(r, key) for r in rows])
        for row in rows:
            self.runtime.emit(row)
        self.count("restored" if restored else "changed")
        self.runtime.inc("revision_rows", len(rows))
        logger.info(
            "Article %s changed (revision %d): %s", item.url, revision, ", ".join(all_fields)
        )
        return item

    def revision_row(
        self, item: Article, revision: int, change: str, all_fields: list[str], name: str
    ) -> ArticleRevision:
        return ArticleRevision(
            run_id=item.run_id,
            crawled_at=item.crawled_at,
            article_id=item.article_id,
            site=item.site,
            url=item.url,
            revision=revision,
            change=change,
            changed_fields=list(all_fields),
            field_name=name,
        )

    def count(self, outcome: str) -> None:
        self.counts[outcome] += 1
        self.runtime.inc(outcome)
