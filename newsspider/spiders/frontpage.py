"""``scrapy crawl frontpage``: a site's front page, every article it links to, popular lists.

scrapy crawl frontpage                         # the bundled demo site, offline
scrapy crawl frontpage -a url=https://www.news1global.com/
scrapy crawl frontpage -a url=http://127.0.0.1:8000/ -a site=news1global
scrapy parse --spider=frontpage URL            # one front page: its slots, popular, links

``-a since`` is refused: a front page is a snapshot of now, and every article it links to is
exported whatever its date (use ``scrapy crawl site -a since=…`` for a date cut-off).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from newsspider.health.drift import record_listing_fields
from newsspider.items import Reject, utc_now_iso
from newsspider.parsepool import FRONT, ParsedListing
from newsspider.sites import get_profile
from newsspider.spiders.base import CallbackOutput, NewsSpider
from newsspider.state.listing import LISTING_LINK_COUNT_META, LISTING_LINKS_META, LISTING_META

if TYPE_CHECKING:  # the page objects load with the first page parsed
    from newsspider.pages.base import SiteProfile


class FrontpageSpider(NewsSpider):
    name = "frontpage"
    parse_callback = "parse_front"

    async def start(self) -> AsyncIterator[Any]:
        # how the article links are chosen: with the crawl state on, an unchanged page can be
        # answered 304 and its last links reused only under the same rule
        # (newsspider/middlewares_state.py)
        rule = {
            "max_articles": self.max_articles,
            "site": self.forced_profile.name if self.forced_profile else None,
        }
        yield scrapy.Request(
            self.start_url,
            callback=self.parse_front,
            errback=self.front_failed,
            meta={LISTING_META: rule},
        )

    def front_failed(self, failure: Failure) -> Iterator[Any]:
        yield from self.fetch_failed(failure, "FrontPage")

    def parse_front(self, response: Response) -> CallbackOutput:
        """The front page: its slots, popular list and the articles it links to. Parsed in
        the parse pool when its workers are in use (an async iterator then), else here."""
        if response.status == 304:
            return self.follow_unchanged(response)
        reject = self.not_html(response, "FrontPage")
        if reject is not None:
            return iter([reject])
        assert isinstance(response, scrapy.http.TextResponse)
        crawled_at = utc_now_iso()
        profile = self.profile_for(response)
        self.crawler.stats.set_value("newsspider/site_profile", profile.name)
        self.logger.info("Front page %s parsed with the %r profile", response.url, profile.name)
        pool = self.listing_pool()
        if pool is not None:
            job = self.listing_job(response, profile, FRONT, crawled_at)
            return self.pooled_listing_output(
                pool,
                job,
                lambda parsed: self.front_output(parsed, response, profile, job.crawled_at),
            )
        parsed = self.parse_listing_inline(response, profile, FRONT)
        return self.front_output(parsed, response, profile, crawled_at)

    def front_output(
        self, parsed: ParsedListing, response: Response, profile: SiteProfile, crawled_at: str
    ) -> Iterator[Any]:
        """What the parsed front page yields, in order, wherever it was parsed."""
        slots, popular = parsed.slots, parsed.popular
        if profile.name != "generic":
            record_listing_fields(self.crawler.stats, profile.name, slots=slots, popular=popular)
        if not slots:
            self.crawler.stats.inc_value("newsspider/frontpage/no_slots")
            self.logger.warning(
                "No headlines found on %s: is it a front page? Check the URL or try -a site=NAME",
                response.url,
            )
        yield from self.stamp(slots, crawled_at)
        yield from self.stamp(self.new_popular(popular), crawled_at)
        # the slots' links as the page gives them (a worker has normalized the slots since)
        article_urls = list(
            dict.fromkeys(
                [url for url, _ in parsed.links] + [p.article_url for p in popular if p.article_url]
            )
        )
        if self.max_articles is not None:
            article_urls = article_urls[: self.max_articles]
        self.crawler.stats.set_value("newsspider/frontpage/article_links", len(article_urls))
        for url in article_urls:
            yield response.follow(
                url,
                callback=self.parse_article,
                errback=self.article_failed,
                cb_kwargs={"profile_name": profile.name},
            )

    def follow_unchanged(self, response: Response) -> Iterator[Any]:
        """304 Not Modified: the links of the page's last full fetch (the state kept them), not
        a parse; its slots and popular list are recorded by the state as seen unchanged."""
        links = response.meta.get(LISTING_LINKS_META)
        if links is None:  # a 304 to a request without validators: nothing to follow
            self.crawler.stats.inc_value("newsspider/fetch/http_304")
            self.logger.warning(
                "Gave up on FrontPage %s: server answered HTTP 304 to an unconditional request",
                response.url,
            )
            yield Reject(
                run_id=None,  # stamped by the stamp pipeline
                crawled_at=utc_now_iso(),
                item_type="FrontPage",
                url=response.url,
                reasons=["fetch_http_304"],
                messages=["server answered HTTP 304 to an unconditional request"],
            )
            return
        # only the links whose article is due (the state dropped the others); the stat counts
        # every link the page had
        count = response.meta.get(LISTING_LINK_COUNT_META, len(links))
        self.crawler.stats.set_value("newsspider/frontpage/article_links", count)
        # the profile by name, looked up if the article is fetched: a run that fetches no
        # article loads no page object at all (docs/benchmarks/log.md "Session 9 (perf-recrawl)")
        for url, profile_name in links:
            yield scrapy.Request(
                url,
                callback=self.parse_article,
                errback=self.article_failed,
                cb_kwargs={"profile_name": profile_name} if profile_name is not None else {},
            )

    async def parse_article(
        self, response: Response, profile_name: str | None = None
    ) -> AsyncIterator[Any]:
        """``profile_name``: the front page's profile, by name so that a run fetching no
        article loads no page object; None (`scrapy parse -c parse_article URL`): detected
        from the page."""
        profile = get_profile(profile_name) if profile_name is not None else None
        async for item in self.article_items(response, profile):
            yield item
