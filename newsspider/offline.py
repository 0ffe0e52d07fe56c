"""Keep crawls free of surprise network calls to third parties.

Scrapy's cookie middleware asks ``tldextract`` whether a cookie domain is a public suffix, and
tldextract's default downloads the Public Suffix List from the internet on first use. On a
machine without that access (CI, locked-down servers) the download fails and logs a traceback
before falling back to the snapshot it ships with. We use that snapshot directly: no network
call, no traceback, same answers (the list changes slowly; upgrade tldextract to refresh it).
"""

from __future__ import annotations


def use_bundled_public_suffix_list() -> None:
    import scrapy.downloadermiddlewares.cookies as cookies
    from tldextract import TLDExtract

    cookies._split_domain = TLDExtract(suffix_list_urls=(), include_psl_private_domains=True)
