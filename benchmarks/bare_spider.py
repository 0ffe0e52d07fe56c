"""The baseline for the throughput benchmark: fetch a list of URLs with plain Scrapy, parse nothing.

    python benchmarks/bare_spider.py --base http://127.0.0.1:8080/ --urls urls.txt \\
        --concurrency 16 --stats-out bare.json

Plain Scrapy settings (no project middlewares, pipelines, exports), AutoThrottle off, the
given CONCURRENT_REQUESTS for the whole crawl and per domain. ``urls.txt`` holds one URL (or
site-relative path, joined to ``--base``) per line; every one is requested once, in order.
The stats (response count, elapsed seconds, bytes) are written as JSON.

``--tuned``: the same fetch with exactly the engine settings of the full crawl (the names in
:data:`newsspider.perf.ENGINE_SETTINGS`, read from newsspider/settings.py, and the engine
extensions of :data:`newsspider.perf.ENGINE_EXTENSIONS`: GC tuning, the DEBUG log gate), so the
full crawl's CPU can be compared like for like.

``--extract trafilatura --out items.jsonl``: the peer "plain Scrapy spider calling trafilatura
in ``parse``": every article page (``/article/`` in its URL) goes through
``trafilatura.extract(..., output_format="json", with_metadata=True)`` and the result is
exported as JSON lines through FEEDS.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, urls: list[str], extract: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = urls
        self.extract = extract

    async def start(self) -> AsyncIterator[Any]:
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse, dont_filter=True)

    def parse(self, response: Response, **kwargs: Any) -> Any:
        if self.extract != "trafilatura" or "/article/" not in response.url:
            return None  # fetch only
        import trafilatura

        found = trafilatura.extract(
            response.text, url=response.url, output_format="json", with_metadata=True
        )
        return {"url": response.url, **json.loads(found)} if found else None


def tuned_settings() -> dict[str, Any]:
    """The full crawl's engine settings (newsspider/settings.py) and its GC tuning."""
    from newsspider import settings as project
    from newsspider.perf import ENGINE_EXTENSIONS, ENGINE_SETTINGS

    tuned = {name: getattr(project, name) for name in ENGINE_SETTINGS if hasattr(project, name)}
    tuned["EXTENSIONS"] = dict.fromkeys(ENGINE_EXTENSIONS, 0)
    return tuned


def run(
    urls: list[str],
    concurrency: int,
    stats_out: Path | None,
    *,
    tuned: bool = False,
    extract: str = "",
    out: Path | None = None,
) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "CONCURRENT_REQUESTS": concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "AUTOTHROTTLE_ENABLED": False,
        "ROBOTSTXT_OBEY": False,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "DOWNLOAD_TIMEOUT": 30,
    }
    if tuned:
        settings.update(tuned_settings())
    if out is not None:
        settings["FEEDS"] = {str(out): {"format": "jsonlines", "encoding": "utf-8"}}
    process = CrawlerProcess(settings, install_root_handler=True)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, urls=urls, extract=extract)
    process.start()
    assert crawler.stats is not None
    stats = crawler.stats.get_stats()
    elapsed = float(stats.get("elapsed_time_seconds", 0.0))
    responses = int(stats.get("downloader/response_count", 0))
    result = {
        "responses": responses,
        "elapsed_s": elapsed,
        "pages_per_s": responses / elapsed if elapsed else 0.0,
        "bytes": int(stats.get("downloader/response_bytes", 0)),
        "status_200": int(stats.get("downloader/response_status_count/200", 0)),
        "items": int(stats.get("item_scraped_count", 0)),
    }
    if stats_out:
        stats_out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", type=Path, required=True, help="one URL or path per line")
    parser.add_argument("--base", default="", help="joined to relative lines")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--stats-out", type=Path, default=None)
    parser.add_argument("--tuned", action="store_true", help="the full crawl's engine settings")
    parser.add_argument("--extract", choices=("", "trafilatura"), default="")
    parser.add_argument("--out", type=Path, default=None, help="JSON lines of extracted items")
    args = parser.parse_args(argv)
    lines = args.urls.read_text(encoding="utf-8").splitlines()
    urls = [urljoin(args.base, line.strip()) for line in lines if line.strip()]
    result = run(
        urls, args.concurrency, args.stats_out, tuned=args.tuned, extract=args.extract, out=args.out
    )
    print(json.dumps(result), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
