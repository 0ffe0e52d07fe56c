"""Start-up cost of a crawl: CPU until "Spider opened", a whole demo crawl, ``scrapy list``.

Usage (from the repo root)::

    python benchmarks/startup.py [--rounds 5] [--baseline DIR] [--bytecode] [--json F]

Each round runs, as subprocesses with fresh export and state folders:

* ``scrapy crawl frontpage`` on the bundled demo site (the README's first run): the CPU
  (user + system, read from ``/proc/<pid>/stat``) when its log says "Spider opened" (the
  start-up: interpreter, imports, command, settings, add-ons, components, state), and the
  CPU of the whole crawl once it has ended;
* ``scrapy list``: project settings, commands and spider modules, no crawler.

``--baseline DIR`` runs the same commands with another checkout's code (``git archive
COMMIT | tar -x -C DIR``) in the same rounds, alternating with this checkout, so a shared
machine's load falls on both alike; the medians are compared. ``--bytecode``: each
checkout's package is copied and compiled first (benchmarks/recrawl.py ``--bytecode``).
Linux only (/proc).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from recrawl import compiled_copy  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a live process so far."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def demo_crawl(repo: Path, work: Path) -> dict[str, float]:
    """(CPU at "Spider opened", CPU of the whole crawl) of one demo crawl with ``repo``'s code."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", "frontpage"]
    for key, value in {
        "NEWSSPIDER_EXPORT_DIR": work / "exports",
        "NEWSSPIDER_STATE_DIR": work / "state",
        "LOG_LEVEL": "INFO",
    }.items():
        cmd += ["-s", f"{key}={value}"]
    env = {**os.environ, "PYTHONPATH": str(repo)}
    before = children_cpu()
    proc = subprocess.Popen(
        cmd, cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert proc.stderr is not None
    opened = None
    for line in proc.stderr:
        if opened is None and "Spider opened" in line:
            opened = process_cpu(proc.pid)
    if proc.wait() != 0 or opened is None:
        raise SystemExit(f"the demo crawl with {repo} failed (exit {proc.returncode})")
    return {"spider_opened_cpu_s": opened, "crawl_cpu_s": children_cpu() - before}


def scrapy_list(repo: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(repo)}
    before = children_cpu()
    subprocess.run(
        [sys.executable, "-m", "scrapy", "list"],
        cwd=repo,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return children_cpu() - before


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--baseline", type=Path, help="also run with this checkout's code")
    parser.add_argument("--bytecode", action="store_true", help="compiled copies of the code")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    result: dict[str, Any] = {"rounds": args.rounds, "bytecode": args.bytecode}
    result["loadavg"] = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix="newsspider-startup-") as tmp:
        repos = {"current": REPO}
        if args.baseline:
            repos = {"baseline": args.baseline.resolve(), **repos}
        if args.bytecode:
            repos = {label: compiled_copy(repo, Path(tmp, label)) for label, repo in repos.items()}
        runs: dict[str, list[dict[str, float]]] = {label: [] for label in repos}
        for n in range(args.rounds):
            for label, repo in repos.items():
                figures = demo_crawl(repo, Path(tmp, f"{label}-{n}"))
                figures["scrapy_list_cpu_s"] = scrapy_list(repo)
                runs[label].append(figures)
    result["loadavg"].append(os.getloadavg()[0])
    print(f"{args.rounds} rounds, load average {result['loadavg']}, bytecode {args.bytecode}")
    for label, figures in runs.items():
        medians = {key: round(statistics.median(f[key] for f in figures), 3) for key in figures[0]}
        result[label] = {"median": medians, "runs": figures}
        print(
            f"  {label:<9} CPU at 'Spider opened' {medians['spider_opened_cpu_s']:.2f} s,"
            f" demo crawl {medians['crawl_cpu_s']:.2f} s,"
            f" scrapy list {medians['scrapy_list_cpu_s']:.2f} s (medians)"
        )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
