"""Layout drift: how often a site profile's own selectors still produce each field.

The spiders call :func:`record_article_fields` / :func:`record_listing_fields` once per parsed
page of a profiled site. Each call increments one stat per field,
``newsspider/profile/<site>/<field>/profile|fallback|missing``:

* ``profile`` - the profile's own selector produced the value;
* ``fallback`` - the profile found nothing and the generic layer (JSON-LD, OpenGraph, body
  heuristics) filled the value instead: the data still exports;
* ``missing`` - nobody found a value.

:func:`drift_report` turns those stats into per-field shares, compares them with a floor and
with the site's recent runs, and names the selectors that stopped matching.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from newsspider.items import Article

STAT_PREFIX = "newsspider/profile"
ARTICLE_FIELDS = ("headline", "body", "date", "authors", "category", "tags")
LISTING_FIELDS = ("slots", "popular")
DRIFT_FIELDS = ARTICLE_FIELDS + LISTING_FIELDS
OUTCOMES = ("profile", "fallback", "missing")
# field -> (page object of the profile, the selector constants that read it)
SELECTORS: dict[str, tuple[str, tuple[str, ...]]] = {
    "headline": ("article_page", ("HEADLINE_CSS",)),
    "body": ("article_page", ("BODY_PARAGRAPHS_CSS",)),
    "date": ("article_page", ("PUBLISHED_CSS",)),
    "authors": ("article_page", ("BYLINE_CSS",)),
    "category": ("article_page", ("CATEGORY_CSS",)),
    "tags": ("article_page", ("TAGS_CSS",)),
    "slots": ("front_page", ("SLOT_CSS",)),
    "popular": ("front_page", ("POPULAR_LIST_CSS", "POPULAR_ITEM_CSS")),
}
# the Article's *_source column of each sourced field
_SOURCE_COLUMN = {
    "headline": "headline_source",
    "body": "body_source",
    "date": "published_at_source",
    "authors": "authors_source",
}
_VALUE_COLUMN = {"date": "published_at"}


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def stat_key(site: str, field: str, outcome: str) -> str:
    return f"{STAT_PREFIX}/{site}/{field}/{outcome}"


def article_outcomes(article: Article, profile_found: Mapping[str, bool]) -> dict[str, str]:
    """``{field: "profile"|"fallback"|"missing"}`` for one article page.

    ``profile_found`` says, for the fields without a ``*_source`` column (category, tags),
    whether the profile's page object produced them before the generic layer filled gaps.
    """
    out: dict[str, str] = {}
    for field in ARTICLE_FIELDS:
        value = getattr(article, _VALUE_COLUMN.get(field, field), None)
        if field in _SOURCE_COLUMN:
            source = getattr(article, _SOURCE_COLUMN[field], None)
            if _empty(value):
                out[field] = "missing"
            else:
                out[field] = "profile" if source == "profile" else "fallback"
        elif profile_found.get(field):
            out[field] = "profile"
        else:
            out[field] = "missing" if _empty(value) else "fallback"
    return out


def record_article_fields(stats: Any, site: str, article: Article, page: Any) -> None:
    """Count one article page of a profiled site (``page``: the spider's page object)."""
    found = getattr(page, "profile_found", None) or {}
    for field, outcome in article_outcomes(article, found).items():
        stats.inc_value(stat_key(site, field, outcome))


def record_listing_fields(
    stats: Any, site: str, *, slots: Sequence[Any] | None, popular: Sequence[Any] | None
) -> None:
    """Count one listing page of a profiled site; ``None`` skips a field (not on this page)."""
    for field, found in (("slots", slots), ("popular", popular)):
        if found is not None:
            stats.inc_value(stat_key(site, field, "profile" if found else "missing"))


@dataclass(frozen=True)
class FieldShare:
    field: str
    pages: int
    profile: int
    fallback: int
    missing: int

    @property
    def share(self) -> float:
        return self.profile / self.pages if self.pages else 0.0


def field_shares(stats: Mapping[str, Any]) -> dict[str, dict[str, FieldShare]]:
    """``{site: {field: FieldShare}}`` from the ``newsspider/profile/…`` stats."""
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for key, value in stats.items():
        if not key.startswith(STAT_PREFIX + "/"):
            continue
        parts = key[len(STAT_PREFIX) + 1 :].split("/")
        if len(parts) != 3 or parts[2] not in OUTCOMES:
            continue
        site, field, outcome = parts
        counts.setdefault((site, field), dict.fromkeys(OUTCOMES, 0))[outcome] += int(value)
    out: dict[str, dict[str, FieldShare]] = {}
    for (site, field), c in sorted(counts.items()):
        out.setdefault(site, {})[field] = FieldShare(
            field, sum(c.values()), c["profile"], c["fallback"], c["missing"]
        )
    return out


def selectors_of(profile: Any, field: str) -> list[str]:
    """The profile's selector constants that read ``field``, as ``Class.NAME = 'css'``."""
    kind, names = SELECTORS[field]
    page_class = getattr(profile, kind, None) if profile is not None else None
    found = []
    for name in names:
        css = getattr(page_class, name, None)
        if isinstance(css, str):
            found.append(f"{page_class.__name__}.{name} = {css!r}")  # type: ignore[union-attr]
    return found


@dataclass(frozen=True)
class DriftSettings:
    floor: float = 0.5  # a field below this share of pages is drifting
    floors: Mapping[str, float] | None = None  # per-field floors overriding ``floor``
    drop: float = 0.3  # ... as is a share this far below the median of the recent runs
    min_pages: int = 5  # fewer pages measured: no verdict on that field

    def floor_for(self, field: str) -> float:
        return float((self.floors or {}).get(field, self.floor))


def drifted_fields(
    shares: Mapping[str, FieldShare],
    recent: Mapping[str, Sequence[float]],
    settings: DriftSettings,
) -> list[dict[str, Any]]:
    """The fields whose profile share fell under the floor or well under the recent runs."""
    out = []
    for field in DRIFT_FIELDS:
        share = shares.get(field)
        if share is None or share.pages < settings.min_pages:
            continue
        floor = settings.floor_for(field)
        history = list(recent.get(field, ()))
        median = statistics.median(history) if history else None
        below_floor = share.share < floor
        below_history = median is not None and share.share < median - settings.drop
        if below_floor or below_history:
            out.append(
                {
                    "field": field,
                    "share": round(share.share, 3),
                    "floor": floor,
                    "recent_median": None if median is None else round(median, 3),
                    "pages": share.pages,
                    "profile": share.profile,
                    "fallback": share.fallback,
                    "missing": share.missing,
                }
            )
    return out
