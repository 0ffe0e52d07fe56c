"""Throughput: the full ``site`` crawl vs a bare fetch of the same URLs, same server, same run.

    python benchmarks/throughput.py --articles 2000 [--concurrency 16] [--json out.json]
                                    [--no-state] [--rate-limit 2m] [--delay MS] [--peers]
                                    [--full-setting NEWSSPIDER_PARSE_WORKERS=0]

1. generates (or reuses) the synthetic site of N articles (``benchmarks/synthetic_site.py``);
2. serves it on 127.0.0.1: nginx (a free port, a temp config), or with ``--delay MS`` the
   asyncio server of ``benchmarks/delay_server.py``, which waits MS milliseconds before every
   response (a remote site: the network-bound case; its own CPU is reported as ``server``);
3. ``bare``: ``benchmarks/bare_spider.py`` on ``urls.txt`` (every page the full crawl fetches),
   plain Scrapy defaults;
4. ``bare_tuned``: the same bare fetch with exactly the full crawl's engine settings
   (``newsspider.perf.ENGINE_SETTINGS``: CONCURRENT_ITEMS, reactor, GC tuning);
5. ``full``: ``scrapy crawl site`` (discovery, extraction, normalize/validate/dedupe/state
   pipelines, JSONL+CSV exports, manifest) with a fresh export folder and state folder;
6. ``--peers``: ``trafilatura``, a plain Scrapy spider calling trafilatura in ``parse`` on
   every article page (``bare_spider.py --extract trafilatura``, JSON lines export);
7. ``--full-setting NAME=VALUE``: one more full crawl with those settings (``full_alt``), its
   export files compared row by row with ``full``'s (``same_rows_as_full``);
8. stops the server and prints pages/s, CPU ms per page and the ratio full / bare.

Every crawl: AutoThrottle off, CONCURRENT_REQUESTS = CONCURRENT_REQUESTS_PER_DOMAIN =
``--concurrency``, LOG_LEVEL INFO (full) / WARNING (the others). pages/s = responses received
/ Scrapy's ``elapsed_time_seconds`` (under the asyncio reactor it ends before the feeds
close: the crawl phase, without the end of the run); ``wall_s``, ``command_pages_per_s`` and
``ratio_command``: the same over each command's whole wall time (start-up, crawl, feeds' close,
end of run). ``cpu_ms_per_page`` = user + system CPU of the crawl
process and every process it starts (this process's ``RUSAGE_CHILDREN`` before and after the
crawl), start-up included, per response; ``main_cpu_ms_per_page`` (full crawls) leaves out
what the parse workers report as their own CPU (``newsspider/parse_pool/worker_cpu_s``): the
crawling process alone, the figure that bounds pages/s when the second core is free;
``main_crawl_cpu_ms_per_page``: the same process from ``spider_opened`` to ``spider_closed``
(the stat ``newsspider/crawl_phase/cpu_s``), without start-up and the end of the run (0.0
for code older than that stat).
``--rate-limit`` sets nginx ``limit_rate`` per connection (e.g. ``2m`` = 2 MB/s). The load
average is recorded (``loadavg``): the machine is shared, so compare ratios measured in one
run.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import importlib.util
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import delay_server  # noqa: E402
import synthetic_site  # noqa: E402

_STAT_RE = re.compile(r"'(?P<key>[^']+)': (?P<value>[0-9.]+)")


def run_measured(
    cmd: list[str], cwd: Path, timeout: float = 3600, repo: Path = REPO
) -> tuple[int, str, int, float]:
    """Run a command; (exit status, stdout+stderr, peak RSS of that process in KB, CPU seconds
    of it and every process it started: user + system). ``timeout``: an hour, since a 50,000
    article crawl (``memory.py``) took over 30 minutes on the shared machine at load 10."""
    env = {**os.environ, "PYTHONPATH": str(repo)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
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
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return proc.returncode, text, int(usage.ru_maxrss), cpu


def cpu_fields(cpu_s: float, responses: int) -> dict[str, float]:
    return {
        "cpu_s": round(cpu_s, 2),
        "cpu_ms_per_page": round(cpu_s * 1000 / responses, 2) if responses else 0.0,
    }


def run_timed(cmd: list[str], cwd: Path, repo: Path = REPO) -> tuple[int, str, int, float, float]:
    """:func:`run_measured`, and the command's wall time in seconds (process start to exit)."""
    started = time.monotonic()
    status, log, rss_kb, cpu_s = run_measured(cmd, cwd, repo=repo)
    return status, log, rss_kb, cpu_s, time.monotonic() - started


def wall_fields(wall_s: float, responses: int) -> dict[str, float]:
    """The whole command's wall time (process start to exit: start-up, crawl, feeds' close,
    end of run) and pages per second of it. ``pages_per_s`` uses Scrapy's
    ``elapsed_time_seconds`` instead, which under the asyncio reactor ends before the feeds
    close (docs/benchmarks/log.md "Session 9 (perf-end)"): the crawl phase alone."""
    return {
        "wall_s": round(wall_s, 2),
        "command_pages_per_s": round(responses / wall_s, 1) if wall_s else 0.0,
    }


def crawl_stats(log: str) -> dict[str, float]:
    """Numeric entries of Scrapy's end-of-crawl stats dump."""
    start = log.rfind("Dumping Scrapy stats:")
    return {m["key"]: float(m["value"]) for m in _STAT_RE.finditer(log[start:])}


def site_crawl_cmd(
    url: str,
    export_dir: Path,
    state_dir: Path,
    concurrency: int = 16,
    settings: dict[str, str] | None = None,
) -> list[str]:
    """``scrapy crawl site`` of ``url`` as every benchmark runs it: run id ``bench``, its own
    export and state folders, AutoThrottle off, ``concurrency`` requests (per domain too),
    LOG_LEVEL INFO, no periodic stats line; ``settings``: more ``-s`` settings (last wins)."""
    cmd = [
        sys.executable, "-m", "scrapy", "crawl", "site",
        "-a", f"url={url}", "-a", "run_id=bench",
        "-s", f"NEWSSPIDER_EXPORT_DIR={export_dir}",
        "-s", f"NEWSSPIDER_STATE_DIR={state_dir}",
        "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", f"CONCURRENT_REQUESTS={concurrency}",
        "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={concurrency}",
        "-s", "LOGSTATS_INTERVAL=600",
        "-s", "LOG_LEVEL=INFO",
    ]  # fmt: skip
    for name, value in (settings or {}).items():
        cmd += ["-s", f"{name}={value}"]
    return cmd


def full_crawl(
    url: str,
    concurrency: int,
    workdir: Path,
    state: bool,
    repo: Path = REPO,
    label: str = "",
    settings: dict[str, str] | None = None,
) -> dict[str, Any]:
    """``repo``: the checkout whose code crawls (``--baseline``: an earlier commit's);
    ``settings``: extra ``-s`` settings (``--full-setting``)."""
    export_dir = workdir / f"exports{label}"
    cmd = site_crawl_cmd(
        url,
        export_dir,
        workdir / f"state{label}",
        concurrency,
        {"NEWSSPIDER_STATE_ENABLED": str(state), **(settings or {})},
    )
    status, log, rss_kb, cpu_s, wall = run_timed(cmd, repo, repo=repo)
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
        **wall_fields(wall, responses),
        "articles_exported": manifest["items_scraped"].get("Article", 0),
        "slots_exported": manifest["items_scraped"].get("FrontPageSlot", 0),
        "rejects": manifest["items_scraped"].get("Reject", 0),
        "reconciled": manifest["reconciled"],
        "peak_rss_mb": round(rss_kb / 1024, 1),
        "discovered": int(stats.get("newsspider/discovery/articles", 0)),
        "parse_pool": {
            key.rsplit("/", 1)[1]: value
            for key, value in stats.items()
            if key.startswith("newsspider/parse_pool/")
        },
        # the crawling process alone (all processes minus the parse workers' own report)
        "main_cpu_ms_per_page": round(
            (cpu_s - stats.get("newsspider/parse_pool/worker_cpu_s", 0.0)) * 1000 / responses, 2
        )
        if responses
        else 0.0,
        # the crawling process from spider_opened to spider_closed: no start-up, no end of run
        # (absent for code older than the stat)
        "main_crawl_cpu_ms_per_page": round(
            stats.get("newsspider/crawl_phase/cpu_s", 0.0) * 1000 / responses, 2
        )
        if responses
        else 0.0,
        "manifest_rows": manifest["items_scraped"],
        "run_dir": str(export_dir / "bench"),
        **cpu_fields(cpu_s, responses),
    }


RUN_FIELDS = {"run_id", "crawled_at"}  # differ between two crawls of the same site by design


def export_rows(run_dir: Path) -> dict[str, list[str]]:
    """Every JSONL/CSV export file of a run: its rows without the per-run fields, sorted."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in RUN_FIELDS}
        return value

    out: dict[str, list[str]] = {}
    for path in sorted(run_dir.iterdir()):
        if path.suffix == ".jsonl":
            text = path.read_text(encoding="utf-8")
            rows = [strip(json.loads(line)) for line in text.splitlines() if line]
        elif path.suffix == ".csv":
            with path.open(newline="", encoding="utf-8") as f:
                rows = [strip(dict(row)) for row in csv.DictReader(f)]
        else:
            continue
        out[path.name] = sorted(json.dumps(row, sort_keys=True) for row in rows)
    return out


def same_rows(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Do two full crawls export the same rows (every file) and manifest row counts?"""
    rows_a, rows_b = export_rows(Path(a["run_dir"])), export_rows(Path(b["run_dir"]))
    differ = sorted(
        name for name in rows_a.keys() | rows_b.keys() if rows_a.get(name) != rows_b.get(name)
    )
    return {
        "files": len(rows_a),
        "rows": sum(len(rows) for rows in rows_a.values()),
        "differing_files": differ,
        "manifest_rows_equal": a["manifest_rows"] == b["manifest_rows"],
        "identical": not differ and a["manifest_rows"] == b["manifest_rows"],
    }


def bare_crawl(
    url: str, urls_file: Path, concurrency: int, workdir: Path, mode: str = "bare"
) -> dict[str, Any]:
    """``mode``: "bare" (Scrapy defaults), "bare_tuned" (the full crawl's engine settings) or
    "trafilatura" (the peer: trafilatura.extract in parse, JSON lines export)."""
    out = workdir / f"{mode}.json"
    cmd = [
        sys.executable, str(BENCH / "bare_spider.py"), "--base", url, "--urls", str(urls_file),
        "--concurrency", str(concurrency), "--stats-out", str(out),
    ]  # fmt: skip
    if mode == "bare_tuned":
        cmd.append("--tuned")
    elif mode == "trafilatura":
        cmd += ["--extract", "trafilatura", "--out", str(workdir / "trafilatura.jsonl")]
    status, log, rss_kb, cpu_s, wall = run_timed(cmd, workdir)  # not the repo: no settings
    if status != 0:
        raise SystemExit(f"{mode} crawl failed (exit {status}):\n{log[-3000:]}")
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    if mode == "trafilatura" and not result.get("items"):
        # a parse that raised is a logged spider error, not an exit status: no row is the sign
        raise SystemExit(f"the trafilatura peer extracted nothing: its log ends\n{log[-3000:]}")
    result["elapsed_s"] = round(result["elapsed_s"], 2)
    result["pages_per_s"] = round(result["pages_per_s"], 1)
    result["peak_rss_mb"] = round(rss_kb / 1024, 1)
    result.update(cpu_fields(cpu_s, result["responses"]))
    result.update(wall_fields(wall, result["responses"]))
    return result


@contextlib.contextmanager
def site_server(
    site_dir: Path, rate_limit: str | None, delay_ms: float, server: dict[str, Any]
) -> Iterator[str]:
    """nginx, or the delay server when ``delay_ms`` (its CPU use lands in ``server``)."""
    if delay_ms:
        with delay_server.serve(site_dir, delay_ms, server) as url:
            yield url
    else:
        with synthetic_site.nginx(site_dir, rate_limit=rate_limit) as url:
            yield url


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--site-dir", type=Path, default=None)
    parser.add_argument("--no-state", action="store_true", help="NEWSSPIDER_STATE_ENABLED=False")
    parser.add_argument("--rate-limit", default=None, help="nginx limit_rate, e.g. 2m")
    parser.add_argument(
        "--delay",
        type=float,
        default=0.0,
        metavar="MS",
        help="serve with a delay of MS milliseconds per response (not nginx)",
    )
    parser.add_argument(
        "--peers",
        action="store_true",
        help="also a plain Scrapy spider calling trafilatura in parse",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        default=None,
        metavar="DIR",
        help="also crawl with the code in DIR (`git archive COMMIT | tar -x -C"
        " DIR`), reported as full_baseline: before/after in one run",
    )
    parser.add_argument(
        "--full-setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="also a full crawl with these -s settings (repeatable; one extra crawl), reported"
        " as full_alt with a row-by-row comparison to full, e.g. NEWSSPIDER_PARSE_WORKERS=0",
    )
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    alt_settings = dict(item.split("=", 1) for item in args.full_setting if "=" in item)
    if len(alt_settings) != len(args.full_setting):
        parser.error("--full-setting takes NAME=VALUE")
    if args.delay and args.rate_limit:
        parser.error("--delay and --rate-limit exclude each other (the delay server has no rate)")
    site_dir = args.site_dir or Path(tempfile.gettempdir()) / "newsspider-bench" / (
        f"site-{args.articles}"
    )
    synthetic_site.write_site(args.articles, site_dir)
    server: dict[str, Any] = {}
    if args.peers and importlib.util.find_spec("trafilatura") is None:
        raise SystemExit("--peers needs trafilatura: pip install -e '.[bench]'")
    urls = site_dir / "urls.txt"
    load_before = os.getloadavg()
    with (
        tempfile.TemporaryDirectory(prefix="newsspider-throughput-") as tmp,
        site_server(site_dir, args.rate_limit, args.delay, server) as url,
    ):
        workdir = Path(tmp)
        bare = bare_crawl(url, urls, args.concurrency, workdir)
        bare_tuned = bare_crawl(url, urls, args.concurrency, workdir, mode="bare_tuned")
        full = full_crawl(url, args.concurrency, workdir, state=not args.no_state)
        peers = {}
        if alt_settings:
            peers["full_alt"] = full_crawl(
                url, args.concurrency, workdir, not args.no_state, label="-alt",
                settings=alt_settings,
            )  # fmt: skip
            peers["full_alt"]["settings"] = alt_settings
            peers["full_alt"]["same_rows_as_full"] = same_rows(full, peers["full_alt"])
        if args.baseline:
            peers["full_baseline"] = full_crawl(
                url, args.concurrency, workdir, not args.no_state, args.baseline.resolve(), "-b"
            )
        if args.peers:
            peers["trafilatura"] = bare_crawl(url, urls, args.concurrency, workdir, "trafilatura")
    ratio = full["pages_per_s"] / bare["pages_per_s"] if bare["pages_per_s"] else 0.0
    for run in (full, *peers.values()):
        run["ratio"] = (
            round(run["pages_per_s"] / bare["pages_per_s"], 3) if bare["pages_per_s"] else 0.0
        )
    result: dict[str, Any] = {
        "articles": args.articles,
        "concurrency": args.concurrency,
        "state": not args.no_state,
        "rate_limit": args.rate_limit,
        "delay_ms": args.delay,
        "loadavg": [round(x, 2) for x in (*load_before, *os.getloadavg())],
        "bare": bare,
        "bare_tuned": bare_tuned,
        "full": full,
        **peers,
        "ratio": round(ratio, 3),
        # the same ratio over each command's whole wall time (start-up and end of run in)
        "ratio_command": round(full["command_pages_per_s"] / bare["command_pages_per_s"], 3)
        if bare["command_pages_per_s"]
        else 0.0,
        "ratio_tuned": round(full["pages_per_s"] / bare_tuned["pages_per_s"], 3)
        if bare_tuned["pages_per_s"]
        else 0.0,
        "cpu_ms_per_page": {
            name: run["cpu_ms_per_page"]
            for name, run in (
                ("bare", bare),
                ("bare_tuned", bare_tuned),
                ("full", full),
                *peers.items(),
            )
        },
    }
    if args.delay:
        result["server"] = server
        result["delay_bound_pages_per_s"] = round(args.concurrency * 1000 / args.delay, 1)
    print(json.dumps(result, indent=2))
    print(
        f"\nN={args.articles}, concurrency {args.concurrency}, delay {args.delay:g} ms, "
        f"load average {result['loadavg'][0]} -> {result['loadavg'][3]}"
    )
    print(
        f"{'run':<12} {'pages/s':>8} {'CPU ms/page':>12} {'crawl proc':>10} {'crawl phase':>11}"
        f" {'peak RSS MB':>12} {'vs bare':>8}"
    )
    for name in ("bare", "bare_tuned", "full", *peers):
        run = result[name]
        print(
            f"{name:<12} {run['pages_per_s']:>8} {run['cpu_ms_per_page']:>12} "
            f"{run.get('main_cpu_ms_per_page', '-'):>10} "
            f"{run.get('main_crawl_cpu_ms_per_page', '-'):>11} "
            f"{run['peak_rss_mb']:>12} "
            f"{run.get('ratio', run['pages_per_s'] / (result['bare']['pages_per_s'] or 1)):>8.0%}"
        )
    print(
        f"ratio full / bare {ratio:.0%} (target >= 85%; the crawl phase: Scrapy's elapsed time), "
        f"{result['ratio_command']:.0%} over each command's whole wall time; CPU full / bare_tuned "
        f"{full['cpu_ms_per_page'] / (bare_tuned['cpu_ms_per_page'] or 1):.2f}x (target <= 2x)"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
