"""URL helpers: canonical form, article ids, sections. Pure functions, table-tested."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only track the click, never change the page. Lower-case; a name
# matches exactly or, for the *_ entries, by prefix.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref",
        "ref_src",
        "cmpid",
        "ocid",
        "spm",
        "share",
        "from",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "at_", "oly_", "hsa_")

# /<section>/article/<id> with an optional .html suffix (the bundled demo is read from files)
ARTICLE_PATH_RE = re.compile(r"/(?P<section>[a-z0-9][a-z0-9-]*)/article/(?P<id>\d+)(?:\.html?)?/?$")

SAFE_SCHEMES = frozenset({"http", "https", "file"})


def is_tracking_param(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def canonicalize_url(url: str) -> str:
    """Drop the fragment and tracking parameters, lower-case scheme and host, keep the rest.

    >>> canonicalize_url("HTTPS://News1Global.com/etc/article/123?utm_source=x&page=2#top")
    'https://news1global.com/etc/article/123?page=2'
    """
    parts = urlsplit(url.strip())
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_param(k)
    ]
    netloc = parts.netloc.lower()
    # default ports say nothing
    if (parts.scheme.lower(), netloc.rsplit(":", 1)[-1]) in {("http", "80"), ("https", "443")}:
        netloc = netloc.rsplit(":", 1)[0]
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(query), ""))


def has_tracking(url: str) -> bool:
    """True when canonicalize_url would remove something (tracking params or a fragment)."""
    parts = urlsplit(url)
    return bool(parts.fragment) or any(
        is_tracking_param(k) for k, _ in parse_qsl(parts.query, keep_blank_values=True)
    )


def article_match(url: str) -> re.Match[str] | None:
    return ARTICLE_PATH_RE.search(urlsplit(url).path)


def article_id_from_url(url: str | None) -> str | None:
    """The numeric id of a /<section>/article/<id> URL, as a string; None otherwise."""
    if not url:
        return None
    m = article_match(url)
    return str(m.group("id")) if m else None


def section_from_url(url: str | None) -> str | None:
    """The section slug of a /<section>/article/<id> URL; None otherwise."""
    if not url:
        return None
    m = article_match(url)
    return str(m.group("section")) if m else None


def is_safe_url(url: str | None) -> bool:
    """http(s) or file URLs only: never javascript:, data:, mailto: and friends."""
    if not url:
        return False
    return urlsplit(url.strip()).scheme.lower() in SAFE_SCHEMES


_ID_IN_PATH_RE = re.compile(r"(?<![0-9])([0-9]{4,20})(?![0-9])")


def stable_article_id(url: str) -> str:
    """An id for an article on a site we have no profile for.

    The /<section>/article/<id> id when the URL has one; else the last run of 4-20 digits in
    the path that is not a year or date part (``/2026/02/21/…-1234567``); else the first 16 hex
    digits of the SHA-1 of the canonical URL, so the same page always gets the same id.
    """
    import hashlib

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
