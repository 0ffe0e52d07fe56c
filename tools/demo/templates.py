"""HTML templates of the demo site: pure functions, data in, ``str`` out.

Every link is relative (``root`` is ``""`` for the site root, ``"../../"`` for an article),
so the output works from ``file://`` and from any static HTTP server. The pages carry the
noise real news pages have -- mega-menu, cookie banner, ad slots with JSON configs, share
bar, inline scripts, a footer link farm -- so an article weighs ~50 KB like the real thing.
:func:`render_front_page` and :func:`render_article` are the entry points a synthetic-site
generator (benchmarks) reuses with its own :class:`SiteContext`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from urllib.parse import quote

from tools.demo.model import DemoArticle, Section, kst_iso, slugify

PAYWALL_TEXT = "Subscribe to read the full story"
TAGS_LABEL = "Check Out Other Tags:"
RELATED_TITLE = "Check Out Our Content"
POPULAR_TITLE = "Most Popular Articles"
FEED_PATH = "rss.xml"  # the RSS feed every page announces in <head>

_SECTION_COLORS = ("#1b4f9c", "#0d7a5f", "#b0401a", "#7a2d8f", "#c7831c", "#2d6f8f", "#555555")


@dataclass(frozen=True)
class Slot:
    """One front-page headline: an article plus an optional query/fragment on its link."""

    article: DemoArticle
    link_suffix: str = ""  # e.g. "?utm_source=newsletter#comments"


@dataclass(frozen=True)
class SiteContext:
    """What every page's chrome needs: site name, date line, menus, popular list, ticker."""

    site_name: str
    site_url: str  # the real site's root, only used inside share-button URLs
    date_line: str  # "Saturday, February 21, 2026"
    sections: Sequence[Section]
    popular: Sequence[DemoArticle]  # "Most Popular Articles", rank order
    ticker: Sequence[DemoArticle] = ()  # breaking-news ticker
    trending_tags: Sequence[str] = ()  # footer "Trending Topics"
    static_pages: Sequence[tuple[str, str]] = field(default_factory=tuple)  # (file, title)


def esc(text: str) -> str:
    return escape(text, quote=True)


def tag_path(tag: str) -> str:
    return f"tag/{slugify(tag)}.html"


# --------------------------------------------------------------------------- page chrome


def _style(sections: Sequence[Section]) -> str:
    rules = [
        "*{box-sizing:border-box}body{margin:0;font:16px/1.6 'Noto Sans KR',Arial,sans-serif;"
        "color:#111;background:#fff}a{color:inherit;text-decoration:none}a:hover{"
        "text-decoration:underline}",
        ".date-line{font-size:12px;color:#666;padding:4px 16px;border-bottom:1px solid #eee}",
        ".site-header{display:flex;align-items:center;justify-content:space-between;"
        "padding:12px 16px}.logo img{height:40px}",
        ".main-nav>ul{display:flex;gap:16px;list-style:none;margin:0;padding:0 16px;"
        "background:#0a2a5c;color:#fff}.main-nav li{position:relative}",
        ".mega-menu{display:none;position:absolute;top:100%;left:0;background:#fff;color:#111;"
        "min-width:220px;box-shadow:0 4px 12px rgba(0,0,0,.15);z-index:50}",
        ".main-nav li:hover .mega-menu{display:block}",
        ".cookie-banner{position:fixed;bottom:0;left:0;right:0;padding:16px;background:#222;"
        "color:#fff;z-index:100}.cookie-banner button{margin-left:8px}",
        ".page-main{display:grid;grid-template-columns:1fr 300px;gap:24px;max-width:1200px;"
        "margin:0 auto;padding:16px}",
        ".headline-block{margin-bottom:24px}.block-title{font-size:20px;border-bottom:2px solid"
        " #0a2a5c}.headline-item{display:grid;grid-template-columns:1fr 120px;gap:8px;"
        "padding:8px 0;border-bottom:1px solid #eee}.thumb{width:120px;height:68px}",
        ".teaser{margin:4px 0;color:#444;font-size:14px}",
        ".most-popular ol{list-style:none;padding:0}.most-popular .rank{display:inline-block;"
        "width:24px;font-weight:700;color:#c00}",
        ".article-headline{font-size:32px;line-height:1.25}.byline{color:#555}"
        ".article-dates span{display:block;font-size:13px;color:#777}",
        ".article-body p{margin:0 0 1.2em}.paywall{padding:24px;background:#f4f1e8;"
        "text-align:center;font-weight:700}",
        ".ad-slot{background:#f6f6f6;text-align:center;color:#999;font-size:11px;"
        "margin:16px 0}.ad-leaderboard{width:728px;height:90px}.ad-sidebar{width:300px;"
        "height:250px}.ad-inline{min-height:250px}",
        ".tags a{display:inline-block;margin:0 6px 6px 0;padding:2px 8px;border:1px solid "
        "#ccc;border-radius:12px}",
        ".site-footer{background:#111;color:#bbb;padding:24px 16px;font-size:13px}"
        ".footer-columns{display:grid;grid-template-columns:repeat(4,1fr);gap:16px}",
        ".share-bar a{display:inline-block;width:32px;height:32px;margin-right:4px;"
        "border-radius:50%;background:#eee;text-indent:-9999px;overflow:hidden}",
    ]
    for i, section in enumerate(sections):
        color = _SECTION_COLORS[i % len(_SECTION_COLORS)]
        rules.append(
            f".sec-{section.slug} .block-title,.sec-{section.slug} .category{{color:{color};"
            f"border-color:{color}}}.sec-{section.slug} .headline-link:hover{{color:{color}}}"
            f".nav-{section.slug}>a{{border-bottom:3px solid {color}}}"
        )
    for size in range(4, 49, 4):
        rules.append(
            f".mt-{size}{{margin-top:{size}px}}.mb-{size}{{margin-bottom:{size}px}}"
            f".pt-{size}{{padding-top:{size}px}}.pb-{size}{{padding-bottom:{size}px}}"
            f".gap-{size}{{gap:{size}px}}"
        )
    for width in (320, 480, 768, 1024):
        rules.append(
            f"@media (max-width:{width}px){{.page-main{{grid-template-columns:1fr}}"
            f".sidebar{{display:{'none' if width < 768 else 'block'}}}"
            f".footer-columns{{grid-template-columns:repeat({max(1, width // 320)},1fr)}}}}"
        )
    return "\n".join(rules)


def _ad_slot(name: str, unit: str, sizes: str, extra_class: str = "") -> str:
    config = {
        "adUnitPath": f"/21830/news1global/{unit}",
        "sizes": sizes,
        "targeting": {"pos": name, "env": "demo", "lazy": name != "top"},
        "refresh": {"enabled": True, "seconds": 60},
        "prebid": [
            {"bidder": "exampleBidder", "params": {"placementId": f"{unit}-{i}"}} for i in range(3)
        ],
    }
    return (
        f'<div class="ad-slot {extra_class}" id="ad-{esc(name)}" '
        f"data-ad-config='{esc(json.dumps(config, sort_keys=True))}'>"
        f'<p class="ad-label">Advertisement</p><div class="ad-creative"></div></div>'
    )


def _head(
    ctx: SiteContext, title: str, root: str, extra: str = "", page_type: str = "listing"
) -> str:
    data_layer = {
        "site": ctx.site_name,
        "pageType": page_type,
        "consent": {"analytics": False, "ads": False},
        "experiments": {"headlineTest": "B", "stickyNav": True},
    }
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n{extra}"
        f'<link rel="icon" href="{root}images/favicon.svg">\n'
        f'<link rel="alternate" type="application/rss+xml" title="{esc(ctx.site_name)}: Latest" '
        f'href="{root}{FEED_PATH}">\n'
        f'<link rel="stylesheet" href="{root}static/site.css">\n'
        f"<style>\n{_style(ctx.sections)}\n</style>\n"
        f"<script>window.dataLayer=window.dataLayer||[];"
        f"window.dataLayer.push({json.dumps(data_layer, sort_keys=True)});</script>\n"
        "</head>\n"
    )


def _nav(ctx: SiteContext, root: str) -> str:
    items = []
    for section in ctx.sections:
        sub = "".join(
            f'<li><a href="{root}{tag_path(topic)}">{esc(topic)}</a></li>'
            for topic in section.subtopics
        )
        items.append(
            f'<li class="nav-section nav-{section.slug}"><a href="{root}{section.slug}/index.html">'
            f'{esc(section.label)}</a><ul class="mega-menu">{sub}</ul></li>'
        )
    return f'<nav class="main-nav" aria-label="Sections"><ul>{"".join(items)}</ul></nav>\n'


def _top(ctx: SiteContext, root: str, body_class: str) -> str:
    ticker = "".join(f'<li><a href="{root}{a.path}">{esc(a.headline)}</a></li>' for a in ctx.ticker)
    return (
        f'<body class="{body_class}">\n'
        f'<div class="date-line">{esc(ctx.date_line)}</div>\n'
        '<div class="cookie-banner" id="cookie-banner" role="dialog" aria-live="polite">'
        "<p>We use cookies and similar technologies to personalise content and ads, to provide "
        "social media features and to analyse our traffic. By clicking “Accept all” you agree "
        "to the storing of cookies on your device.</p>"
        '<button type="button" data-consent="all">Accept all</button>'
        '<button type="button" data-consent="necessary">Necessary only</button>'
        f'<a href="{root}privacy.html">Cookie settings</a></div>\n'
        '<header class="site-header">'
        '<div class="utility-bar">'
        f'<a href="{root}about.html">About</a> <a href="{root}contact.html">Contact</a> '
        f'<a href="{root}advertise.html">Advertise</a> <a href="{root}rss.html">RSS</a>'
        f'<form class="search-form" action="{root}search" method="get" role="search">'
        '<input type="search" name="q" placeholder="Search News1 Global">'
        '<button type="submit">Search</button></form></div>'
        f'<a class="logo" href="{root}index.html"><img src="{root}images/logo.svg" '
        f'alt="{esc(ctx.site_name)}"></a>'
        f"{_ad_slot('top', 'top_728x90', '728x90', 'ad-leaderboard')}"
        "</header>\n"
        f"{_nav(ctx, root)}"
        f'<div class="breaking-ticker"><span class="ticker-label">Breaking</span>'
        f"<ul>{ticker}</ul></div>\n"
    )


_ICON_PATHS = {
    "facebook": "M22 12a10 10 0 1 0-11.6 9.9v-7H7.9V12h2.5V9.8c0-2.5 1.5-3.9 3.8-3.9 1.1 0 2.2.2 "
    "2.2.2v2.5h-1.3c-1.2 0-1.6.8-1.6 1.6V12h2.8l-.4 2.9h-2.3v7A10 10 0 0 0 22 12z",
    "x": "M18.2 2H21l-6.5 7.4L22 22h-6l-4.7-6.1L5.9 22H3l7-8L2 2h6.2l4.2 5.6L18.2 2zm-1 18h1.6"
    "L7 3.9H5.3L17.2 20z",
    "linkedin": "M4.98 3.5a2.5 2.5 0 1 1 0 5 2.5 2.5 0 0 1 0-5zM3 9h4v12H3V9zm7 0h3.8v1.7h.1c."
    "5-1 1.8-2 3.7-2 4 0 4.7 2.6 4.7 6V21h-4v-5.4c0-1.3 0-3-1.8-3s-2.1 1.4-2.1 2.9V21h-4V9z",
    "email": "M2 5h20v14H2V5zm2 2v.5l8 5 8-5V7H4zm16 2.8-8 5-8-5V17h16V9.8z",
    "print": "M6 2h12v5H6V2zM4 8h16a2 2 0 0 1 2 2v6h-4v4H6v-4H2v-6a2 2 0 0 1 2-2zm4 8v2h8v-4H8v2z",
    "copy": "M16 1H4a2 2 0 0 0-2 2v14h2V3h12V1zm3 4H8a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h11a2 2 0 0 0"
    " 2-2V7a2 2 0 0 0-2-2zm0 16H8V7h11v14z",
}


def _icon(name: str) -> str:
    # real pages inline each icon's full path (no sprite), which is part of their weight
    return (
        '<svg class="icon" width="20" height="20" viewBox="0 0 24 24" aria-hidden="true">'
        f'<path d="{_ICON_PATHS[name]}"/></svg>'
    )


def _share_bar(ctx: SiteContext, path: str, title: str, position: str = "top") -> str:
    url = quote(ctx.site_url + path, safe="")
    text = quote(title, safe="")
    return (
        f'<div class="share-bar share-{position}">'
        f'<a class="share-facebook" href="https://www.facebook.com/sharer/sharer.php?u={url}" '
        f'rel="noopener" target="_blank">{_icon("facebook")}Facebook</a>'
        f'<a class="share-x" href="https://twitter.com/intent/tweet?url={url}&amp;text={text}" '
        f'rel="noopener" target="_blank">{_icon("x")}X</a>'
        f'<a class="share-linkedin" href="https://www.linkedin.com/sharing/share-offsite/?url={url}"'
        f' rel="noopener" target="_blank">{_icon("linkedin")}LinkedIn</a>'
        f'<a class="share-email" href="mailto:?subject={text}&amp;body={url}">'
        f"{_icon('email')}Email</a>"
        f'<a class="share-print" href="javascript:window.print()">{_icon("print")}Print</a>'
        f'<button type="button" class="share-copy" data-copy-url="">{_icon("copy")}Copy link'
        "</button></div>"
    )


def render_popular(popular: Sequence[DemoArticle], root: str) -> str:
    """The ranked "Most Popular Articles" list (same on every page)."""
    items = "".join(
        f'<li><span class="rank">{rank}</span><a href="{root}{a.path}">{esc(a.headline)}</a></li>'
        for rank, a in enumerate(popular, start=1)
    )
    return f'<section class="most-popular"><h2>{POPULAR_TITLE}</h2><ol>{items}</ol></section>'


def _sidebar_latest(ctx: SiteContext, root: str) -> str:
    # deliberately not "headline-item": sidebar cards are not front-page slots
    cards = "".join(
        f'<li class="sidebar-card"><a href="{root}{a.path}"><img src="{root}{a.image_path}" '
        f'alt="" loading="lazy" width="80" height="45"><span class="card-title">'
        f'{esc(a.headline)}</span></a><p class="card-teaser">{esc(a.teaser)}</p></li>'
        for a in ctx.ticker
    )
    return f'<div class="sidebar-latest"><h2>Latest News</h2><ul>{cards}</ul></div>'


def _sidebar(ctx: SiteContext, root: str) -> str:
    return (
        '<aside class="sidebar">'
        f"{_ad_slot('sidebar', 'side_300x250', '300x250', 'ad-sidebar')}"
        f"{render_popular(ctx.popular, root)}"
        f"{_sidebar_latest(ctx, root)}"
        '<div class="newsletter-signup"><h2>The Morning Brief</h2><p>Korea’s top stories in '
        "your inbox every weekday at 7 a.m. KST.</p>"
        '<form action="#" method="post"><input type="email" name="email" '
        'placeholder="Your email"><button type="submit">Sign up</button></form></div>'
        f"{_ad_slot('sidebar2', 'side_300x600', '300x600', 'ad-sidebar')}"
        "</aside>\n"
    )


def _footer(ctx: SiteContext, root: str) -> str:
    columns = []
    for section in ctx.sections:
        links = "".join(
            f'<li><a href="{root}{tag_path(topic)}">{esc(topic)}</a></li>'
            for topic in section.subtopics
        )
        columns.append(
            f'<div class="footer-column"><h3><a href="{root}{section.slug}/index.html">'
            f"{esc(section.label)}</a></h3><ul>{links}</ul></div>"
        )
    trending = "".join(
        f'<li><a href="{root}{tag_path(tag)}">#{esc(tag)}</a></li>' for tag in ctx.trending_tags
    )
    corporate = "".join(
        f'<li><a href="{root}{file}">{esc(title)}</a></li>' for file, title in ctx.static_pages
    )
    family = "".join(
        f'<li><a href="https://www.example.{tld}/" rel="noopener">{esc(name)}</a></li>'
        for name, tld in (
            ("News1 Korea (Korean)", "com"),
            ("News1 Japan", "net"),
            ("News1 China", "org"),
            ("News1 Photo Archive", "com"),
        )
    )
    return (
        '<footer class="site-footer">'
        f'<div class="footer-columns">{"".join(columns)}</div>'
        f'<div class="footer-trending"><h3>Trending Topics</h3><ul>{trending}</ul></div>'
        f'<div class="footer-corporate"><ul>{corporate}</ul></div>'
        f'<div class="footer-family"><h3>Family Sites</h3><ul>{family}</ul></div>'
        '<p class="footer-legal">Registration No. Seoul-A-00000 · Publisher: News1 Global '
        "(fictional) · 123 Demo-ro, Jongno-gu, Seoul · Tel. +82-2-000-0000</p>"
        f'<p class="copyright">© 2026 {esc(ctx.site_name)}. All rights reserved. '
        "Unauthorized reproduction, redistribution and AI training use are prohibited.</p>"
        "</footer>\n"
    )


_SCRIPTS = """<script>
(function(){var b=document.getElementById('cookie-banner');if(!b)return;
try{if(localStorage.getItem('n1g-consent')){b.style.display='none';}}catch(e){}
b.addEventListener('click',function(ev){var c=ev.target.getAttribute('data-consent');
if(!c)return;try{localStorage.setItem('n1g-consent',c);}catch(e){}b.style.display='none';
window.dataLayer.push({event:'consent',level:c});});})();
</script>
<script>
window.n1gAds=window.n1gAds||{queue:[],slots:{}};
(function(ads){var nodes=document.querySelectorAll('.ad-slot[data-ad-config]');
for(var i=0;i<nodes.length;i++){var n=nodes[i],cfg;try{cfg=JSON.parse(n.getAttribute(
'data-ad-config'));}catch(e){continue;}ads.slots[n.id]=cfg;ads.queue.push(n.id);}
ads.refresh=function(id){var c=ads.slots[id];if(!c||!c.refresh.enabled)return;
setTimeout(function(){ads.queue.push(id);},c.refresh.seconds*1000);};
for(var j=0;j<ads.queue.length;j++){ads.refresh(ads.queue[j]);}})(window.n1gAds);
</script>
<script>
(function(){var q=[];function track(name,props){q.push({n:name,p:props||{},
t:Date.now()});if(q.length>=10){flush();}}function flush(){if(!q.length)return;
var body=JSON.stringify(q.splice(0,q.length));if(navigator.sendBeacon){
navigator.sendBeacon('/collect',body);}}window.addEventListener('pagehide',flush);
document.addEventListener('click',function(ev){var a=ev.target.closest&&ev.target.closest('a');
if(a){track('click',{href:a.getAttribute('href'),text:(a.textContent||'').slice(0,80)});}});
var depth=0;window.addEventListener('scroll',function(){var d=Math.round(100*(window.scrollY+
window.innerHeight)/document.body.scrollHeight);if(d>=depth+25){depth=d-d%25;track('scroll',
{depth:depth});}},{passive:true});track('pageview',{path:location.pathname});})();
</script>
<script>
document.querySelectorAll('.share-copy').forEach(function(btn){btn.addEventListener('click',
function(){var u=document.querySelector('link[rel=canonical]');navigator.clipboard&&
navigator.clipboard.writeText(u?u.href:location.href);btn.textContent='Copied!';});});
</script>
"""


def _page(
    ctx: SiteContext,
    *,
    title: str,
    root: str,
    body_class: str,
    content: str,
    head_extra: str = "",
    page_type: str = "listing",
) -> str:
    return (
        _head(ctx, title, root, head_extra, page_type)
        + _top(ctx, root, body_class)
        + f'<main class="page-main">\n<div class="content">\n{content}</div>\n'
        + _sidebar(ctx, root)
        + "</main>\n"
        + _footer(ctx, root)
        + _SCRIPTS
        + "</body>\n</html>\n"
    )


# --------------------------------------------------------------------------- listing pages


def render_headline_block(
    name: str, slots: Sequence[Slot], root: str, css_class: str = "", *, show_time: bool = False
) -> str:
    """One named block of headline slots (link, one-sentence teaser, thumbnail).

    ``show_time``: print each article's publication time (listing pages do, the front page
    doesn't), ``<time class="slot-time" datetime="2026-02-21T09:05:00+09:00">``.
    """

    def when(article: DemoArticle) -> str:
        if not show_time:
            return ""
        return (
            f'<time class="slot-time" datetime="{article.published_iso}">'
            f"{esc(article.published)} KST</time>"
        )

    items = "".join(
        '<li class="headline-item">'
        f'<a class="headline-link" href="{root}{s.article.path}{esc(s.link_suffix)}">'
        f"{esc(s.article.headline)}</a>{when(s.article)}"
        f'<p class="teaser">{esc(s.article.teaser)}</p>'
        f'<img class="thumb" src="{root}{s.article.image_path}" alt="" loading="lazy"></li>'
        for s in slots
    )
    classes = f"headline-block {css_class}".strip()
    return (
        f'<section class="{classes}" data-block="{esc(name)}">'
        f'<h2 class="block-title">{esc(name)}</h2><ul>{items}</ul></section>\n'
    )


def render_front_page(
    ctx: SiteContext, *, top_story: DemoArticle, blocks: Sequence[tuple[str, Sequence[Slot]]]
) -> str:
    """The site's ``index.html``: Top Story, then the named blocks in order, popular list."""
    parts = [render_headline_block("Top Story", [Slot(top_story)], "", "top-story")]
    parts.append(_ad_slot("front-inline", "front_970x250", "970x250", "ad-inline"))
    parts.append(f"\n{_share_bar(ctx, '', ctx.site_name)}\n")
    section_slugs = {s.label: s.slug for s in ctx.sections}
    for i, (name, slots) in enumerate(blocks):
        css = f"sec-{section_slugs[name]}" if name in section_slugs else ""
        parts.append(render_headline_block(name, slots, "", css))
        if i % 3 == 2:
            parts.append(_ad_slot(f"front-{i}", "front_728x90", "728x90", "ad-inline"))
    return _page(
        ctx,
        title=f"{ctx.site_name} | Korea's news in English",
        root="",
        body_class="page-front",
        content="".join(parts),
        head_extra=(
            '<meta name="description" content="Breaking news, politics, business, culture '
            'and sports from Korea, in English.">\n'
            f'<meta property="og:site_name" content="{esc(ctx.site_name)}">\n'
            '<meta property="og:type" content="website">\n'
            '<link rel="canonical" href="index.html">\n'
        ),
        page_type="front",
    )


@dataclass(frozen=True)
class Pagination:
    """Where a listing page sits in its series; hrefs are relative to the page itself."""

    page: int  # 1-based
    pages: int  # total number of pages
    prev_href: str | None = None
    next_href: str | None = None


def render_pagination(p: Pagination) -> str:
    """``<nav class="pagination">`` with rel=prev/next links and "Page 2 of 5"."""
    prev = (
        f'<a class="pagination-prev" rel="prev" href="{esc(p.prev_href)}">‹ Newer</a>'
        if p.prev_href
        else ""
    )
    nxt = (
        f'<a class="pagination-next" rel="next" href="{esc(p.next_href)}">Older ›</a>'
        if p.next_href
        else ""
    )
    return (
        f'<nav class="pagination" aria-label="Pages">{prev}'
        f'<span class="pagination-current">Page {p.page} of {p.pages}</span>{nxt}</nav>\n'
    )


def render_listing_page(
    ctx: SiteContext,
    *,
    title: str,
    depth: int,
    blocks: Sequence[tuple[str, Sequence[Slot]]],
    pagination: Pagination | None = None,
) -> str:
    """A section page (``politics/index.html``, ``politics/page-2.html``) or tag page
    (``tag/kbo.html``, ``tag/kbo-page-2.html``): newest first, each slot with its time."""
    root = "../" * depth
    content = "".join(
        render_headline_block(name, slots, root, show_time=True) for name, slots in blocks
    )
    if not blocks:
        content = '<p class="empty">No articles yet.</p>\n'
    head_extra = ""
    if pagination is not None:
        content += render_pagination(pagination)
        if pagination.prev_href:
            head_extra += f'<link rel="prev" href="{esc(pagination.prev_href)}">\n'
        if pagination.next_href:
            head_extra += f'<link rel="next" href="{esc(pagination.next_href)}">\n'
    return _page(
        ctx,
        title=f"{title} | {ctx.site_name}",
        root=root,
        body_class="page-listing",
        content=f'<h1 class="listing-title">{esc(title)}</h1>\n{content}',
        head_extra=head_extra,
    )


def render_static_page(ctx: SiteContext, *, title: str, text: str) -> str:
    return _page(
        ctx,
        title=f"{title} | {ctx.site_name}",
        root="",
        body_class="page-static",
        content=f'<h1 class="static-title">{esc(title)}</h1>\n<p>{esc(text)}</p>\n',
    )


# --------------------------------------------------------------------------- article page


def byline(article: DemoArticle) -> str:
    """ "By Kim Min-ji, Staff Reporter" / "By Park Ji-hoon and Lee Soo-jin, Staff Reporters"."""
    names = list(article.authors)
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"By {joined}, {article.author_title}" if article.author_title else f"By {joined}"


def _json_ld(article: DemoArticle, ctx: SiteContext) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": f"{article.id}.html"},
        "headline": article.headline,
        "description": article.teaser,
        "image": [f"../../{article.image_path}"],
        "datePublished": article.published_iso,
        "dateModified": article.updated_iso or article.published_iso,
        "author": [{"@type": "Person", "name": name} for name in article.authors],
        "articleSection": article.category,
        "keywords": list(article.tags),
        "inLanguage": "en",
        "isAccessibleForFree": not article.paywalled,
        "publisher": {
            "@type": "Organization",
            "name": ctx.site_name,
            "logo": {"@type": "ImageObject", "url": "../../images/logo.svg"},
        },
    }
    text = json.dumps(data, ensure_ascii=False, indent=2).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>\n'


def _article_head(article: DemoArticle, ctx: SiteContext) -> str:
    meta = [
        f'<link rel="canonical" href="{article.id}.html">',
        f'<meta name="description" content="{esc(article.teaser)}">',
        f'<meta name="author" content="{esc(", ".join(article.authors))}">',
        f'<meta property="og:title" content="{esc(article.headline)}">',
        f'<meta property="og:description" content="{esc(article.teaser)}">',
        f'<meta property="og:image" content="../../{article.image_path}">',
        f'<meta property="og:url" content="{article.id}.html">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:site_name" content="{esc(ctx.site_name)}">',
        f'<meta property="article:published_time" content="{article.published_iso}">',
        f'<meta property="article:modified_time" '
        f'content="{article.updated_iso or article.published_iso}">',
        f'<meta property="article:section" content="{esc(article.category)}">',
    ]
    meta += [f'<meta property="article:tag" content="{esc(tag)}">' for tag in article.tags]
    meta.append('<meta name="twitter:card" content="summary_large_image">')
    return "\n".join(meta) + "\n" + _json_ld(article, ctx)


def _icon_sprite() -> str:
    symbols = "".join(
        f'<symbol id="icon-{name}" viewBox="0 0 24 24"><path d="{d}"/></symbol>'
        for name, d in _ICON_PATHS.items()
    )
    return f'<svg xmlns="http://www.w3.org/2000/svg" style="display:none">{symbols}</svg>\n'


def _preloaded_state(article: DemoArticle, ctx: SiteContext, related: Sequence[DemoArticle]) -> str:
    """The JSON blob a JavaScript front end hydrates from: the article again, plus teasers.

    Real pages carry one (often the biggest thing on the page); extractors must not read it
    as body text.
    """

    def card(a: DemoArticle) -> dict[str, object]:
        return {
            "id": a.id,
            "path": a.path,
            "headline": a.headline,
            "teaser": a.teaser,
            "image": a.image_path,
            "section": a.section,
            "published": a.published_iso,
        }

    state = {
        "article": {
            **card(article),
            "authors": list(article.authors),
            "tags": list(article.tags),
            "paragraphCount": len(article.paragraphs),
            "paywalled": article.paywalled,
        },
        "navigation": [
            {"slug": s.slug, "label": s.label, "topics": list(s.subtopics)} for s in ctx.sections
        ],
        "popular": [card(a) for a in ctx.popular],
        "ticker": [card(a) for a in ctx.ticker],
        "related": [card(a) for a in related],
        "config": {
            "paywall": {"meter": 5, "period": "month", "offerId": "n1g-digital-monthly"},
            "comments": {"enabled": True, "provider": "demo-comments", "sort": "newest"},
            "video": {"autoplay": False, "muted": True, "preroll": True},
        },
    }
    text = json.dumps(state, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return f"<script>window.__PRELOADED_STATE__={text};</script>\n"


def _comments_widget(article: DemoArticle) -> str:
    config = {
        "threadId": f"n1g-{article.id}",
        "provider": "demo-comments",
        "sort": "newest",
        "pageSize": 20,
        "locale": "en-US",
        "moderation": {"preModerate": False, "wordFilter": True, "reportThreshold": 3},
        "login": ["email", "google", "kakao", "naver", "apple"],
    }
    return (
        '<section class="comments" id="comments"><h2>Comments</h2>'
        f"<div class=\"comments-widget\" data-config='{esc(json.dumps(config, sort_keys=True))}'>"
        "<noscript>Please enable JavaScript to view the comments.</noscript></div>"
        '<p class="comments-policy">Comments are moderated. Please keep the discussion civil; '
        "posts with personal attacks, hate speech, advertising or links to illegal content "
        "will be removed without notice.</p></section>\n"
    )


def _article_body(article: DemoArticle) -> str:
    paragraphs = [f"<p>{esc(p)}</p>" for p in article.paragraphs]
    if article.paywalled:
        paragraphs = [*paragraphs[:1], f'<div class="paywall">{PAYWALL_TEXT}</div>']
    elif len(paragraphs) > 2:
        # an in-article ad after the second paragraph; its <p> must not reach the body text
        paragraphs.insert(2, _ad_slot("article-inline", "article_300x250", "300x250", "ad-inline"))
    return '<div class="article-body">\n' + "\n".join(paragraphs) + "\n</div>\n"


def render_article(
    article: DemoArticle, ctx: SiteContext, *, related: Sequence[DemoArticle] = ()
) -> str:
    """An article page at ``<section>/article/<id>.html`` (so ``root`` is ``../../``)."""
    root = "../../"
    if article.broken:
        return render_broken_article(ctx)
    dates = f'<span class="published">Published : {article.published} KST</span>'
    if article.updated:
        dates += f'<span class="updated">Updated : {article.updated} KST</span>'
    tags = ""
    if article.tags:
        links = "".join(
            f'<a class="tag" href="{root}{tag_path(tag)}">#{esc(tag)}</a>' for tag in article.tags
        )
        tags = f'<div class="tags"><span>{TAGS_LABEL}</span>{links}</div>\n'
    related_html = ""
    if related:
        items = "".join(
            f'<li><a href="{root}{r.path}"><img src="{root}{r.image_path}" alt="" '
            f'loading="lazy"><span>{esc(r.headline)}</span></a></li>'
            for r in related
        )
        related_html = (
            f'<section class="related-content"><h2>{RELATED_TITLE}</h2><ul>{items}</ul></section>\n'
        )
    section_class = f"sec-{article.section}"
    content = (
        f'<article class="article {section_class}">\n'
        '<div class="article-header">'
        f'<span class="category">{esc(article.category)}</span>\n'
        f'<h1 class="article-headline">{esc(article.headline)}</h1>\n'
        f'<p class="byline">{esc(byline(article))}</p>\n'
        f'<div class="article-dates">{dates}</div>\n'
        f"{_share_bar(ctx, article.path, article.headline)}\n"
        "</div>\n"
        '<figure class="lead-image">'
        f'<img src="{root}{article.image_path}" alt="{esc(article.caption)}">'
        f"<figcaption>{esc(article.caption)}</figcaption></figure>\n"
        f"{_article_body(article)}"
        '<p class="copyright-notice">© News1 Global. All rights reserved.</p>\n'
        f"{_share_bar(ctx, article.path, article.headline, 'bottom')}\n"
        f"{tags}{related_html}"
        f"{_comments_widget(article)}"
        f"{_ad_slot('article-bottom', 'article_728x90', '728x90', 'ad-inline')}\n"
        "</article>\n"
        f"{_icon_sprite()}{_preloaded_state(article, ctx, related)}"
    )
    return _page(
        ctx,
        title=f"{article.headline} | {ctx.site_name}",
        root=root,
        body_class="page-article",
        content=content,
        head_extra=_article_head(article, ctx),
        page_type="article",
    )


def render_broken_article(ctx: SiteContext) -> str:
    """What the CMS serves when the article template fails: chrome only, no headline at all."""
    content = (
        '<article class="article article-error"><div class="cms-error">'
        "<p>We’re sorry. The page you requested could not be displayed.</p>"
        "<p>Error code: CMS-502 (template render failed). Please try again later.</p>"
        "</div></article>\n"
    )
    return _page(
        ctx, title="", root="../../", body_class="page-article", content=content, page_type="error"
    )


# --------------------------------------------------------------------------- images


def render_svg(label: str, color_index: int) -> str:
    """A tiny placeholder image (~250 bytes)."""
    color = _SECTION_COLORS[color_index % len(_SECTION_COLORS)]
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="90" viewBox="0 0 160 90">'
        f'<rect width="160" height="90" fill="{color}"/>'
        '<text x="80" y="52" font-family="Arial" font-size="20" fill="#fff" '
        f'text-anchor="middle">{esc(label)}</text></svg>\n'
    )


# --------------------------------------------------------------------------- feeds, sitemaps
# Locations in the demo's feed and sitemaps are relative to the document (sitemaps.org asks
# for absolute URLs; relative ones keep the copy working from file://, any host and port).
# The crawler resolves them against the document's own URL, as browsers and most crawlers do.

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


def _xml(text: str) -> str:
    return escape(text, quote=False)


def rfc822(stamp_kst: str) -> str:
    """ "2026-02-21 09:05" (KST) -> "Sat, 21 Feb 2026 09:05:00 +0900" (RSS pubDate)."""
    from datetime import datetime
    from email.utils import format_datetime

    return format_datetime(datetime.fromisoformat(kst_iso(stamp_kst)))


def render_rss(ctx: SiteContext, articles: Sequence[DemoArticle], *, title: str) -> str:
    """An RSS 2.0 feed of ``articles`` (newest first), links relative to the feed."""
    items = "".join(
        "<item>"
        f"<title>{_xml(a.headline)}</title>"
        f"<link>{_xml(a.path)}</link>"
        f'<guid isPermaLink="false">{_xml(ctx.site_url)}{a.id}</guid>'
        f"<description>{_xml(a.teaser)}</description>"
        f"<category>{_xml(a.category)}</category>"
        f"<pubDate>{rfc822(a.published)}</pubDate>"
        "</item>\n"
        for a in articles
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0"><channel>\n'
        f"<title>{_xml(title)}</title><link>index.html</link>"
        f"<description>{_xml(ctx.site_name)}: the latest stories</description>"
        "<language>en</language>\n"
        f"{items}</channel></rss>\n"
    )


def render_sitemap(entries: Sequence[tuple[str, str | None]]) -> str:
    """A sitemaps.org urlset of (location, lastmod) pairs."""
    urls = "".join(
        f"<url><loc>{_xml(loc)}</loc>"
        + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "")
        + "</url>\n"
        for loc, lastmod in entries
    )
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n'
    return f"{head}{urls}</urlset>\n"


def render_sitemap_index(locations: Sequence[tuple[str, str | None]]) -> str:
    """A sitemap index of (child sitemap location, lastmod) pairs."""
    maps = "".join(
        f"<sitemap><loc>{_xml(loc)}</loc>"
        + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "")
        + "</sitemap>\n"
        for loc, lastmod in locations
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n'
        f"{maps}</sitemapindex>\n"
    )


def render_news_sitemap(ctx: SiteContext, articles: Sequence[DemoArticle]) -> str:
    """A Google News sitemap (the last two days' articles, with title and publication date)."""
    urls = "".join(
        f"<url><loc>{_xml(a.path)}</loc><news:news><news:publication>"
        f"<news:name>{_xml(ctx.site_name)}</news:name><news:language>en</news:language>"
        f"</news:publication><news:publication_date>{a.published_iso}</news:publication_date>"
        f"<news:title>{_xml(a.headline)}</news:title></news:news></url>\n"
        for a in articles
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}" '
        f'xmlns:news="{NEWS_NS}">\n{urls}</urlset>\n'
    )
