"""Navigation tests of the ``site`` spider: its start, listing, robots.txt, sitemap and feed
callbacks fed saved pages of the bundled demo site (which has a feed, a sitemap index, a
Google News sitemap and section/tag listings); asserts the Requests and items they yield."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse, Request, Response, TextResponse
from scrapy.utils.test import get_crawler, get_reactor_settings

from newsspider.items import FrontPageSlot, PopularEntry
from newsspider.spiders.site import DISCOVERY_PRIORITY, SiteSpider

DEMO = Path(__file__).resolve().parent.parent / "newsspider" / "demo_site"
BASE = "https://www.news1global.com/"
ARTICLES = 34  # articles of the demo site (tools/demo/content.py)


def make_site_spider(settings: dict[str, Any] | None = None, **args: str) -> SiteSpider:
    # no download handlers: these tests download nothing (and need no reactor for them)
    no_downloads = {"DOWNLOAD_HANDLERS": {"http": None, "https": None}}
    all_settings = {**get_reactor_settings(), **no_downloads, **(settings or {})}
    crawler = get_crawler(SiteSpider, settings_dict=all_settings)
    spider = SiteSpider.from_crawler(crawler, url=BASE, **args)
    crawler.spider = spider
    # release() counts the requests queued in the engine: a real engine, not started (empty)
    crawler.engine = crawler._create_engine()
    return spider


def page(path: str) -> Response:
    url, body = BASE + path, (DEMO / path).read_bytes()
    request = Request(url)
    if path.endswith(".html"):
        return HtmlResponse(url, body=body, encoding="utf-8", request=request)
    if path.endswith(".txt"):
        return TextResponse(url, body=body, encoding="utf-8", request=request)
    return Response(url, body=body, request=request)  # XML: read as bytes, like a download


def requests_of(out: list[Any], callback: str) -> list[Request]:
    return [o for o in out if isinstance(o, Request) and o.callback.__name__ == callback]


def stats(spider: SiteSpider) -> dict[str, Any]:
    assert spider.crawler.stats is not None
    return {
        k.removeprefix("newsspider/discovery/"): v
        for k, v in spider.crawler.stats.get_stats().items()
        if k.startswith("newsspider/discovery/")
    }


def test_start_page_asks_for_robots_the_feed_listings_and_articles() -> None:
    spider = make_site_spider()
    out = list(spider.parse_start(page("index.html")))
    (robots,) = requests_of(out, "parse_robots")
    assert robots.url == BASE + "robots.txt" and robots.priority == DISCOVERY_PRIORITY
    (feed,) = requests_of(out, "parse_document")
    assert feed.url == BASE + "rss.xml" and feed.cb_kwargs == {"channel": "feed"}
    listings = requests_of(out, "parse_listing")
    urls = [r.url for r in listings]
    assert BASE + "politics/index.html" in urls and BASE + "tag/elections.html" in urls
    assert len(urls) == len(set(urls)) == stats(spider)["listing/listings"]
    assert all(r.cb_kwargs["page_no"] == 1 and r.priority == DISCOVERY_PRIORITY for r in listings)
    articles = requests_of(out, "parse_article")
    # 34 articles found; 2 x CONCURRENT_REQUESTS (32) released now, the rest wait
    assert (len(articles), len(spider.backlog)) == (32, ARTICLES - 32)
    assert all(r.dont_filter and "/article/" in r.url for r in articles)
    assert sum(isinstance(o, FrontPageSlot) for o in out) == 48
    assert sum(isinstance(o, PopularEntry) for o in out) == 10
    assert stats(spider)["listing/new"] == ARTICLES


def test_channels_argument_limits_what_the_start_page_asks_for() -> None:
    spider = make_site_spider(channels="sitemap")
    out = list(spider.parse_start(page("index.html")))
    assert [(r.callback.__name__, r.url) for r in out] == [("parse_robots", BASE + "robots.txt")]


def test_robots_txt_leads_to_its_sitemaps() -> None:
    spider = make_site_spider(channels="sitemap")
    (robots,) = list(spider.parse_start(page("index.html")))
    out = list(spider.parse_robots(page("robots.txt"), **robots.cb_kwargs))
    assert [(r.url, r.cb_kwargs) for r in out] == [
        (BASE + "sitemap.xml", {"channel": "sitemap", "depth": 0}),
        (BASE + "news-sitemap.xml", {"channel": "sitemap", "depth": 0}),
    ]


def test_sitemap_index_then_sitemaps_find_every_article_once() -> None:
    spider = make_site_spider(channels="sitemap")
    list(spider.parse_start(page("index.html")))  # decides the site's article URL rule
    index = list(spider.parse_document(page("sitemap.xml"), channel="sitemap"))
    assert [(r.url, r.cb_kwargs["depth"]) for r in index] == [
        (BASE + "sitemap-articles.xml", 1),
        (BASE + "sitemap-listings.xml", 1),
    ]
    articles = list(spider.parse_document(page("sitemap-articles.xml"), channel="sitemap", depth=1))
    assert (len(articles), len(spider.backlog)) == (32, ARTICLES - 32)  # the rest wait
    # the listings sitemap lists no article; its call releases the 2 that waited
    listings = list(spider.parse_document(page("sitemap-listings.xml"), channel="sitemap", depth=1))
    assert len(listings) == ARTICLES - 32 and not spider.backlog
    news = list(spider.parse_document(page("news-sitemap.xml"), channel="sitemap"))
    assert news == []  # every article of the news sitemap is known already
    urls = [r.url for r in articles + listings]
    assert len(set(urls)) == ARTICLES and all("/article/" in u for u in urls)
    found = stats(spider)
    assert found["sitemap/not_article"] == 113  # every listing URL in sitemap-listings.xml
    assert (found["sitemap/new"], found["sitemap/news_documents"]) == (ARTICLES, 1)


def test_feed_after_the_sitemaps_adds_no_second_request() -> None:
    spider = make_site_spider(channels="sitemap,feed")
    list(spider.parse_start(page("index.html")))
    first = list(spider.parse_document(page("sitemap-articles.xml"), channel="sitemap"))
    out = list(spider.parse_document(page("rss.xml"), channel="feed"))
    # only the 2 sitemap articles that waited in the backlog: no article twice
    urls = [r.url for r in first + out]
    assert len(out) == ARTICLES - 32 and len(urls) == len(set(urls)) == ARTICLES
    found = stats(spider)
    assert (found["feed/documents"], found["feed/links"], found.get("feed/new")) == (1, 20, None)
    coverage = spider.coverage()
    assert coverage == {"sitemap": (ARTICLES, ARTICLES - 20), "feed": (20, 0)}


def test_sitemap_depth_bound_stops_an_index_chain() -> None:
    spider = make_site_spider({"NEWSSPIDER_SITEMAP_MAX_DEPTH": 0}, channels="sitemap")
    out = list(spider.parse_document(page("sitemap.xml"), channel="sitemap"))
    assert out == []
    assert stats(spider)["sitemap/depth_limited"] == 2


@pytest.mark.parametrize(("depth", "pages"), [("1", 1), ("2", 2)])
def test_depth_argument_bounds_a_listing(depth: str, pages: int) -> None:
    spider = make_site_spider(depth=depth, channels="listing")
    followed, url, page_no = 0, "politics/index.html", 1
    while url:
        out = list(spider.parse_listing(page(url), name="politics", page_no=page_no))
        followed += 1
        (nxt,) = requests_of(out, "parse_listing") or [None]
        url = nxt.url.removeprefix(BASE) if nxt is not None else ""
        page_no += 1
    assert followed == pages
    assert stats(spider)["listing/depth_limited"] == 1


def drained(out: Any) -> list[Any]:
    """A callback's output: a plain iterator (parsed inline) or an async one (the pool)."""
    import asyncio
    from collections.abc import AsyncIterator

    if not isinstance(out, AsyncIterator):
        return list(out)

    async def collect() -> list[Any]:
        return [item async for item in out]

    return asyncio.run(collect())


def described(out: list[Any]) -> list[Any]:
    """Items as their fields (but the time), requests as what they ask for: comparable between
    two spiders' crawls of the same pages."""
    from dataclasses import asdict

    return [
        (o.url, o.callback.__name__, o.cb_kwargs, o.priority)
        if isinstance(o, Request)
        else (type(o).__name__, {k: v for k, v in asdict(o).items() if k != "crawled_at"})
        for o in out
    ]


def test_listing_pages_parsed_in_the_pool_yield_what_inline_parsing_yields() -> None:
    """With the parse pool in use, the start page and a listing page are parsed by a worker
    (their slots already normalized there): the same items, requests and order as inline,
    and the same discovery stats."""
    from newsspider.pipelines.checks import checks_of
    from newsspider.prerender import prerender_of

    outputs, spiders = {}, {}
    checked = {  # both pipelines on: a worker checks the slots (parsepool.checks_in_worker)
        "newsspider.pipelines.normalize.NormalizePipeline": 300,
        "newsspider.pipelines.validate.ValidatePipeline": 400,
    }
    for workers in (0, 1):
        spider = make_site_spider({"NEWSSPIDER_PARSE_WORKERS": workers, "ITEM_PIPELINES": checked})
        try:
            start = drained(spider.parse_start(page("index.html")))
            listing = drained(
                spider.parse_listing(page("politics/page-2.html"), name="politics", page_no=2)
            )
        finally:
            assert spider.parse_pool is not None
            spider.parse_pool.close()
        outputs[workers], spiders[workers] = (start, listing), spider
    pool_stats = spiders[1].crawler.stats.get_stats()  # type: ignore[union-attr]
    assert pool_stats["newsspider/parse_pool/listing_pages"] == 2
    assert "newsspider/parse_pool/inline_listing_pages" not in pool_stats
    inline_stats = spiders[0].crawler.stats.get_stats()  # type: ignore[union-attr]
    assert "newsspider/parse_pool/listing_pages" not in inline_stats
    for inline_out, pool_out in zip(outputs[0], outputs[1], strict=True):
        slots = [o for o in pool_out if isinstance(o, FrontPageSlot)]
        assert slots and all(checks_of(s) is not None for s in slots)  # checked in the worker
        assert all(prerender_of(s) is not None for s in slots)
        assert requests_of(pool_out, "parse_article") or requests_of(pool_out, "parse_listing")
        # the worker normalized its slots; the pipelines do the same to the inline ones
        from newsspider.pipelines.normalize import normalize_item

        for item in inline_out:
            if isinstance(item, FrontPageSlot):
                normalize_item(item, lambda key: None)
        assert described(pool_out) == described(inline_out)
    assert stats(spiders[1]) == stats(spiders[0])
