"""Per-page extraction cost: the news1global profile vs the generic extractor vs trafilatura.

    python benchmarks/extraction_cost.py [--pages 300] [--repeat 3] [--json out.json]

Same pages for all three (synthetic-site articles, 50-110 KB each, plus the demo's), same
process, one at a time. Each timing covers everything from decoded HTML ``str`` to the
result: HTML parsing included.

* profile: ``newsspider.pages.news1global.ArticlePage(url, html).article()``
* profile (parsed): the same, with the parsel Selector built outside the timer, to show the
  field extraction alone
* parse (parsel) / parse (lxml.html): the HTML parse alone, ``parsel.Selector(text=html)``
  (what ``HtmlPage`` builds) and ``lxml.html.fromstring(html)``
* generic: ``newsspider.extract.extract_article(html, url)``
* trafilatura: ``trafilatura.extract(html, url=url, with_metadata=True)`` (``pip install
  trafilatura``; skipped when missing)

Reported: median and mean ms/page over ``--repeat`` passes (the best pass per page).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

import lxml.html  # noqa: E402
import synthetic_site  # noqa: E402
from parsel import Selector  # noqa: E402

from newsspider.pages.news1global import ArticlePage  # noqa: E402

DEMO = REPO / "newsspider" / "demo_site"


def load_pages(limit: int) -> list[tuple[str, str]]:
    site = Path(tempfile.gettempdir()) / "newsspider-bench" / "site-500"
    synthetic_site.write_site(500, site)
    files = sorted(site.glob("*/article/*.html"))[: max(limit - 33, 1)]
    files += sorted(p for p in DEMO.glob("*/article/*.html") if p.name != "1028.html")
    return [
        (f"https://www.news1global.com/{p.relative_to(p.parents[2]).as_posix()}", p.read_text())
        for p in files[:limit]
    ]


def time_each(
    fn: Callable[[str, str], Any], pages: list[tuple[str, str]], repeat: int
) -> list[float]:
    best = [float("inf")] * len(pages)
    for _ in range(repeat):
        for i, (url, html) in enumerate(pages):
            started = time.perf_counter()
            fn(url, html)
            best[i] = min(best[i], time.perf_counter() - started)
    return [t * 1000 for t in best]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    pages = load_pages(args.pages)

    def profile(url: str, html: str) -> Any:
        return ArticlePage(url, html).article()

    parsed = {url: ArticlePage(url, html) for url, html in pages}

    def profile_parsed(url: str, html: str) -> Any:
        page = parsed[url]
        for cached in [k for k in page.__dict__ if k not in ("url", "html", "sel")]:
            del page.__dict__[cached]  # per-page caches (JSON-LD, class index): timed too
        return page.article()

    extractors: dict[str, Callable[[str, str], Any]] = {
        "profile": profile,
        "profile (parsed)": profile_parsed,
        # the HTML parse alone: what the page object's HtmlPage does, and plain lxml
        "parse (parsel)": lambda url, html: Selector(text=html, base_url=url),
        "parse (lxml.html)": lambda url, html: lxml.html.fromstring(html),
    }
    try:
        from newsspider.extract import extract_article

        extractors["generic"] = lambda url, html: extract_article(html, url)
    except ImportError as exc:
        print(f"generic extractor unavailable: {exc}")
    try:
        import trafilatura

        extractors["trafilatura"] = lambda url, html: trafilatura.extract(
            html, url=url, with_metadata=True
        )
    except ImportError:
        print("trafilatura not installed (pip install trafilatura): skipped")
    kb = statistics.mean(len(html.encode()) for _, html in pages) / 1024
    results: dict[str, Any] = {"pages": len(pages), "mean_page_kb": round(kb, 1)}
    for name, fn in extractors.items():
        ms = time_each(fn, pages, args.repeat)
        results[name] = {
            "median_ms": round(statistics.median(ms), 3),
            "mean_ms": round(statistics.mean(ms), 3),
            "p95_ms": round(sorted(ms)[int(len(ms) * 0.95) - 1], 3),
        }
        print(
            f"{name:<18} median {results[name]['median_ms']:7.3f} ms  "
            f"mean {results[name]['mean_ms']:7.3f} ms  p95 {results[name]['p95_ms']:7.3f} ms"
        )
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
