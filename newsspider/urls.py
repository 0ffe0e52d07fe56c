"""The one URL rule: canonical form, tracking parameters, registered domains, generic ids.

Every place that canonicalises or compares URLs calls :func:`canonicalize_url`; every place
that needs "the same site" calls :func:`registered_domain`. Both stand on the ecosystem's
tools (w3lib for the canonical form, tldextract's bundled Public Suffix List for domains).

What a *site's* article URLs look like (its path pattern, id and section) is part of its
profile (``SiteProfile.article_path_regex``, see ``newsspider/pages/base.py``); this module
only keeps the generic rules the generic layer uses for sites without a profile.
Pure functions, table-tested in ``tests/test_urls.py``.
"""

from __future__ import annotations

import functools
import hashlib
import re
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote_plus, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as _w3lib_canonicalize_url

if TYPE_CHECKING:
    from tldextract import TLDExtract

# Query parameters that only track the click and never change the page (README "Canonical
# URLs" lists them; a test keeps the two in step). Lower-case; compared case-insensitively.
# Not here, on purpose: ``from``, ``ref``, ``share``, ``page``, ``id``: on news sites they
# are pagination (``?from=20``) or choose content, so dropping them merges different pages.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",  # Facebook
        "gclid",  # Google Ads
        "dclid",  # Google Display
        "gbraid",  # Google Ads (iOS)
        "wbraid",  # Google Ads (web to app)
        "msclkid",  # Microsoft Ads
        "yclid",  # Yandex
        "twclid",  # X / Twitter Ads
        "ttclid",  # TikTok Ads
        "li_fat_id",  # LinkedIn
        "igshid",  # Instagram share
        "mc_cid",  # Mailchimp campaign
        "mc_eid",  # Mailchimp subscriber
        "_ga",  # Google Analytics cross-domain
        "_gl",  # Google Analytics cross-domain
        "_hsenc",  # HubSpot
        "_hsmi",  # HubSpot
        "ref_src",  # X / Twitter embeds (``ref_src=twsrc^tfw``)
        "cmpid",  # campaign id (news sites)
        "ocid",  # Microsoft / MSN referral
        "spm",  # Alibaba / UC referral
    }
)
# utm_source, pk_campaign (Matomo/Piwik), mtm_* (Matomo), hsa_* (HubSpot ads), oly_* (Omeda)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "oly_")

SAFE_SCHEMES = frozenset({"http", "https", "file"})
_DEFAULT_PORTS = {"http": ":80", "https": ":443"}

# The query characters that need no percent-encoding (RFC 3986 query, minus "%": an escape is
# re-spelled in upper case). A query with any other character goes through _encode_query.
_QUERY_SAFE = "-._~=&+!$'()*,;:@/?%"
_QUERY_CHARS = r"[A-Za-z0-9._~=&+!$'()*,;:@/?-]"
_QUERY_NEEDS_ENCODING_RE = re.compile(f"(?!{_QUERY_CHARS}).", re.DOTALL)
# A URL whose scheme, host and path are already canonical (http(s)/file, a lower-case ASCII
# host without user info, a port only when it is not the scheme's default and at most 65535,
# a path of unreserved characters and "/"; no dot segments, checked apart) and whose query
# needs no encoding: w3lib would return its head unchanged, so it skips the w3lib round trip
# (~20x faster). Most links on a news page look like this (and every link of a site served
# on a port, e.g. http://127.0.0.1:8000/); tests/test_urls.py checks the answers are w3lib's.
_SIMPLE_URL_RE = re.compile(
    r"(?P<head>(?:(?P<scheme>https?)://[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::(?P<port>[1-9][0-9]{0,4}))?"
    r"|file://)(?P<path>/[A-Za-z0-9._~/-]*)?)"
    f"(?:\\?(?P<query>{_QUERY_CHARS}*))?(?:#.*)?",
    re.DOTALL,
)
_PERCENT_HEX_RE = re.compile(r"%[0-9a-fA-F]{2}")


def is_tracking_param(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def _param_name(pair: str) -> str:
    name = pair.split("=", 1)[0]
    return unquote_plus(name) if "%" in name or "+" in name else name


def canonicalize_url(url: str) -> str:
    """The canonical form of ``url``: one string per page, for ids, dedupe and comparison.

    w3lib's canonical form (scheme and host lower-cased, IDNA host, path percent-encoding
    normalised, dot segments resolved, fragment dropped; user info and the path keep their
    case) with the tracking parameters removed, the default port dropped and the query
    sorted. Query values are kept as written: ``%20`` stays ``%20`` and ``+`` stays ``+``
    (w3lib re-encodes ``%20`` as ``+``, which a server may read literally); spaces and
    non-ASCII are percent-encoded. Raises ValueError for a URL that cannot be parsed.

    >>> canonicalize_url("HTTPS://News1Global.com/etc/article/123?utm_source=x&page=2#top")
    'https://news1global.com/etc/article/123?page=2'
    """
    found = _CANONICAL.get(url)
    if found is None:
        found = _canonical(url)
        if len(_CANONICAL) >= CANONICAL_KEPT:
            _CANONICAL.clear()
        _CANONICAL[url] = found
    return found


# the canonical form of the URLs seen last (a memo of a pure function, like re's cache of
# compiled patterns): a page's own URL, its links' base and the links the normalize pipeline
# checks again are each canonicalized more than once per page, and the regex match of the
# fast path was ~3% of a parse worker's CPU (docs/benchmarks/log.md "Session 7 (perf-worker)")
_CANONICAL: dict[str, str] = {}
CANONICAL_KEPT = 4096


def _canonical(url: str) -> str:
    url = url.strip()
    m = _SIMPLE_URL_RE.fullmatch(url)
    if m is not None and "/." not in m["head"] and (m["port"] is None or _plain_port(m)):
        base = m["head"] if m["path"] else m["head"] + "/"
        return _with_query(base, m["query"])
    return _canonicalize_with_w3lib(url)


def _plain_port(m: re.Match[str]) -> bool:
    """A port w3lib keeps as written: valid, and not the scheme's default (which it drops)."""
    return int(m["port"]) <= 65535 and _DEFAULT_PORTS[m["scheme"]] != ":" + m["port"]


def _canonicalize_with_w3lib(url: str) -> str:
    """canonicalize_url() for any URL: the head (scheme, user info, host, port, path) through
    w3lib, the query kept as written, percent-encoded where it must be."""
    head, _, _fragment = url.partition("#")
    head, _, query = head.partition("?")
    base = _w3lib_canonicalize_url(head)
    scheme, _, rest = base.partition("://")
    default_port = _DEFAULT_PORTS.get(scheme)
    if default_port:
        netloc, slash, path = rest.partition("/")
        if netloc.endswith(default_port):
            base = f"{scheme}://{netloc.removesuffix(default_port)}{slash}{path}"
    if query and _QUERY_NEEDS_ENCODING_RE.search(query):
        query = _encode_query(query)
    return _with_query(base, query)


def _with_query(base: str, query: str | None) -> str:
    """``base`` plus the query's pairs, tracking parameters removed, sorted by name then
    value (stable: repeated names keep a defined order), empty pairs dropped."""
    if not query:
        return base
    pairs = sorted(
        (p for p in query.split("&") if p and not is_tracking_param(_param_name(p))),
        key=lambda p: p.partition("=")[::2],
    )
    return f"{base}?{'&'.join(pairs)}" if pairs else base


def _encode_query(query: str) -> str:
    """Percent-encode what a query may not hold as is (spaces, controls, ``"<>\\^`{|}``,
    non-ASCII as UTF-8); valid escapes are kept, not decoded, and spelled in upper case
    (``%2f`` and ``%2F`` are the same byte)."""
    encoded = quote(query, safe=_QUERY_SAFE)
    return _PERCENT_HEX_RE.sub(lambda m: m.group(0).upper(), encoded)


def has_tracking(url: str) -> bool:
    """True when canonicalize_url would remove something (tracking params or a fragment)."""
    head, _, fragment = url.partition("#")
    if fragment:
        return True
    query = head.partition("?")[2]
    return any(p and is_tracking_param(_param_name(p)) for p in query.split("&"))


def is_safe_url(url: str | None) -> bool:
    """http(s) or file URLs only: never javascript:, data:, mailto: and friends."""
    if not url:
        return False
    url = url.strip()
    if url.startswith(("https://", "http://")) and "[" not in url and "]" not in url:
        # urlsplit's scheme for these (most URLs), without splitting; a bracket (IPv6 host)
        # is left to urlsplit, which may raise ValueError for it
        return True
    return urlsplit(url).scheme.lower() in SAFE_SCHEMES


# --------------------------------------------------------------------------- registered domain


# tldextract with the Public Suffix List snapshot it ships with: no download (see
# newsspider/offline.py), no cache files written. Private suffixes count (blogspot.com,
# github.io), so each blog on a shared host is its own site. Built once per process: it is
# the parsed suffix list (constant data, like a compiled regex), not a cache of answers.
# Built on first use: tldextract imports requests and urllib3 (~0.1 s of CPU), which a crawl of
# a profiled site, whose links need no registered domain, never uses.
@functools.cache
def _suffixes() -> TLDExtract:
    from tldextract import TLDExtract

    return TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


def registered_domain(host: str | None) -> str:
    """The registered domain of a host name: ``www.abc.net.au`` -> ``abc.net.au``.

    "The same site" everywhere in the project. IP addresses, ``localhost`` and bare public
    suffixes are their own registered domain; an unknown top-level domain counts as a suffix
    (``www.site.example`` -> ``site.example``); an empty host gives ``""``.
    """
    host = (host or "").strip().rstrip(".").lower()
    if not host:
        return ""
    parts = _suffixes().extract_str(host)
    if parts.ipv4 or parts.ipv6:
        return host
    if not parts.suffix:
        # a top-level domain the list does not know (.test, .example, .internal): the
        # list's own default rule "*" makes the last label the suffix
        return ".".join(host.rsplit(".", 2)[-2:])
    return parts.top_domain_under_public_suffix or host


# --------------------------------------------------------------------------- generic ids

# The generic layer's article URL shape: /<section>/article/<id>, optional .html suffix. Sites
# with a profile declare their own rule (SiteProfile.article_path_regex).
GENERIC_ARTICLE_PATH_RE = re.compile(
    r"/(?P<section>[a-z0-9][a-z0-9-]*)/article/(?P<id>\d+)(?:\.html?)?/?$"
)


def article_match(url: str) -> re.Match[str] | None:
    return GENERIC_ARTICLE_PATH_RE.search(urlsplit(url).path)


def article_id_from_url(url: str | None) -> str | None:
    """The numeric id of a generic /<section>/article/<id> URL, as a string; None otherwise."""
    if not url:
        return None
    m = article_match(url)
    return str(m.group("id")) if m else None


def section_from_url(url: str | None) -> str | None:
    """The section slug of a generic /<section>/article/<id> URL; None otherwise."""
    if not url:
        return None
    m = article_match(url)
    return str(m.group("section")) if m else None


_ID_IN_PATH_RE = re.compile(r"(?<![0-9])([0-9]{4,20})(?![0-9])")


def stable_article_id(url: str) -> str:
    """An id for an article on a site we have no profile for.

    The /<section>/article/<id> id when the URL has one; else the last run of 4-20 digits in
    the path that is not a year or date part (``/2026/02/21/…-1234567``); else the first 16 hex
    digits of the SHA-1 of the canonical URL, so the same page always gets the same id.
    """
    known = article_id_from_url(url)
    if known:
        return known
    path = urlsplit(url).path
    candidates = [
        m for m in _ID_IN_PATH_RE.findall(path) if not (len(m) == 4 and m.startswith(("19", "20")))
    ]
    if candidates and len(candidates[-1]) >= 5:
        return str(candidates[-1])
    return hashlib.sha1(canonicalize_url(url).encode("utf-8")).hexdigest()[:16]


_USERINFO_IN_URL_RE = re.compile(r"(?<=//)[^/?#@\s]*@")


def strip_credentials(url: str) -> str:
    """``https://user:pass@host/x`` -> ``https://host/x``: the form of a URL fit to be written
    anywhere (manifest, state, history, exports, log). Other URLs are returned unchanged."""
    if "@" not in url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://u:p@[::1/" - still never written with its password
        return _USERINFO_IN_URL_RE.sub("", url, count=1)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
