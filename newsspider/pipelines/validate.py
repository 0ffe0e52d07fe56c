"""Validate: required fields, types and formats per item type.

An item with errors is not exported under its own type: it is replaced by a
:class:`~newsspider.items.Reject` carrying the item and every reason, which the feeds write to
``rejects.jsonl``. Each reason is logged on one line and counted as
``newsspider/validate/<ItemType>/<reason>``; problems that don't make the data wrong (an
unparseable date next to its raw text) are warnings: the item is kept, the warning logged and
counted as ``newsspider/validate/warning/<reason>``.

:func:`problems_of` is the check; a parse worker runs it on the Articles it parses, and the
pipeline then decides from the worker's problems (newsspider/pipelines/checks.py).
"""

from __future__ import annotations

import functools
import logging
import types
import typing
from collections.abc import Callable
from dataclasses import asdict, fields, is_dataclass
from typing import Any

from scrapy.crawler import Crawler

from newsspider.dates import is_iso_date, is_iso_datetime
from newsspider.items import URL_FIELDS, Article, FrontPageSlot, PopularEntry, Reject
from newsspider.pipelines.checks import Problem, checks_of
from newsspider.urls import is_safe_url

logger = logging.getLogger(__name__)

REQUIRED: dict[type, tuple[str, ...]] = {
    Article: ("url", "article_id", "headline"),
    FrontPageSlot: ("page_url", "headline", "article_url", "position_on_page", "position_in_block"),
    PopularEntry: ("list_name", "rank", "headline", "article_url"),
}
POSITIVE_INTS = ("position_on_page", "position_in_block", "rank", "word_count")
DATETIME_FIELDS = ("crawled_at",)
# Page dates: a value that is not ISO 8601 costs the date, never the row (a warning; the text
# is kept as the raw value, see clear_bad_dates).
PAGE_DATE_GROUPS: dict[str, tuple[str, ...]] = {
    "published_at": ("published_at_tz_assumed", "published_at_source"),
    "updated_at": (),
}
DATE_FIELDS = ("page_date",)
MAX_HEADLINE = 1000


def check_type(value: Any, annotation: Any) -> bool:
    """Does ``value`` fit a field annotation like ``str | None`` or ``list[str]``?"""
    return type_check(annotation)(value)


@functools.cache
def type_check(annotation: Any) -> Callable[[Any], bool]:
    """:func:`check_type` for one annotation, as a predicate built once (an annotation is a
    class constant, like a compiled regex): the per-item check is then a few isinstance calls
    instead of walking ``typing`` for every field and list element."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(annotation)
        if all(_plain_class(arg) for arg in args):  # `str | None`: one isinstance, no generator
            classes = tuple(args)
            return lambda value: isinstance(value, classes)
        checks = tuple(type_check(arg) for arg in args)
        if len(checks) == 2:  # `int | None`: a parse worker checks every field of every item
            first, second = checks
            return lambda value: first(value) or second(value)
        return lambda value: any(check(value) for check in checks)
    if annotation is type(None):
        return lambda value: value is None
    if annotation is Any:
        return lambda value: True
    if origin is list:
        (inner,) = typing.get_args(annotation) or (Any,)
        if isinstance(inner, type) and inner is not int and not typing.get_origin(inner):
            return lambda value: (
                isinstance(value, list) and all(isinstance(v, inner) for v in value)
            )
        check_inner = type_check(inner)
        return lambda value: isinstance(value, list) and all(check_inner(v) for v in value)
    if origin is dict:
        return lambda value: isinstance(value, dict)
    if annotation is int:
        return lambda value: isinstance(value, int) and not isinstance(value, bool)
    return lambda value: isinstance(value, annotation)


def _plain_class(annotation: Any) -> bool:
    """A class whose check is a plain isinstance (``int`` is not: it must exclude bool)."""
    return (
        isinstance(annotation, type)
        and annotation is not int
        and typing.get_origin(annotation) is None
        and annotation is not Any
    )


_TYPE_HINTS: dict[type, dict[str, Any]] = {}


def type_hints(item_class: type) -> dict[str, Any]:
    """Resolved field annotations (items.py uses postponed annotations), cached per class."""
    if item_class not in _TYPE_HINTS:
        _TYPE_HINTS[item_class] = typing.get_type_hints(item_class)
    return _TYPE_HINTS[item_class]


FieldRule = tuple[str, Any, Callable[[Any], bool], bool, bool, bool, bool, bool]


_FIELD_RULES: dict[type, tuple[FieldRule, ...]] = {}


def field_rules(item_class: type) -> tuple[FieldRule, ...]:
    """Per field of a dataclass item: (name, declared type, its type check, and whether it is
    a positive int, a datetime, a page date, a date, a URL field), built once per class
    (a parse worker validates every Article with them; a class's fields never change)."""
    rules = _FIELD_RULES.get(item_class)
    if rules is not None:
        return rules
    hints = type_hints(item_class)
    rules = _FIELD_RULES[item_class] = tuple(
        (
            f.name,
            f.type,
            type_check(hints[f.name]),
            f.name in POSITIVE_INTS,
            f.name in DATETIME_FIELDS,
            f.name in PAGE_DATE_GROUPS,
            f.name in DATE_FIELDS,
            f.name in URL_FIELDS,
        )
        for f in fields(item_class)
    )
    return rules


def iso_datetime_ok(text: str) -> bool:
    return is_iso_datetime(text)


def clear_bad_dates(item: Any) -> None:
    """Move a page date that is not ISO 8601 out of its value field, as one group: the text
    goes to ``*_raw`` (when that is empty) and the value and its flags become None."""
    for name, flags in PAGE_DATE_GROUPS.items():
        value = getattr(item, name, None)
        if isinstance(value, str) and not is_iso_datetime(value):
            if not getattr(item, f"{name}_raw", None):
                setattr(item, f"{name}_raw", value)
            for field_name in (name, *flags):
                setattr(item, field_name, None)


def has_bad_page_date(warnings: list[Problem]) -> bool:
    """Do these warnings say a page date is not ISO 8601 (then :func:`clear_bad_dates`)?"""
    return any(code.startswith("bad_") and code[4:] in PAGE_DATE_GROUPS for code, _ in warnings)


def problems_of(item: Any) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) of one item. Pure: used by the pipeline and by tests."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for name in REQUIRED.get(type(item), ()):
        if getattr(item, name, None) in (None, "", []):
            errors.append((f"missing_{name}", f"required field {name!r} is empty"))
    rules = field_rules(type(item))
    for name, declared, check, positive, is_datetime, page_date, is_date, url in rules:
        value = getattr(item, name)
        if value is None:
            continue
        if not check(value):
            errors.append(
                (f"bad_type_{name}", f"{name} should be {declared}, got {type(value).__name__}")
            )
            continue
        if positive and value < (0 if name == "word_count" else 1):
            errors.append((f"bad_{name}", f"{name} must be >= 1, got {value}"))
        if is_datetime and not iso_datetime_ok(value):
            errors.append((f"bad_{name}", f"{name} is not ISO 8601: {value[:60]!r}"))
        if page_date and not iso_datetime_ok(value):
            warnings.append(
                (f"bad_{name}", f"{name} is not ISO 8601, kept as raw text: {value[:60]!r}")
            )
        if is_date and not is_iso_date(value):
            errors.append((f"bad_{name}", f"{name} is not an ISO date: {value[:60]!r}"))
        if url and not is_safe_url(value):
            errors.append((f"bad_{name}", f"{name} is not an http(s) URL: {value[:80]!r}"))
    if isinstance(item, Article):
        if item.body is None and not item.is_paywalled:
            errors.append(("missing_body", "no article text found (and the page is not paywalled)"))
        if isinstance(item.headline, str) and len(item.headline) > MAX_HEADLINE:
            errors.append(("headline_too_long", f"headline has {len(item.headline)} characters"))
        if item.published_at_raw and not item.published_at:
            warnings.append(
                (
                    "unparsed_published_at",
                    f"could not parse the date {item.published_at_raw[:60]!r}",
                )
            )
        if item.updated_at_raw and not item.updated_at:
            warnings.append(
                ("unparsed_updated_at", f"could not parse the date {item.updated_at_raw[:60]!r}")
            )
        if item.published_at is None and item.published_at_raw is None:
            warnings.append(("no_published_at", "the page gives no publication time"))
    if isinstance(item, FrontPageSlot) and item.date_line_raw and not item.page_date:
        warnings.append(
            ("unparsed_date_line", f"could not parse the date line {item.date_line_raw[:60]!r}")
        )
    return errors, warnings


def item_url(item: Any) -> str | None:
    for name in ("url", "article_url", "page_url"):
        value = getattr(item, name, None)
        if isinstance(value, str):
            return value
    return None


class ValidatePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        assert self.stats is not None
        if isinstance(item, Reject | type) or not is_dataclass(item):
            return item
        kind = type(item).__name__
        checks = checks_of(item)
        if checks is not None:  # a parse worker ran problems_of (newsspider/pipelines/checks.py)
            errors, warnings = checks.errors, checks.warnings
        else:
            errors, warnings = problems_of(item)
        if has_bad_page_date(warnings):
            clear_bad_dates(item)
        url = item_url(item)
        for code, message in warnings:
            self.stats.inc_value(f"newsspider/validate/warning/{code}")
            logger.warning("%s %s: %s (kept, with the raw value)", kind, url, message)
        if not errors:
            self.stats.inc_value(f"newsspider/validate/{kind}/ok")
            return item
        for code, _ in errors:
            self.stats.inc_value(f"newsspider/validate/{kind}/{code}")
        self.stats.inc_value("newsspider/rejected")
        logger.warning(
            "Rejected %s %s: %s -> rejects.jsonl", kind, url, "; ".join(m for _, m in errors)
        )
        return Reject(
            run_id=getattr(item, "run_id", None),
            crawled_at=getattr(item, "crawled_at", None),
            item_type=kind,
            url=url,
            reasons=[code for code, _ in errors],
            messages=[message for _, message in errors],
            item=asdict(item),  # type: ignore[arg-type]
        )
