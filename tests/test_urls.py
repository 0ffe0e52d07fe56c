"""Table tests for the one URL rule (``newsspider.urls``): canonical form and registered domains.

Each row of the first tables is a bug that was found in the hand-written canonicaliser
(issue 9, bug 6); the rest pin down the rule as documented in README "Canonical URLs".
"""

from __future__ import annotations

import pytest
from w3lib.url import canonicalize_url as w3lib_canonicalize_url

from newsspider.urls import (
    TRACKING_PARAMS,
    TRACKING_PREFIXES,
    canonicalize_url,
    has_tracking,
    registered_domain,
)

# --------------------------------------------------------------------------- canonical form


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # pagination and content parameters are the page: never dropped
        ("https://x.test/news?from=20", "https://x.test/news?from=20"),
        ("https://x.test/a?ref=products", "https://x.test/a?ref=products"),
        ("https://x.test/a?share=1&id=7", "https://x.test/a?id=7&share=1"),
        # query sorted: the same page reached with parameters in another order is one URL
        ("https://x.test/list?page=2&cat=world", "https://x.test/list?cat=world&page=2"),
        ("https://x.test/list?b=2&a=1&a=0", "https://x.test/list?a=0&a=1&b=2"),
        # spaces escaped, and %20 stays %20 (a server may read "+" literally)
        ("https://x.test/a b?q=x y", "https://x.test/a%20b?q=x%20y"),
        ("https://x.test/s?q=seoul%20news", "https://x.test/s?q=seoul%20news"),
        ("https://x.test/s?q=seoul+news", "https://x.test/s?q=seoul+news"),
        # user info is case-sensitive (only the host is not)
        ("http://User:PaSS@X.Test/a", "http://User:PaSS@x.test/a"),
    ],
)
def test_canonicalize_url_issue_9_bug_6(url: str, expected: str) -> None:
    assert canonicalize_url(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://www.news1global.com/etc/article/1007?utm_source=newsletter&utm_medium=email#comments",
            "https://www.news1global.com/etc/article/1007",
        ),
        ("HTTPS://News1Global.COM:443/a/article/1", "https://news1global.com/a/article/1"),
        ("http://x.test:80/a?page=2&fbclid=abc", "http://x.test/a?page=2"),
        ("http://x.test:8080/a?id=5#top", "http://x.test:8080/a?id=5"),
        ("https://x.test:80/a", "https://x.test:80/a"),  # 80 is not https's default
        ("http://x.test", "http://x.test/"),
        ("  http://x.test/a  ", "http://x.test/a"),
        ("file:///srv/demo/etc/article/1007.html#x", "file:///srv/demo/etc/article/1007.html"),
        ("http://x.test/a?gclid=1&utm_campaign=x", "http://x.test/a"),
        ("http://x.test/a?UTM_Source=x&Fbclid=1&id=2", "http://x.test/a?id=2"),
        ("http://x.test/a?ref_src=twsrc%5Etfw&mc_cid=1&_ga=2", "http://x.test/a"),
        ("http://x.test/a?&&id=2&", "http://x.test/a?id=2"),
        ("http://x.test/a?", "http://x.test/a"),
        ("http://x.test/a?x&y=", "http://x.test/a?x&y="),
        ("http://x.test/%7euser/caf%c3%a9", "http://x.test/~user/caf%C3%A9"),
        ("http://x.test/café?q=café", "http://x.test/caf%C3%A9?q=caf%C3%A9"),
        ("http://x.test/a?q=%2fb", "http://x.test/a?q=%2Fb"),
        ("http://x.test/a?c=x,y:z&b=(1)&a=*", "http://x.test/a?a=*&b=(1)&c=x,y:z"),
        ("http://x.test/a?q=<b> &r=100%", "http://x.test/a?q=%3Cb%3E%20&r=100%"),
        ("http://münchen.de/x", "http://xn--mnchen-3ya.de/x"),
        ("http://[::1]:80/a", "http://[::1]/a"),
        ("http://x.test/a;p=1/b", "http://x.test/a;p=1/b"),
        ("https://x.test/A/Article/1", "https://x.test/A/Article/1"),  # paths keep their case
    ],
)
def test_canonicalize_url(url: str, expected: str) -> None:
    assert canonicalize_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://www.news1global.com/politics/article/1001",
        "https://www.news1global.com/politics/article/1001.html",
        "https://www.news1global.com/",
        "https://www.news1global.com",
        "http://127.0.0.1:8000/world/index.html",
        "http://localhost/a/b-c_d~e.f/",
        "file:///srv/newsspider/demo_site/etc/article/1007.html",
        "https://x-y.test/a//b/./c/../d",
        "https://xn--mnchen-3ya.de/x",
        "https://x.test:443/a",
        "https://x.test/a?b=2&a=1",
        "https://x.test/a#frag",
        "https://X.test/a",
        "https://x.test/%7e",
        "https://x.test/a?q=a%20b",
    ],
)
def test_canonical_form_is_w3libs(url: str) -> None:
    """The fast path for already-clean URLs gives w3lib's answer (default port aside)."""
    expected = w3lib_canonicalize_url(url, keep_blank_values=True).replace("x.test:443/", "x.test/")
    expected = expected.replace("a+b", "a%20b")  # w3lib re-encodes %20 in queries as "+"
    assert canonicalize_url(url) == expected
    assert canonicalize_url(expected) == expected  # idempotent


def test_fast_path_equals_the_w3lib_path() -> None:
    """Random URLs: whatever shortcut canonicalize_url takes, the answer is the full path's."""
    import random

    from newsspider.urls import _canonicalize_with_w3lib

    rnd = random.Random(9)
    hosts = ["x.test", "a-b.c.test", "X.test", "h", "x.test:8080", "u:P@x.test"]
    hosts += ["xn--mnchen-3ya.de", "[::1]:80", "127.0.0.1:39064", "x.test:80", "x.test:443"]
    hosts += ["x.test:0080", "x.test:65535", "x.test:65536", "x.test:"]
    path_chars = "aZ09._~-/%;é A"
    query_chars = "ab=&+%2f20,:;@/?()*!$'<>é \"\n"
    for _ in range(5_000):
        scheme = rnd.choice(["http", "https", "HTTP", "file"])
        host = "" if scheme == "file" else rnd.choice(hosts)
        path = "".join(rnd.choice(path_chars) for _ in range(rnd.randint(0, 8)))
        url = f"{scheme}://{host}" + ("/" + path if path or rnd.random() < 0.5 else "")
        if rnd.random() < 0.7:
            url += "?" + "".join(rnd.choice(query_chars) for _ in range(rnd.randint(0, 10)))
        if rnd.random() < 0.3:
            url += "#" + rnd.choice(["", "top", "a?b=1", "x#y"])
        try:
            expected = _canonicalize_with_w3lib(url.strip())
        except ValueError:
            with pytest.raises(ValueError):
                canonicalize_url(url)
            continue
        assert canonicalize_url(url) == expected, url


@pytest.mark.parametrize("url", ["http://[::1", "http://x.test:99999/a?utm_source=x"])
def test_canonicalize_url_bad_input_raises_value_error(url: str) -> None:
    with pytest.raises(ValueError):
        canonicalize_url(url)


def test_tracking_list_is_documented() -> None:
    """README "Canonical URLs" lists every tracking parameter the rule removes."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for name in (*TRACKING_PARAMS, *(f"{p}*" for p in TRACKING_PREFIXES)):
        assert f"`{name}`" in readme, name


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://x.test/a#b", True),
        ("http://x.test/a?utm_source=x", True),
        ("http://x.test/a?page=2", False),
        ("http://x.test/a?from=20&ref=home", False),
        ("http://x.test/a?Fbclid=1", True),
    ],
)
def test_has_tracking(url: str, expected: bool) -> None:
    assert has_tracking(url) is expected


# --------------------------------------------------------------------------- registered domain


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("www.abc.net.au", "abc.net.au"),
        ("news.smh.com.au", "smh.com.au"),
        ("www.bbc.co.uk", "bbc.co.uk"),
        ("WWW.News1Global.COM", "news1global.com"),
        ("news1global.com", "news1global.com"),
        ("m.news.naver.com", "naver.com"),
        ("www.yna.co.kr", "yna.co.kr"),
        ("example.blogspot.com", "example.blogspot.com"),  # a private suffix: one site per blog
        ("www.example.com.", "example.com"),
        ("127.0.0.1", "127.0.0.1"),
        ("localhost", "localhost"),
        ("www.site.example", "site.example"),  # unknown TLD: the list's default rule "*"
        ("a.b.x.test", "x.test"),
        ("[::1]", "[::1]"),
        ("::1", "::1"),
        ("net.au", "net.au"),
        ("", ""),
        (None, ""),
    ],
)
def test_registered_domain(host: str | None, expected: str) -> None:
    assert registered_domain(host) == expected


def test_registered_domain_tells_net_au_sites_apart() -> None:
    assert registered_domain("www.abc.net.au") != registered_domain("www.theage.net.au")
