"""Where the exports go: the FEEDS table and an atomic file storage.

One folder per run, ``<NEWSSPIDER_EXPORT_DIR>/<run id>/``, holding one JSONL and one CSV file
per item type plus ``rejects.jsonl``; ``manifest.json`` and the ``latest`` pointer are written
by :class:`newsspider.extensions.RunFilesExtension` after every feed is closed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

from scrapy.extensions.feedexport import FileFeedStorage

from newsspider.items import (
    Article,
    ArticleRevision,
    FrontPageSlot,
    PopularEntry,
    Reject,
    field_names,
)

# file stem -> item class; the order is the order of the end-of-run summary
EXPORT_FILES: dict[str, type] = {
    "front_page": FrontPageSlot,
    "articles": Article,
    "popular": PopularEntry,
    # changes to articles seen before (newsspider.pipelines.state; docs/SCHEDULING.md)
    "revisions": ArticleRevision,
}
REJECTS_FILE = "rejects.jsonl"
MANIFEST_FILE = "manifest.json"
PART_SUFFIX = ".part"


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
    return feeds


def uri_params(params: dict[str, Any], spider: Any) -> dict[str, Any]:
    """Feed URI parameters: the run id and the export folder of this crawl."""
    settings = spider.crawler.settings
    params["export_dir"] = str(Path(settings.get("NEWSSPIDER_EXPORT_DIR", "exports")))
    params["run_id"] = spider.run_id
    return params


class AtomicFileFeedStorage(FileFeedStorage):  # type: ignore[misc]
    """Write to ``<name>.part`` beside the final file; flush, fsync and rename on close.

    A crawl killed at any moment leaves either the complete file under its final name or a
    ``.part`` file, never a half-written file under the final name.
    """

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None) -> None:
        super().__init__(uri, feed_options=feed_options)
        self.final_path = Path(self.path)
        self.part_path = self.final_path.with_name(self.final_path.name + PART_SUFFIX)

    def open(self, spider: Any) -> IO[bytes]:
        self.final_path.parent.mkdir(parents=True, exist_ok=True)
        return self.part_path.open("wb")

    def store(self, file: IO[bytes]) -> None:
        file.flush()
        os.fsync(file.fileno())
        file.close()
        os.replace(self.part_path, self.final_path)
        fsync_dir(self.final_path.parent)


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
