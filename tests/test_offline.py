"""Crawls make no third-party network calls: the cookie middleware's suffix list is bundled."""

from __future__ import annotations

import scrapy.downloadermiddlewares.cookies as cookies

import newsspider.settings  # noqa: F401 - importing the settings applies the patch


def test_cookie_middleware_uses_the_bundled_public_suffix_list() -> None:
    extractor = cookies._split_domain
    assert extractor.suffix_list_urls == ()
    # answers come from the snapshot shipped with tldextract
    assert cookies._is_public_domain("co.kr")
    assert not cookies._is_public_domain("news1global.co.kr")
    assert not cookies._is_public_domain("www.news1global.com")
