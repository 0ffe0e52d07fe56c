"""The item pipelines' manager (``ITEM_PROCESSOR``): Scrapy's, with a plainer per-item chain.

Scrapy's ``ItemPipelineManager`` awaits every pipeline's ``process_item`` through
``ensure_awaitable``, which wraps a plain return value in a new coroutine, and names the
method for a possible deprecation warning first: per item, per pipeline, whether or not the
pipeline is asynchronous. Ours are all synchronous (they return the item, or a Reject, or raise
DropItem), so here a pipeline's result is awaited only when it is awaitable (a coroutine, a
Deferred: then exactly as Scrapy does, its warning included); otherwise it is handed to the next
pipeline at once. Same pipelines, same order, same arguments, same outcome (issue 14,
docs/benchmarks/log.md "Session 7 (perf-pipe)").
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Any, cast

from scrapy.pipelines import ItemPipelineManager as _ScrapyItemPipelineManager
from scrapy.utils.defer import ensure_awaitable
from scrapy.utils.python import global_object_name
from twisted.internet.defer import Deferred


class ItemPipelineManager(_ScrapyItemPipelineManager):  # type: ignore[misc]
    async def process_item_async(self, item: Any) -> Any:
        with_spider = self._mw_methods_requiring_spider
        methods = cast("Iterable[Callable[..., Any]]", self.methods["process_item"])
        for method in methods:
            result = method(item, self._spider) if method in with_spider else method(item)
            if isinstance(result, Deferred) or inspect.isawaitable(result):
                result = await ensure_awaitable(result, _warn=global_object_name(method))
            item = result
        return item
