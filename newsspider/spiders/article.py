"""``scrapy crawl article``: one Article per given URL, from any site.

    scrapy crawl article -a url=https://example.com/news/2026/02/21/some-story
    scrapy crawl article -a urls_file=urls.txt      # one URL per line, # starts a comment
    scrapy parse URL                                # print the Article of one page

Pages of a profiled site are parsed by its page objects (gaps filled by the generic layer);
any other site goes through the generic extractors (JSON-LD, OpenGraph, body heuristics).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import scrapy
from scrapy.http import Response

from newsspider.arguments import Argument, ArgumentError, parse_url, read_urls_file
from newsspider.spiders.base import NewsSpider
from newsspider.urls import canonicalize_url


class ArticleSpider(NewsSpider):
    name = "article"
    arguments = (
        Argument("url", parse_url, "one article to fetch (and the site, with urls_file)", "URL"),
        *(argument for argument in NewsSpider.arguments if argument.name != "url"),
        Argument(
            "urls_file",
            read_urls_file,
            "text file of article URLs, one per line (# starts a comment)",
            "FILE",
        ),
    )

    @classmethod
    def check_argument_combination(cls, values: dict[str, Any]) -> None:
        if not values["url"] and not values["urls_file"]:
            raise ArgumentError(
                "spider article needs -a url=ARTICLE_URL or -a urls_file=FILE (one URL per line)"
            )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        urls = [canonicalize_url(self.start_url)] if self.args["url"] else []
        urls += self.args["urls_file"] or ()
        self.urls = list(dict.fromkeys(urls))
        if self.max_articles is not None:
            self.urls = self.urls[: self.max_articles]
        # article lists span many sites: no offsite filtering
        self.allowed_domains = []

    def site_urls(self) -> list[str]:
        return list(self.urls)

    async def start(self) -> AsyncIterator[Any]:
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse_article, errback=self.article_failed)

    async def parse_article(self, response: Response) -> AsyncIterator[Any]:
        # each URL may be on another site: pick the profile per page
        async for item in self.article_items(response, profile=None):
            yield item
