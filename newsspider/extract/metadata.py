"""Structured metadata: JSON-LD (incl. ``@graph`` and arrays), microdata, and ``<meta>`` tags."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from newsspider.extract.html import text_of

__all__ = ["ARTICLE_TYPES", "Metadata", "collect_metadata"]

ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "blogposting",
    "report",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "askpublicnewsarticle",
    "techarticle",
    "scholarlyarticle",
    "liveblogposting",
    "socialmediaposting",
    "discussionforumposting",
    "medicalwebpage",
    "posting",
    "review",
    "howto",
    "recipe",
    "satiricalarticle",
    "advertisercontentarticle",
}
PAGE_TYPES = {"webpage", "itempage", "aboutpage", "collectionpage", "faqpage", "qapage"}


@dataclass
class Metadata:
    article: dict[str, Any] | None = None  # best JSON-LD article-like object
    page: dict[str, Any] | None = None  # JSON-LD WebPage-like object
    ld_objects: list[dict[str, Any]] = field(default_factory=list)
    ld_people: dict[str, str] = field(default_factory=dict)  # @id -> name
    ld_orgs: set[str] = field(default_factory=set)  # @ids of Organization-like objects
    meta: dict[str, list[str]] = field(default_factory=dict)  # name/property (lower) -> values
    microdata: dict[str, list[Any]] = field(default_factory=dict)  # itemprop -> elements
    site_name: str | None = None
    title_tag: str | None = None
    lang: str | None = None
    canonical: str | None = None

    def first_meta(self, *names: str) -> str | None:
        for n in names:
            for v in self.meta.get(n, ()):
                v = " ".join(v.split())
                if v:
                    return v
        return None


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type")
    if isinstance(t, str):
        return {t.lower().rsplit("/", 1)[-1]}
    if isinstance(t, list):
        return {x.lower().rsplit("/", 1)[-1] for x in t if isinstance(x, str)}
    return set()


_CTRL = re.compile(r"[\x00-\x1f]")


def _load_json(text: str) -> Any:
    text = text.strip()
    if text.startswith("<!--"):
        text = text[4:]
    if text.endswith("-->"):
        text = text[:-3]
    text = text.strip().removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
    try:
        return json.loads(text, strict=False)
    except ValueError:
        pass
    try:
        return json.loads(_CTRL.sub(" ", text).rstrip(";"), strict=False)
    except ValueError:
        return None


def _walk_ld(data: Any) -> list[dict[str, Any]]:
    """All dict objects in a JSON-LD document (iterative, bounded)."""
    out: list[dict[str, Any]] = []
    stack = [data]
    seen = 0
    while stack and seen < 5000:
        seen += 1
        cur = stack.pop()
        if isinstance(cur, list):
            stack.extend(reversed(cur))
        elif isinstance(cur, dict):
            out.append(cur)
            for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement", "item"):
                v = cur.get(key)
                if isinstance(v, list | dict):
                    stack.append(v)
    return out


def _article_score(obj: dict[str, Any]) -> int:
    score = 0
    if obj.get("headline"):
        score += 2
    if obj.get("articleBody"):
        score += 2
    if obj.get("datePublished"):
        score += 1
    if obj.get("author"):
        score += 1
    t = _types(obj)
    if t & {"newsarticle", "article", "blogposting", "reportagenewsarticle"}:
        score += 1
    return score


def collect_metadata(root: Any) -> Metadata:
    md = Metadata()
    head_meta: dict[str, list[str]] = {}
    for el in root.iter("meta"):
        content = el.get("content")
        if content is None:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = el.get(attr)
            if key:
                head_meta.setdefault(key.strip().lower(), []).append(content)
    md.meta = head_meta

    objects: list[dict[str, Any]] = []
    for script in root.iter("script"):
        typ = (script.get("type") or "").lower()
        if "ld+json" not in typ:
            continue
        data = _load_json(script.text or "")
        if data is None:
            continue
        objects.extend(_walk_ld(data))
    md.ld_objects = objects
    articles = [o for o in objects if _types(o) & ARTICLE_TYPES]
    if articles:
        md.article = max(articles, key=_article_score)
    pages = [o for o in objects if _types(o) & PAGE_TYPES]
    if pages:
        md.page = pages[0]
    for o in objects:
        if _types(o) & {"person", "organization"} and isinstance(o.get("@id"), str):
            name = o.get("name")
            if isinstance(name, str):
                md.ld_people[o["@id"]] = name
                if "person" not in _types(o):
                    md.ld_orgs.add(o["@id"])
        if _types(o) & {"website"} and not md.site_name and isinstance(o.get("name"), str):
            md.site_name = o["name"]

    for el in root.xpath("//*[@itemprop]"):
        for prop in (el.get("itemprop") or "").split():
            md.microdata.setdefault(prop, []).append(el)

    site = md.first_meta("og:site_name", "application-name", "twitter:site")
    if site and not site.startswith("@"):
        md.site_name = site
    elif site and not md.site_name:
        md.site_name = site.lstrip("@")
    titles = root.xpath("//title")
    if titles:
        md.title_tag = " ".join(text_of(titles[0]).split()) or None
    lang = (
        root.get("lang")
        or root.get("xml:lang")
        or md.first_meta("og:locale", "language", "content-language")
    )
    if lang:
        md.lang = lang.strip().replace("_", "-").split("-")[0].lower() or None
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            md.canonical = link.get("href").strip()
            break
    return md
