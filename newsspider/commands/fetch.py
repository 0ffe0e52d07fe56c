"""``scrapy fetch URL``: Scrapy's fetch, without starting a run (see ``inspect_only``)."""

from __future__ import annotations

import argparse

from scrapy.commands.fetch import Command as ScrapyFetchCommand

from newsspider.commands import inspect_only


class Command(ScrapyFetchCommand):  # type: ignore[misc]
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        inspect_only(self.settings)
