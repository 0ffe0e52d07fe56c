"""Who waits for whom in a pooled crawl: the crawling process's main thread and its parse
worker, running / waiting for a CPU / sleeping, in the crawl's steady state.

    python benchmarks/pool_waits.py [--articles 2000] [--rounds 2] [--baseline DIR]
                                    [--nice -15] [--json out.json]

Crawls the synthetic site (``benchmarks/synthetic_site.py``, served by nginx) with
``scrapy crawl site`` as ``throughput.py`` does (``throughput.site_crawl_cmd``), plus the
extension :class:`WaitProbe` of this file, which every 0.25 s records the responses so far,
the downloader's and the scraper's queues, and ``/proc/<tid>/schedstat`` of the crawl's main
thread and of its parse workers (time running, time runnable but waiting for a CPU; the rest
of the wall time is sleeping: waiting for an event). From the ``--from``-th response (300: the
pool is in use) to the end of the crawl it reports pages/s, each one's share of the wall
time running / waiting / sleeping, and its running CPU per page.

A process that sleeps while the other is busy is waiting for it: in session 11 both slept a
quarter of the time until the pool's pipes were widened (docs/benchmarks/log.md "Session 11
(lead)"). ``waiting`` is the machine's load: on a shared machine give ``--nice -15`` (root):
each crawl then runs in its own scheduler autogroup with that nice value (``setsid`` and
``/proc/self/autogroup``; a plain ``nice`` does not weigh against other sessions' processes).
``--baseline DIR`` alternates crawls of this checkout and of DIR (``git archive COMMIT | tar
-x -C DIR``), ``--rounds`` times each.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

ROWS_ENV = "POOL_WAITS_ROWS"  # where WaitProbe writes its samples (JSON lines)


def schedstat(tid: int, pid: int | None = None) -> tuple[float, float]:
    """(seconds running, seconds runnable but waiting for a CPU) of one thread."""
    path = f"/proc/{pid if pid is not None else 'self'}/task/{tid}/schedstat"
    try:
        run_ns, wait_ns, _ = Path(path).read_text().split()
    except (OSError, ValueError):
        return 0.0, 0.0
    return int(run_ns) / 1e9, int(wait_ns) / 1e9


class WaitProbe:
    """A Scrapy extension: the samples described above, written at ``spider_closed``."""

    def __init__(self, crawler: Any) -> None:
        from scrapy import signals

        self.crawler = crawler
        self.rows: list[dict[str, Any]] = []
        self.t0 = 0.0
        self.loop: Any = None
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> WaitProbe:
        return cls(crawler)

    def opened(self) -> None:
        from twisted.internet import task

        self.t0 = time.monotonic()
        self.loop = task.LoopingCall(self.sample)
        self.loop.start(0.25)

    def sample(self) -> None:
        import multiprocessing

        engine = self.crawler.engine
        main_run, main_wait = schedstat(threading.main_thread().native_id)
        worker_run = worker_wait = 0.0
        workers = 0
        for child in multiprocessing.active_children():
            if "resource_tracker" in (child.name or "") or child.pid is None:
                continue
            run, wait = schedstat(child.pid, child.pid)
            worker_run += run
            worker_wait += wait
            workers += 1
        scraper = engine.scraper.slot
        self.rows.append(
            {
                "t": time.monotonic() - self.t0,
                "responses": self.crawler.stats.get_value("downloader/response_count", 0),
                "downloading": len(engine.downloader.active),
                "scraping": len(scraper.active) if scraper else 0,
                "main_run": main_run,
                "main_wait": main_wait,
                "worker_run": worker_run,
                "worker_wait": worker_wait,
                "workers": workers,
            }
        )

    def closed(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()  # no last sample: the pool may already have stopped its worker
        path = os.environ.get(ROWS_ENV)
        if path:
            with open(path, "w", encoding="utf-8") as out:
                out.writelines(json.dumps(row) + "\n" for row in self.rows)


def steady_state(rows: list[dict[str, Any]], start: int) -> dict[str, float]:
    """From the first sample with ``start`` responses to the last one that still saw the
    workers (the pool stops its workers as the crawl closes)."""
    first = next((r for r in rows if r["responses"] >= start), None)
    seen = [r for r in rows if r.get("workers", 1) >= (first or {}).get("workers", 1)]
    last = seen[-1] if seen else rows[-1]
    if first is None or last["t"] <= first["t"]:
        raise SystemExit(f"the crawl never reached {start} responses")
    wall = last["t"] - first["t"]
    pages = last["responses"] - first["responses"]
    out: dict[str, float] = {"pages_per_s": round(pages / wall, 1), "wall_s": round(wall, 2)}
    # the crawl's start: when it had its first 200 and 500 responses (0.25 s resolution)
    for n in (200, 500):
        out[f"t_{n}"] = next((round(r["t"], 2) for r in rows if r["responses"] >= n), -1.0)
    for who in ("main", "worker"):
        run = last[f"{who}_run"] - first[f"{who}_run"]
        wait = last[f"{who}_wait"] - first[f"{who}_wait"]
        out[f"{who}_running"] = round(run / wall, 3)
        out[f"{who}_waiting"] = round(wait / wall, 3)
        out[f"{who}_sleeping"] = round(1 - (run + wait) / wall, 3)
        out[f"{who}_ms_per_page"] = round(run * 1000 / pages, 2) if pages else 0.0
    return out


def project_extensions(repo: Path) -> dict[str, Any]:
    """The EXTENSIONS setting of that checkout's ``newsspider/settings.py``."""
    code = "import json; from newsspider import settings; print(json.dumps(settings.EXTENSIONS))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=repo,
        env={**os.environ, "PYTHONPATH": str(repo)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    extensions: dict[str, Any] = json.loads(out)
    return extensions


def crawl(url: str, repo: Path, workdir: Path, start: int, nice: int | None) -> dict[str, Any]:
    from throughput import site_crawl_cmd

    rows_path = workdir / "rows.jsonl"
    # -s EXTENSIONS replaces the project's dict: the probe joins that checkout's own
    extensions = {**project_extensions(repo), "pool_waits.WaitProbe": 900}
    cmd = site_crawl_cmd(
        url,
        workdir / "exports",
        workdir / "state",
        settings={"EXTENSIONS": json.dumps(extensions)},
    )
    if nice is not None:  # its own autogroup, at that nice value
        cmd = ["setsid", "sh", "-c", f'echo {nice} > /proc/self/autogroup; exec "$@"', "_", *cmd]
    env = {**os.environ, "PYTHONPATH": f"{repo}{os.pathsep}{BENCH}", ROWS_ENV: str(rows_path)}
    proc = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"crawl failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    rows = [json.loads(line) for line in rows_path.read_text(encoding="utf-8").splitlines()]
    return steady_state(rows, start)


def main(argv: Sequence[str] | None = None) -> int:
    import synthetic_site

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--from", dest="start", type=int, default=300, help="steady state from")
    parser.add_argument("--baseline", type=Path, default=None, help="alternate with this code")
    parser.add_argument("--nice", type=int, default=None, help="autogroup nice (root)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    codes = {"this": REPO, **({"baseline": args.baseline.resolve()} if args.baseline else {})}
    results: dict[str, list[dict[str, float]]] = {name: [] for name in codes}
    with tempfile.TemporaryDirectory(prefix="pool-waits-") as tmp:
        site = synthetic_site.write_site(args.articles, Path(tmp) / "site")
        with synthetic_site.nginx(site) as url:
            for round_no in range(args.rounds):
                for name, repo in codes.items():
                    with tempfile.TemporaryDirectory(dir=tmp) as work:
                        result = crawl(url, repo, Path(work), args.start, args.nice)
                    results[name].append(result)
                    print(f"round {round_no + 1} {name:8s} {json.dumps(result)}", flush=True)
    summary = {
        name: {key: statistics.median(r[key] for r in runs) for key in runs[0]}
        for name, runs in results.items()
    }
    load = os.getloadavg()[:2]
    print(f"N={args.articles}, load average {load}; medians from response {args.start}:")
    for name, med in summary.items():
        print(
            f"  {name:8s} 500th response at {med['t_500']:.2f} s;"
            f" {med['pages_per_s']:6.1f} pages/s"
            f" | main running {med['main_running']:.2f}"
            f" waiting {med['main_waiting']:.2f} sleeping {med['main_sleeping']:.2f}"
            f" ({med['main_ms_per_page']:.2f} ms/page)"
            f" | worker running {med['worker_running']:.2f}"
            f" waiting {med['worker_waiting']:.2f} sleeping {med['worker_sleeping']:.2f}"
            f" ({med['worker_ms_per_page']:.2f} ms/page)"
        )
    if args.json:
        args.json.write_text(json.dumps({"runs": results, "medians": summary}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
