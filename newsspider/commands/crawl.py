"""``scrapy crawl`` that checks spider arguments first and lists them in ``--help``.

A wrong ``-a`` argument becomes one usage line and exit status 2, instead of a traceback from
inside the crawler.
"""

from __future__ import annotations

import argparse
import inspect

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError


class Command(ScrapyCrawlCommand):  # type: ignore[misc]
    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter  # keep our line breaks

    def long_desc(self) -> str:
        text = ["Run a newsspider spider. Spiders and their -a arguments:", ""]
        try:
            from scrapy.spiderloader import SpiderLoader
            from scrapy.utils.project import get_project_settings

            loader = SpiderLoader.from_settings(get_project_settings())
            for name in sorted(loader.list()):
                doc = inspect.getdoc(inspect.getmodule(loader.load(name))) or ""
                text += [f"{name}:", *("    " + line for line in doc.splitlines()), ""]
        except Exception as exc:  # help must never fail
            text.append(f"(could not list spiders: {exc})")
        text += [
            "Arguments every spider takes:",
            "    -a url=URL          start page (default: the bundled demo site, offline)",
            "    -a site=NAME        force a site profile (default: by domain, then page layout)",
            "    -a run_id=ID        export folder name (default: UTC time + spider + random)",
            "    -a max_articles=N   follow at most N article links",
            "",
            "Exports go to exports/<run id>/ and exports/latest/ (-s NEWSSPIDER_EXPORT_DIR=DIR).",
        ]
        return "\n".join(text)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) == 1 and self.crawler_process is not None:
            try:
                spidercls = self.crawler_process.spider_loader.load(args[0])
            except KeyError as exc:
                raise UsageError(f"no spider called {args[0]!r}; try 'scrapy list'") from exc
            check = getattr(spidercls, "check_arguments", None)
            if check is not None:
                try:
                    check(**opts.spargs)
                except (TypeError, ValueError) as exc:
                    raise UsageError(str(exc), print_help=False) from exc
        super().run(args, opts)
