"""Spider arguments: one table per spider, parsed values, one-line errors (no crawl started)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from newsspider.arguments import (
    Argument,
    ArgumentError,
    describe_arguments,
    parse_arguments,
    parse_channels,
    parse_depth,
    parse_positive_int,
    parse_since,
)
from newsspider.discovery import CHANNELS
from newsspider.spiders.article import ArticleSpider
from newsspider.spiders.base import NewsSpider
from newsspider.spiders.frontpage import FrontpageSpider
from newsspider.spiders.site import SiteSpider

SPIDERS: list[type[NewsSpider]] = [FrontpageSpider, ArticleSpider, SiteSpider]
ARTICLE = "https://example.com/news/2026/02/21/story-1234"


def make(cls: type[NewsSpider], **kwargs: Any) -> Any:
    return cls.from_crawler(get_crawler(cls), **kwargs)


def error_of(cls: type[NewsSpider], **kwargs: Any) -> str:
    with pytest.raises(ArgumentError) as info:
        make(cls, **kwargs)
    message = str(info.value)
    assert "\n" not in message
    return message


# ---------------------------------------------------------------- the tables


def test_every_spider_declares_each_name_once_with_help() -> None:
    for cls in SPIDERS:
        names = [a.name for a in cls.arguments]
        assert len(names) == len(set(names)), cls.name
        assert {"url", "site", "run_id", "max_articles"} <= set(names)
        assert all(a.help and a.metavar for a in cls.arguments)
        assert callable(getattr(cls, cls.parse_callback)), cls.name


def test_spider_specific_arguments() -> None:
    assert {a.name for a in SiteSpider.arguments} - {a.name for a in NewsSpider.arguments} == {
        "since",
        "depth",
        "channels",
    }
    assert {a.name for a in ArticleSpider.arguments} - {a.name for a in NewsSpider.arguments} == {
        "urls_file"
    }
    assert "since" not in {a.name for a in FrontpageSpider.arguments}


def test_help_lines_list_public_arguments_aligned() -> None:
    lines = describe_arguments(SiteSpider.arguments)
    assert any(line.strip().startswith("-a since=YYYY-MM-DD") for line in lines)
    assert not any("_job" in line or "_version" in line for line in lines)
    public = [a for a in SiteSpider.arguments if not a.name.startswith("_")]
    assert len(lines) == len(public)
    columns = {line.index(a.help) for a, line in zip(public, lines, strict=True)}
    assert len(columns) == 1


# ---------------------------------------------------------------- unknown names


@pytest.mark.parametrize(
    ("cls", "name", "expected"),
    [
        (
            FrontpageSpider,
            "max_artcles",
            "unknown argument max_artcles for spider frontpage; did you mean max_articles?",
        ),
        (SiteSpider, "chanels", "unknown argument chanels for spider site; did you mean channels?"),
        (ArticleSpider, "url_file", "unknown argument url_file for spider article; did you mean"),
        (
            FrontpageSpider,
            "since",
            "unknown argument since for spider frontpage; it takes url, site, run_id, max_articles",
        ),
    ],
)
def test_unknown_argument_names_the_spider_and_a_close_match(
    cls: type[NewsSpider], name: str, expected: str
) -> None:
    kwargs = {"url": ARTICLE, name: "2"}
    assert error_of(cls, **kwargs).startswith(expected)


def test_scrapyd_job_arguments_are_accepted() -> None:
    spider = make(FrontpageSpider, _job="6487ec79947edab326d6db28a2d86511", _version="1")
    assert spider.args["_job"] == "6487ec79947edab326d6db28a2d86511"
    assert spider.args["_version"] == "1"


# ---------------------------------------------------------------- bad values


@pytest.mark.parametrize(
    ("cls", "kwargs", "expected"),
    [
        (
            SiteSpider,
            {"since": "notadate"},
            "-a since='notadate' for spider site: not a date; use YYYY-MM-DD",
        ),
        (SiteSpider, {"since": "2026-02-30"}, "-a since='2026-02-30' for spider site: not a date"),
        (SiteSpider, {"depth": "x"}, "-a depth='x' for spider site: not a whole number"),
        (SiteSpider, {"depth": "0"}, "-a depth='0' for spider site: must be 1 or more"),
        (SiteSpider, {"channels": "foo"}, "-a channels='foo' for spider site: unknown channel foo"),
        (SiteSpider, {"channels": ","}, "-a channels=',' for spider site: unknown channel (none)"),
        (FrontpageSpider, {"max_articles": "ten"}, "-a max_articles='ten' for spider frontpage"),
        (FrontpageSpider, {"max_articles": "0"}, "must be 1 or more"),
        (FrontpageSpider, {"max_articles": "-3"}, "must be 1 or more"),
        (FrontpageSpider, {"run_id": "../x"}, "-a run_id='../x' for spider frontpage: use 1-100"),
        (FrontpageSpider, {"url": "example.com"}, "not an http(s) URL; try -a url=https://"),
        (FrontpageSpider, {"url": "https://"}, "not an http(s) URL"),
        (FrontpageSpider, {"url": "javascript:alert(1)"}, "not an http(s) URL"),
        (FrontpageSpider, {"site": "nosuchsite"}, "unknown site profile 'nosuchsite'; known"),
        (ArticleSpider, {}, "spider article needs -a url=ARTICLE_URL or -a urls_file=FILE"),
    ],
)
def test_bad_value_is_one_line_naming_argument_and_spider(
    cls: type[NewsSpider], kwargs: dict[str, str], expected: str
) -> None:
    assert expected in error_of(cls, **kwargs)


def test_credentials_in_a_bad_url_are_not_echoed() -> None:
    message = error_of(FrontpageSpider, url="ftp://user:hunter2@example.com/")
    assert "hunter2" not in message and "***@example.com" in message


# ---------------------------------------------------------------- urls_file


def urls_file(tmp_path: Path, text: str | bytes) -> str:
    path = tmp_path / "urls.txt"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "no URLs in it"),
        ("# only a comment\n\n   \n", "no URLs in it"),
        (f"{ARTICLE}\nnot a url with secret-token-123\n", "line 2 is not an http(s) URL"),
        ("\n\nmailto:someone-private@example.com\n", "line 3 is not an http(s) URL"),
        (b"\xff\xfehttp://x\n", "not a UTF-8 text file"),
    ],
)
def test_bad_urls_file_names_line_never_content(
    tmp_path: Path, content: str | bytes, expected: str
) -> None:
    message = error_of(ArticleSpider, urls_file=urls_file(tmp_path, content))
    assert message.startswith("-a urls_file=") and "for spider article" in message
    assert expected in message
    assert "secret-token" not in message and "someone-private" not in message


def test_missing_urls_file(tmp_path: Path) -> None:
    message = error_of(ArticleSpider, urls_file=str(tmp_path / "nope.txt"))
    assert message.endswith("no such file; give a text file with one URL per line")


def test_urls_file_values_are_canonical_deduplicated_and_capped(tmp_path: Path) -> None:
    path = urls_file(
        tmp_path,
        "\ufeff# due today\n"
        f"{ARTICLE}?utm_source=x\n"
        f"  {ARTICLE}  \n"
        "https://example.org/a/2\n"
        "https://example.org/a/3\n",
    )
    spider = make(ArticleSpider, urls_file=path, url="https://example.org/a/1", max_articles=3)
    assert spider.urls == ["https://example.org/a/1", ARTICLE, "https://example.org/a/2"]
    assert spider.allowed_domains == []


# ---------------------------------------------------------------- parsed values reach the spider


def test_spider_gets_parsed_values_not_strings() -> None:
    spider = make(
        SiteSpider,
        url="https://www.example.com/",
        since="2026-02-20",
        depth="3",
        channels="Sitemap, feed,sitemap",
        max_articles="7",
        run_id="r1",
    )
    assert spider.since == datetime(2026, 2, 20)
    assert spider.depth == 3
    assert spider.channels == ("sitemap", "feed")
    assert spider.max_articles == 7
    assert spider.requested_run_id == "r1"  # the run context decides (newsspider/run.py)
    assert spider.allowed_domains == ["example.com"]


def test_defaults_when_nothing_is_given() -> None:
    spider = make(SiteSpider)
    assert (spider.since, spider.depth, spider.max_articles, spider.forced_profile) == (
        None,
        None,
        None,
        None,
    )
    assert spider.channels == CHANNELS
    assert spider.start_url.startswith("file://")
    assert spider.requested_run_id is None  # the run context makes one (newsspider/run.py)


def test_values_given_in_python_parse_like_text() -> None:
    spider = make(SiteSpider, max_articles=5, since=date(2026, 1, 2), depth=2)
    assert (spider.max_articles, spider.since, spider.depth) == (5, datetime(2026, 1, 2), 2)


def test_parse_arguments_alone() -> None:
    table = (Argument("n", parse_positive_int, "how many", "N"),)
    assert parse_arguments("demo", table, {"n": "4"}) == {"n": 4}
    assert parse_arguments("demo", table, {}) == {"n": None}
    with pytest.raises(ArgumentError, match=r"^unknown argument m for spider demo; it takes n$"):
        parse_arguments("demo", table, {"m": "4"})


def test_readme_documents_every_argument_of_every_spider() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Spider arguments", 1)[1].split("###", 1)[0]
    rows = {line.split("|")[1].strip() for line in table.splitlines() if line.startswith("| `-a")}
    declared = {f"`{a.usage}`" for cls in SPIDERS for a in cls.arguments if a.name[0] != "_"}
    assert rows == declared


# ---------------------------------------------------------------- the parsers alone (a table)


@pytest.mark.parametrize(
    ("parser", "text", "expected"),
    [
        (parse_since, "2026-02-20", datetime(2026, 2, 20)),
        (parse_since, " 2026-02-20 ", datetime(2026, 2, 20)),
        (parse_since, "", None),
        (parse_channels, "Sitemap, feed,sitemap", ("sitemap", "feed")),
        (parse_channels, "listing", ("listing",)),
        (parse_depth, "3", 3),
        (parse_positive_int, " 12 ", 12),
    ],
)
def test_parser_values(parser: Any, text: str, expected: Any) -> None:
    assert parser(text) == expected


@pytest.mark.parametrize(
    ("parser", "text", "reason"),
    [
        (parse_since, "20/02/2026", "not a date; use YYYY-MM-DD"),
        (parse_channels, "rss", "unknown channel rss; choose one or more of listing,feed,sitemap"),
        (parse_depth, "0", "must be 1 or more"),
        (parse_depth, "x", "not a whole number"),
        (parse_positive_int, "1.5", "not a whole number"),
    ],
)
def test_parser_reasons(parser: Any, text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason.replace(".", r"\.")):
        parser(text)
