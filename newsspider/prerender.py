"""Export rows rendered by a parse worker, written as they are when the item is unchanged.

With the parse pool (newsspider/parsepool.py) the crawling process is what limits pages/s
(issue 14), and turning an Article into its JSONL line, CSV row and workbook row was its
largest per-item cost (docs/benchmarks/log.md "Session 5 (perf-export)"). A worker that has
checked an Article (:func:`newsspider.parsepool.check_article`) therefore also renders those
rows, with the exporters' own functions (:func:`newsspider.exporters.json_object`,
:func:`newsspider.exporters.csv_cells` / :func:`~newsspider.exporters.csv_line`,
:class:`newsspider.workbook.RowRenderer`), and the result travels with the item as
:class:`Prerendered` (an attribute that is not a field, like the worker's checks: exports,
state and ``asdict`` never see it).

Each exporter writes the worker's rendering only when it provably is the row it would render:

* **the item is unchanged** since the worker rendered it: :func:`prerender_of` compares every
  rendered field's current value with the value rendered (a copy for lists, so an in-place
  change shows too); any difference, e.g. a pipeline that rewrote a field, and every exporter
  renders the item itself, as for an item parsed inline;
* **the fields stamped after the worker** (:data:`LEAD_FIELDS`: ``run_id``, set by the stamp
  pipeline, the first column of every export) are not rendered by the worker: the exporter
  renders those leading cells itself and writes the worker's rendering after them;
* **the same columns and options**: each rendering carries the columns it covers (and the CSV
  list separator, the workbook's cell style numbers); an exporter configured otherwise
  renders the item itself.

An item without a rendering (parsed inline, a Reject, a popular entry) takes the usual path.
Stats: ``newsspider/export/prerendered/<format>_rows`` (rows written from a worker's
rendering) and ``newsspider/export/prerendered/stale`` (renderings dropped because the item
had changed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsspider.workbook import RenderedRow

ATTR = "_newsspider_prerender"
# stamped in the crawling process after the worker: the exporters render them
LEAD_FIELDS = ("run_id",)
STALE_STAT = "newsspider/export/prerendered/stale"  # renderings dropped: the item had changed


@dataclass(slots=True)
class PrerenderedJsonl:
    columns: tuple[str, ...]  # the fields rendered: the exporter's columns after the lead
    tail: bytes  # the JSON object's members after the lead ones, "}" and "\n"

    @property
    def line(self) -> bytes:
        return b"{" + self.tail


@dataclass(slots=True)
class PrerenderedCsv:
    columns: tuple[str, ...]
    separator: str  # the list separator the cells were rendered with
    tail: bytes  # the rendered cells after the lead ones, UTF-8: 'cell","cell",..."trunc"\r\n'
    truncated_cells: int  # cells among them cut to the spreadsheet cell limit

    @property
    def row(self) -> bytes:
        return b'"' + self.tail


@dataclass(slots=True)
class Prerendered:
    fields: tuple[str, ...]  # the item fields rendered (all but LEAD_FIELDS)
    values: tuple[Any, ...]  # their values as rendered (lists copied)
    jsonl: PrerenderedJsonl | None = None
    csv: PrerenderedCsv | None = None
    sheet: RenderedRow | None = None  # newsspider.workbook.RowRenderer's
    stale: bool = False  # found changed once: never used again


def snapshot(item: Any, fields: tuple[str, ...]) -> tuple[Any, ...]:
    """The values of ``fields``, lists and dicts copied (an in-place change shows too)."""
    return tuple(
        [*value] if type(value) is list else dict(value) if type(value) is dict else value
        for value in (getattr(item, name) for name in fields)
    )


def attach(item: Any, rendered: Prerendered) -> None:
    item.__dict__[ATTR] = rendered


# the rendering found current for the item the feed exporter is handing to its exporters right
# now (:func:`exporting`): each of them gets it without comparing the ~35 fields again
_current: list[Prerendered | None] = [None]


def prerender_of(item: Any, stats: Any = None) -> Prerendered | None:
    """The worker's rendering of this item if it has one and every rendered field still holds
    the value rendered; else None (the exporters render the item themselves). The first
    exporter to find it stale counts it in ``stats``.

    Cheap for an unchanged item: a pickle keeps the values and the item's fields the same
    objects, so the comparison is mostly identity checks."""
    rendered: Prerendered | None = getattr(item, "__dict__", {}).get(ATTR)
    if rendered is None or rendered.stale:
        return None
    if rendered is _current[0]:
        return rendered
    if tuple([getattr(item, name) for name in rendered.fields]) != rendered.values:
        rendered.stale = True
        if stats is not None:
            stats.inc_value(STALE_STAT)
        return None
    return rendered


def exporting(item: Any, stats: Any, export: Callable[[], None]) -> None:
    """``export()`` hands ``item`` to each of its feeds' exporters (nothing else runs in
    between, so the item can't change): its rendering is checked once, here, not by each."""
    _current[0] = prerender_of(item, stats)
    try:
        export()
    finally:
        _current[0] = None


def render_article(item: Any) -> Prerendered | None:
    """Worker side: the item's JSONL line, CSV row and workbook row, as the default FEEDS
    export them (newsspider/feeds.py: every field in class order), without the
    :data:`LEAD_FIELDS` at their start; None where there is nothing to render apart."""
    from newsspider.exporters import LIST_SEPARATOR, csv_cells, csv_line, json_object, value_getter
    from newsspider.items import field_names
    from newsspider.workbook import row_renderer

    names = tuple(field_names(type(item)))
    lead = LEAD_FIELDS if names[: len(LEAD_FIELDS)] == LEAD_FIELDS else ()
    fields = names[len(lead) :]
    if not fields:
        return None
    rendered = Prerendered(fields, snapshot(item, fields))
    get = value_getter(item)
    # the members after "{": the exporter puts the lead members (or "{" alone) before them
    rendered.jsonl = PrerenderedJsonl(fields, json_object({n: get(n) for n in fields})[1:] + b"\n")
    cells, truncated = csv_cells(get, fields, LIST_SEPARATOR)
    line = csv_line(cells, truncated, LIST_SEPARATOR)  # '"' + the cells: the tail is after it
    tail = line[1:].encode("utf-8", errors="replace")
    rendered.csv = PrerenderedCsv(fields, LIST_SEPARATOR, tail, len(truncated))
    rendered.sheet = row_renderer(type(item), names).render(get, lead)
    return rendered
