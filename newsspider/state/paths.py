"""Which state file a run uses: one SQLite file per site, local sites kept apart.

The rule (documented in docs/SCHEDULING.md):

1. ``NEWSSPIDER_STATE_FILE`` set: exactly that file.
2. The site key comes from the spider's start URL (``-a url=…``; the first URL for
   ``scrapy crawl article``):

   - a real host: the host name without ``www.`` -> ``news1global.com``
   - localhost, 127.x, ::1, ``*.localhost``, private addresses: ``local-<host>-<port>``
   - ``file://``: ``local-file-<hash of the folder>``

3. A real site's file is ``<NEWSSPIDER_STATE_DIR>/<key>.sqlite3`` (default ``state/``).
   A local site's file lives with its exports, ``<NEWSSPIDER_EXPORT_DIR>/.state/<key>.sqlite3``,
   unless ``NEWSSPIDER_STATE_DIR`` was set explicitly (``-s``, environment, a spider's
   custom settings) - then it goes there too.

So a run against a test site never reads or writes the production state, a test with a
temporary export folder starts from a clean state, and ``-s NEWSSPIDER_STATE_DIR=/tmp/x``
moves everything elsewhere.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from pathlib import Path
from urllib.parse import urlsplit

STATE_SUFFIX = ".sqlite3"
_UNSAFE = re.compile(r"[^a-z0-9._-]+")


def is_local_host(host: str) -> bool:
    host = host.lower().strip("[]")
    if host in ("localhost", "") or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_unspecified


def site_key(start_url: str) -> str:
    """A file-name-safe key for the site a start URL belongs to (see the module docstring)."""
    parts = urlsplit(start_url)
    if parts.scheme == "file":
        folder = str(Path(parts.path).parent)
        return "local-file-" + hashlib.sha1(folder.encode("utf-8")).hexdigest()[:8]
    host = (parts.hostname or "").lower()
    if is_local_host(host):
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return _UNSAFE.sub("_", f"local-{host or 'localhost'}-{port}")
    return _UNSAFE.sub("_", host.removeprefix("www.")) or "unknown-site"


LOCAL_STATE_DIR = ".state"  # under the export folder, for local sites


def is_local_site(start_url: str) -> bool:
    return site_key(start_url).startswith("local-")


def state_file_for(
    start_url: str,
    state_dir: str | Path,
    state_file: str | None = None,
    *,
    export_dir: str | Path = "exports",
    state_dir_explicit: bool = True,
) -> Path:
    """The SQLite file for a run (see the module docstring for the rule)."""
    if state_file:
        return Path(state_file)
    key = site_key(start_url)
    folder = Path(state_dir)
    if key.startswith("local-") and not state_dir_explicit:
        folder = Path(export_dir) / LOCAL_STATE_DIR
    return folder / f"{key}{STATE_SUFFIX}"


def lock_file_for(state_file: Path) -> Path:
    """The lock held while a crawl of the site runs (also usable with ``flock(1)``)."""
    return state_file.with_name(state_file.name.removesuffix(STATE_SUFFIX) + ".lock")
