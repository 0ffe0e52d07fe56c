"""Component tests of the crawl state: StatePipeline, StateDownloaderMiddleware and
StateSpiderMiddleware on a real crawler with a real run context and state file
(``make_run_crawler``), driven by hand-built items, requests and responses. No crawl starts:
the end-to-end behaviour over several real runs is tests/test_state_incremental.py (e2e)."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse, Response

from newsspider.items import Article, ArticleRevision, FrontPageSlot, PopularEntry
from newsspider.middlewares_state import (
    ARTICLE_META,
    StateDownloaderMiddleware,
    StateSpiderMiddleware,
    popular_hash,
    slots_hash,
)
from newsspider.pipelines.state import StatePipeline
from newsspider.run import run_context
from newsspider.state.runtime import NotModified, StateRuntime
from tests.conftest import make_run_crawler

URL = "https://www.news1global.com/etc/article/1007.html"
KEY = "news1global:1007"
T0 = "2026-02-20T00:00:00+00:00"


def article(**overrides: Any) -> Article:
    base = Article(
        run_id="component-test",
        crawled_at="2026-02-21T00:05:00+00:00",
        url=URL,
        article_id="1007",
        site="news1global",
        section="etc",
        headline="Seoul's oldest bakery marks 80 years",
        body="First paragraph.\n\nSecond paragraph.",
        authors=["Kim Min-ji"],
        published_at="2026-02-21T09:05:00+09:00",
        published_at_raw="2026-02-21 09:05 KST",
        tags=["Food", "Seoul"],
        language="en",
    )
    return dataclasses.replace(base, **overrides)


@pytest.fixture
def crawler(tmp_path: Path) -> Crawler:
    return make_run_crawler(
        tmp_path / "exports",
        settings={"NEWSSPIDER_STATE_DIR": str(tmp_path / "state")},
        run_id="component-test",
    )


@pytest.fixture
def runtime(crawler: Crawler) -> StateRuntime:
    state = run_context(crawler).state
    assert isinstance(state, StateRuntime)
    return state


@pytest.fixture
def emitted(crawler: Crawler) -> list[Any]:
    """Items the state hands to the feeds itself (revision rows), as the exporters see them."""
    items: list[Any] = []

    def receive(item: Any, **_: Any) -> None:
        items.append(item)

    crawler.signals.connect(receive, signal=signals.item_scraped, weak=False)
    return items


def stat(crawler: Crawler, key: str) -> Any:
    assert crawler.stats is not None
    return crawler.stats.get_value(f"newsspider/state/{key}")


# --------------------------------------------------------------------------- StatePipeline


@pytest.fixture
def pipeline(crawler: Crawler) -> StatePipeline:
    pipe = StatePipeline.from_crawler(crawler)
    pipe.open_spider()
    return pipe


def test_a_new_article_is_revision_1(
    pipeline: StatePipeline, runtime: StateRuntime, crawler: Crawler, emitted: list[Any]
) -> None:
    item = article()
    assert pipeline.process_item(item) is item
    saved = runtime.store.article(KEY)
    assert saved is not None
    assert (saved.revision, saved.status, saved.url, saved.data["headline"]) == (
        1,
        "live",
        URL,
        item.headline,
    )
    assert stat(crawler, "new") == 1 and emitted == []
    assert runtime.store.url_state(URL) is not None  # the URL is linked to the article


def test_the_same_content_again_is_dropped_as_unchanged(
    pipeline: StatePipeline, runtime: StateRuntime, crawler: Crawler, emitted: list[Any]
) -> None:
    pipeline.process_item(article())
    # another run, another time stamp and word count: the content is the same
    again = article(run_id="r2", crawled_at="2026-02-22T00:00:00+00:00", word_count=99)
    with pytest.raises(DropItem, match=f"unchanged article {KEY}"):
        pipeline.process_item(again)
    saved = runtime.store.article(KEY)
    assert saved is not None and saved.revision == 1
    assert saved.last_seen == "2026-02-22T00:00:00+00:00"  # seen again, not changed
    assert (stat(crawler, "unchanged"), stat(crawler, "changed")) == (1, None)
    assert emitted == []


def test_a_changed_article_emits_one_revision_row_per_changed_field(
    pipeline: StatePipeline, runtime: StateRuntime, crawler: Crawler, emitted: list[Any]
) -> None:
    pipeline.process_item(article())
    edited = article(headline="Seoul's oldest bakery marks 81 years", tags=["Food"])
    assert pipeline.process_item(edited) is edited
    assert [type(r) for r in emitted] == [ArticleRevision, ArticleRevision]
    rows = {r.field_name: r for r in emitted}
    assert (rows["headline"].old_value, rows["headline"].new_value) == (
        "Seoul's oldest bakery marks 80 years",
        "Seoul's oldest bakery marks 81 years",
    )
    assert (rows["tags"].old_value, rows["tags"].new_value) == ("Food | Seoul", "Food")
    for row in emitted:
        assert (row.revision, row.change, row.article_id, row.url) == (2, "edited", "1007", URL)
        assert row.changed_fields == ["headline", "tags"]
    saved = runtime.store.article(KEY)
    assert saved is not None and (saved.revision, saved.data["tags"]) == (2, ["Food"])
    stored = [r for r in runtime.store.revisions() if r["article_key"] == KEY]
    assert sorted(r["field"] for r in stored) == ["headline", "tags"]
    assert (stat(crawler, "changed"), stat(crawler, "revision_rows")) == (1, 2)


def test_a_removed_article_that_comes_back_is_restored(
    pipeline: StatePipeline, runtime: StateRuntime, crawler: Crawler, emitted: list[Any]
) -> None:
    pipeline.process_item(article())
    previous = runtime.store.article(KEY)
    assert previous is not None
    runtime.store.save_article(
        dataclasses.replace(previous, status="removed", removed_at=T0, removed_reason="http_404")
    )
    back = article()  # the same content: not "unchanged", it was gone
    assert pipeline.process_item(back) is back
    (row,) = emitted
    assert (row.change, row.field_name, row.old_value, row.new_value) == (
        "restored",
        "status",
        "removed",
        "live",
    )
    saved = runtime.store.article(KEY)
    assert saved is not None and (saved.status, saved.revision) == ("live", 2)
    assert stat(crawler, "restored") == 1 and stat(crawler, "unchanged") is None


# --------------------------------------------------------------------------- downloader mw


def article_request(url: str = URL) -> Request:
    return Request(url, meta={ARTICLE_META: True})


def test_conditional_get_headers_come_from_the_last_fetch(
    crawler: Crawler, runtime: StateRuntime
) -> None:
    runtime.store.record_fetch(
        URL, T0, 200, etag='"v1"', last_modified="Fri, 20 Feb 2026 00:00:00 GMT", body_hash="h"
    )
    mw = StateDownloaderMiddleware.from_crawler(crawler)
    request = article_request()
    mw.process_request(request)
    assert request.headers.get(b"If-None-Match") == b'"v1"'
    assert request.headers.get(b"If-Modified-Since") == b"Fri, 20 Feb 2026 00:00:00 GMT"
    unknown = article_request("https://www.news1global.com/etc/article/1008.html")
    listing = Request(URL)  # not an article fetch: listings are always read in full
    for request in (unknown, listing):
        mw.process_request(request)
        assert b"If-None-Match" not in request.headers
        assert b"If-Modified-Since" not in request.headers


def test_304_is_not_modified(crawler: Crawler, runtime: StateRuntime) -> None:
    runtime.store.record_fetch(URL, T0, 200, etag='"v1"', body_hash="h")
    mw = StateDownloaderMiddleware.from_crawler(crawler)
    request = article_request()
    with pytest.raises(NotModified, match="HTTP 304"):
        mw.process_response(request, Response(URL, status=304, request=request))
    known = runtime.store.url_state(URL)
    assert known is not None and (known.last_status, known.body_hash) == (304, "h")


def test_the_same_body_as_the_last_fetch_is_not_modified(
    crawler: Crawler, runtime: StateRuntime
) -> None:
    body = b"<html><body>same bytes</body></html>"
    runtime.store.record_fetch(URL, T0, 200, body_hash=hashlib.sha256(body).hexdigest())
    mw = StateDownloaderMiddleware.from_crawler(crawler)
    request = article_request()
    with pytest.raises(NotModified, match="same bytes"):
        mw.process_response(request, HtmlResponse(URL, body=body, request=request))
    changed = HtmlResponse(URL, body=body + b"<!-- edit -->", request=request)
    assert mw.process_response(request, changed) is changed


def test_a_new_body_is_recorded_only_when_its_article_reaches_the_state(
    crawler: Crawler, runtime: StateRuntime, pipeline: StatePipeline
) -> None:
    runtime.store.record_fetch(URL, T0, 200, body_hash="old")
    mw = StateDownloaderMiddleware.from_crawler(crawler)
    request = article_request()
    body = b"<html><body>new text</body></html>"
    response = HtmlResponse(URL, body=body, headers={"ETag": '"v2"'}, request=request, status=200)
    assert mw.process_response(request, response) is response
    # not yet: a page whose article is rejected must be fetched in full next time
    known = runtime.store.url_state(URL)
    assert known is not None and (known.body_hash, known.etag) == ("old", None)
    assert set(runtime.pending_fetches) == {URL}
    pipeline.process_item(article())
    known = runtime.store.url_state(URL)
    assert known is not None
    assert (known.body_hash, known.etag) == (hashlib.sha256(body).hexdigest(), '"v2"')
    assert runtime.pending_fetches == {}


def test_a_page_never_fetched_before_is_hashed_when_its_fetch_is_recorded(
    crawler: Crawler, runtime: StateRuntime, pipeline: StatePipeline
) -> None:
    # nothing to compare with: the downloader middleware keeps the body, the hash is taken
    # when the Article reaches the state (or arrives with it from a parse worker, below)
    mw = StateDownloaderMiddleware.from_crawler(crawler)
    request = article_request()
    body = b"<html><body>first fetch</body></html>"
    response = HtmlResponse(URL, body=body, request=request, status=200)
    assert mw.process_response(request, response) is response
    assert runtime.store.url_state(URL) is None
    pipeline.process_item(article())
    known = runtime.store.url_state(URL)
    assert known is not None and known.body_hash == hashlib.sha256(body).hexdigest()
    assert runtime.pending_fetches == {}


@pytest.mark.parametrize("same_length", [True, False])
def test_a_parse_workers_body_hash_is_recorded_for_a_body_of_its_length(
    crawler: Crawler, runtime: StateRuntime, pipeline: StatePipeline, same_length: bool
) -> None:
    from newsspider.state.runtime import attach_body_hash

    mw = StateDownloaderMiddleware.from_crawler(crawler)
    request = article_request()
    body = b"<html><body>first fetch</body></html>"
    response = HtmlResponse(URL, body=body, request=request, status=200)
    mw.process_response(request, response)
    item = article()
    worker_digest = "f" * 64  # not this body's hash: shows which one is recorded
    attach_body_hash(item, len(body) if same_length else len(body) + 1, worker_digest)
    pipeline.process_item(item)
    known = runtime.store.url_state(URL)
    assert known is not None
    expected = worker_digest if same_length else hashlib.sha256(body).hexdigest()
    assert known.body_hash == expected


@pytest.mark.parametrize("outcome", ["reject", "raises", "worker_article"])
def test_a_pages_kept_body_is_let_go_when_its_callback_is_done(
    crawler: Crawler, runtime: StateRuntime, pipeline: StatePipeline, outcome: str
) -> None:
    """A page never fetched before keeps its body only until its callback is done: a page
    whose Article never reaches the state (a reject, a callback that raised) must not hold
    ~50 KB to the end of the run; a pool Article's attached hash is the one kept."""
    from newsspider.items import Reject
    from newsspider.state.runtime import attach_body_hash

    mw = StateDownloaderMiddleware.from_crawler(crawler)
    spider_mw = StateSpiderMiddleware.from_crawler(crawler)
    request = article_request()
    body = b"<html><body>a page never fetched before</body></html>"
    response = HtmlResponse(URL, body=body, request=request, status=200)
    assert mw.process_response(request, response) is response
    assert "body" in runtime.pending_fetches[URL][0]
    worker_digest = "e" * 64
    if outcome == "raises":
        spider_mw.process_spider_exception(response, ValueError("a broken callback"))
    elif outcome == "reject":
        reject = Reject(item_type="Article", url=URL, reasons=["missing_headline"])
        assert list(spider_mw.process_spider_output(response, [reject])) == [reject]
    else:
        item = article()
        attach_body_hash(item, body, worker_digest)
        assert list(spider_mw.process_spider_output(response, [item])) == [item]
    fetch = runtime.pending_fetches[URL][0]
    assert "body" not in fetch
    expected = worker_digest if outcome == "worker_article" else hashlib.sha256(body).hexdigest()
    assert fetch["body_hash"] == expected
    if outcome == "worker_article":  # the Article then records that fetch as before
        pipeline.process_item(article())
        known = runtime.store.url_state(URL)
        assert known is not None and known.body_hash == worker_digest
        assert runtime.pending_fetches == {}


def test_a_fetch_whose_article_is_dropped_before_the_state_is_let_go_unrecorded(
    crawler: Crawler, runtime: StateRuntime, pipeline: StatePipeline
) -> None:
    # a redirect: the fetch is filed under the asked and the landed URL
    landed = URL.replace("/article/", "/news/article/")
    runtime.store.record_fetch(URL, T0, 200, body_hash="old")
    mw = StateDownloaderMiddleware.from_crawler(crawler)
    request = article_request()
    response = HtmlResponse(landed, body=b"<html>dup</html>", request=request, status=200)
    assert mw.process_response(request, response) is response
    assert set(runtime.pending_fetches) == {URL, landed}
    # the dedupe pipeline drops the Article (a duplicate); Scrapy sends item_dropped
    crawler.signals.send_catch_log(
        signals.item_dropped,
        item=article(url=landed),
        response=response,
        exception=DropItem("duplicate Article"),
        spider=None,
    )
    assert runtime.pending_fetches == {}  # released under both keys, not held to the end
    known = runtime.store.url_state(URL)
    assert known is not None and known.body_hash == "old"  # not recorded: fetched in full again


# --------------------------------------------------------------------------- spider mw

PAGE = "https://www.news1global.com/index.html"


def slots(*headlines: str) -> list[FrontPageSlot]:
    return [
        FrontPageSlot(
            crawled_at="2026-02-21T00:05:00+00:00",
            page_url=PAGE,
            block="Top",
            position_in_block=n,
            position_on_page=n,
            headline=headline,
            article_url=f"https://www.news1global.com/etc/article/{1000 + n}.html",
        )
        for n, headline in enumerate(headlines, 1)
    ]


def popular(*headlines: str) -> list[PopularEntry]:
    return [
        PopularEntry(
            crawled_at="2026-02-21T00:05:00+00:00",
            list_name="Most Popular",
            rank=n,
            headline=headline,
            article_url=f"https://www.news1global.com/etc/article/{2000 + n}.html",
        )
        for n, headline in enumerate(headlines, 1)
    ]


def test_an_unchanged_listing_and_popular_list_are_dropped(
    crawler: Crawler, runtime: StateRuntime
) -> None:
    page_slots, entries = slots("A", "B"), popular("P1", "P2")
    store = runtime.store
    store.record_observation("listing", "run0", PAGE, T0, slots_hash(page_slots), "run0")
    store.record_observation("popular", "run0", "Most Popular", T0, popular_hash(entries), "run0")
    mw = StateSpiderMiddleware.from_crawler(crawler)
    follow = Request("https://www.news1global.com/etc/index.html")
    response = HtmlResponse(PAGE, body=b"<html></html>")
    out = list(mw.process_spider_output(response, [*page_slots, *entries, follow]))
    assert out == [follow]  # the page's links are still followed
    assert (stat(crawler, "listing_unchanged"), stat(crawler, "popular_unchanged")) == (1, 1)
    # this run's look at the page is recorded, pointing at the snapshot it repeats
    latest = store.latest_snapshot("listing", PAGE)
    assert latest is not None and latest.run_id == "run0"
    runs = [o["run_id"] for o in store.observations("listing")]
    assert sorted(runs) == ["component-test", "run0"]


def test_a_changed_or_new_listing_is_kept(crawler: Crawler, runtime: StateRuntime) -> None:
    runtime.store.record_observation("listing", "run0", PAGE, T0, slots_hash(slots("A")), "run0")
    mw = StateSpiderMiddleware.from_crawler(crawler)
    response = HtmlResponse(PAGE, body=b"<html></html>")
    moved = slots("B", "A")  # the same articles, in another order
    assert list(mw.process_spider_output(response, moved)) == moved
    entries = popular("P1")
    assert list(mw.process_spider_output(response, entries)) == entries
    assert (stat(crawler, "listing_changed"), stat(crawler, "popular_new")) == (1, 1)
    latest = runtime.store.latest_snapshot("listing", PAGE)
    assert latest is not None and latest.run_id == "component-test"


def test_a_column_added_since_an_article_was_stored_is_not_an_edit(
    crawler: Crawler, runtime: StateRuntime, emitted: list[Any]
) -> None:
    """An upgrade adds empty columns (kicker, standfirst): another content hash, same values.
    The stored version is updated quietly; no revision row, nothing exported again."""
    pipeline = StatePipeline.from_crawler(crawler)
    pipeline.open_spider()
    first = article()
    pipeline.process_item(first)
    stored = runtime.store.article(KEY)
    assert stored is not None
    old_data = {k: v for k, v in stored.data.items() if k not in ("kicker", "standfirst")}
    runtime.store.save_article(dataclasses.replace(stored, content_hash="old", data=old_data))
    with pytest.raises(DropItem, match="new empty columns"):
        pipeline.process_item(article())
    assert emitted == []
    again = runtime.store.article(KEY)
    assert again is not None and again.revision == 1 and again.content_hash != "old"
    with pytest.raises(DropItem, match="unchanged"):  # and from now on, plainly unchanged
        pipeline.process_item(article())
    # a real edit is still an edit
    pipeline.process_item(article(headline="Seoul's oldest bakery marks 81 years"))
    assert [r.field_name for r in emitted if isinstance(r, ArticleRevision)] == ["headline"]


def parse_article(response: Response) -> None:  # an article callback by name (the setting)
    """Never called: the requests below only need a callback named like the spiders'."""


def test_a_page_of_article_links_asks_the_state_once_for_all_of_them(
    crawler: Crawler, runtime: StateRuntime
) -> None:
    from datetime import UTC, datetime, timedelta

    def ago(minutes: int) -> str:
        return (datetime.now(UTC) - timedelta(minutes=minutes)).isoformat()

    fresh, old, unknown = (f"https://www.news1global.com/etc/article/{i}.html" for i in (1, 2, 3))
    runtime.store.record_fetch(fresh, ago(10), 200, etag='"fresh"', body_hash="h1")
    runtime.store.record_fetch(fresh, ago(5), 200)  # young, fetched 5 min ago: not due
    runtime.store.record_fetch(old, ago(20), 200)
    runtime.store.record_fetch(old, ago(14), 200, etag='"old"')  # due (tests/test_state_store)
    queries: list[str] = []
    runtime.store.db.set_trace_callback(
        lambda sql: queries.append(sql) if "FROM urls" in sql else None
    )
    mw = StateSpiderMiddleware.from_crawler(crawler)
    requests = [Request(u, callback=parse_article) for u in (fresh, old, unknown, old)]
    out = list(mw.process_spider_output(HtmlResponse(PAGE, body=b"<html></html>"), requests))
    assert [r.url for r in out] == [old, unknown, old]  # the fresh one is not due yet
    assert all(r.meta[ARTICLE_META] for r in out)
    assert (stat(crawler, "not_due"), stat(crawler, "due")) == (1, 2)
    assert len(queries) == 1  # one query for the page's links, not one per link
    downloader = StateDownloaderMiddleware.from_crawler(crawler)
    request = out[0]
    downloader.process_request(request)  # the state read for the page: no query
    assert request.headers.get(b"If-None-Match") == b'"old"'
    body = b"<html>new</html>"
    assert (
        downloader.process_response(request, HtmlResponse(old, body=body, request=request)).body
        == body
    )
    assert len(queries) == 1
    # the request's last ask let its answer go: a later one reads the file again
    runtime.store.db.set_trace_callback(None)
    assert runtime.store.url_state(old) == runtime.store.states_of([old])[old]
    assert old not in runtime.store._kept and unknown in runtime.store._kept


def test_a_304_listing_hands_the_spider_only_the_links_that_are_due(
    crawler: Crawler, runtime: StateRuntime
) -> None:
    """The same decision and the same counts as when every link's request passed the
    middleware (the test above), made before the spider builds a request for a link."""
    from datetime import UTC, datetime, timedelta

    from newsspider.state.listing import (
        LISTING_LINK_COUNT_META,
        LISTING_LINKS_META,
        LISTING_META,
        ListingFetch,
        save_listing_fetch,
    )

    def ago(minutes: int) -> str:
        return (datetime.now(UTC) - timedelta(minutes=minutes)).isoformat()

    fresh, old, unknown = (f"https://www.news1global.com/etc/article/{i}.html" for i in (1, 2, 3))
    runtime.store.record_fetch(fresh, ago(10), 200)
    runtime.store.record_fetch(fresh, ago(5), 200)  # young, fetched 5 min ago: not due
    runtime.store.record_fetch(old, ago(20), 200)
    runtime.store.record_fetch(old, ago(14), 200)  # due
    rule = {"max_articles": None, "site": None}
    links = [(fresh, "news1global"), (old, None), (unknown, "news1global")]
    save_listing_fetch(runtime.store, PAGE, ListingFetch(rule, '"p"', None, links, {}))
    mw = StateSpiderMiddleware.from_crawler(crawler)
    response = Response(PAGE, status=304, request=Request(PAGE, meta={LISTING_META: rule}))
    mw.process_spider_input(response)
    assert response.meta[LISTING_LINKS_META] == [(old, None), (unknown, "news1global")]
    assert response.meta[LISTING_LINK_COUNT_META] == 3
    assert (stat(crawler, "not_due"), stat(crawler, "due")) == (1, None)
    # the spider's requests for them pass, and are counted there, as before
    requests = [Request(u, callback=parse_article) for u, _ in response.meta[LISTING_LINKS_META]]
    out = list(mw.process_spider_output(response, requests))
    assert [r.url for r in out] == [old, unknown]
    assert (stat(crawler, "not_due"), stat(crawler, "due")) == (1, 1)
    # forced refetches: every link, none counted
    runtime.force = True
    forced = Response(PAGE, status=304, request=Request(PAGE, meta={LISTING_META: rule}))
    mw.process_spider_input(forced)
    assert forced.meta[LISTING_LINKS_META] == links
    assert stat(crawler, "not_due") == 1
