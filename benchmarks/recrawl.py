"""Benchmark incremental recrawls: a 1,000-article site, a first crawl, then unchanged recrawls.

Usage (from the repo root)::

    python benchmarks/recrawl.py [--articles 1000] [--keep DIR] [--baseline DIR] [--json F]

The site is generated with the demo site's own templates (``tools.demo.templates``) and
served on 127.0.0.1 (port 0) by the test server. Three real ``scrapy crawl frontpage``
subprocesses, with a fresh state and export folder:

1. first crawl: every article is new (fills the state);
2. recrawl of the unchanged site: the decay schedule skips articles that are not due;
3. recrawl with every article due (``NEWSSPIDER_REFETCH_MIN_INTERVAL=0``): each article is
   asked with If-Modified-Since and answered 304.

Each crawl reports its wall time and its CPU (user + system of the crawl process and every
process it starts). ``--baseline DIR`` runs the same three crawls with another checkout's code
(an earlier commit: ``git worktree add --detach DIR COMMIT``) against the same server, in
the same run, so before/after compare like for like on a shared machine.

``--bytecode`` runs every crawl as an installed package runs, with the package's bytecode
at hand: each checkout's ``newsspider`` package (and ``scrapy.cfg``) is copied into the work
folder and compiled there (``compileall``, not timed), so a baseline checkout is left as it
is. Without it a source checkout runs as it is: where ``PYTHONDONTWRITEBYTECODE=1`` is set
(this VM), its modules are compiled again by every crawl (6-11% of an unchanged recrawl's
CPU, docs/benchmarks/log.md "Session 6 (perf-startup)"). Scrapy and the other installed
packages have their bytecode either way (pip compiles them at install).

Pass criteria (exit status 1 otherwise): recrawl 2 is at least 10x faster than the first
crawl, and recrawls 2 and 3 export zero rows.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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


def crawl(
    url: str,
    work: Path,
    run_id: str,
    extra: dict[str, str] | None = None,
    repo: Path = REPO,
) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one ``scrapy crawl frontpage`` with ``repo``'s code."""
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
    env = {**os.environ, "PYTHONPATH": str(repo)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, cwd=repo, env=env, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def rows_exported(work: Path, run_id: str) -> dict[str, int]:
    manifest = json.loads((work / "exports" / run_id / "manifest.json").read_text())
    return {
        name.removesuffix(".jsonl"): info["rows"]
        for name, info in manifest["files"].items()
        if name.endswith(".jsonl")
    }


def compiled_copy(repo: Path, dest: Path) -> Path:
    """``repo``'s package and ``scrapy.cfg`` in ``dest``, with their bytecode (--bytecode)."""
    shutil.copytree(
        repo / "newsspider", dest / "newsspider", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy2(repo / "scrapy.cfg", dest / "scrapy.cfg")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(dest / "newsspider")], check=True)
    return dest


def sequence(url: str, work: Path, repo: Path, bytecode: bool = False) -> dict[str, dict[str, Any]]:
    """The three crawls, in order, with fresh state and export folders under ``work``."""
    work.mkdir(parents=True, exist_ok=True)
    if bytecode:
        repo = compiled_copy(repo, work / "code")
    runs = {
        "first": crawl(url, work, "first", repo=repo),
        "recrawl": crawl(url, work, "recrawl", repo=repo),
        "recrawl-all-due": crawl(
            url, work, "recrawl-all-due", {"NEWSSPIDER_REFETCH_MIN_INTERVAL": "0"}, repo=repo
        ),
    }
    return {
        run_id: {
            "wall_s": round(wall, 2),
            "cpu_s": round(cpu, 2),
            "rows": rows_exported(work, run_id),
        }
        for run_id, (wall, cpu) in runs.items()
    }


def summary(label: str, runs: dict[str, dict[str, Any]]) -> dict[str, float]:
    first, second, third = (runs[k] for k in ("first", "recrawl", "recrawl-all-due"))
    print(f"{label}:")
    for name, run in (
        ("first crawl", first),
        ("recrawl (unchanged)", second),
        ("recrawl (all due, 304)", third),
    ):
        wall, cpu = run["wall_s"], run["cpu_s"]
        print(f"  {name + ':':<25}{wall:7.2f} s wall {cpu:6.2f} s CPU  rows {run['rows']}")
    ratios = {
        "wall_ratio": round(first["wall_s"] / second["wall_s"], 1),
        "cpu_ratio": round(first["cpu_s"] / second["cpu_s"], 1),
    }
    print(f"  speed-up first/recrawl: {ratios['wall_ratio']}x wall, {ratios['cpu_ratio']}x CPU")
    return ratios


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000, help="site size (default 1000)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--baseline", type=Path, help="also run the crawls with this checkout")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument(
        "--bytecode",
        action="store_true",
        help="write and reuse bytecode as an installed package does (see above)",
    )
    args = parser.parse_args()
    result: dict[str, Any] = {
        "articles": args.articles,
        "bytecode": args.bytecode,
        "loadavg": [os.getloadavg()[0]],
    }
    with tempfile.TemporaryDirectory(prefix="newsspider-recrawl-") as tmp:
        work = args.keep or Path(tmp)
        site_root = work / "site"
        write_site(site_root, args.articles)
        with StaticSite(site_root) as site:
            if args.baseline:
                result["baseline"] = sequence(
                    site.url, work / "baseline", args.baseline.resolve(), args.bytecode
                )
            result["current"] = sequence(site.url, work / "current", REPO, args.bytecode)
    result["loadavg"].append(os.getloadavg()[0])
    print(f"site: {args.articles} articles on {site.url}; load average {result['loadavg']}")
    if args.baseline:
        result["baseline"].update(summary(f"baseline ({args.baseline})", result["baseline"]))
    current = result["current"]
    current.update(summary("this checkout", current))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    rows = [current[k]["rows"] for k in ("recrawl", "recrawl-all-due")]
    ok = current["wall_ratio"] >= 10 and not any(v for r in rows for v in r.values())
    print("PASS" if ok else "FAIL: want >= 10x and zero rows on the recrawls")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
