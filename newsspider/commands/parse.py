"""``scrapy parse URL``: one page through a newsspider callback, printed (nothing exported).

    scrapy parse URL                                 # the article spider's parse_article
    scrapy parse --spider=frontpage URL              # front page: slots, popular, article links
    scrapy parse --spider=frontpage -c parse_article URL
    scrapy parse --spider=site URL                   # start page: feeds, sitemaps, listings

Differences from Scrapy's own ``parse``, because our spiders are generic (no fixed domains)
and take the start URL as an argument:

* no ``--spider``: the ``article`` spider (any page can be read as an article);
* no ``-c``: the spider's ``parse_callback`` (``parse_article``, ``parse_front``,
  ``parse_start``), not a ``parse`` method none of them has;
* ``-a url=`` defaults to the URL being parsed, so offsite rules and the site profile follow it;
* ``-a`` arguments are checked like ``scrapy crawl`` does (one ``error:`` line, exit 2);
* ``-o``/``-O`` are refused, as for ``scrapy crawl``;
* it is not a run: no export files, run folder, state or history (``inspect_only``); the
  items are printed (``--pipelines`` still runs them through the pipelines, unsaved).
"""

from __future__ import annotations

import argparse

from scrapy.commands.parse import Command as ScrapyParseCommand
from w3lib.url import is_url

from newsspider.commands import inspect_only
from newsspider.commands.crawl import (
    check_parse_workers,
    check_spider_arguments,
    fail,
    refuse_feed_options,
)

DEFAULT_SPIDER = "article"


class Command(ScrapyParseCommand):  # type: ignore[misc]
    def short_desc(self) -> str:
        return "Parse URL with a newsspider callback and print the items and requests"

    def long_desc(self) -> str:
        return __doc__ or ""

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)  # applies -s first
        refuse_feed_options(opts, self.settings)
        check_parse_workers(self.settings)
        inspect_only(self.settings)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) == 1 and is_url(args[0]) and self.crawler_process is not None:
            url = args[0]
            opts.spider = opts.spider or DEFAULT_SPIDER
            try:
                spidercls = self.crawler_process.spider_loader.load(opts.spider)
            except KeyError:
                fail(f"no spider called {opts.spider!r}; 'scrapy list' shows the spiders")
            names = {argument.name for argument in getattr(spidercls, "arguments", ())}
            if "url" in names:
                opts.spargs.setdefault("url", url)
            if not opts.callback and not opts.rules:
                opts.callback = getattr(spidercls, "parse_callback", None)
            check_spider_arguments(spidercls, opts.spargs)
        super().run(args, opts)
