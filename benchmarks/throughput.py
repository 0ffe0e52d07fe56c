"""Throughput: the full ``site`` crawl vs a bare fetch of the same URLs, same server, same run.

    python benchmarks/throughput.py --articles 5000 [--concurrency 16] [--json out.json]
                                    [--no-state] [--rate-limit 2m]

1. generates (or reuses) the synthetic site of N articles (``benchmarks/synthetic_site.py``);
2. starts nginx on 127.0.0.1 (a free port, a temp config) serving it;
3. runs ``benchmarks/bare_spider.py`` on ``urls.txt`` (every page the full crawl fetches);
4. runs ``scrapy crawl site`` (discovery, extraction, normalize/validate/dedupe/state
   pipelines, JSONL+CSV exports, manifest) with a fresh export folder and state folder;
5. stops nginx and prints pages/s of both and the ratio.

Both crawls: AutoThrottle off, CONCURRENT_REQUESTS = CONCURRENT_REQUESTS_PER_DOMAIN =
``--concurrency``, LOG_LEVEL INFO (full) / WARNING (bare). pages/s = responses received /
Scrapy's ``elapsed_time_seconds``. ``--rate-limit`` sets nginx ``limit_rate`` per connection
(e.g. ``2m`` = 2 MB/s) to model a remote server instead of a loopback one.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import synthetic_site  # noqa: E402

_STAT_RE = re.compile(r"'(?P<key>[^']+)': (?P<value>[0-9.]+)")


def run_measured(cmd: list[str], cwd: Path, timeout: float = 600) -> tuple[int, str, int]:
    """Run a command; (exit status, stdout+stderr, peak RSS of that process in KB)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        text = log.read().decode("utf-8", errors="replace")
    return proc.returncode, text, int(usage.ru_maxrss)


def crawl_stats(log: str) -> dict[str, float]:
    """Numeric entries of Scrapy's end-of-crawl stats dump."""
    start = log.rfind("Dumping Scrapy stats:")
    return {m["key"]: float(m["value"]) for m in _STAT_RE.finditer(log[start:])}


def full_crawl(url: str, concurrency: int, workdir: Path, state: bool) -> dict[str, Any]:
    export_dir = workdir / "exports"
    cmd = [
        sys.executable, "-m", "scrapy", "crawl", "site",
        "-a", f"url={url}", "-a", "run_id=bench",
        "-s", f"NEWSSPIDER_EXPORT_DIR={export_dir}",
        "-s", f"NEWSSPIDER_STATE_DIR={workdir / 'state'}",
        "-s", f"NEWSSPIDER_STATE_ENABLED={state}",
        "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", f"CONCURRENT_REQUESTS={concurrency}",
        "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={concurrency}",
        "-s", "LOGSTATS_INTERVAL=600",
        "-s", "LOG_LEVEL=INFO",
    ]  # fmt: skip
    status, log, rss_kb = run_measured(cmd, REPO)
    if status != 0:
        raise SystemExit(f"full crawl failed (exit {status}):\n{log[-3000:]}")
    stats = crawl_stats(log)
    elapsed = stats.get("elapsed_time_seconds", 0.0)
    responses = int(stats.get("downloader/response_count", 0))
    manifest = json.loads((export_dir / "bench" / "manifest.json").read_text(encoding="utf-8"))
    return {
        "responses": responses,
        "elapsed_s": round(elapsed, 2),
        "pages_per_s": round(responses / elapsed, 1) if elapsed else 0.0,
        "articles_exported": manifest["items_scraped"].get("Article", 0),
        "slots_exported": manifest["items_scraped"].get("FrontPageSlot", 0),
        "rejects": manifest["items_scraped"].get("Reject", 0),
        "reconciled": manifest["reconciled"],
        "peak_rss_mb": round(rss_kb / 1024, 1),
        "discovered": int(stats.get("newsspider/discovery/articles", 0)),
    }


def bare_crawl(url: str, urls_file: Path, concurrency: int, workdir: Path) -> dict[str, Any]:
    out = workdir / "bare.json"
    cmd = [
        sys.executable, str(BENCH / "bare_spider.py"), "--base", url, "--urls", str(urls_file),
        "--concurrency", str(concurrency), "--stats-out", str(out),
    ]  # fmt: skip
    status, log, rss_kb = run_measured(cmd, workdir)  # not the repo: plain Scrapy settings
    if status != 0:
        raise SystemExit(f"bare crawl failed (exit {status}):\n{log[-3000:]}")
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    result["elapsed_s"] = round(result["elapsed_s"], 2)
    result["pages_per_s"] = round(result["pages_per_s"], 1)
    result["peak_rss_mb"] = round(rss_kb / 1024, 1)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--site-dir", type=Path, default=None)
    parser.add_argument("--no-state", action="store_true", help="NEWSSPIDER_STATE_ENABLED=False")
    parser.add_argument("--rate-limit", default=None, help="nginx limit_rate, e.g. 2m")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    site_dir = args.site_dir or Path(tempfile.gettempdir()) / "newsspider-bench" / (
        f"site-{args.articles}"
    )
    synthetic_site.write_site(args.articles, site_dir)
    with (
        tempfile.TemporaryDirectory(prefix="newsspider-throughput-") as tmp,
        synthetic_site.nginx(site_dir, rate_limit=args.rate_limit) as url,
    ):
        workdir = Path(tmp)
        bare = bare_crawl(url, site_dir / "urls.txt", args.concurrency, workdir)
        full = full_crawl(url, args.concurrency, workdir, state=not args.no_state)
    ratio = full["pages_per_s"] / bare["pages_per_s"] if bare["pages_per_s"] else 0.0
    result = {
        "articles": args.articles,
        "concurrency": args.concurrency,
        "state": not args.no_state,
        "rate_limit": args.rate_limit,
        "bare": bare,
        "full": full,
        "ratio": round(ratio, 3),
    }
    print(json.dumps(result, indent=2))
    print(
        f"\nN={args.articles}: full {full['pages_per_s']} pages/s, bare {bare['pages_per_s']} "
        f"pages/s, ratio {ratio:.0%} (target >= 85%)"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
