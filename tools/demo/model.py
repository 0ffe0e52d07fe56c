"""Data model of the demo site: what the templates in :mod:`tools.demo.templates` render.

Kept separate from the article texts so a synthetic-site generator (benchmarks) can build
thousands of :class:`DemoArticle` objects and reuse the same templates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    slug: str  # URL path segment, "politics"
    label: str  # printed name, "Politics"
    subtopics: tuple[str, ...] = ()  # mega-menu entries (rendered as tag-page links)


@dataclass(frozen=True)
class DemoArticle:
    id: int  # numeric article id, used in the URL <section>/article/<id>.html
    section: str  # section slug
    category: str  # category label printed above the headline ("Politics", "Etc")
    headline: str
    teaser: str  # one sentence, shown on the front page and used as meta description
    authors: tuple[str, ...]  # names as printed in the byline
    author_title: str  # "Staff Reporter", "Staff Reporters", "Correspondent"
    published: str  # "YYYY-MM-DD HH:MM" in KST
    paragraphs: tuple[str, ...]
    tags: tuple[str, ...] = ()  # without the leading '#'
    updated: str | None = None  # "YYYY-MM-DD HH:MM" in KST, when edited after publication
    caption: str = ""
    paywalled: bool = False  # only the first paragraph is public
    broken: bool = False  # the CMS failed: no headline anywhere on the article page
    related: tuple[int, ...] = field(default=())  # "Check Out Our Content" article ids

    @property
    def path(self) -> str:
        """Path relative to the site root, "politics/article/1001.html"."""
        return f"{self.section}/article/{self.id}.html"

    @property
    def image_path(self) -> str:
        return f"images/{self.id}.svg"

    @property
    def published_iso(self) -> str:
        return kst_iso(self.published)

    @property
    def updated_iso(self) -> str | None:
        return kst_iso(self.updated) if self.updated else None


def kst_iso(stamp: str) -> str:
    """ "2026-02-21 09:05" (KST) -> "2026-02-21T09:05:00+09:00"."""
    day, time = stamp.split()
    return f"{day}T{time}:00+09:00"


def slugify(text: str) -> str:
    """Tag/page slug: "KBO" -> "kbo", "North Korea" -> "north-korea"."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "tag"
