"""Benchmark incremental recrawls: a 1,000-article site, a first crawl, then unchanged recrawls.

Usage (from the repo root)::

    python benchmarks/recrawl.py [--articles 1000] [--keep DIR]

The site is generated with the demo site's own templates (``tools.demo.templates``) and
served on 127.0.0.1 (port 0) by the test server. Three real ``scrapy crawl frontpage``
subprocesses, with a fresh state and export folder:

1. first crawl: every article is new (fills the state);
2. recrawl of the unchanged site: the decay schedule skips articles that are not due;
3. recrawl with every article due (``NEWSSPIDER_REFETCH_MIN_INTERVAL=0``): each article is
   asked with If-Modified-Since and answered 304.

Pass criteria (exit status 1 otherwise): recrawl 2 is at least 10x faster than the first
crawl, and recrawls 2 and 3 export zero rows.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.servers import StaticSite  # noqa: E402
from tools.demo import content  # noqa: E402
from tools.demo.model import DemoArticle  # noqa: E402
from tools.demo.templates import (  # noqa: E402
    SiteContext,
    Slot,
    render_article,
    render_front_page,
)

TEXT = (
    "government ministry officials said on Monday that the new plan would expand support for "
    "small businesses exporters and households facing higher prices while opposition lawmakers "
    "called for a review of the budget and analysts expected growth to slow"
)
WORDS = TEXT.split()


def synthetic_articles(count: int) -> list[DemoArticle]:
    sections = content.SECTIONS
    articles = []
    for n in range(count):
        section = sections[n % len(sections)]
        words = [WORDS[(n * 7 + i) % len(WORDS)] for i in range(240)]
        paragraphs = tuple(
            " ".join(words[i : i + 40]).capitalize() + "." for i in range(0, 240, 40)
        )
        day, minute = 1 + n % 28, n % 60
        articles.append(
            DemoArticle(
                id=100_000 + n,
                section=section.slug,
                category=section.label,
                headline=f"{section.label} story number {n}: {' '.join(words[:8])}",
                teaser=f"Teaser of story {n}: {' '.join(words[8:20])}.",
                authors=(f"Reporter {n % 37}",),
                author_title=content.STAFF,
                published=f"2026-02-{day:02d} {n % 24:02d}:{minute:02d}",
                tags=(section.label, f"Topic {n % 11}"),
                caption=f"Photo for story {n}.",
                paragraphs=paragraphs,
            )
        )
    return articles


def write_site(root: Path, count: int) -> None:
    articles = synthetic_articles(count)
    ctx = SiteContext(
        site_name=content.SITE_NAME,
        site_url=content.SITE_URL,
        date_line=content.DATE_LINE,
        sections=content.SECTIONS,
        popular=articles[:10],
        ticker=articles[:5],
    )
    blocks = [
        (s.label, [Slot(a) for a in articles if a.section == s.slug]) for s in content.SECTIONS
    ]
    files = {"index.html": render_front_page(ctx, top_story=articles[0], blocks=blocks)}
    files["robots.txt"] = "User-agent: *\nAllow: /\n"
    for article in articles:
        files[article.path] = render_article(article, ctx)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))


def crawl(url: str, work: Path, run_id: str, extra: dict[str, str] | None = None) -> float:
    settings = {
        "NEWSSPIDER_EXPORT_DIR": str(work / "exports"),
        "NEWSSPIDER_STATE_DIR": str(work / "state"),
        "AUTOTHROTTLE_ENABLED": "False",
        "CONCURRENT_REQUESTS": "32",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "32",
        "LOG_LEVEL": "WARNING",
        "LOG_FILE": str(work / f"{run_id}.log"),
        # a speed benchmark: a degraded health verdict (this generated site has no byline the
        # profile's selector matches: layout drift) must not fail the run's exit status
        "NEWSSPIDER_FAIL_ON": "failed",
        **(extra or {}),
    }
    cmd = [sys.executable, "-m", "scrapy", "crawl", "frontpage", "-a", f"url={url}"]
    cmd += ["-a", f"run_id={run_id}"]
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.perf_counter()
    subprocess.run(cmd, cwd=REPO, env=env, check=True)
    return time.perf_counter() - started


def rows_exported(work: Path, run_id: str) -> dict[str, int]:
    manifest = json.loads((work / "exports" / run_id / "manifest.json").read_text())
    return {
        name.removesuffix(".jsonl"): info["rows"]
        for name, info in manifest["files"].items()
        if name.endswith(".jsonl")
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000, help="site size (default 1000)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsspider-recrawl-") as tmp:
        work = args.keep or Path(tmp)
        site_root = work / "site"
        write_site(site_root, args.articles)
        with StaticSite(site_root) as site:
            first = crawl(site.url, work, "first")
            second = crawl(site.url, work, "recrawl")
            third = crawl(
                site.url, work, "recrawl-all-due", {"NEWSSPIDER_REFETCH_MIN_INTERVAL": "0"}
            )
        first_rows = rows_exported(work, "first")
        second_rows = rows_exported(work, "recrawl")
        third_rows = rows_exported(work, "recrawl-all-due")
    ratio = first / second
    print(f"site: {args.articles} articles on {site.url}")
    print(f"first crawl:            {first:7.2f} s  rows {first_rows}")
    print(f"recrawl (unchanged):    {second:7.2f} s  rows {second_rows}")
    print(f"recrawl (all due, 304): {third:7.2f} s  rows {third_rows}")
    print(f"speed-up first/recrawl: {ratio:.1f}x (first/all-due: {first / third:.1f}x)")
    ok = ratio >= 10 and not any(second_rows.values()) and not any(third_rows.values())
    print("PASS" if ok else "FAIL: want >= 10x and zero rows on the recrawls")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
