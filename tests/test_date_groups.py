"""A date travels as one group (value, raw, tz_assumed, source) through every layer.

Regression tests for issue 9 bugs 1, 3 and 4; each failed on the code before the date module.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from newsspider.pages.generic import GenericArticlePage, ProfileWithFallback, fill_missing
from newsspider.pages.news1global import ArticlePage
from newsspider.pipelines.validate import problems_of

URL = "https://www.news1global.com/politics/article/77.html"
BODY = "<div class='article-body'><p>" + "Lawmakers met again today. " * 20 + "</p></div>"


def page(dates: str = "", head: str = "", extra: str = "") -> str:
    return (
        f"<html lang='en'><head><title>Budget passes | News1 Global</title>{head}</head><body>"
        f"<h1 class='article-headline'>Budget passes after all-night session</h1>"
        f"<div class='article-dates'>{dates}</div>{extra}{BODY}</body></html>"
    )


def group(article: Any) -> tuple[Any, ...]:
    return (
        article.published_at,
        article.published_at_raw,
        article.published_at_tz_assumed,
        article.published_at_source,
    )


def test_unparseable_printed_date_keeps_its_raw_text() -> None:
    # bug 1: the loop variable shadowed the printed raw date, so the warning never fired
    html = page("<span class='published'>Published : this morning</span>")
    article = ArticlePage(URL, html).article()
    assert group(article) == (None, "this morning", None, None)
    _, warnings = problems_of(article)
    assert "unparsed_published_at" in [code for code, _ in warnings]


def test_unparseable_printed_date_is_not_replaced_by_a_broken_meta() -> None:
    html = page(
        "<span class='published'>Published : this morning</span>",
        head="<meta property='article:published_time' content='not a date'>",
    )
    assert group(ArticlePage(URL, html).article()) == (None, "this morning", None, None)


def test_no_date_anywhere_gives_an_empty_group() -> None:
    # bug 3: published_at=None next to published_at_tz_assumed=False (from the generic layer)
    html = page()
    article = ProfileWithFallback(ArticlePage(URL, html), URL, html, "Asia/Seoul").article()
    assert group(article) == (None, None, None, None)


def test_fallback_moves_the_whole_group() -> None:
    # the profile cannot read its printed date; the generic layer finds a <time>: value, raw,
    # flag and source all come from the generic layer, none from the profile
    html = page(
        "<span class='published'>Published : this morning</span>",
        extra="<time datetime='2026-02-21T06:40'>Feb 21, 2026</time>",
    )
    article = ProfileWithFallback(ArticlePage(URL, html), URL, html, "Asia/Seoul").article()
    assert group(article) == ("2026-02-21T06:40:00+09:00", "2026-02-21T06:40", True, "meta")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # the generic layer has nothing: the profile's raw text stays (no flag from elsewhere)
        (
            {"published_at": None, "published_at_raw": None, "published_at_tz_assumed": None},
            (None, "this morning", None, None),
        ),
        # the generic layer has a value: its whole group replaces the profile's raw text
        (
            {
                "published_at": "2026-02-21T06:40:00+09:00",
                "published_at_raw": "2026-02-21 06:40",
                "published_at_tz_assumed": True,
                "sources": {"published_at": "structured_data"},
            },
            ("2026-02-21T06:40:00+09:00", "2026-02-21 06:40", True, "structured_data"),
        ),
    ],
)
def test_fill_missing_never_mixes_layers(data: dict[str, Any], expected: tuple[Any, ...]) -> None:
    article = ArticlePage(URL, page("<span class='published'>Published : this morning</span>"))
    item = article.article()
    fill_missing(item, data)
    assert group(item) == expected


def test_fill_missing_moves_the_updated_group_whole() -> None:
    item = ArticlePage(URL, page("<span class='published'>Published : 2026-02-21 06:40 KST</span>"))
    article = item.article()
    article.updated_at_raw = "later today"  # printed, unreadable
    fill_missing(article, {"updated_at": "2026-02-21T11:15:00+09:00", "updated_at_raw": "11:15"})
    assert (article.updated_at, article.updated_at_raw) == ("2026-02-21T11:15:00+09:00", "11:15")


@pytest.mark.parametrize(
    ("time_element", "zone", "expected", "assumed"),
    [
        # bug 4: a naive <time datetime> rejected the whole article ("not ISO 8601")
        ("<time datetime='2026-06-05T10:00'>June 5</time>", None, "2026-06-05", False),
        ("<time datetime='2026-06-05T10:00'>June 5</time>", "Asia/Seoul",
         "2026-06-05T10:00:00+09:00", True),
        # an explicit zone after an ISO-looking date beats the site's zone
        ("<p>Posted 2026-06-05 10:00 EST</p>", "Asia/Seoul", "2026-06-05T10:00:00-04:00", False),
        ("<p>Posted 2026-06-05 10:00 UTC</p>", "Asia/Seoul", "2026-06-05T10:00:00+00:00", False),
    ],
)  # fmt: skip
def test_generic_naive_and_zoned_dates_keep_the_article(
    time_element: str, zone: str | None, expected: str, assumed: bool
) -> None:
    generic = GenericArticlePage("https://example.com/news/2026/story", page(extra=time_element))
    generic.timezone = zone
    article = generic.article()
    assert (article.published_at, article.published_at_tz_assumed) == (expected, assumed)
    errors, _ = problems_of(article)
    assert errors == []


def test_spider_resolves_relative_dates_against_the_crawl_time() -> None:
    # the crawl time reaches the generic layer through the spider (page objects never read
    # the clock); "3 hours ago" is three hours before the article's crawled_at
    from datetime import timedelta

    from scrapy.http import HtmlResponse, Request
    from scrapy.utils.test import get_crawler

    from newsspider.dates import parse_instant
    from newsspider.items import Article
    from newsspider.pages.generic import PROFILE as GENERIC
    from newsspider.spiders.frontpage import FrontpageSpider

    url = "https://example.com/news/2026/budget-story"
    html = page(extra="<time class='ago'>3 hours ago</time>")
    response = HtmlResponse(url=url, body=html.encode(), encoding="utf-8", request=Request(url))
    # a parse worker: the crawl time travels with the page ("now" for "3 hours ago")
    crawler = get_crawler(FrontpageSpider, {"NEWSSPIDER_PARSE_WORKERS": 1})
    spider = FrontpageSpider.from_crawler(crawler, url="https://example.com/")

    async def drain() -> list[Any]:
        return [o async for o in spider.parse_article(response, profile_name=GENERIC.name)]

    try:
        (article,) = [o for o in asyncio.run(drain()) if isinstance(o, Article)]
    finally:
        spider.parse_pool.close()
    assert crawler.stats.get_value("newsspider/parse_pool/pages") == 1
    assert article.published_at is not None and article.crawled_at is not None
    expected = parse_instant(article.crawled_at) - timedelta(hours=3)
    assert parse_instant(article.published_at) == expected
    assert article.published_at_raw == "3 hours ago"
