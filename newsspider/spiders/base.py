"""What every newsspider spider shares: run ids, profiles, stamping, failure reporting."""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

import newsspider
from newsspider.dates import parse_instant
from newsspider.distributed import configure_distributed
from newsspider.items import PopularEntry, Reject, utc_now_iso
from newsspider.pages.base import SiteProfile
from newsspider.pages.generic import ProfileWithFallback
from newsspider.sites import detect_profile, get_profile

DEMO_SITE_INDEX = Path(newsspider.__file__).parent / "demo_site" / "index.html"

logger = logging.getLogger(__name__)


def demo_site_url() -> str:
    """file:// URL of the bundled demo site's front page."""
    return DEMO_SITE_INDEX.resolve().as_uri()


def new_run_id(spider_name: str, now: datetime | None = None) -> str:
    """``20261126T140501Z-frontpage-3fa2``: sortable, unique, safe as a folder name."""
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{spider_name}-{secrets.token_hex(2)}"


def describe_failure(failure: Failure) -> tuple[str, str]:
    """(reason code, one human line) for a failed request."""
    from scrapy.spidermiddlewares.httperror import HttpError

    exc = failure.value
    tries = ""
    retries = failure.request.meta.get("retry_times", 0)  # type: ignore[attr-defined]
    if retries:
        tries = f" (after {retries + 1} attempts)"
    if isinstance(exc, HttpError):
        status = exc.response.status
        return f"http_{status}", f"server answered HTTP {status}{tries}"
    name = type(exc).__name__
    text = str(exc).splitlines()[0][:200] if str(exc) else name
    # newsspider.middlewares.RequestRefused carries its own code ("robots_unreachable", …)
    code = getattr(exc, "reason_code", None) or {
        "TimeoutError": "timeout",
        "TCPTimedOutError": "timeout",
        "DownloadTimeoutError": "timeout",
        "DNSLookupError": "dns_error",
        "CannotResolveHostError": "dns_error",
        "ConnectionRefusedError": "connection_refused",
        "DownloadConnectionRefusedError": "connection_refused",
        "ConnectionLost": "connection_lost",
        "ConnectionDone": "connection_lost",
        "ResponseDataLossError": "truncated_body",
        "DownloadCancelledError": "too_large",
        "ResponseNeverReceived": "no_response",
        "IgnoreRequest": "ignored",
    }.get(name, "fetch_error")
    if name == "DownloadFailedError" and "ConnectionLost" in text:
        code = "connection_lost"  # Scrapy 2.13+ wraps a reset connection in DownloadFailedError
    if code == "ignored" and "DOWNLOAD_MAXSIZE" in text:
        code = "too_large"  # HttpCompressionMiddleware: a decompression bomb
    return code, f"{name}: {text}{tries}"


class NewsSpider(scrapy.Spider):
    """Base class: arguments every spider takes.

    -a url=URL          start page (default: the bundled demo site)
    -a site=NAME        force a site profile (default: detect by domain, then page layout)
    -a run_id=ID        name of the export folder (default: time + spider + random)
    -a max_articles=N   follow at most N article links
    """

    def __init__(
        self,
        url: str | None = None,
        site: str | None = None,
        run_id: str | None = None,
        max_articles: str | int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        NewsSpider.check_arguments(url=url, site=site, run_id=run_id, max_articles=max_articles)
        self.start_url = url or demo_site_url()
        self.forced_profile: SiteProfile | None = get_profile(site) if site else None
        self.run_id = run_id or new_run_id(self.name)
        self.max_articles = int(max_articles) if max_articles else None
        self.popular_seen: set[int] = set()  # hashes of the popular lists already yielded
        host = urlsplit(self.start_url).hostname
        if host:
            # stay on the site (and its www/non-www twin); file:// has no host to stay on
            bare = host.removeprefix("www.")
            self.allowed_domains = [bare]

    @classmethod
    def check_arguments(cls, **kwargs: Any) -> None:
        """Raise ValueError with one clear line for a bad -a argument (see commands/crawl.py)."""
        url, site, run_id = kwargs.get("url"), kwargs.get("site"), kwargs.get("run_id")
        max_articles = kwargs.get("max_articles")
        if url is not None and urlsplit(url).scheme not in ("http", "https", "file"):
            raise ValueError(
                f"-a url={url!r} is not an http(s) URL; try -a url=https://example.com/"
            )
        if site:
            get_profile(site)
        if run_id is not None and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}", run_id):
            raise ValueError(
                f"-a run_id={run_id!r}: use letters, digits, '.', '_' and '-' (it names a folder)"
            )
        if max_articles is not None and not str(max_articles).isdigit():
            raise ValueError(f"-a max_articles={max_articles!r} must be a whole number")

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        spider: NewsSpider = super().from_crawler(crawler, *args, **kwargs)
        if spider.start_url.startswith("file:") and not crawler.settings.frozen:
            # Local files need no politeness, and AutoThrottle can't measure file:// latency
            # (it would keep its start delay for every page). "spider" priority: -s still wins.
            crawler.settings.set("AUTOTHROTTLE_ENABLED", False, priority="spider")
        configure_distributed(crawler, spider)  # -s NEWSSPIDER_REDIS_URL=… (docs/DISTRIBUTED.md)
        return spider

    # --- helpers for subclasses ---------------------------------------------------------------

    def profile_for(self, response: TextResponse) -> SiteProfile:
        return self.forced_profile or detect_profile(response.url, response.text)

    def article_page(
        self, profile: SiteProfile, response: TextResponse, now: datetime | None = None
    ) -> Any:
        """``now``: the crawl time, for relative dates (page objects never read the clock)."""
        page = profile.article_page(response.url, response.text)
        if profile.name == "generic":
            setattr(page, "timezone", profile.timezone)  # noqa: B010
            setattr(page, "now", now)  # noqa: B010
            return page
        return ProfileWithFallback(page, response.url, response.text, profile.timezone, now)

    def article_failed(self, failure: Failure) -> Iterator[Any]:
        yield from self.fetch_failed(failure, "Article")

    def article_items(self, response: Response, profile: SiteProfile | None) -> Iterator[Any]:
        """The Article and popular entries of one article page (a Reject if it isn't HTML)."""
        reject = self.not_html(response, "Article")
        if reject is not None:
            yield reject
            return
        assert isinstance(response, TextResponse)
        crawled_at = utc_now_iso()
        if profile is None:
            profile = self.profile_for(response)
            self.crawler.stats.inc_value(f"newsspider/article/profile/{profile.name}")
        page = self.article_page(profile, response, parse_instant(crawled_at))
        yield from self.stamp([page.article()], crawled_at)
        yield from self.stamp(self.new_popular(page.popular()), crawled_at)

    def new_popular(self, entries: list[PopularEntry]) -> list[PopularEntry]:
        """The entries, unless this exact list was already yielded from another page.

        Sites print the same "Most Popular" list on every page; sending 10 entries per article
        page through the pipelines only for dedupe to drop them cost ~10% of a crawl. A list
        that changed mid-crawl is yielded again (and dedupe keeps only its new entries).
        """
        if not entries:
            return entries
        key = hash(tuple((e.list_name, e.rank, e.article_url, e.headline) for e in entries))
        if key in self.popular_seen:
            self.crawler.stats.inc_value("newsspider/popular/repeats_skipped")
            return []
        self.popular_seen.add(key)
        return entries

    def stamp(self, items: Iterable[Any], crawled_at: str) -> Iterator[Any]:
        for item in items:
            item.run_id = self.run_id
            item.crawled_at = crawled_at
            yield item

    def not_html(self, response: Response, item_type: str) -> Reject | None:
        """A Reject when the response is not text we can parse, else None."""
        if isinstance(response, TextResponse):
            return None
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1") or "none"
        self.crawler.stats.inc_value("newsspider/fetch/not_html")
        logger.warning("Skipped %s: not an HTML page (Content-Type %s)", response.url, content_type)
        return Reject(
            run_id=self.run_id,
            crawled_at=utc_now_iso(),
            item_type=item_type,
            url=response.url,
            reasons=["not_html"],
            messages=[f"response is not HTML (Content-Type {content_type})"],
        )

    def fetch_failed(self, failure: Failure, item_type: str) -> Iterator[Reject]:
        """Errback: one log line, one stat, one Reject row - never a silent gap."""
        from newsspider.state.runtime import StateSkip

        request = failure.request  # type: ignore[attr-defined]
        if isinstance(failure.value, StateSkip):
            # 304 / unchanged body / a known article now gone: the state recorded it
            self.crawler.stats.inc_value(f"newsspider/state/{failure.value.code}")
            logger.debug("%s %s: %s", item_type, request.url, failure.value)
            return
        code, message = describe_failure(failure)
        self.crawler.stats.inc_value(f"newsspider/fetch/{code}")
        # after redirects, the URL the spider asked for (the one a user can find again)
        url = (request.meta.get("redirect_urls") or [request.url])[0]
        logger.warning("Gave up on %s %s: %s", item_type, url, message)
        yield Reject(
            run_id=self.run_id,
            crawled_at=utc_now_iso(),
            item_type=item_type,
            url=url,
            reasons=[f"fetch_{code}"],
            messages=[message],
        )
