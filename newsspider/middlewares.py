"""Middlewares that let a crawl survive the real web (see docs/ROBUSTNESS.md).

Scrapy 2.19 already handles, and we rely on it (tests/test_faults.py proves each):

* cross-origin redirects drop ``Cookie`` and ``Authorization`` (RedirectMiddleware);
* decompression bombs stop at ``DOWNLOAD_MAXSIZE`` (HttpCompressionMiddleware, brotli too);
* bodies larger than ``DOWNLOAD_MAXSIZE`` and bodies shorter than their Content-Length fail.

What it lacks, added here, each with a ``newsspider/…`` stat and a one-line log reason:

* :class:`UrlSafetyMiddleware` - only http(s) URLs, and ``file:`` only inside the bundled demo.
* :class:`RedirectGuardMiddleware` - redirects to non-http schemes, loops and over-long chains
  end in a Reject with a clear reason instead of a bare 3xx or a silent dupe-filter drop.
* :class:`CrossOriginHeaderGuardMiddleware` - after a redirect to another origin (another
  port counts), no Cookie or Authorization header, even ones re-added by later middlewares.
* :class:`HostCircuitBreakerMiddleware` - a host that keeps answering 5xx
  (a 5xx storm) is left alone for a cool-down instead of being hammered by every queued
  request and retry.
* :class:`BackoffRetryMiddleware` - Scrapy's retry, plus exponential back-off between tries
  and ``Retry-After`` (seconds or HTTP date) honoured up to a cap.
* :class:`RobotsTxtRfc9309Middleware` - robots.txt answering 5xx or unreachable means
  "disallow all" (RFC 9309 2.3.1.3/2.3.1.4); Scrapy would allow everything and log a traceback.
* :class:`RobotsTxtSizeLimitMiddleware` - robots.txt is read up to 500 KiB, as Google does.
* :class:`OffsiteGuardMiddleware` - one offsite rule (:class:`OffsiteRule`) for every request,
  ``dont_filter`` and redirects included; internal addresses only when the start URL is one.
  A refused request becomes a Reject row ``offsite`` instead of vanishing in Scrapy's filter.
* :class:`LinkHygieneMiddleware` - session ids in links (``;jsessionid=…``, ``?sid=…``)
  would make every visit a new URL (a crawler trap): removed before scheduling, as is
  ``user:pass@``.
* :class:`CredentialRedactionExtension` - ``user:pass@`` in URLs never reaches the log.

And one that only makes Scrapy's own cheaper, with the same decisions:

* :class:`ProbingMetaRefreshMiddleware` - Scrapy's MetaRefreshMiddleware decodes every HTML
  response in full (``response.text``) to read ``<meta http-equiv="refresh">`` in its first
  4,096 characters; with the parse pool the crawling process needs no article's text
  otherwise (issue 14: ~1.4% of its time). A page whose first bytes hold no ``http-equiv``
  attribute (:func:`may_hold_meta_refresh`) is passed on undecoded; any other goes to
  Scrapy's code.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import logging
import re
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.dupefilters import RFPDupeFilter
from scrapy.exceptions import IgnoreRequest, NotConfigured, StopDownload
from scrapy.http import HtmlResponse, Response
from scrapy.http.request import NO_CALLBACK
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware
from scrapy.utils.defer import deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.request import RequestFingerprinterProtocol
from twisted.internet.defer import Deferred

import newsspider
from newsspider import settings as defaults  # each default: settings.py
from newsspider.dates import parse_http_date
from newsspider.intsets import IntSet
from newsspider.urls import canonicalize_url, strip_credentials

logger = logging.getLogger(__name__)

DEMO_SITE_DIR = Path(newsspider.__file__).resolve().parent / "demo_site"
DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"


class RequestRefused(IgnoreRequest):
    """An IgnoreRequest that carries a machine-readable reason code for the Reject row."""

    reason_code = "refused"
    # the Reason code of the Reject row when it is not ``fetch_<reason_code>`` ("offsite":
    # the page was never asked for, so nothing failed to fetch)
    reject_reason: str | None = None

    def __init__(self, message: str, reason_code: str | None = None) -> None:
        super().__init__(message)
        if reason_code:
            self.reason_code = reason_code


class OffsiteRefused(RequestRefused):
    """A request outside the crawl's site, or to an internal address (see :class:`OffsiteRule`)."""

    reason_code = "offsite"
    reject_reason = "offsite"


# --- credentials never in logs ----------------------------------------------------------------

_USERINFO_RE = re.compile(r"(?<=://)[^/@\s'\"<>]+@")


# a settings dump ("Overridden settings: {'HTTPAUTH_PASS': 'x', …}")
_SECRET_SETTING_RE = re.compile(
    r"""(['"][A-Z0-9_]*(?:PASS|PASSWORD|SECRET|TOKEN|APIKEY|API_KEY)[A-Z0-9_]*['"]:\s*)"""
    r"""(['"])(?:(?!\2).)*\2"""
)


def redact_credentials(text: str) -> str:
    """``https://user:pass@host/`` -> ``https://***@host/``; secret settings -> ``'***'``."""
    if "@" in text:
        text = _USERINFO_RE.sub("***@", text)
    if "PASS" in text or "SECRET" in text or "TOKEN" in text or "KEY" in text:
        text = _SECRET_SETTING_RE.sub(r"\1'***'", text)
    return text


def redact_logged_secrets() -> None:
    """Redact on the loggers that print settings before any extension exists (startup)."""
    for name in ("scrapy.crawler", "scrapy.utils.log", "scrapy.addons"):
        target = logging.getLogger(name)
        if CredentialRedactionExtension.redacting_filter not in target.filters:
            target.addFilter(CredentialRedactionExtension.redacting_filter)


def redact_url(url: str) -> str:
    return redact_credentials(url)


class _RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is not ours to fix here
            return True
        redacted = redact_credentials(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True


class CredentialRedactionExtension:
    """Redact ``user:pass@`` in every log line of the crawl (Scrapy's and ours)."""

    redacting_filter = _RedactingFilter()

    def __init__(self, crawler: Crawler) -> None:
        self.attach()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CredentialRedactionExtension:
        ext = cls(crawler)
        # Scrapy re-installs its root log handler after the extensions are built: attach again
        crawler.signals.connect(ext.attach, signal=signals.engine_started)
        return ext

    def attach(self) -> None:
        for handler in logging.getLogger().handlers:
            if self.redacting_filter not in handler.filters:
                handler.addFilter(self.redacting_filter)


# --- which URLs may be fetched at all -----------------------------------------------------------


def file_url_allowed(url: str, roots: Iterable[Path]) -> bool:
    """Is this ``file:`` URL inside one of ``roots`` (after resolving ``..`` and symlinks)?"""
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return False
    try:
        path = Path(unquote(parts.path)).resolve()
    except (OSError, ValueError):
        return False
    return any(path == root or root in path.parents for root in roots)


class UrlSafetyMiddleware:
    """Refuse every scheme but http(s), and ``file:`` outside the bundled demo site.

    ``NEWSSPIDER_FILE_ROOTS`` (list of folders) widens the ``file:`` allow-list.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        extra = crawler.settings.getlist("NEWSSPIDER_FILE_ROOTS")
        self.file_roots = [DEMO_SITE_DIR, *(Path(p).resolve() for p in extra)]

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> UrlSafetyMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        scheme = urlparse_cached(request).scheme
        if scheme in ("http", "https"):
            return
        if scheme == "file" and file_url_allowed(request.url, self.file_roots):
            return
        code = "file_outside_demo" if scheme == "file" else "unsafe_scheme"
        assert self.stats is not None
        self.stats.inc_value(f"newsspider/refused/{code}")
        what = (
            "file: URLs are only read inside the bundled demo site; to read this folder, "
            "add it to NEWSSPIDER_FILE_ROOTS (e.g. -s NEWSSPIDER_FILE_ROOTS=/path/to/site)"
            if scheme == "file"
            else f"{scheme or 'no'} scheme is not fetched, only http(s)"
        )
        raise RequestRefused(f"refused {redact_url(request.url)[:200]}: {what}", code)


# --- one offsite rule for every request -----------------------------------------------------

_NUMERIC_HOST_RE = re.compile(r"(?:0x[0-9a-f]+|[0-9]+)(?:\.(?:0x[0-9a-f]+|[0-9]+)){0,3}")


def normalized_host(url_or_host: str) -> str:
    """``HTTP://User:pw@[::1]:8080/x`` -> ``::1``; ``WWW.Example.com.`` -> ``www.example.com``."""
    text = url_or_host.strip()
    host = (urlsplit(text).hostname or "") if "://" in text else text.strip("[]")
    return host.lower().rstrip(".")


def ip_of_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address an IP-literal host names, also in the forms resolvers accept besides
    dotted quads (``2130706433``, ``0x7f.1``, ``127.1`` are all 127.0.0.1); None for a name."""
    host = host.strip("[]").lower()
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        if not _NUMERIC_HOST_RE.fullmatch(host):
            return None
        try:
            ip = ipaddress.IPv4Address(socket.inet_aton(host))
        except (OSError, ValueError):
            return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def is_internal_host(host: str) -> bool:
    """Loopback, private, link-local (169.254.169.254, the cloud metadata service), unspecified,
    multicast or reserved address, or a ``localhost`` name: never a news site on the web."""
    host = normalized_host(host)
    if host == "localhost" or host.endswith(".localhost"):
        return True
    ip = ip_of_literal(host)
    if ip is None:
        return False
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_unspecified
        or ip.is_multicast
        or ip.is_reserved
    )


def on_domains(host: str, domains: Iterable[str]) -> bool:
    """Is ``host`` one of ``domains`` or a subdomain of one (Scrapy's ``allowed_domains`` rule)?"""
    return any(host == d or host.endswith("." + d) for d in domains)


@dataclass(frozen=True)
class OffsiteRule:
    """The one rule saying which http(s) URLs a crawl may fetch (listing, feed, sitemap,
    robots.txt, redirect target, article alike - ``dont_filter`` changes nothing).

    * The host must be on the spider's ``allowed_domains`` (the start page's site). A spider
      without them (``article``, whose URLs span sites) stays on the site of each request's
      first URL: a redirect may not take it elsewhere.
    * A private, loopback or link-local address (an IP literal in any notation, a
      ``localhost`` name, or a name that resolves to one: see :meth:`resolved_verdict`) is
      never fetched, unless a start URL is on that very host (the demo and the tests run on
      127.0.0.1; that allows 127.0.0.1, not 127.0.0.2 or ``localhost``). A spider without a
      start URL (``scrapy shell URL``'s default spider: the user typed the URL) is exempt, and
      so is the URL typed on ``scrapy parse URL`` (not where it redirects).
    """

    allowed_domains: tuple[str, ...] = ()
    start_hosts: frozenset[str] = frozenset()
    guard_internal: bool = True
    # answers per (netloc, first URL when it decides): a crawl asks for the same host on every
    # request (~15 us each: host normalising, domain and address checks); bounded
    _answers: dict[tuple[str, ...], tuple[Any]] = dataclasses.field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    @classmethod
    def for_spider(cls, spider: Any) -> OffsiteRule:
        domains = tuple(
            normalized_host(d) for d in getattr(spider, "allowed_domains", None) or [] if d
        )
        start_urls = [getattr(spider, "start_url", None), *(getattr(spider, "urls", None) or [])]
        hosts = frozenset(normalized_host(u) for u in start_urls if isinstance(u, str) and u)
        return cls(domains, hosts, guard_internal=hasattr(spider, "start_url"))

    def verdict(self, url: str, first_url: str | None = None) -> str | None:
        """None if ``url`` may be fetched; else why not, as one line.

        ``first_url``: the URL the redirect chain started from (``meta["redirect_urls"][0]``).
        """
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            return None  # file: and other schemes are UrlSafetyMiddleware's call
        first = first_url if first_url and not self.allowed_domains else ""
        key = ("verdict", parts.netloc, first)
        answer = self._answers.get(key)
        if answer is None:
            answer = (self._verdict(parts.hostname or "", first),)
            self._remember(key, answer)
        return answer[0]

    def _remember(self, key: tuple[str, ...], answer: tuple[Any]) -> None:
        if len(self._answers) >= 10_000:
            self._answers.clear()
        self._answers[key] = answer

    def _verdict(self, hostname: str, first_url: str) -> str | None:
        host = normalized_host(hostname)
        domains = self.allowed_domains
        if not domains and first_url:
            first_host = normalized_host(first_url)
            domains = (first_host.removeprefix("www."),) if first_host else ()
        if domains and not on_domains(host, domains):
            return f"{host or 'no host'} is outside the crawl's site ({', '.join(domains)})"
        if self.guard_internal and is_internal_host(host) and host not in self.start_hosts:
            return (
                f"{host or 'no host'} is a private, loopback or link-local address; such hosts"
                " are fetched only when the start URL is on them"
            )
        return None

    def needs_lookup(self, url: str) -> bool:
        """Must the address of this URL's host be looked up (a name, not a start host)?"""
        parts = urlsplit(url)
        key = ("lookup", parts.scheme, parts.netloc)
        answer = self._answers.get(key)
        if answer is None:
            host = normalized_host(parts.hostname or "")
            answer = (
                self.guard_internal
                and parts.scheme.lower() in ("http", "https")
                and bool(host)
                and host not in self.start_hosts
                and ip_of_literal(host) is None,
            )
            self._remember(key, answer)
        return bool(answer[0])

    def resolved_verdict(self, url: str, address: str | None) -> str | None:
        """The verdict for a URL whose host name resolved to ``address`` (None: no answer)."""
        if not address or not is_internal_host(address):
            return None
        host = normalized_host(url)
        return (
            f"{host} resolves to {address}, a private, loopback or link-local address; such"
            " hosts are fetched only when the start URL is on them"
        )


class OffsiteGuardMiddleware(OffsiteMiddleware):
    """Scrapy's downloader OffsiteMiddleware with :class:`OffsiteRule`, for every request.

    Scrapy's lets ``dont_filter`` and ``allow_offsite`` requests through and drops the others
    silently at scheduling time; the ``site`` spider sends its articles with ``dont_filter``,
    so feed, sitemap and redirect targets on other hosts were fetched and exported. Here every
    request - first ones and each redirect hop, which comes back through this middleware - is
    checked when it is about to be downloaded, and refused with :class:`OffsiteRefused`, so
    the request's errback writes a Reject row with the reason ``offsite``. A host name that
    passes is looked up once (Scrapy's DNS cache then serves the download itself, so this
    costs no extra query) and refused if it points at an internal address.
    ``allow_offsite`` is not honoured: newsspider never sets it, and one rule has no bypass.
    """

    rule: OffsiteRule | None = None

    def __init__(self, stats: Any) -> None:
        super().__init__(stats)
        self.addresses: dict[str, str | None] = {}  # host name -> its address (None: no answer)

    def spider_opened(self, spider: Any) -> None:
        super().spider_opened(spider)
        self.rule = OffsiteRule.for_spider(spider)

    def request_scheduled(self, request: Request, spider: Any) -> None:
        """Scrapy filters here, where no errback runs (a silent gap); we do it at download."""

    def should_follow(self, request: Request, spider: Any) -> bool:
        return self.why_offsite(request, spider) is None

    def rule_for(self, request: Request, spider: Any) -> OffsiteRule:
        if self.rule is None:
            self.rule = OffsiteRule.for_spider(spider)
        meta = request.meta
        if meta.get("_depth") == 1 and "_callback" in meta and not meta.get("redirect_urls"):
            # `scrapy parse URL`'s own request (its meta): a URL typed by the user is a start URL
            hosts = self.rule.start_hosts | {normalized_host(request.url)}
            return dataclasses.replace(self.rule, start_hosts=hosts)
        return self.rule

    def why_offsite(self, request: Request, spider: Any) -> str | None:
        chain = request.meta.get("redirect_urls") or []
        return self.rule_for(request, spider).verdict(request.url, chain[0] if chain else None)

    async def address_of(self, host: str) -> str | None:
        if host not in self.addresses:
            # imported here, as in BackoffRetryMiddleware: not the reactor at import time
            from twisted.internet import reactor

            try:
                # the installed resolver (Scrapy's caching one) takes a str, as the download does
                address = await deferred_to_future(reactor.resolve(host))  # type: ignore[arg-type]
            except Exception:  # no answer: the download itself will report the DNS error
                address = None
            self.addresses[host] = address
        return self.addresses[host]

    async def process_request(  # type: ignore[override]
        self, request: Request, spider: Any = None
    ) -> None:
        why = self.why_offsite(request, self.crawler.spider)
        rule = self.rule_for(request, self.crawler.spider)
        if why is None and rule.needs_lookup(request.url):
            address = await self.address_of(normalized_host(request.url))
            why = rule.resolved_verdict(request.url, address)
        if why is None:
            return
        chain = request.meta.get("redirect_urls") or []
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("newsspider/offsite/refused")
        if chain:
            stats.inc_value("newsspider/offsite/redirect")
        host = normalized_host(request.url)
        if host not in self.domains_seen:
            self.domains_seen.add(host)
            stats.inc_value("newsspider/offsite/hosts")
        origin = f" (redirected from {redact_url(chain[0])[:120]})" if chain else ""
        raise OffsiteRefused(f"not fetched: {why}{origin}")


# --- redirects ------------------------------------------------------------------------------


class RedirectGuardMiddleware:
    """Turn bad redirects into clear refusals; runs just before Scrapy's RedirectMiddleware.

    Without it a redirect to ``file:`` surfaces as "HTTP 302", and a loop A -> B -> A is dropped
    by the dupe filter without any callback - an article that silently vanishes.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.max_times = crawler.settings.getint("REDIRECT_MAX_TIMES")
        self.enabled = crawler.settings.getbool("REDIRECT_ENABLED")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectGuardMiddleware:
        return cls(crawler)

    def refuse(self, code: str, message: str) -> RequestRefused:
        assert self.stats is not None
        self.stats.inc_value(f"newsspider/redirect/{code}")
        return RequestRefused(message, code)

    def process_response(self, request: Request, response: Response) -> Response:
        if (
            not self.enabled
            or response.status not in (301, 302, 303, 307, 308)
            or b"Location" not in response.headers
            or request.meta.get("dont_redirect")
            or request.meta.get("handle_httpstatus_all")
            or response.status in request.meta.get("handle_httpstatus_list", ())
        ):
            return response
        raw = (response.headers.get(b"Location") or b"").decode("latin-1").strip()
        target = urljoin(request.url, raw)
        scheme = urlsplit(target).scheme.lower()
        url = redact_url(request.url)
        if scheme not in ("http", "https"):
            raise self.refuse(
                "redirect_blocked",
                f"{url} redirects to a {scheme or 'schemeless'}: URL ({redact_url(target)[:120]}),"
                " which is never followed",
            )
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target.split("#", 1)[0] in {u.split("#", 1)[0] for u in chain}:
            raise self.refuse(
                "redirect_loop",
                f"redirect loop: {url} leads back to {redact_url(target)[:120]}"
                f" after {len(chain)} hop(s)",
            )
        if request.meta.get("redirect_times", 0) >= self.max_times:
            raise self.refuse(
                "too_many_redirects",
                f"more than {self.max_times} redirects from {redact_url(chain[0])[:120]}"
                " (REDIRECT_MAX_TIMES)",
            )
        return response


def origin_of(url: str) -> tuple[str, str | None, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or {"http": 80, "https": 443}.get(scheme)
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower() or None, port


class CrossOriginHeaderGuardMiddleware:
    """A redirect that left the first request's origin carries no Cookie and no Authorization.

    Scrapy's RedirectMiddleware already drops them when the *host* changes, but the redirected
    request then goes through the middleware chain again: HttpAuthMiddleware re-adds
    Authorization for any port of ``http_auth_domain`` and the cookie jar sends host cookies to
    every port. This runs after both (priority above CookiesMiddleware) and compares origins
    (scheme, host, port) as browsers do.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrossOriginHeaderGuardMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        chain = request.meta.get("redirect_urls")
        if not chain or origin_of(chain[0]) == origin_of(request.url):
            return
        for name in (b"Cookie", b"Authorization"):
            if name in request.headers:
                del request.headers[name]
                assert self.stats is not None
                self.stats.inc_value(f"newsspider/redirect/stripped_{name.decode().lower()}")


# --- per-host circuit breaker ---------------------------------------------------------------


def host_key(request: Request) -> str:
    """``host:port`` of a request, never the ``user:pass@`` part."""
    return urlparse_cached(request).netloc.rsplit("@", 1)[-1].lower()


class HostCircuitBreakerMiddleware:
    """Stop sending requests to a host (``host:port``) after N consecutive 5xx answers.

    Only server errors count: timeouts and resets are often one slow or broken page, and are
    already bounded per request by DOWNLOAD_TIMEOUT and the retry limit.

    While open (``NEWSSPIDER_CIRCUIT_COOLDOWN`` seconds) every request to the host - new ones and
    retries - is refused at once with reason ``circuit_open``; after the cool-down one request
    is let through and decides (a success closes the circuit, a failure re-opens it).
    """

    FAILURE_STATUSES = frozenset(range(500, 600))

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.threshold = crawler.settings.getint(
            "NEWSSPIDER_CIRCUIT_THRESHOLD", defaults.NEWSSPIDER_CIRCUIT_THRESHOLD
        )
        self.cooldown = crawler.settings.getfloat(
            "NEWSSPIDER_CIRCUIT_COOLDOWN", defaults.NEWSSPIDER_CIRCUIT_COOLDOWN
        )
        self.failures: dict[str, int] = {}
        self.open_until: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostCircuitBreakerMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if self.threshold <= 0:
            return
        host = host_key(request)
        until = self.open_until.get(host)
        if until is None:
            return
        if time.monotonic() < until:
            assert self.stats is not None
            self.stats.inc_value("newsspider/circuit/refused")
            raise RequestRefused(
                f"not fetched: host {host} failed {self.failures.get(host, 0)} times in a row;"
                f" pausing it for {self.cooldown:g} s (NEWSSPIDER_CIRCUIT_COOLDOWN)",
                "circuit_open",
            )
        del self.open_until[host]  # half-open: this request decides

    def record(self, request: Request, failed: bool) -> None:
        if self.threshold <= 0:
            return
        host = host_key(request)
        if not failed:
            self.failures.pop(host, None)
            return
        self.failures[host] = self.failures.get(host, 0) + 1
        if self.failures[host] >= self.threshold and host not in self.open_until:
            self.open_until[host] = time.monotonic() + self.cooldown
            assert self.stats is not None
            self.stats.inc_value("newsspider/circuit/opened")
            logger.warning(
                "Host %s failed %d times in a row: not sending it requests for %g s",
                host,
                self.failures[host],
                self.cooldown,
            )

    def process_response(self, request: Request, response: Response) -> Response:
        self.record(request, response.status in self.FAILURE_STATUSES)
        return response


# --- retry with back-off and Retry-After ----------------------------------------------------


def parse_retry_after(value: str | bytes | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date); None if invalid."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return float(int(text))
    when = parse_http_date(text)
    if when is None:
        return None
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware with a pause before each retry.

    * ``Retry-After`` on a retried status (429, 503, …) is honoured, capped at
      ``NEWSSPIDER_RETRY_AFTER_MAX`` seconds (a server asking for an hour gets the cap).
    * Otherwise exponential back-off: ``NEWSSPIDER_RETRY_BACKOFF_BASE * 2**(try-1)`` seconds,
      at most ``NEWSSPIDER_RETRY_BACKOFF_MAX``.

    The pause happens in the middleware, so it holds no download slot; other hosts go on.
    """

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.retry_after_max = settings.getfloat(
            "NEWSSPIDER_RETRY_AFTER_MAX", defaults.NEWSSPIDER_RETRY_AFTER_MAX
        )
        self.backoff_base = settings.getfloat(
            "NEWSSPIDER_RETRY_BACKOFF_BASE", defaults.NEWSSPIDER_RETRY_BACKOFF_BASE
        )
        self.backoff_max = settings.getfloat(
            "NEWSSPIDER_RETRY_BACKOFF_MAX", defaults.NEWSSPIDER_RETRY_BACKOFF_MAX
        )

    def backoff(self, request: Request) -> float:
        tries = request.meta.get("retry_times", 0)
        return float(min(self.backoff_base * (2**tries), self.backoff_max))

    async def pause(self, seconds: float) -> None:
        if seconds > 0:
            # imported here: importing the reactor at module level would install the default
            # one before Scrapy installs the asyncio reactor (settings.py imports this module)
            from twisted.internet import reactor
            from twisted.internet.task import deferLater

            await deferred_to_future(deferLater(reactor, seconds, lambda: None))

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        retry = super().process_response(request, response)
        if not isinstance(retry, Request):
            return retry
        stats = self.crawler.stats
        assert stats is not None
        asked = parse_retry_after(response.headers.get(b"Retry-After"))
        if asked is not None:
            delay = min(asked, self.retry_after_max)
            stats.inc_value("newsspider/retry/retry_after_honoured")
            if asked > self.retry_after_max:
                stats.inc_value("newsspider/retry/retry_after_capped")
                logger.info(
                    "%s asked to retry after %.0f s; waiting the cap of %g s"
                    " (NEWSSPIDER_RETRY_AFTER_MAX)",
                    redact_url(request.url),
                    asked,
                    self.retry_after_max,
                )
        else:
            delay = self.backoff(request)
        stats.inc_value("newsspider/retry/wait_seconds", delay)
        await self.pause(delay)
        return retry

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        retry = super().process_exception(request, exception)
        if isinstance(retry, Request):
            await self.pause(self.backoff(request))
        return retry


# --- robots.txt per RFC 9309 ----------------------------------------------------------------


def unreachable_reason(exc: BaseException) -> str:
    """Why a host gave no answer, in words: "DNS lookup failed", "connection refused"…"""
    name = type(exc).__name__
    if "DNS" in name or "Resolve" in name:
        return "its host name does not resolve (DNS lookup failed)"
    if "Refused" in name:
        return "connection refused"
    if "Timeout" in name or "TimedOut" in name:
        return "no answer in time (timeout)"
    if isinstance(exc, ValueError):
        return f"the URL cannot be fetched ({exc})"[:200]
    return f"connection failed ({name})"


class RobotsTxtRfc9309Middleware(RobotsTxtMiddleware):
    """robots.txt as RFC 9309 says, with one-line log reasons and no tracebacks.

    * 2xx: parsed. 4xx ("unavailable"): everything allowed.
    * 5xx after retries: everything disallowed for the rest of the run; each refused request
      becomes a Reject ``fetch_robots_unreachable``.
    * no answer at all (DNS failure, refused, timeout, reset): the site is down - one
      "Site unreachable" warning, and each request of the host becomes a Reject
      ``fetch_site_unreachable`` (not a robots.txt verdict).
    * ``NEWSSPIDER_ROBOTSTXT_TIMEOUT`` bounds the robots.txt download (default 10 s).
    * Its size is bounded by :class:`RobotsTxtSizeLimitMiddleware`.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.timeout = crawler.settings.getfloat(
            "NEWSSPIDER_ROBOTSTXT_TIMEOUT", defaults.NEWSSPIDER_ROBOTSTXT_TIMEOUT
        )
        self.unreachable: dict[str, str] = {}  # robots.txt answered 5xx
        self.down: dict[str, str] = {}  # no answer at all (DNS, refused, timeout)

    async def process_request(self, request: Request) -> None:  # type: ignore[override]
        if request.meta.get("dont_obey_robotstxt"):
            return
        if urlparse_cached(request).scheme not in ("http", "https"):
            return
        rp = await self.robot_parser(request)
        if rp is None:
            return
        useragent = self._robotstxt_useragent or request.headers.get(
            b"User-Agent", self._default_useragent
        )
        if rp.allowed(request.url, useragent):
            return
        self._stats.inc_value("robotstxt/forbidden")
        netloc = host_key(request)
        down = self.down.get(netloc)
        if down is not None:
            raise RequestRefused(
                f"site unreachable: {netloc or 'no host in the URL'} ({down}); check the URL"
                " and that the site is up",
                "site_unreachable",
            )
        why = self.unreachable.get(netloc)
        if why is not None:
            raise RequestRefused(
                f"robots.txt of {netloc} {why}: the whole site is treated as disallowed (RFC 9309)",
                "robots_unreachable",
            )
        raise RequestRefused(
            f"{redact_url(request.url)[:200]} is disallowed by robots.txt", "robots_forbidden"
        )

    async def robot_parser(self, request: Request) -> Any:
        url = urlparse_cached(request)
        netloc = host_key(request)
        if netloc not in self._parsers:
            self._parsers[netloc] = Deferred()
            robots_req = Request(
                f"{url.scheme}://{netloc}/robots.txt",
                priority=self.DOWNLOAD_PRIORITY,
                meta={"dont_obey_robotstxt": True, "download_timeout": self.timeout},
                callback=NO_CALLBACK,
            )
            body: bytes | None
            try:
                assert self.crawler.engine is not None
                response = await self.crawler.engine.download_async(robots_req)
            except Exception as exc:
                # no answer at all: the site is down, not a robots.txt verdict
                down = (
                    unreachable_reason(exc)
                    if netloc
                    else "give a full URL such as https://www.example.com/"
                )
                body = DISALLOW_ALL
                self.down[netloc] = down
                self._stats.inc_value("newsspider/robotstxt/unreachable")
                logger.warning(
                    "Site unreachable: %s (%s); nothing of it is fetched this run - check the"
                    " URL and that the site is up",
                    netloc or "no host in the URL",
                    down,
                )
            else:
                self._stats.inc_value("robotstxt/response_count")
                self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
                if response.status >= 500:
                    why = f"answered HTTP {response.status}"
                    body = DISALLOW_ALL
                    self.unreachable[netloc] = why
                    self._stats.inc_value("newsspider/robotstxt/server_error")
                    logger.warning(
                        "robots.txt of %s %s: treating the whole site as disallowed (RFC 9309)",
                        netloc,
                        why,
                    )
                elif 200 <= response.status < 300:
                    body = response.body
                else:
                    body = b""  # 3xx left over, 4xx: "unavailable" - no restrictions
            self._stats.inc_value("robotstxt/request_count")
            rp = build_from_crawler(self._parserimpl, self.crawler, body)
            waiting = self._parsers[netloc]
            self._parsers[netloc] = rp
            assert isinstance(waiting, Deferred)
            waiting.callback(rp)
        parser = self._parsers[netloc]
        if isinstance(parser, Deferred):
            return await deferred_to_future(parser)
        return parser


class RobotsTxtSizeLimitMiddleware:
    """Read every ``/robots.txt`` up to ``NEWSSPIDER_ROBOTSTXT_MAX_BYTES`` (500 KiB, what
    Google reads), the rest ignored - robots.txt rules and the ``site`` spider's ``Sitemap:``
    lines alike. A 15 MB robots.txt cost 24 s and 513 MB before.

    The download stops at the limit (``StopDownload`` on ``bytes_received``, which keeps what
    arrived) and is asked for uncompressed (``Accept-Encoding: identity``), so the limit is on
    the text itself; the body is cut at the last full line.
    """

    MAX_BYTES_META = "newsspider_max_bytes"
    # on a robots.txt request from its first pass here until its answer (or error) comes back
    # through process_response/process_exception; a retry or redirect copies it with the meta
    # and is the same download still on its way
    PENDING_META = "newsspider_max_bytes_pending"

    def __init__(self, crawler: Crawler) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.signals = crawler.signals
        self.max_bytes = crawler.settings.getint(
            "NEWSSPIDER_ROBOTSTXT_MAX_BYTES", defaults.NEWSSPIDER_ROBOTSTXT_MAX_BYTES
        )
        self.truncated_hosts: set[str] = set()
        # Scrapy sends bytes_received for every chunk of every page (several per 80 KB page);
        # the receiver is connected only while a robots.txt download is on its way (issue 14)
        self.pending = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsTxtSizeLimitMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if self.max_bytes > 0 and urlparse_cached(request).path == "/robots.txt":
            request.meta.setdefault(self.MAX_BYTES_META, self.max_bytes)
            request.headers[b"Accept-Encoding"] = b"identity"
            if not request.meta.get(self.PENDING_META):
                request.meta[self.PENDING_META] = True
                self.pending += 1
                if self.pending == 1:
                    self.signals.connect(self.stop_at_max_bytes, signal=signals.bytes_received)

    def _answered(self, request: Request) -> None:
        """The download of ``request`` is over: no more bytes of it will arrive."""
        if request.meta.pop(self.PENDING_META, None):
            self.pending -= 1
            if self.pending == 0:
                self.signals.disconnect(self.stop_at_max_bytes, signal=signals.bytes_received)

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._answered(request)

    def stop_at_max_bytes(self, data: bytes, request: Request, **kwargs: Any) -> None:
        limit = request.meta.get(self.MAX_BYTES_META)
        if not limit:
            return
        got = request.meta.get("newsspider_bytes_read", 0) + len(data)
        request.meta["newsspider_bytes_read"] = got
        if got > limit:
            raise StopDownload(fail=False)  # the response keeps what arrived so far

    def process_response(self, request: Request, response: Response) -> Response:
        self._answered(request)
        limit = request.meta.get(self.MAX_BYTES_META)
        if not limit or len(response.body) <= limit:
            return response
        body = response.body[:limit]
        body = body[: body.rfind(b"\n") + 1] or body  # no half rule at the cut
        netloc = host_key(request)
        self.stats.inc_value("newsspider/robotstxt/truncated")
        if netloc not in self.truncated_hosts:
            self.truncated_hosts.add(netloc)
            logger.warning(
                "robots.txt of %s is larger than %d bytes: read up to there, the rest is"
                " ignored (NEWSSPIDER_ROBOTSTXT_MAX_BYTES)",
                netloc,
                limit,
            )
        return response.replace(body=body)


# --- crawler traps --------------------------------------------------------------------------

SESSION_PARAMS = frozenset(
    {"jsessionid", "phpsessid", "sid", "sessionid", "session_id", "sessid", "cfid", "cftoken"}
)
_PATH_SESSION_RE = re.compile(r";(jsessionid|phpsessid|sid|sessionid)=[^/?#;]*", re.IGNORECASE)


def strip_session_ids(url: str) -> str:
    """Remove ``;jsessionid=…`` path parameters and session-id query parameters."""
    parts = urlsplit(url)
    path = _PATH_SESSION_RE.sub("", parts.path)
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if k.lower() not in SESSION_PARAMS]
        if len(kept) != len(pairs):
            query = urlencode(kept)
    if path == parts.path and query == parts.query:
        return url
    return urlunsplit((parts.scheme, parts.netloc, path, query, parts.fragment))


def clean_link(url: str) -> tuple[str, str | None]:
    """(``url`` without session ids and ``user:pass@``, the stat naming what was removed)."""
    clean = strip_credentials(strip_session_ids(url))
    if clean == url:
        return url, None
    if "@" in urlsplit(url).netloc:
        return clean, "newsspider/link/credentials_removed"
    return clean, "newsspider/trap/session_id_removed"


class LinkHygieneMiddleware(BaseSpiderMiddleware):
    """Clean every request a spider yields before it reaches the scheduler.

    * Session ids (``;jsessionid=…``, ``?sid=…``) are removed: links that differ only by a
      session id are one page, and would otherwise be a crawler trap.
    * ``user:pass@`` in a link is removed: credentials found in pages are never sent (use
      ``HTTPAUTH_USER``/``HTTPAUTH_PASS``/``HTTPAUTH_DOMAIN`` for sites that need a login).

    Offsite links are :class:`OffsiteGuardMiddleware`'s (downloader): it sees every request,
    also those the spider hands to the engine directly and every redirect hop.
    """

    done_urls: set[str] | None = None

    def already_done(self, url: str) -> bool:
        """Resumed JOBDIR run: was this article exported or rejected before the pause?"""
        if self.done_urls is None:
            from newsspider.run import run_context

            try:
                resume = run_context(self.crawler).resume
            except NotConfigured:  # scrapy shell: no run, nothing done before
                resume = None
            self.done_urls = resume.done_urls() if resume is not None and resume.resumed else set()
        return bool(self.done_urls) and canonicalize_url(url) in self.done_urls

    def get_processed_request(self, request: Request, response: Response | None) -> Any:
        stats = self.crawler.stats
        assert stats is not None
        clean, removed = clean_link(request.url)
        if removed is not None:
            stats.inc_value(removed)
            request = request.replace(url=clean)
        if self.already_done(request.url):
            stats.inc_value("newsspider/resume/skipped_done")
            return None
        return request


# --- pause / resume -------------------------------------------------------------------------


class RunDupeFilter(RFPDupeFilter):
    """Scrapy's duplicate filter, kept in memory even with ``-s JOBDIR``, in ~12-24 bytes per
    request.

    Scrapy writes the fingerprint of every *scheduled* request to ``JOBDIR/requests.seen``;
    after a SIGKILL the request queue beside it is torn, so the resumed crawl would skip pages it
    never fetched - articles lost for good. A resumed newsspider run re-discovers its pages
    instead and skips what its export files already hold (see newsspider/feeds.py).

    Scrapy keeps each 20-byte fingerprint as a ``bytes`` in a ``set``: ~100 bytes per request,
    one per article and listing page, so it grows with the site (docs/BENCHMARKS.md "Memory").
    Here the fingerprint's first 8 bytes go into an :class:`~newsspider.intsets.IntSet`. Two
    different requests share them with a chance of ~n^2 / 2^65: ~10^-9 at 200,000 requests
    (a 50,000-article site schedules ~55,000), which would drop one page of a run.
    """

    def __init__(
        self,
        path: str | None = None,
        debug: bool = False,
        *,
        fingerprinter: RequestFingerprinterProtocol | None = None,
    ) -> None:
        super().__init__(None, debug, fingerprinter=fingerprinter)
        self.seen = IntSet()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunDupeFilter:
        return cls(
            None,
            crawler.settings.getbool("DUPEFILTER_DEBUG"),
            fingerprinter=crawler.request_fingerprinter,
        )

    def request_seen(self, request: Request) -> bool:
        fingerprint = self.fingerprinter.fingerprint(request)
        return not self.seen.add_new(int.from_bytes(fingerprint[:8], "big", signed=True))


# Scrapy reads the meta refresh from the first 4,096 *characters* of the text: at most 4 bytes
# each in an ASCII-compatible encoding (UTF-8's longest), so these bytes hold all of them
META_REFRESH_PROBE = 4 * 4096


def may_hold_meta_refresh(body: bytes, declared_encoding: str | None) -> bool:
    """Could Scrapy's ``get_meta_refresh`` find a refresh in this HTML body? w3lib reads a
    refresh only from a ``<meta>`` tag with an ``http-equiv`` attribute, a name it matches
    literally (character references are resolved in attribute *values* only). So: False
    when the page declares an ASCII-compatible encoding (header or ``<meta charset>``) and
    its first bytes hold no ``http-equiv`` in any letter case; True whenever that can't be
    told from the bytes (no declared encoding: Scrapy would guess one, EBCDIC included)."""
    if declared_encoding is None:
        return True
    try:
        if "http-equiv".encode(declared_encoding) != b"http-equiv":
            return True  # UTF-16/32, EBCDIC...: the bytes don't spell the letters
    except (LookupError, UnicodeError):
        return True
    head = body[:META_REFRESH_PROBE]
    if b"\x00" in head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True  # UTF-16/32 whatever the declaration says
    return b"http-equiv" in head.lower()


class ProbingMetaRefreshMiddleware(MetaRefreshMiddleware):  # type: ignore[misc]
    """Scrapy's MetaRefreshMiddleware, skipping pages that can't hold a meta refresh."""

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        if isinstance(response, HtmlResponse) and not may_hold_meta_refresh(
            response.body, response._declared_encoding()
        ):
            return response
        return super().process_response(request, response)
