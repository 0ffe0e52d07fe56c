"""State: export only what is new or changed since the last run; remember everything.

Placed after dedupe. Per item type:

* ``Article`` - keyed by ``<site>:<article_id>``. New: exported as revision 1. Same content
  hash as the last exported version: dropped at DEBUG (``newsspider/state/unchanged``).
  Changed: exported again, and one :class:`~newsspider.items.ArticleRevision` row per changed
  field goes to ``revisions.{jsonl,csv}`` (``newsspider/state/changed``). A removed article
  that comes back is exported as ``restored``.
* ``FrontPageSlot`` / ``PopularEntry`` - recorded as the snapshot of this run (the state
  spider middleware already dropped snapshots identical to the previous one).

Everything is recorded in the run's one state transaction, committed by the run-files
extension once the run's files are complete (then the history tables under
``<export dir>/history/<site key>/`` are rebuilt from it, :mod:`newsspider.history`). A resumed
JOBDIR run first records again what its files already hold (:meth:`StatePipeline.replay`),
since the paused run committed nothing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newsspider.items import (
    Article,
    ArticleRevision,
    FrontPageSlot,
    PopularEntry,
    Reject,
    field_names,
    utc_now_iso,
)
from newsspider.middlewares_state import revision_record
from newsspider.pipelines.checks import checks_of
from newsspider.run import RunContext, run_context, state_runtime
from newsspider.state.runtime import (
    article_key,
    attached_body_hash,
    changed_fields,
    content_of,
    item_data,
    render_value,
    stable_hash,
)
from newsspider.state.store import ArticleState, StateWriteError

logger = logging.getLogger("newsspider.state")


class StatePipeline:
    def __init__(self, crawler: Crawler, context: RunContext) -> None:
        self.crawler = crawler
        self.context = context
        self.runtime = state_runtime(crawler)  # NotConfigured when the state is off
        self.started_at = utc_now_iso()
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatePipeline:
        return cls(crawler, run_context(crawler))

    @property
    def run_id(self) -> str:
        return self.context.run_id

    def open_spider(self) -> None:
        self.started_at = utc_now_iso()
        self.runtime.store.start_run(
            self.run_id, self.context.spider_name, self.context.site_url, self.started_at
        )
        if self.context.resumed:
            self.replay()

    def replay(self) -> None:
        """A resumed run: record what its files already hold (the paused run committed
        nothing), so the state matches the run's files when this run commits."""
        from newsspider.middlewares_state import popular_hash, slots_hash
        from newsspider.urls import canonicalize_url

        store = self.runtime.store
        rows = self.context.resume.rows
        names = {cls: set(field_names(cls)) for cls in (Article, FrontPageSlot, PopularEntry)}

        def build(cls: Any, row: dict[str, Any]) -> Any:
            return cls(**{k: v for k, v in row.items() if k in names[cls]})

        for row in rows.get("articles", []):
            with contextlib.suppress(DropItem):
                self.process_article(build(Article, row), emit=False)
        for kind, stem, cls, key_of, hash_of in (
            (
                "listing",
                "front_page",
                FrontPageSlot,
                lambda i: canonicalize_url(i.page_url),
                slots_hash,
            ),
            ("popular", "popular", PopularEntry, lambda i: i.list_name, popular_hash),
        ):
            groups: dict[str, list[Any]] = {}
            for row in rows.get(stem, []):
                item = build(cls, row)
                groups.setdefault(key_of(item), []).append(item)
            for key, items in groups.items():
                first = items[0]
                store.record_observation(
                    kind, self.run_id, key, first.crawled_at, hash_of(items), self.run_id
                )
                for item in items:
                    self.record(item)
        logger.info("Resumed run %s: its exported rows recorded in the state again", self.run_id)

    def item_dropped(self, item: Any, **_: Any) -> None:
        """An Article dropped on its way here (dedupe) lets its page's fetch record go."""
        if isinstance(item, Article):
            self.runtime.forget_fetch_of(item.url)

    def process_item(self, item: Any) -> Any:
        try:
            return self.record(item)
        except StateWriteError:
            # the run has failed (newsspider/run.py logged why): nothing of it is kept
            raise DropItem("the run failed", log_level="DEBUG") from None

    def record(self, item: Any) -> Any:
        store = self.runtime.store
        if isinstance(item, Article):
            return self.process_article(item)
        if isinstance(item, Reject) and item.item_type == "Article":
            # the page's outcome is in this run's rejects: its fetch may be remembered too
            self.runtime.record_fetch_of(item.url)
        if isinstance(item, FrontPageSlot) and item.run_id and item.page_url:
            store.add_slot({**item_data(item), "page_url": item.page_url})
        elif isinstance(item, PopularEntry) and item.run_id and item.list_name:
            store.add_popular_entry(item_data(item))
        return item

    def process_article(self, item: Article, *, emit: bool = True) -> Article:
        store = self.runtime.store
        key = article_key(item.site, item.article_id, item.url)
        now = item.crawled_at or utc_now_iso()
        data = item_data(item)  # one copy: the stored version and the hashed content share it
        content = content_of(data)
        checks = checks_of(item)  # a parse worker hashed the same content (pipelines/checks.py)
        if checks is not None and checks.content_hash is not None:
            content_hash = checks.content_hash
        else:
            content_hash = stable_hash(content)
        self.runtime.record_fetch_of(
            item.url, link_to=key, now=now, body_hash=attached_body_hash(item)
        )
        previous = store.article(key)

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
        changes = changed_fields(previous.data, content)
        if not changes and not restored:
            # same values, another hash: a column added since the article was stored (a new
            # field, empty on both sides) - not an edit; keep the new hash, export nothing
            store.save_article(
                dataclasses.replace(previous, content_hash=content_hash, last_seen=now, data=data)
            )
            self.count("unchanged")
            raise DropItem(f"unchanged article {key} (new empty columns)", log_level="DEBUG")
        revision = previous.revision + 1
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
        for row in rows if emit else ():
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
        self.runtime.count(outcome)
