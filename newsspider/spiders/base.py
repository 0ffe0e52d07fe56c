"""What every newsspider spider shares: run ids, profiles, stamping, failure reporting."""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

import newsspider
from newsspider.arguments import (
    Argument,
    parse_arguments,
    parse_positive_int,
    parse_run_id,
    parse_url,
)
from newsspider.health.drift import record_article_fields, record_listing_fields
from newsspider.health.drift import stat_key as drift_stat_key
from newsspider.items import PopularEntry, Reject, utc_now_iso
from newsspider.parsepool import (
    CRASH_REASON,
    ArticleJob,
    ListingJob,
    ParsedListing,
    ParsePool,
    WorkerCrashed,
    parse_article_text,
    parse_listing_text,
    utf8_body_of,
)
from newsspider.run import RunFailed, RunInputs
from newsspider.sites import detect_profile, get_profile
from newsspider.urls import strip_credentials

if TYPE_CHECKING:  # the page objects load with the first page parsed
    from newsspider.pages.base import SiteProfile

# the crawling process's own CPU seconds from spider_opened to the start of spider_closed:
# the crawl phase, without start-up and the end of the run (benchmarks/throughput.py)
CRAWL_CPU_STAT = "newsspider/crawl_phase/cpu_s"

DEMO_SITE_INDEX = Path(newsspider.__file__).parent / "demo_site" / "index.html"

logger = logging.getLogger(__name__)


def demo_site_url() -> str:
    """file:// URL of the bundled demo site's front page."""
    return DEMO_SITE_INDEX.resolve().as_uri()


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


CallbackOutput = Iterator[Any] | AsyncIterator[Any]


def followed_by(head: Iterable[Any], rest: CallbackOutput) -> CallbackOutput:
    """``head``'s items, then ``rest``'s: an async iterator when ``rest`` is one (a listing
    page parsed in the pool is awaited), else a plain one (inline: the callback stays a
    plain iterator, as navigation tests call it)."""
    if isinstance(rest, AsyncIterator):

        async def both() -> AsyncIterator[Any]:
            for item in head:
                yield item
            async for item in rest:
                yield item

        return both()
    return itertools.chain(head, rest)


def parse_site(name: str) -> SiteProfile:
    return get_profile(name)  # its ValueError already lists the known profiles


class NewsSpider(scrapy.Spider):
    """Base class: the arguments every spider takes (see ``arguments``)."""

    # -a NAME=VALUE, declared once: parsed in __init__, checked by `scrapy crawl` before the
    # crawler starts, listed by `scrapy crawl --help`. A subclass adds its own to the tuple.
    arguments: tuple[Argument, ...] = (
        Argument("url", parse_url, "start page (default: the bundled demo site, offline)", "URL"),
        Argument("site", parse_site, "force a site profile (default: detected)", "NAME"),
        Argument(
            "run_id", parse_run_id, "export folder name (default: UTC time + spider + random)", "ID"
        ),
        Argument("max_articles", parse_positive_int, "follow at most N article links", "N"),
        # Scrapyd adds -a _job=<job id> to every job, and -a _version=V when one was asked
        # for in schedule.json (names starting with "_" are not shown in --help)
        Argument("_job", str, "Scrapyd job id", "ID"),
        Argument("_version", str, "Scrapyd project version", "V"),
    )
    # the callback `scrapy parse URL` uses when no -c is given (newsspider/commands/parse.py)
    parse_callback = "parse_article"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__()
        args = self.parse_arguments(kwargs)
        self.args: dict[str, Any] = args  # parsed values of every declared argument
        # user:pass@ is never sent (LinkHygieneMiddleware) nor written (manifest, state, log)
        self.start_url: str = strip_credentials(args["url"]) if args["url"] else demo_site_url()
        self.forced_profile: SiteProfile | None = args["site"]
        # the run context decides the run id (newsspider/run.py): a resumed run keeps its own
        self.requested_run_id: str | None = args["run_id"]
        self.max_articles: int | None = args["max_articles"]
        self.popular_seen: set[int] = set()  # hashes of the popular lists already yielded
        self.parse_pool: ParsePool | None = None  # from_crawler's; None: parse inline
        self.crawl_cpu_started: float | None = None  # process_time() at spider_opened
        host = urlsplit(self.start_url).hostname
        if host:
            # stay on the site (and its www/non-www twin); file:// has no host to stay on
            bare = host.removeprefix("www.")
            self.allowed_domains = [bare]

    @classmethod
    def parse_arguments(cls, given: Mapping[str, Any]) -> dict[str, Any]:
        """Parsed values of ``-a`` arguments; ArgumentError (one line) for any bad one."""
        values = parse_arguments(cls.name, cls.arguments, given)
        cls.check_argument_combination(values)
        return values

    @classmethod
    def check_argument_combination(cls, values: dict[str, Any]) -> None:
        """Rules between arguments (a subclass overrides); raise ArgumentError."""

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        spider: NewsSpider = super().from_crawler(crawler, *args, **kwargs)
        # connected before the parse pool's and every extension's receivers: the first
        # spider_closed receiver after the spider's own close(), before the feeds close
        crawler.signals.connect(spider.crawl_cpu_start, signal=signals.spider_opened)
        crawler.signals.connect(spider.crawl_cpu_stop, signal=signals.spider_closed)
        spider.parse_pool = ParsePool.from_crawler(crawler)
        if spider.start_url.startswith("file:") and not crawler.settings.frozen:
            # Local files need no politeness, and AutoThrottle can't measure file:// latency
            # (it would keep its start delay for every page). "spider" priority: -s still wins.
            crawler.settings.set("AUTOTHROTTLE_ENABLED", False, priority="spider")
        return spider

    def crawl_cpu_start(self) -> None:
        self.crawl_cpu_started = time.process_time()

    def crawl_cpu_stop(self) -> None:
        """The crawl phase's CPU (this process, every thread; not the parse workers)."""
        if self.crawl_cpu_started is not None:
            cpu = round(time.process_time() - self.crawl_cpu_started, 3)
            self.crawler.stats.set_value(CRAWL_CPU_STAT, cpu)

    def site_urls(self) -> list[str]:
        """The URLs that name this crawl's site; the first one is its site URL."""
        return [self.start_url]

    def run_inputs(self) -> RunInputs:
        """What the run (newsspider/run.py) needs from this spider's arguments."""
        urls = self.site_urls()
        return RunInputs(
            spider_name=self.name,
            site_url=urls[0] if urls else self.start_url,
            site_urls=tuple(urls),
            run_id=self.requested_run_id,
        )

    # --- helpers for subclasses ---------------------------------------------------------------

    def profile_for(self, response: TextResponse) -> SiteProfile:
        return self.forced_profile or detect_profile(response.url, response.text)

    def article_failed(self, failure: Failure) -> Iterator[Any]:
        yield from self.fetch_failed(failure, "Article")

    async def article_items(
        self, response: Response, profile: SiteProfile | None
    ) -> AsyncIterator[Any]:
        """The Article and popular entries of one article page (a Reject if it isn't HTML).

        The page is parsed by the crawl's parse pool (newsspider/parsepool.py) when it has
        workers, else here; everything that touches the run (stats, popular-list dedupe,
        stamping) stays in this process."""
        reject = self.not_html(response, "Article")
        if reject is not None:
            yield reject
            return
        assert isinstance(response, TextResponse)
        crawled_at = utc_now_iso()
        pool = self.parse_pool
        if pool is not None and pool.ready():
            job = ArticleJob(
                url=response.url,
                body=response.body,
                content_type=response.headers.get(b"Content-Type"),
                encoding=getattr(response, "_encoding", None),  # set only when built with one
                response_class=type(response),
                profile=profile.name if profile is not None else None,
                crawled_at=crawled_at,
                check=pool.check,
                hash_body=pool.hash_bodies,
            )
            try:
                parsed = await pool.parse(job)
            except WorkerCrashed:
                yield self.parse_crashed(response.url, crawled_at)
                return
        else:
            page_profile = profile if profile is not None else self.profile_for(response)
            text = response.text
            # the UTF-8 bytes as they are, like a worker (the same parse: page_selector)
            parsed = parse_article_text(
                page_profile, response.url, text, crawled_at, utf8_body_of(response, text)
            )
            if pool is not None:
                pool.count_inline()
        if profile is None:
            self.crawler.stats.inc_value(f"newsspider/article/profile/{parsed.profile}")
        if parsed.profile != "generic":
            stats = self.crawler.stats
            if parsed.outcomes is not None:  # a worker took them before it normalized
                for field, outcome in parsed.outcomes.items():
                    stats.inc_value(drift_stat_key(parsed.profile, field, outcome))
            else:
                record_article_fields(stats, parsed.profile, parsed.article, parsed)
            record_listing_fields(stats, parsed.profile, slots=None, popular=parsed.popular)
        for item in self.stamp([parsed.article], crawled_at):
            yield item
        for item in self.stamp(self.new_popular(parsed.popular), crawled_at):
            yield item

    def listing_pool(self) -> ParsePool | None:
        """The parse pool when listing pages go to it now (its workers are in use), else None:
        parse inline (:meth:`parse_listing_inline`)."""
        pool = self.parse_pool
        return pool if pool is not None and pool.ready() else None

    def listing_job(
        self, response: TextResponse, profile: SiteProfile, kind: str, crawled_at: str, **kw: Any
    ) -> ListingJob:
        """A listing page for the parse pool: parsed, its slots checked and rendered there
        (newsspider/parsepool.py), exactly as :meth:`parse_listing_inline` would parse it."""
        pool = self.parse_pool
        return ListingJob(
            url=response.url,
            body=response.body,
            content_type=response.headers.get(b"Content-Type"),
            encoding=getattr(response, "_encoding", None),  # set only when built with one
            response_class=type(response),
            profile=profile.name,
            kind=kind,
            crawled_at=crawled_at,
            check=pool is not None and pool.check,
            **kw,
        )

    async def pooled_listing_output(
        self,
        pool: ParsePool,
        job: ListingJob,
        output: Callable[[ParsedListing], Iterable[Any]],
    ) -> AsyncIterator[Any]:
        """A listing page parsed by the pool, then what ``output`` makes of it (the same
        callback output as inline); a page whose worker died twice is a FrontPage Reject row."""
        try:
            parsed = await pool.parse_listing(job)
        except WorkerCrashed:
            yield self.parse_crashed(job.url, job.crawled_at, "FrontPage")
            return
        for item in output(parsed):
            yield item

    def parse_listing_inline(
        self, response: TextResponse, profile: SiteProfile, kind: str, start: bool = False
    ) -> ParsedListing:
        """A listing page parsed here, by the function a worker runs (from the same bytes)."""
        text = response.text
        parsed = parse_listing_text(
            profile, kind, response.url, text, start, utf8_body_of(response, text)
        )
        if self.parse_pool is not None:
            self.parse_pool.count_inline_listing()
        return parsed

    def parse_crashed(self, url: str, crawled_at: str, item_type: str = "Article") -> Reject:
        """The Reject row of a page whose parse worker died (the pool logged it once)."""
        return Reject(
            run_id=None,  # stamped by the stamp pipeline
            crawled_at=crawled_at,
            item_type=item_type,
            url=url,
            reasons=[CRASH_REASON],
            messages=["the parse worker process died while parsing this page"],
        )

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
            run_id=None,  # stamped by the stamp pipeline
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
        if isinstance(failure.value, RunFailed):
            return  # the run has failed as a whole (newsspider/run.py logged why, once)
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
            run_id=None,  # stamped by the stamp pipeline
            crawled_at=utc_now_iso(),
            item_type=item_type,
            url=url,
            reasons=[getattr(failure.value, "reject_reason", None) or f"fetch_{code}"],
            messages=[message],
        )
