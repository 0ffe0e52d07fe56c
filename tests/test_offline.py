"""Crawls make no third-party network calls: the cookie middleware's suffix list is bundled."""

from __future__ import annotations

import pytest
import scrapy.downloadermiddlewares.cookies as cookies
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler
from tldextract import TLDExtract

from newsspider.offline import use_bundled_public_suffix_list
from newsspider.run import COOKIES_MIDDLEWARE, NewsspiderAddon


def test_cookie_middleware_uses_the_bundled_public_suffix_list() -> None:
    use_bundled_public_suffix_list()  # what the add-on does when cookies are on (below)
    extractor = cookies._split_domain
    assert extractor.suffix_list_urls == ()
    # answers come from the snapshot shipped with tldextract
    assert cookies._is_public_domain("co.kr")
    assert not cookies._is_public_domain("news1global.co.kr")
    assert not cookies._is_public_domain("www.news1global.com")


@pytest.mark.parametrize("enabled", [True, False])
def test_the_cookie_middleware_is_patched_when_on_and_left_out_when_off(
    monkeypatch: pytest.MonkeyPatch, enabled: bool
) -> None:
    original = TLDExtract(include_psl_private_domains=True)
    monkeypatch.setattr(cookies, "_split_domain", original)
    settings = Settings({"COOKIES_ENABLED": enabled})
    NewsspiderAddon(get_crawler()).update_settings(settings)
    assert (cookies._split_domain is original) is not enabled
    assert cookies._split_domain.suffix_list_urls == (() if enabled else original.suffix_list_urls)
    # off: not in the base list either, so Scrapy does not import it (nor tldextract) at all
    assert (COOKIES_MIDDLEWARE in settings["DOWNLOADER_MIDDLEWARES_BASE"]) is enabled
