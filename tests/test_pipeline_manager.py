"""newsspider/pipelines/manager.py: the pipelines' chain gives what Scrapy's gives."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from scrapy.exceptions import DropItem
from scrapy.pipelines import ItemPipelineManager as ScrapyItemPipelineManager
from scrapy.utils.test import get_crawler

from newsspider import settings as defaults
from newsspider.pipelines.manager import ItemPipelineManager

CALLS: list[str] = []


class Upper:
    def process_item(self, item: Any) -> Any:
        CALLS.append("upper")
        return {**item, "text": item["text"].upper()}


class AsyncSuffix:
    async def process_item(self, item: Any) -> Any:
        CALLS.append("suffix")
        await asyncio.sleep(0)
        return {**item, "text": item["text"] + "!"}


class DropEmpty:
    def process_item(self, item: Any) -> Any:
        CALLS.append("drop")
        if not item["text"].strip("!"):
            raise DropItem("empty")
        return item


PIPELINES = {
    f"{__name__}.Upper": 10,
    f"{__name__}.AsyncSuffix": 20,
    f"{__name__}.DropEmpty": 30,
}


def outcome(manager_class: Any, item: dict[str, Any]) -> tuple[Any, list[str]]:
    CALLS.clear()
    crawler = get_crawler(settings_dict={"ITEM_PIPELINES": PIPELINES})
    manager = manager_class.from_crawler(crawler)
    try:
        result: Any = asyncio.run(manager.process_item_async(item))
    except DropItem as exc:
        result = f"dropped: {exc}"
    return result, list(CALLS)


@pytest.mark.parametrize("text", ["news", ""])
def test_the_chain_gives_scrapys_outcome_in_scrapys_order(text: str) -> None:
    ours = outcome(ItemPipelineManager, {"text": text})
    assert ours == outcome(ScrapyItemPipelineManager, {"text": text})
    assert ours[1] == ["upper", "suffix", "drop"]  # every pipeline, the async one awaited
    assert ours[0] == ({"text": "NEWS!"} if text else "dropped: empty")


def test_the_project_uses_it() -> None:
    assert defaults.ITEM_PROCESSOR == "newsspider.pipelines.manager.ItemPipelineManager"
