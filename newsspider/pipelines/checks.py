"""What a parse worker already decided for an Article, handed to the pipelines that own it.

With the parse pool (newsspider/parsepool.py) an article page is parsed in a worker process,
and the worker then runs the item through the *same* functions the normalize and validate
pipelines call (:func:`newsspider.pipelines.normalize.normalize_item`,
:func:`newsspider.pipelines.validate.problems_of`), where the CPU is free: the crawling
process is what limits pages/s (issue 14, docs/benchmarks/log.md "Second core"). The result
travels with the item as :class:`WorkerChecks` (an attribute that is not a field: exports,
state and ``asdict`` never see it), and each pipeline still makes its decision, from these
results instead of computing them again: NormalizePipeline counts the worker's changes in its
stats, ValidatePipeline logs, counts and rejects from the worker's problems, StatePipeline
compares the worker's content hash (:func:`newsspider.state.runtime.article_hash`, of the
Article with validate's date clean-up applied; no content field changes after validate). An
item parsed inline has no checks, and the pipelines compute everything themselves, as before.

The checks are only used while the item's ``crawled_at`` is the one the worker checked (the
spider stamps the same value; anything else is recomputed). ``run_id`` is stamped after the
worker: a run id is validated text (letters, digits, ``._-``) that normalize leaves as it is
and validate accepts, so it changes neither decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ATTR = "_newsspider_worker_checks"

Problem = tuple[str, str]  # (reason code, one human line): what validate's problems_of gives


@dataclass(slots=True)
class WorkerChecks:
    crawled_at: str | None  # the item's crawled_at when the worker checked it
    normalize_counts: dict[str, int] = field(default_factory=dict)  # normalize stat -> count
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # the state's content hash of the Article as the pipelines leave it (None: rejected)
    content_hash: str | None = None


def attach(item: Any, checks: WorkerChecks) -> None:
    item.__dict__[ATTR] = checks


def checks_of(item: Any) -> WorkerChecks | None:
    """The worker's checks of this item, if it has them and they still apply."""
    checks: WorkerChecks | None = getattr(item, "__dict__", {}).get(ATTR)
    if checks is None or checks.crawled_at != getattr(item, "crawled_at", None):
        return None
    return checks
