"""``scrapy crawl site``: every article of a site, through listings, feeds and sitemaps.

    scrapy crawl site                                   # the bundled demo, offline
    scrapy crawl site -a url=https://www.news1global.com/
    scrapy crawl site -a since=2026-02-20               # stop paging at older articles
    scrapy crawl site -a depth=3                        # at most 3 pages per listing
    scrapy crawl site -a channels=sitemap,feed          # skip the listing pages

Discovery channels (``-a channels=``, all three by default):

* ``listing``: the start page, the section and tag listings it links to, each followed
  through its "next" pages until the end, ``depth`` pages (``NEWSSPIDER_LISTING_MAX_PAGES``,
  50, by default), or a page whose articles are older than ``since``. Every headline is
  exported as a FrontPageSlot (``block`` = listing name).
* ``feed``: RSS/Atom feeds the start page announces (``<link rel="alternate">``) and those the
  site profile declares.
* ``sitemap``: the sitemaps in robots.txt (``Sitemap:`` lines) and those the profile declares;
  sitemap indexes are followed, Google News sitemaps read.

The start page is always fetched first (it tells which site profile applies). Each article is
fetched once, however many channels find it; the stats ``newsspider/discovery/<channel>/…``
say what each channel found, and ``…/only`` how many articles no other channel found.

Bounds (settings, see README): ``NEWSSPIDER_LISTING_MAX_PAGES`` pages per listing unless
``-a depth`` says otherwise, ``NEWSSPIDER_LISTING_MAX_LISTINGS`` listings followed from the
start page, ``NEWSSPIDER_SITEMAP_MAX_DEPTH`` levels of sitemap indexes,
``NEWSSPIDER_SITEMAP_MAX_DOCUMENTS`` sitemap documents and ``NEWSSPIDER_SITEMAP_MAX_URLS``
article URLs from sitemaps per run. Each bound that is hit is a ``…_limited`` stat and one
warning line: a generated "next page" or sitemap-index chain is never followed for ever.

Article requests are released from a compact backlog as earlier ones finish (at most
``2 × CONCURRENT_REQUESTS`` queued or downloading), so a 50,000-URL sitemap does not sit in
the scheduler as 50,000 Request objects.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from newsspider import settings as defaults  # each default: settings.py
from newsspider.arguments import Argument, parse_channels, parse_depth, parse_since
from newsspider.backlog import UrlBacklog
from newsspider.dates import older_than
from newsspider.discovery import (
    CHANNELS,
    document_kind,
    feed_links_in_html,
    parse_feed,
    parse_sitemap,
    resolve_declared,
    site_root,
    sitemaps_in_robots,
)
from newsspider.health.drift import record_listing_fields
from newsspider.intsets import IntMap
from newsspider.items import utc_now_iso
from newsspider.middlewares import clean_link
from newsspider.parsepool import LISTING, ParsedListing
from newsspider.sites import detect_profile
from newsspider.spiders.base import CallbackOutput, NewsSpider, followed_by
from newsspider.urls import article_id_from_url, canonicalize_url

if TYPE_CHECKING:  # the page objects load with the first page parsed
    from newsspider.pages.base import SiteProfile

CHANNEL_BIT = {name: 1 << i for i, name in enumerate(CHANNELS)}
DISCOVERY_PRIORITY = 10  # listing/feed/sitemap pages before articles: coverage is known early
STAT = "newsspider/discovery"


class SiteSpider(NewsSpider):
    name = "site"
    parse_callback = "parse_start"
    arguments = (
        *NewsSpider.arguments,
        Argument("since", parse_since, "skip articles published before this day", "YYYY-MM-DD"),
        Argument("depth", parse_depth, "follow at most N pages of each listing", "N"),
        Argument(
            "channels",
            parse_channels,
            f"discovery channels, comma-separated (default: {','.join(CHANNELS)})",
            "LIST",
        ),
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.since: datetime | None = self.args["since"]
        self.depth: int | None = self.args["depth"]
        self.channels: tuple[str, ...] = self.args["channels"] or CHANNELS
        self.root = site_root(self.start_url)
        # article key (numeric id, else hash of the canonical URL) -> bitmask of channels
        self.found = IntMap()  # ~20 bytes per article instead of ~100 (newsspider/intsets.py)
        self.backlog = UrlBacklog()  # ~10 bytes per queued URL (newsspider/backlog.py)
        self.max_in_flight = 32
        # the profile whose article URL rule applies (None: a generic site)
        self.url_rule: SiteProfile | None = None
        self.profiles_by_host: dict[str, SiteProfile] = {}
        self.listings_seen: set[str] = set()
        self.sitemaps_seen: set[str] = set()
        self.articles_released = 0
        self.listing_max_pages = 50
        self.listing_max_listings = 500
        self.listings_followed = 0
        self.sitemap_max_depth = 3
        self.sitemap_max_documents = 1000
        self.sitemap_max_urls = 500_000
        self.sitemap_urls = 0  # article URLs read from sitemaps so far
        self.bounds_logged: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SiteSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, SiteSpider)
        settings = crawler.settings
        spider.max_in_flight = 2 * settings.getint("CONCURRENT_REQUESTS", 16)
        spider.listing_max_pages = settings.getint(
            "NEWSSPIDER_LISTING_MAX_PAGES", defaults.NEWSSPIDER_LISTING_MAX_PAGES
        )
        spider.listing_max_listings = settings.getint(
            "NEWSSPIDER_LISTING_MAX_LISTINGS", defaults.NEWSSPIDER_LISTING_MAX_LISTINGS
        )
        spider.sitemap_max_depth = settings.getint(
            "NEWSSPIDER_SITEMAP_MAX_DEPTH", defaults.NEWSSPIDER_SITEMAP_MAX_DEPTH
        )
        spider.sitemap_max_documents = settings.getint(
            "NEWSSPIDER_SITEMAP_MAX_DOCUMENTS", defaults.NEWSSPIDER_SITEMAP_MAX_DOCUMENTS
        )
        spider.sitemap_max_urls = settings.getint(
            "NEWSSPIDER_SITEMAP_MAX_URLS", defaults.NEWSSPIDER_SITEMAP_MAX_URLS
        )
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider

    # ------------------------------------------------------------------ bookkeeping

    def inc(self, key: str, count: int = 1) -> None:
        self.crawler.stats.inc_value(f"{STAT}/{key}", count)

    def bound_hit(self, key: str, message: str, count: int = 1) -> None:
        """A crawl bound stopped something: a stat each time, one warning line per bound."""
        self.inc(key, count)
        if key not in self.bounds_logged:
            self.bounds_logged.add(key)
            self.logger.warning(message)

    def profile_of(self, response: TextResponse) -> SiteProfile:
        """Profile per host, detected once (detection parses the page a second time)."""
        if self.forced_profile is not None:
            return self.forced_profile
        host = urlsplit(response.url).netloc
        profile = self.profiles_by_host.get(host)
        if profile is None:
            profile = detect_profile(response.url, response.text)
            self.profiles_by_host[host] = profile
        return profile

    def is_article_url(self, url: str) -> bool:
        if self.url_rule is None:
            return True  # generic site: trust the sitemap/feed
        return self.url_rule.is_article_url(url)

    def article_key(self, url: str) -> int:
        # compact: 50,000 small ints cost ~3 MB, 50,000 URL strings ~10 MB
        if self.url_rule is not None:
            article_id = self.url_rule.article_id(url)
        else:
            article_id = article_id_from_url(url)
        return int(article_id) if article_id and article_id.isdigit() else hash(url)

    def discovered(
        self, channel: str, urls: Iterable[tuple[str, str | None]]
    ) -> Iterator[scrapy.Request]:
        """Record article URLs a channel found; queue the new ones; release what fits."""
        bit = CHANNEL_BIT[channel]
        for raw_url, published in urls:
            # the backlog is released on idle straight to the engine, past LinkHygieneMiddleware:
            # clean here, before the dedupe key, so session-id variants are one article
            link, removed = clean_link(raw_url)
            if removed is not None:
                self.crawler.stats.inc_value(removed)
            try:
                url = canonicalize_url(link)
            except ValueError:
                continue
            if not self.is_article_url(url):
                self.inc(f"{channel}/not_article")
                continue
            if older_than(published, self.since):
                self.inc(f"{channel}/skipped_since")
                continue
            self.inc(f"{channel}/links")
            key = self.article_key(url)
            seen = self.found.get(key)
            if seen is None:
                self.found[key] = bit
                self.backlog.append(url)
                self.inc(f"{channel}/new")
            else:
                self.found[key] = seen | bit
        yield from self.release()

    def outstanding(self) -> int:
        """Requests queued in the scheduler or being downloaded right now."""
        engine = self.crawler.engine
        if engine is None:
            return 0
        scheduler = engine.scheduler
        queued = len(scheduler) if scheduler is not None and hasattr(scheduler, "__len__") else 0
        return queued + len(engine.downloader.active)

    def release(self) -> Iterator[scrapy.Request]:
        """Article requests from the backlog, up to max_in_flight queued or downloading.

        Counted from the engine, not by callbacks: a middleware may drop a request (the crawl
        state's "not due yet" filter) and then no callback or errback ever runs for it.
        """
        budget = self.max_in_flight - self.outstanding()
        max_articles = self.max_articles
        while self.backlog and budget > 0:
            if max_articles is not None and self.articles_released >= max_articles:
                self.backlog.clear()
                break
            url = self.backlog.popleft()
            budget -= 1
            self.articles_released += 1
            # dont_filter: self.found already guarantees one request per article, and the
            # dupefilter would keep a second fingerprint per article for the whole run
            yield scrapy.Request(
                url, callback=self.parse_article, errback=self.article_failed, dont_filter=True
            )

    def on_idle(self) -> None:
        if not self.backlog:
            return
        assert self.crawler.engine is not None
        for request in self.release():
            self.crawler.engine.crawl(request)
        raise DontCloseSpider

    def discovery_request(self, url: str, callback: Any, **cb_kwargs: Any) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.discovery_failed,
            cb_kwargs=cb_kwargs,
            priority=DISCOVERY_PRIORITY,
        )

    # ------------------------------------------------------------------ start

    async def start(self) -> AsyncIterator[Any]:
        yield scrapy.Request(
            self.start_url,
            callback=self.parse_start,
            errback=self.start_failed,
            priority=DISCOVERY_PRIORITY,
        )

    def start_failed(self, failure: Failure) -> Iterator[Any]:
        yield from self.fetch_failed(failure, "FrontPage")

    def parse_start(self, response: Response) -> CallbackOutput:
        reject = self.not_html(response, "FrontPage")
        if reject is not None:
            return iter([reject])
        assert isinstance(response, TextResponse)
        profile = self.profile_of(response)
        self.crawler.stats.set_value("newsspider/site_profile", profile.name)
        if profile.article_path_regex:
            self.url_rule = profile
        self.logger.info(
            "Site crawl of %s with the %r profile; channels %s%s%s",
            response.url,
            profile.name,
            ",".join(self.channels),
            f"; since {self.since}" if self.since else "",
            f"; depth {self.depth}" if self.depth else "",
        )
        head: list[Any] = []
        if "sitemap" in self.channels:
            robots_url = self.root + "robots.txt"
            head.append(self.discovery_request(robots_url, self.parse_robots, profile=profile))
        if "feed" in self.channels:
            feeds = feed_links_in_html(response.text, response.url)
            feeds += resolve_declared(self.root, profile.feed_urls)
            for url in dict.fromkeys(feeds):
                head.append(self.discovery_request(url, self.parse_document, channel="feed"))
        if "listing" not in self.channels:
            return iter(head)
        return followed_by(
            head, self.parse_listing(response, name="front", page_no=1, is_start=True)
        )

    # ------------------------------------------------------------------ listings

    def parse_listing(
        self, response: Response, name: str, page_no: int, is_start: bool = False
    ) -> CallbackOutput:
        """A listing page: its slots and popular entries, the articles it links to, its next
        page (and, for the start page, the listings it links to). Parsed in the parse pool
        once its workers are in use (an async iterator then), else here."""
        reject = self.not_html(response, "FrontPage")
        if reject is not None:
            return iter([reject])
        assert isinstance(response, TextResponse)
        self.listings_seen.add(canonicalize_url(response.url))
        self.inc("listing/pages")
        profile = self.profile_of(response)
        crawled_at = utc_now_iso()
        self.expect_articles()
        pool = self.listing_pool()
        if pool is not None:
            job = self.listing_job(response, profile, LISTING, crawled_at, start=is_start)
            return self.pooled_listing_output(
                pool,
                job,
                lambda parsed: self.listing_output(parsed, crawled_at, name, page_no, is_start),
            )
        parsed = self.parse_listing_inline(response, profile, LISTING, start=is_start)
        return self.listing_output(parsed, crawled_at, name, page_no, is_start)

    def listing_output(
        self, parsed: ParsedListing, crawled_at: str, name: str, page_no: int, is_start: bool
    ) -> Iterator[Any]:
        """What a parsed listing page yields, in order, wherever it was parsed."""
        if parsed.profile != "generic":
            stats = self.crawler.stats
            record_listing_fields(stats, parsed.profile, slots=parsed.slots, popular=parsed.popular)
        yield from self.stamp(parsed.slots, crawled_at)
        yield from self.stamp(self.new_popular(parsed.popular), crawled_at)
        yield from self.discovered("listing", parsed.links)
        next_url = parsed.next_url
        max_pages = self.depth if self.depth is not None else self.listing_max_pages
        if next_url and next_url not in self.listings_seen:
            if max_pages > 0 and page_no >= max_pages:
                self.bound_hit(
                    "listing/depth_limited",
                    f"Listing {name!r} goes on after {page_no} pages; not followed further"
                    " (-a depth, NEWSSPIDER_LISTING_MAX_PAGES)",
                )
            elif any(older_than(p, self.since) for p in parsed.published):
                # newest first: this page already reached articles older than -a since
                self.inc("listing/stopped_since")
            else:
                self.listings_seen.add(next_url)
                yield self.discovery_request(
                    next_url, self.parse_listing, name=name, page_no=page_no + 1
                )
        if is_start:
            for url in parsed.listing_urls:
                if url not in self.listings_seen:
                    if 0 < self.listing_max_listings <= self.listings_followed:
                        self.bound_hit(
                            "listing/listings_limited",
                            f"The start page links to more than {self.listing_max_listings}"
                            f" listings; {url} and later ones are not followed"
                            " (NEWSSPIDER_LISTING_MAX_LISTINGS)",
                        )
                        continue
                    self.listings_seen.add(url)
                    self.listings_followed += 1
                    self.inc("listing/listings")
                    yield self.discovery_request(
                        url, self.parse_listing, name=url.rsplit("/", 1)[-1], page_no=1
                    )

    # ------------------------------------------------------------------ robots, sitemaps, feeds

    def parse_robots(self, response: Response, profile: SiteProfile) -> Iterator[Any]:
        text = response.text if isinstance(response, TextResponse) else response.body.decode()
        sitemaps = sitemaps_in_robots(text, response.url)
        self.inc("sitemap/robots_sitemaps", len(sitemaps))
        yield from self.follow_sitemaps(sitemaps, profile)

    def discovery_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        callback = getattr(request.callback, "__name__", "")
        if callback == "parse_listing":
            yield from self.fetch_failed(failure, "FrontPage")
            return
        channel = request.cb_kwargs.get("channel", "sitemap")
        if getattr(failure.value, "reject_reason", None) == "offsite":
            # a feed or sitemap on another host: a Reject row like any page kept off the site
            yield from self.fetch_failed(failure, channel.capitalize())
            return
        self.inc(f"{channel}/fetch_failed")
        self.logger.warning("Could not fetch %s (%s): %s", request.url, channel, failure.value)
        if callback == "parse_robots":
            # no robots.txt: fall back to the declared sitemaps, else the conventional place
            yield from self.follow_sitemaps([], request.cb_kwargs["profile"])

    def follow_sitemaps(self, urls: list[str], profile: SiteProfile) -> Iterator[scrapy.Request]:
        declared = resolve_declared(self.root, profile.sitemap_urls)
        urls = list(dict.fromkeys(urls + declared)) or [self.root + "sitemap.xml"]
        for url in urls:
            if url not in self.sitemaps_seen:
                yield from self.sitemap_request(url, depth=0)

    def sitemap_request(self, url: str, depth: int) -> Iterator[scrapy.Request]:
        """A sitemap (or index) to fetch, ``depth`` indexes below robots.txt/the profile."""
        if self.sitemap_max_depth >= 0 and depth > self.sitemap_max_depth:
            self.bound_hit(
                "sitemap/depth_limited",
                f"Sitemap indexes nest deeper than {self.sitemap_max_depth} levels; {url} and"
                " deeper ones are not read (NEWSSPIDER_SITEMAP_MAX_DEPTH)",
            )
            return
        if 0 < self.sitemap_max_documents <= len(self.sitemaps_seen):
            self.bound_hit(
                "sitemap/documents_limited",
                f"More than {self.sitemap_max_documents} sitemaps; {url} and later ones are not"
                " read (NEWSSPIDER_SITEMAP_MAX_DOCUMENTS)",
            )
            return
        self.sitemaps_seen.add(url)
        yield self.discovery_request(url, self.parse_document, channel="sitemap", depth=depth)

    def parse_document(self, response: Response, channel: str, depth: int = 0) -> Iterator[Any]:
        """A sitemap, sitemap index or feed (robots.txt may name a feed, and vice versa)."""
        body = response.body
        kind = document_kind(body)
        if kind == "sitemap":
            yield from self.parse_sitemap_doc(response, depth)
        elif kind == "feed":
            self.inc("feed/documents")
            entries = parse_feed(body, response.url)
            yield from self.discovered("feed", ((e.url, e.published) for e in entries))
        else:
            self.inc(f"{channel}/unreadable")
            self.logger.warning(
                "%s is neither a sitemap nor an RSS/Atom feed; skipped (%s channel)",
                response.url,
                channel,
            )

    def parse_sitemap_doc(self, response: Response, depth: int = 0) -> Iterator[Any]:
        sitemap = parse_sitemap(response.body, response.url)
        if sitemap.kind == "sitemapindex":
            self.inc("sitemap/index_documents")
            for entry in sitemap.entries:
                if entry.url in self.sitemaps_seen:
                    continue
                if older_than(entry.lastmod, self.since):
                    # a sitemap last changed before -a since lists no newer article
                    self.inc("sitemap/skipped_since")
                    continue
                yield from self.sitemap_request(entry.url, depth + 1)
            return
        self.inc("sitemap/documents")
        if sitemap.is_news:
            self.inc("sitemap/news_documents")
        entries = sitemap.entries
        if self.sitemap_max_urls > 0:
            room = max(self.sitemap_max_urls - self.sitemap_urls, 0)
            if len(entries) > room:
                self.bound_hit(
                    "sitemap/urls_limited",
                    f"Sitemaps list more than {self.sitemap_max_urls} URLs; the rest, from"
                    f" {response.url} on, are not read (NEWSSPIDER_SITEMAP_MAX_URLS)",
                    len(entries) - room,
                )
                entries = entries[:room]
        self.sitemap_urls += len(entries)
        yield from self.discovered("sitemap", ((e.url, e.published) for e in entries))

    # ------------------------------------------------------------------ articles

    def article_failed(self, failure: Failure) -> Iterator[Any]:
        yield from self.fetch_failed(failure, "Article")
        yield from self.release()

    def expect_articles(self) -> None:
        """Tell the parse pool how many articles this crawl has found so far: a large crawl
        takes the pool from early on (its listing pages too)."""
        if self.parse_pool is not None:
            known = len(self.found)  # articles found so far, by every channel
            if self.max_articles is not None:
                known = min(known, self.max_articles)
            self.parse_pool.expect(known)

    async def parse_article(self, response: Response) -> AsyncIterator[Any]:
        # article_items() turns a non-HTML response into a Reject before it needs the profile
        profile = self.profile_of(response) if isinstance(response, TextResponse) else None
        self.expect_articles()
        async for item in self.article_items(response, profile):
            yield item
        for request in self.release():
            yield request

    # ------------------------------------------------------------------ coverage

    def coverage(self) -> dict[str, tuple[int, int]]:
        """channel -> (articles it found, articles only it found)."""
        found = dict.fromkeys(self.channels, 0)
        only = dict.fromkeys(self.channels, 0)
        for bits in self.found.values():
            for channel in self.channels:
                bit = CHANNEL_BIT[channel]
                if bits & bit:
                    found[channel] += 1
                    if bits == bit:
                        only[channel] += 1
        return {c: (found[c], only[c]) for c in self.channels}

    def closed(self, reason: str) -> None:
        stats = self.crawler.stats
        stats.set_value(f"{STAT}/articles", len(self.found))
        lines = [f"Discovery: {len(self.found)} articles found"]
        for channel, (found, only) in self.coverage().items():
            stats.set_value(f"{STAT}/{channel}/articles", found)
            stats.set_value(f"{STAT}/{channel}/only", only)
            lines.append(f"  {channel:<8} {found:>6} articles, {only:>6} found only here")
        self.logger.info("\n".join(lines))
