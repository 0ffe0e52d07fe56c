"""Where the exports go: the FEEDS table and an atomic file storage.

One folder per run, ``<NEWSSPIDER_EXPORT_DIR>/<run id>/``, holding one JSONL and one CSV file
per item type plus ``rejects.jsonl``; ``manifest.json`` and the ``latest`` pointer are written
by :class:`newsspider.extensions.RunFilesExtension` after every feed is closed.

Pause and resume (``-s JOBDIR=DIR``, after Ctrl-C or even SIGKILL), see docs/ROBUSTNESS.md:

* the run id is stored in ``DIR/newsspider-run-id`` and reused, so a resumed crawl writes to the
  same run folder (the file is removed when the run finishes);
* a paused run keeps its ``.part`` files; the resumed run first cuts every ``.part`` file back to
  its last complete record, then to the same number of rows in the JSONL and CSV of each item
  type, and continues them (no second CSV header or BOM);
* what those files already hold is the run context's ``resume`` (newsspider/run.py): the dedupe
  pipeline reloads it (no duplicate rows) and the spider middleware skips article URLs already
  exported or rejected (nothing fetched twice); everything else is discovered and fetched
  again, so nothing is lost even when Scrapy's own request queue in the JOBDIR was torn by the kill.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from scrapy.extensions.feedexport import FeedExporter as _ScrapyFeedExporter
from scrapy.extensions.feedexport import FileFeedStorage, ItemFilter

from newsspider import prerender
from newsspider.items import (
    Article,
    ArticleRevision,
    FrontPageSlot,
    PopularEntry,
    Reject,
    field_names,
)
from newsspider.receivers import with_shared_item_receiver
from newsspider.records import CsvRecordCounter

# file stem -> item class; the order is the order of the end-of-run summary
EXPORT_FILES: dict[str, type] = {
    "front_page": FrontPageSlot,
    "articles": Article,
    "popular": PopularEntry,
    # changes to articles seen before (newsspider.pipelines.state; docs/SCHEDULING.md)
    "revisions": ArticleRevision,
}
REJECTS_FILE = "rejects.jsonl"
WORKBOOK_FILE = "newsspider.xlsx"  # not appendable: a resumed run rewrites it (workbook.py)
MANIFEST_FILE = "manifest.json"
PART_SUFFIX = ".part"
RUN_ID_FILE = "newsspider-run-id"  # in the JOBDIR: the run a resumed crawl continues
CLEAN_PAUSE_FILE = "newsspider-paused-cleanly"  # in the JOBDIR: Scrapy's queue was saved

logger = logging.getLogger(__name__)


def build_feeds() -> dict[str, dict[str, Any]]:
    """The FEEDS setting: JSONL + CSV per item type, rejects as JSONL."""
    feeds: dict[str, dict[str, Any]] = {}
    uri_params = "newsspider.feeds.uri_params"
    for stem, item_class in EXPORT_FILES.items():
        path = f"%(export_dir)s/%(run_id)s/{stem}"
        common = {
            "item_classes": [item_class],
            "overwrite": True,
            "uri_params": uri_params,
            "fields": field_names(item_class),
        }
        feeds[f"{path}.jsonl"] = {"format": "jsonl", **common}
        feeds[f"{path}.csv"] = {"format": "spreadsheet_csv", **common}
    feeds[f"%(export_dir)s/%(run_id)s/{REJECTS_FILE}"] = {
        "format": "jsonl",
        "item_classes": [Reject],
        "overwrite": True,
        "uri_params": uri_params,
    }
    # one workbook, one sheet per item class (newsspider.workbook; docs/ANALYSTS.md)
    workbook_classes = [*EXPORT_FILES.values(), Reject]
    feeds[f"%(export_dir)s/%(run_id)s/{WORKBOOK_FILE}"] = {
        "format": "xlsx",
        "item_classes": workbook_classes,
        "overwrite": True,
        "uri_params": uri_params,
        # dotted paths: FEEDS must stay JSON (-s FEEDS='{...}' in tests and scripts)
        "item_export_kwargs": {
            "item_classes": [f"{c.__module__}.{c.__qualname__}" for c in workbook_classes]
        },
    }
    return feeds


class FeedExporter(_ScrapyFeedExporter):  # type: ignore[misc]
    """Scrapy's FeedExporter (``EXTENSIONS_BASE``, in its place), its per-item path trimmed
    (issue 14, docs/benchmarks/log.md "Session 7 (perf-pipe)"):

    * its ``item_scraped`` runs inside the one shared receiver (newsspider/receivers.py), not
      as a receiver of its own (Scrapy wraps each receiver of every item in a task);
    * an item goes straight to the feeds that take its class: which feeds those are is found
      once per item class, not by asking each of the run's ~10 feed filters about every item.
      Only with Scrapy's own :class:`ItemFilter` (item classes) and no ``batch_item_count``:
      otherwise Scrapy's loop runs, as it is. Same feeds, same order, same exporters.
    """

    @classmethod
    def from_crawler(cls, crawler: Any) -> FeedExporter:
        exporter: FeedExporter = with_shared_item_receiver(
            crawler, lambda: super(FeedExporter, cls).from_crawler(crawler)
        )
        return exporter

    _routes_for: Any = None  # the slot list the routes were worked out for
    _routes: dict[type, list[Any]] | None = None  # item class -> its feeds' slots, in order

    def item_scraped(self, item: Any, spider: Any) -> None:
        if self._routes_for is not self.slots:
            self._routes_for = self.slots
            self._routes = None if self._needs_scrapys_loop() else {}
        routes = self._routes
        if routes is None:
            super().item_scraped(item, spider)
            return
        kind = type(item)
        slots = routes.get(kind)
        if slots is None:
            slots = routes[kind] = [s for s in self.slots if s.filter.accepts(item)]

        def export() -> None:
            for slot in slots:
                slot.start_exporting()
                slot.exporter.export_item(item)
                slot.itemcount += 1

        if len(slots) > 1 and prerender.ATTR in getattr(item, "__dict__", ()):
            prerender.exporting(item, self.crawler.stats, export)
        else:
            export()

    def _needs_scrapys_loop(self) -> bool:
        """A feed in batches, or one whose filter may look at more than the item's class."""
        return any(
            type(slot.filter) is not ItemFilter or self.feeds[slot.uri_template]["batch_item_count"]
            for slot in self.slots
        )


def uri_params(params: dict[str, Any], spider: Any) -> dict[str, Any]:
    """Feed URI parameters: the run id and the export folder of this crawl (its run context)."""
    from newsspider.run import run_context

    context = run_context(spider.crawler)
    params["export_dir"] = str(context.export_dir)
    params["run_id"] = context.run_id
    return params


# --- pause / resume -----------------------------------------------------------------------------


@dataclass
class ResumeState:
    """What a run folder already holds when a JOBDIR crawl resumes (empty for a new run).

    Built once per run by :func:`newsspider.run.build_run_context`.
    """

    run_id: str
    run_dir: Path
    resumed: bool = False
    prior_rows: dict[str, int] = field(default_factory=dict)  # file name -> rows kept
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # stem -> JSONL rows
    rejects: list[dict[str, Any]] = field(default_factory=list)
    csv_headers: dict[str, bytes] = field(default_factory=dict)  # CSV name -> BOM + header

    def done_urls(self) -> set[str]:
        """Article URLs already exported or rejected in this run: not fetched again."""
        urls = {r.get("url") for r in self.rows.get("articles", [])}
        urls |= {r.get("url") for r in self.rejects if r.get("item_type") == "Article"}
        return {u for u in urls if isinstance(u, str)}


def forget_run_id(settings: Any) -> None:
    """The run is over: the next crawl with this JOBDIR starts a new run."""
    jobdir = settings.get("JOBDIR")
    if jobdir:
        (Path(jobdir) / RUN_ID_FILE).unlink(missing_ok=True)


def mark_clean_pause(settings: Any) -> None:
    """A Ctrl-C pause: Scrapy has saved its request queue in the JOBDIR, it can be reused."""
    jobdir = settings.get("JOBDIR")
    if jobdir:
        write_text_atomic(Path(jobdir) / CLEAN_PAUSE_FILE, "scrapy saved requests.queue\n")


def discard_torn_queue(settings: Any) -> None:
    """Before the scheduler opens: drop Scrapy's request queue if the last stop was a crash.

    Scrapy writes the queue's bookkeeping only on a clean stop; after SIGKILL it no longer
    matches the queue files and may load garbage. The resumed run re-discovers its pages
    anyway (see the module docstring), so a torn queue is simply removed.
    """
    jobdir = settings.get("JOBDIR")
    if not jobdir:
        return
    job = Path(jobdir)
    marker = job / CLEAN_PAUSE_FILE
    if marker.exists():
        marker.unlink()  # this session may be killed too: only a new clean pause re-marks it
        return
    queue = job / "requests.queue"
    if (job / RUN_ID_FILE).exists() and queue.exists():
        import shutil

        shutil.rmtree(queue, ignore_errors=True)
        logger.warning(
            "The last crawl with JOBDIR %s did not stop cleanly (killed?): its request queue is"
            " discarded; pages are discovered again and rows already exported are kept",
            jobdir,
        )


def write_text_atomic(path: Path, text: str, *, private_part: bool = False) -> None:
    """Write ``text`` to ``path`` through a fsynced ``.part`` file and a rename.

    ``private_part``: the temp file is ``.<name>.<pid>.part`` (hidden, one per process), as in
    the history folder, where a rebuild's leftovers are cleaned by pid (history.py).
    """
    if private_part:
        part = path.with_name(f".{path.name}.{os.getpid()}{PART_SUFFIX}")
    else:
        part = path.with_name(path.name + PART_SUFFIX)
    with part.open("w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(part, path)
    fsync_dir(path.parent)


def record_ends(data: bytes, csv_quoted: bool) -> list[int]:
    """Offsets just past each complete record: JSONL ``\n``; CSV ``\r\n`` outside quotes
    (the one rule, :class:`newsspider.records.CsvRecordCounter`)."""
    if not csv_quoted:
        return [i + 1 for i, byte in enumerate(data) if byte == 0x0A]
    ends: array[int] = array("q")
    CsvRecordCounter(ends).update(data)
    return list(ends)


def prepare_resume(state: ResumeState) -> None:
    """Cut the run's ``.part`` files back to complete, matching records; read what they hold."""
    run_dir = state.run_dir
    run_dir.mkdir(parents=True, exist_ok=True)
    names = [f"{stem}.{ext}" for stem in EXPORT_FILES for ext in ("jsonl", "csv")]
    for name in [*names, REJECTS_FILE]:
        final, part = run_dir / name, run_dir / (name + PART_SUFFIX)
        if final.exists() and not part.exists():
            # killed while the files were being renamed: those rows are ours to continue
            os.replace(final, part)
    for stem in EXPORT_FILES:
        jsonl, csv_ = run_dir / f"{stem}.jsonl{PART_SUFFIX}", run_dir / f"{stem}.csv{PART_SUFFIX}"
        j_data = jsonl.read_bytes() if jsonl.exists() else b""
        c_data = csv_.read_bytes() if csv_.exists() else b""
        j_ends = record_ends(j_data, csv_quoted=False)
        c_ends = record_ends(c_data, csv_quoted=True)  # the first record is the header
        rows = min(len(j_ends), max(len(c_ends) - 1, 0))
        j_cut = j_ends[rows - 1] if rows else 0
        c_cut = c_ends[rows] if rows else (c_ends[0] if c_ends else 0)
        truncate(jsonl, j_cut)
        truncate(csv_, c_cut)
        state.prior_rows[f"{stem}.jsonl"] = rows
        state.prior_rows[f"{stem}.csv"] = rows
        if c_ends:
            state.csv_headers[f"{stem}.csv"] = c_data[: c_ends[0]]
        state.rows[stem] = [json.loads(line) for line in j_data[:j_cut].splitlines() if line]
    rejects = run_dir / (REJECTS_FILE + PART_SUFFIX)
    r_data = rejects.read_bytes() if rejects.exists() else b""
    r_ends = record_ends(r_data, csv_quoted=False)
    r_cut = r_ends[-1] if r_ends else 0
    truncate(rejects, r_cut)
    state.rejects = [json.loads(line) for line in r_data[:r_cut].splitlines() if line]
    state.prior_rows[REJECTS_FILE] = len(state.rejects)
    logger.info(
        "Resuming run %s: %s already exported, continuing %s/",
        state.run_id,
        ", ".join(f"{len(v)} {k}" for k, v in state.rows.items() if v) or "nothing",
        run_dir,
    )


def truncate(path: Path, size: int) -> None:
    if not path.exists() or path.stat().st_size == size:
        return
    with path.open("r+b") as fh:
        fh.truncate(size)
        fh.flush()
        os.fsync(fh.fileno())


class _WriteThroughFile(io.BufferedIOBase):
    """A ``.part`` file where every write reaches the operating system at once.

    Exporters write one whole record per call, so a crawl killed with SIGKILL leaves every
    record exported so far in the file (at worst a torn last one, cut on resume) instead of
    losing a buffer's worth. A resumed CSV already has its BOM and header: ``skip`` swallows
    the exporter's repeat of them.
    """

    def __init__(
        self, raw: IO[bytes], skip: bytes, on_error: Callable[[OSError], None] | None = None
    ) -> None:
        super().__init__()
        self.raw_file = raw
        self.skip = skip
        self.on_error = on_error
        self.failed = False

    def write(self, data: Any) -> int:
        data = bytes(data)
        n = len(data)
        if self.skip:
            if self.skip.startswith(data):
                self.skip = self.skip[n:]
                return n
            if data.startswith(self.skip):
                data, self.skip = data[len(self.skip) :], b""
            else:
                self.skip = b""  # not the header we expected: write everything
        if self.failed:
            return n  # the run has failed (reported once): the file is never completed
        try:
            self.raw_file.write(data)
            self.raw_file.flush()
        except OSError as exc:
            self._fail(exc)
        return n

    def _fail(self, exc: OSError) -> None:
        """Disk full, read-only, I/O error: the run fails as a whole (newsspider/run.py),
        instead of one logged traceback per item and a silently short file."""
        self.failed = True
        if self.on_error is None:
            raise exc
        self.on_error(exc)

    def writable(self) -> bool:
        return True

    def flush(self) -> None:
        if self.raw_file.closed or self.failed:
            return
        try:
            self.raw_file.flush()
        except OSError as exc:
            self._fail(exc)

    def fileno(self) -> int:
        return self.raw_file.fileno()

    def close(self) -> None:
        if not self.raw_file.closed:
            try:
                self.raw_file.close()
            except OSError as exc:
                if not self.failed and self.on_error is not None:
                    self.failed = True
                    self.on_error(exc)
                elif not self.failed:
                    raise
        super().close()


class AtomicFileFeedStorage(FileFeedStorage):  # type: ignore[misc]
    """Write to ``<name>.part`` beside the final file; flush and fsync on close.

    The run-files extension renames every ``.part`` of the run at once (:func:`finalize_parts`)
    when the whole run is complete: a crawl killed or failed at any moment leaves ``.part``
    files, never a half-written file (or a half-written run) under the final names.
    """

    crawler: Any = None

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None) -> None:
        super().__init__(uri, feed_options=feed_options)
        self.final_path = Path(self.path)
        self.part_path = self.final_path.with_name(self.final_path.name + PART_SUFFIX)

    @classmethod
    def from_crawler(
        cls, crawler: Any, uri: str, *, feed_options: dict[str, Any] | None = None
    ) -> AtomicFileFeedStorage:
        storage = cls(uri, feed_options=feed_options)
        storage.crawler = crawler
        return storage

    def open(self, spider: Any) -> IO[bytes]:
        from newsspider.run import failure_code, run_context

        context = run_context(spider.crawler)
        self.context = context

        def failed(exc: OSError) -> None:
            context.fail(
                failure_code(exc), f"cannot write {self.part_path} ({exc.strerror or exc})"
            )

        self.final_path.parent.mkdir(parents=True, exist_ok=True)
        state = context.resume
        appendable = self.final_path.name != WORKBOOK_FILE  # a zip can't be continued
        if state.resumed and appendable and self.part_path.exists():
            # continue the paused run's file (already cut back to whole records)
            raw = self.part_path.open("r+b")
            raw.seek(0, os.SEEK_END)
            header = state.csv_headers.get(self.final_path.name, b"")
            skip = header if raw.tell() else b""
            return _WriteThroughFile(raw, skip, failed)  # type: ignore[return-value]
        return _WriteThroughFile(self.part_path.open("wb"), b"", failed)  # type: ignore[return-value]

    def paused(self) -> bool:
        """A JOBDIR crawl stopped by Ctrl-C / SIGTERM: keep ``.part`` for the resume."""
        if self.crawler is None or not self.crawler.settings.get("JOBDIR"):
            return False
        stats = self.crawler.stats
        return stats is not None and stats.get_value("finish_reason") == "shutdown"

    def store(self, file: IO[bytes]) -> None:
        context = getattr(self, "context", None)
        try:
            file.flush()
            os.fsync(file.fileno())
        except OSError as exc:
            if context is None:
                raise
            from newsspider.run import failure_code

            context.fail(failure_code(exc), f"cannot write {self.part_path} ({exc.strerror})")
        finally:
            with contextlib.suppress(OSError):
                file.close()
        # the final names are given by the run-files extension, all together, once every
        # feed is closed and the run has not failed (newsspider/extensions.py)


def finalize_parts(run_dir: Path) -> list[Path]:
    """Give every ``.part`` file of a complete run its final name; durable once it returns."""
    done = []
    for part in sorted(run_dir.glob(f"*{PART_SUFFIX}")):
        final = part.with_name(part.name.removesuffix(PART_SUFFIX))
        os.replace(part, final)
        done.append(final)
    fsync_dir(run_dir)
    return done


def fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (no-op where directories can't be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
