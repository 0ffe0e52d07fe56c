"""``scrapy crawl article``: one Article per given URL, from any site.

    scrapy crawl article -a url=https://example.com/news/2026/02/21/some-story
    scrapy crawl article -a urls_file=urls.txt      # one URL per line, # starts a comment

Pages of a profiled site are parsed by its page objects (gaps filled by the generic layer);
any other site goes through the generic extractors (JSON-LD, OpenGraph, body heuristics).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import Response

from newsspider.spiders.base import NewsSpider
from newsspider.urls import canonicalize_url, is_safe_url


def read_urls_file(path: str) -> list[str]:
    """URLs from a text file: one per line, blank lines and ``#`` comments ignored."""
    lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


class ArticleSpider(NewsSpider):
    name = "article"

    @classmethod
    def check_arguments(cls, **kwargs: Any) -> None:
        super().check_arguments(**kwargs)
        urls_file = kwargs.get("urls_file")
        if not kwargs.get("url") and not urls_file:
            raise ValueError("give -a url=ARTICLE_URL or -a urls_file=FILE (one URL per line)")
        if urls_file and not Path(urls_file).is_file():
            raise ValueError(f"-a urls_file={urls_file!r}: no such file")

    def __init__(self, urls_file: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        urls = [self.start_url] if kwargs.get("url") else []
        if urls_file:
            try:
                urls += read_urls_file(urls_file)
            except OSError as exc:
                raise ValueError(
                    f"-a urls_file={urls_file!r}: cannot read it ({exc.strerror})"
                ) from exc
        if not urls:
            raise ValueError("give -a url=ARTICLE_URL or -a urls_file=FILE (one URL per line)")
        bad = [u for u in urls if not is_safe_url(u)]
        if bad:
            raise ValueError(f"not http(s) URLs: {', '.join(bad[:3])}")
        self.urls = list(dict.fromkeys(canonicalize_url(u) for u in urls))
        if self.max_articles is not None:
            self.urls = self.urls[: self.max_articles]
        # article lists span many sites: no offsite filtering
        self.allowed_domains = []

    def site_urls(self) -> list[str]:
        return list(self.urls)

    async def start(self) -> AsyncIterator[Any]:
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse_article, errback=self.article_failed)

    def parse_article(self, response: Response) -> Iterator[Any]:
        # each URL may be on another site: pick the profile per page
        yield from self.article_items(response, profile=None)
