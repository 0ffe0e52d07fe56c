"""A listing page's last full fetch, kept so that the next run can ask for it conditionally.

A front page is read on every run, because its article links are what the decay schedule
decides about. When the server says it has not changed since the last full fetch
(``304 Not Modified`` to ``If-None-Match`` / ``If-Modified-Since``), the run needs neither its
body nor a parse: what that fetch gave is kept here, in the state's ``meta`` table (in the
run's transaction, so a run that dies keeps nothing):

* the validators (``ETag``, ``Last-Modified``) of the response;
* the article links the spider followed from it, in order, each with its site profile;
* the snapshots it was recorded as (listing page and popular lists: content hash and the run
  whose rows hold them), so a 304 run records the same observations an unchanged 200 records;
* the rule the spider chose its links by (``max_articles``, a forced ``site``): a run with
  another rule fetches the page in full.

See :class:`newsspider.middlewares_state.StateSpiderMiddleware` and docs/SCHEDULING.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the spiders import the meta keys below, with the state on or off
    from newsspider.state.store import StateStore

META_PREFIX = "listing_fetch:"
# request meta a spider sets on a listing page it follows article links from: the rule it
# chooses them by ({"max_articles": N, "site": NAME}); a 304 is only trusted under the same rule
LISTING_META = "newsspider_listing"
# response meta on a listing page answered 304: the (URL, profile name) links of its last fetch
# to follow (those whose article is due: StateSpiderMiddleware), and how many it had in all
LISTING_LINKS_META = "newsspider_listing_links"
LISTING_LINK_COUNT_META = "newsspider_listing_link_count"


@dataclass(frozen=True)
class ListingFetch:
    rule: dict[str, Any]  # how the spider chose the links (the request's listing meta)
    etag: str | None
    last_modified: str | None
    links: list[tuple[str, str | None]]  # (article URL, profile name), in the spider's order
    # kind ("listing", "popular") -> [(page URL or list name, content hash, snapshot run id)]
    snapshots: dict[str, list[tuple[str, str, str]]]

    def to_json(self) -> str:
        return json.dumps(
            {
                "rule": self.rule,
                "etag": self.etag,
                "last_modified": self.last_modified,
                "links": [list(link) for link in self.links],
                "snapshots": {k: [list(s) for s in v] for k, v in self.snapshots.items()},
            },
            sort_keys=True,
        )


def load_listing_fetch(store: StateStore, url: str) -> ListingFetch | None:
    """The last full fetch of listing page ``url`` (canonical), or None."""
    text = store.meta(META_PREFIX + url)
    if not text:
        return None
    try:
        data = json.loads(text)
        return ListingFetch(
            rule=dict(data["rule"]),
            etag=data["etag"],
            last_modified=data["last_modified"],
            links=[(str(u), p) for u, p in data["links"]],
            snapshots={
                str(kind): [(str(k), str(h), str(r)) for k, h, r in rows]
                for kind, rows in data["snapshots"].items()
            },
        )
    except (ValueError, KeyError, TypeError):
        return None  # another version's record: the page is fetched in full


def save_listing_fetch(store: StateStore, url: str, fetch: ListingFetch | None) -> None:
    """Keep ``fetch`` for ``url``; None forgets it (the page is then fetched in full)."""
    store.set_meta(META_PREFIX + url, fetch.to_json() if fetch is not None else "")


def trusted_last_modified(last_modified: str | None, date: str | None) -> str | None:
    """``Last-Modified`` when it can tell a later change apart, else None.

    HTTP dates have whole seconds: a page changed again within the second it was served
    would still be "not modified since" that time. As RFC 9110 (8.8.2.2) says, a
    ``Last-Modified`` at least one second before the response's ``Date`` can't hide such a
    change; one in the same second (or without a ``Date``) is not used."""
    if not last_modified or not date:
        return None
    try:
        modified, served = parsedate_to_datetime(last_modified), parsedate_to_datetime(date)
    except (TypeError, ValueError):
        return None
    if modified.tzinfo is None or served.tzinfo is None:
        return None
    return last_modified if (served - modified).total_seconds() >= 1 else None
