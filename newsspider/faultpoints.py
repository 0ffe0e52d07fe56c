"""Named crash points for the kill tests (tests/test_kill_state.py).

``NEWSSPIDER_CRASH_AT=after_commit`` (or ``after_fetch:3``, the 3rd time) in the environment
makes the crawl kill itself with SIGKILL at that point: the moments between two durable steps
(a fetch and its item, the renames and the state commit, the commit and the manifest, the
history rebuild) that a random kill would only rarely hit. Unset, a point costs one dict
lookup. Nothing else reads the variable; it is not a setting users need.

``NEWSSPIDER_CRASH_WORKER_ON=/article/1007`` makes a parse worker (newsspider/parsepool.py)
die with ``os._exit`` when it is handed a page whose URL contains that text: a real
``BrokenProcessPool`` for the worker-crash tests.
"""

from __future__ import annotations

import os
import signal

_TARGET, _, _NTH = (os.environ.get("NEWSSPIDER_CRASH_AT") or "").partition(":")
_HITS: dict[str, int] = {}
_WORKER_CRASH_ON = os.environ.get("NEWSSPIDER_CRASH_WORKER_ON") or ""


def crash_point(name: str) -> None:
    if name != _TARGET:
        return
    _HITS[name] = _HITS.get(name, 0) + 1
    if _HITS[name] >= int(_NTH or 1):
        os.kill(os.getpid(), signal.SIGKILL)


def worker_crash_point(url: str) -> None:
    if _WORKER_CRASH_ON and _WORKER_CRASH_ON in url:
        os._exit(70)
