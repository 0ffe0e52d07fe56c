"""Main-text extraction by DOM block scoring.

1. :func:`clean_tree` drops non-content elements (scripts, forms controls, media), structural
   boilerplate (``nav``, ``footer``, ``aside``, ARIA banner/navigation roles, hidden elements)
   and elements whose class/id words say boilerplate (share, related, comment, newsletter,
   cookie, promo, sidebar, ...) — unless such an element holds a large part of the page's
   paragraph text (then the class word is a false friend, e.g. ``<div class="post-comments">``
   wrapping the whole page), and newsletter / sign-up boxes around an e-mail field.
2. Every text block (``p``, headings, list items, ``div`` with direct text, ...) gets a weight:
   its text length times (1 - link density), boosted for ``p``-like blocks and for long
   sentences. The weights are summed bottom-up in one iterative pass.
3. The container is found by descending from ``<body>`` into the child holding most of the
   weight while that child holds a large share of its parent's weight, biased towards
   elements whose class/id says article/content/story/body/entry/post.
4. Runs of teaser cards inside the container are dropped (:func:`_drop_card_groups`).
5. The container's blocks are serialised in document order (paragraphs separated by a blank
   line, list items prefixed with ``- ``), dropping link lists, share/subscribe one-liners,
   newsletter pitches, donation appeals, rights notices, time/age stamps, repeated
   pull-quotes, trailing headings/links and closing writer biographies.

Everything is iterative (``iter``/``iterwalk``), so deep DOMs cannot exhaust Python's stack.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.etree

from newsspider.extract.dates import TEXT_DATE_ANY
from newsspider.extract.html import parse_html, text_of

__all__ = ["FALLBACK_BELOW", "clean_tree", "extract_body", "fallback_body"]

DROP_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "canvas",
    "video",
    "audio",
    "button",
    "select",
    "input",
    "textarea",
    "link",
    "meta",
    "figcaption",
    "title",
    "picture",
    "img",
    "option",
    "label",
}
# an element with both content and boilerplate class words is kept if it has this much <p> text
MIXED_KEEP = 1000
# boilerplate-looking elements holding more than this share of the page <p> text are kept
SAFE_SHARE = 0.7
FEW_P_CHARS = 500  # a page with less <p> text than this is judged by all of its text
TEXTY_DROP = {"button", "label", "figcaption", "picture", "object", "canvas", "video", "audio"}
STRUCTURAL_BOILER = {"nav", "footer", "aside", "menu", "dialog", "form"}
BOILER_ROLES = {
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "menu",
    "menubar",
    "search",
    "dialog",
    "alert",
    "alertdialog",
    "toolbar",
}
NEG_WORDS = {
    "nav",
    "navbar",
    "navigation",
    "menu",
    "footer",
    "sidebar",
    "share",
    "sharing",
    "social",
    "related",
    "comment",
    "comments",
    "newsletter",
    "subscribe",
    "subscription",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "promo",
    "advert",
    "advertisement",
    "ads",
    "ad",
    "banner",
    "breadcrumb",
    "breadcrumbs",
    "popup",
    "modal",
    "sponsor",
    "sponsored",
    "outbrain",
    "taboola",
    "disqus",
    "recommended",
    "recirc",
    "pagination",
    "pager",
    "masthead",
    "toolbar",
    "signup",
    "paywall",
    "tags",
    "tagcloud",
    "byline",
    "author",
    "bio",
    "meta",
    "caption",
    "print",
    "rating",
    "reactions",
    "follow",
    "trending",
    "popular",
    "slider",
    "cta",
    "disclosure",
}
# class words of an image credit / caption line (class only: heading ids are slugs of text)
CREDIT_WORDS = {"credit", "credits", "imagecredit", "photocredit", "caption", "wp-caption-text"}
CREDIT_MAX = 200
POS_WORDS = {
    "article",
    "content",
    "story",
    "body",
    "entry",
    "post",
    "main",
    "text",
    "prose",
    "blog",
    "articlebody",
    "richtext",
}
_SPLIT = re.compile(r"[^a-z0-9]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "tr",
    "figure",
    "header",
    "address",
    "center",
    "details",
    "summary",
    "tbody",
    "thead",
    "tfoot",
    "form",
    "fieldset",
    "body",
    "br",
    "hr",
    "caption",
}
# descend into a child holding at least this share of its parent's block weight
SHARE = 0.8
POS_SHARE = 0.66
MIN_BLOCK = 20  # shorter blocks do not count towards the container choice
PARA_BOOST = 1.5
PARA_TAGS = {"p", "pre", "blockquote", "dd", "td"}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}

_BOILER_LINE = re.compile(
    r"^(?:share|tweet|pin it|email|print|advertisement|advertising|sponsored|related|"
    r"read more|read next|see also|more from|you may also like|recommended|sign up|subscribe|"
    r"follow us|follow|click here|leave a (?:comment|reply)|comments?|\d+ comments?|"
    r"posted in|filed under|tags?:|categor(?:y|ies):|image:|photo:|source:|credit:|"
    r"skip to|back to top|loading|copyright|©|all rights reserved|"
    # caption / image controls and log-in prompts of paywalled pages
    r"(?:show|hide|toggle) caption|enlarge this image|click to enlarge|"
    r"already (?:have an account|a subscriber|a member|registered)|"
    # share / print / advertisement labels in other languages
    r"teilen|drucken|anzeige|werbung|partager|imprimer|publicité|compartir|imprimir|"
    r"publicidad|compartilhe|publicidade|condividi|pubblicità|advertentie|"
    r"поделиться|реклама|udostępnij|reklama|paylaş|reklam|bagikan|iklan|annons)"
    # a word ends at a boundary; a label ends at its colon ("Image: Move.org", "Tags: …")
    r"(?:\b|(?<=:))",
    re.IGNORECASE,
)


def _words(el: Any) -> set[str]:
    cls = el.get("class")
    eid = el.get("id")
    if not cls and not eid:
        return set()
    s = f"{cls or ''} {eid or ''}".lower()
    return {w for w in _SPLIT.split(s) if w}


def _class_kind(el: Any) -> int:
    """-1 boilerplate, +1 content, 0 unknown."""
    words = _words(el)
    if not words:
        return 0
    if words & POS_WORDS and not words & {"related", "comment", "comments", "share", "sidebar"}:
        return 1
    if words & NEG_WORDS:
        return -1
    return 0


def _is_credit(el: Any) -> bool:
    cls = el.get("class")
    if not cls or el.tag in HEADING_TAGS:
        return False
    low = cls.lower()
    if "credit" not in low and "caption" not in low:  # cheap test first: runs on every element
        return False
    if not {w for w in _SPLIT.split(cls.lower()) if w} & CREDIT_WORDS:
        return False
    return len(text_of(el)) < CREDIT_MAX


def _is_hidden(el: Any) -> bool:
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


PROSE_RUN = 80  # a run of text this long between <br>s is a paragraph too


def _text_lengths(root: Any) -> dict[Any, int]:
    """Paragraph-ish text length under each element (iterative, bottom-up): the text of
    ``<p>`` elements, and runs of at least :data:`PROSE_RUN` characters held by an element
    with ``<br>`` children (or by an inline element inside one: ``<b>``, ``<span>``) outside
    links — the paragraphs of old layouts, printed as text between ``<br><br>`` in a ``<td>``
    or ``<font>``, which have no ``<p>``."""
    els = [e for e in root.iter() if isinstance(e.tag, str)]
    br_parents = {br.getparent() for br in root.iter("br")}
    total: dict[Any, int] = {}
    for el in reversed(els):
        n = total.get(el, 0)
        if el.tag == "p":
            n = max(n, len(text_of(el).strip()))
        elif el.tag != "a" and br_parents and (el in br_parents or el.getparent() in br_parents):
            for run in (el.text, *(c.tail for c in el)):
                if run and len(run) >= PROSE_RUN:
                    k = len(run.strip())
                    if k >= PROSE_RUN:
                        n += k
        total[el] = n
        parent = el.getparent()
        if parent is not None:
            total[parent] = total.get(parent, 0) + n
    return total


def clean_tree(root: Any, *, lenient: bool = False) -> None:
    """Remove non-content elements from ``root`` in place.

    ``lenient`` (the fallback pass, :func:`fallback_body`) removes only non-text elements
    and structural navigation (``nav``, ``footer``, ``aside``, ARIA navigation roles), not
    elements judged by class words, hiding or size: those rules emptied some pages.
    """
    # libxml2 sometimes leaves page content inside <head> (stray tags there), so work on root
    body = root
    doomed: list[Any] = _signup_boxes(root) if not lenient else []
    for el in root.iter():
        tag = el.tag
        if not isinstance(tag, str):
            doomed.append(el)
            continue
        if tag in DROP_TAGS:
            # unclosed <button>/<label> can swallow the page: keep those with lots of text
            if tag in TEXTY_DROP and len(text_of(el)) > 1000:
                continue
            doomed.append(el)
    for el in doomed:
        _drop(el)
    plen = _text_lengths(body)
    page_total = max(plen.get(body, 0), 1)
    doomed2 = []
    # syntax highlighting classes its spans "comment", "meta", "tag": inside code, class words
    # say nothing about boilerplate
    in_code = {d for pre in body.iter("pre", "code") for d in pre.iterdescendants()}
    for el in body.iter():
        if not isinstance(el.tag, str) or el is body or el.tag in ("head", "body"):
            continue
        if el in in_code:
            continue
        role = (el.get("role") or "").lower()
        if lenient:
            if (el.tag in STRUCTURAL_BOILER and el.tag != "form") or role in BOILER_ROLES:
                doomed2.append(el)
            continue
        bad = (
            el.tag in STRUCTURAL_BOILER
            or role in BOILER_ROLES
            or _is_hidden(el)
            or (el.tag == "header" and plen.get(el, 0) < 400)
            or _class_kind(el) < 0
            or _is_credit(el)
        )
        if (
            bad
            and plen.get(el, 0) < SAFE_SHARE * page_total
            and el.tag not in ("article", "main")
            and not (plen.get(el, 0) >= MIXED_KEEP and _words(el) & POS_WORDS)
        ):
            doomed2.append(el)
    # pages without <p> text (old table/<br> layouts, ASP.NET pages wrapped in one <form>):
    # judge by all text, so a wrapper holding most of the page is not dropped as boilerplate
    if doomed2 and (page_total < FEW_P_CHARS or any(el.tag == "form" for el in doomed2)):
        all_total = max(len(text_of(body)), 1)
        doomed2 = [
            el
            for el in doomed2
            if not (
                (el.tag == "form" or page_total < FEW_P_CHARS)
                and len(text_of(el)) >= SAFE_SHARE * all_total
            )
        ]
    for el in doomed2:
        if el.getparent() is not None:
            _drop(el)


SIGNUP_BOX_MAX = 600  # a sign-up box: the largest ancestor of an e-mail field with less text
_EMAIL_FIELD = re.compile(r"e-?mail|newsletter|subscri", re.IGNORECASE)


def _signup_boxes(root: Any) -> list[Any]:
    """Newsletter / sign-up boxes: around each e-mail field (``<input type="email">`` or one
    named or labelled for an e-mail address), the largest enclosing element with less than
    :data:`SIGNUP_BOX_MAX` characters of text. Its pitch ("Get the morning briefing in your
    inbox") is printed in ordinary paragraphs that the form's own removal leaves behind."""
    boxes: list[Any] = []
    for field in root.iter("input"):
        typ = (field.get("type") or "text").lower()
        if typ not in ("email", "text"):
            continue
        if typ == "text" and not _EMAIL_FIELD.search(
            f"{field.get('name') or ''} {field.get('placeholder') or ''} {field.get('id') or ''}"
        ):
            continue
        box = None
        el = field.getparent()
        while el is not None and el.tag not in ("body", "html", "article", "main"):
            if len(text_of(el)) >= SIGNUP_BOX_MAX:
                break
            box = el
            el = el.getparent()
        if box is not None and not any(b is box for b in boxes):
            boxes.append(box)
    # an inner box of another one goes with it
    return [b for b in boxes if not any(o is not b and b in o.iterdescendants() for o in boxes)]


def _drop(el: Any) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


# ----------------------------------------------------------------------------- serialisation


class _Block:
    __slots__ = ("el", "link", "tag", "text")

    def __init__(self, tag: str, text: str, link: int, el: Any) -> None:
        self.tag = tag
        self.text = text
        self.link = link
        self.el = el


def _blocks(container: Any) -> list[_Block]:
    """Text blocks of ``container`` in document order."""
    out: list[_Block] = []
    buf: list[str] = []
    link_chars = 0
    in_link = 0
    not_links: set[Any] = set()  # anchors whose text is not link text (see _is_link)
    stack: list[Any] = []

    def flush() -> None:
        nonlocal link_chars
        if buf:
            owner = stack[-1] if stack else container
            if owner.tag == "pre":  # code keeps its lines
                lines = ("".join(buf)).splitlines()
                text = "\n".join(" ".join(line.split()) for line in lines if line.strip())
            else:
                text = " ".join("".join(buf).split())
            if text:
                out.append(_Block(owner.tag, text, link_chars, owner))
            buf.clear()
        link_chars = 0

    # a table cell holding paragraphs or <br>-separated text is a layout cell (old sites lay
    # out the page with tables): a block of its own, so the nav cell beside it stays apart;
    # data-table cells stay inline and a row reads as one line
    layout_cells = {
        td
        for td in container.iter("td", "th")
        if td.find(".//br") is not None
        or td.find(".//p") is not None
        or td.find(".//div") is not None
        or td.find(".//table") is not None
    }
    for ev, el in lxml.etree.iterwalk(container, events=("start", "end")):
        tag = el.tag
        if not isinstance(tag, str):
            continue
        is_block = tag in BLOCK_TAGS or (tag in ("td", "th") and el in layout_cells)
        if ev == "start":
            if is_block:
                flush()
                if tag != "br" and tag != "hr":
                    stack.append(el)
            if tag == "a":
                if _is_link(el):
                    in_link += 1
                else:
                    not_links.add(el)
            if el.text:
                buf.append(el.text)
                if in_link:
                    link_chars += len(el.text.strip())
            elif tag in ("td", "th"):
                buf.append(" ")
        else:
            if tag == "a" and el not in not_links:
                in_link -= 1
            if is_block:
                flush()
                if tag != "br" and tag != "hr" and stack:
                    stack.pop()
            elif tag in ("td", "th"):
                buf.append(" ")
            if el is not container and el.tail:
                buf.append(el.tail)
                if in_link:
                    link_chars += len(el.tail.strip())
    flush()
    return out


SWALLOW_MIN = 500  # an <a> holding blocks with this much text was left unclosed (cards: < 400)


def _is_link(a: Any) -> bool:
    """Whether the text of ``<a>`` element ``a`` counts as link text: not when it holds block
    elements with :data:`SWALLOW_MIN` or more characters of text. Old pages leave an anchor
    (``<a name="top">``, a logo link) unclosed before the article, and libxml2 nests the rest
    of the page inside it: every paragraph counted as link text and the page came out
    empty. A teaser card wrapped in a link holds a few hundred characters."""
    if not any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in a):
        return True
    return len(text_of(a)) < SWALLOW_MIN


def _block_weight(b: _Block) -> float:
    n = len(b.text)
    if n < MIN_BLOCK:
        return 0.0
    density = b.link / n
    if density > WEIGHT_LINK_DENSITY:
        return 0.0
    w = n * (1 - density)
    if b.tag in PARA_TAGS:
        w *= PARA_BOOST
    elif b.tag in HEADING_TAGS:
        w *= 0.5
    if n > 80 and b.text.count(" ") > 10:
        w *= 1.3
    return w


def _choose_container(body: Any, blocks: list[_Block]) -> Any:
    weight: dict[Any, float] = {}
    own: dict[Any, float] = {}  # weight of the text an element holds itself (not its children)
    for b in blocks:
        w = _block_weight(b)
        if w <= 0:
            continue
        el = b.el
        own[el] = own.get(el, 0.0) + w
        while el is not None:
            weight[el] = weight.get(el, 0.0) + w
            if el is body:
                break
            el = el.getparent()
    node = body
    while True:
        best = None
        best_w = 0.0
        for child in node:
            if not isinstance(child.tag, str):
                continue
            w = weight.get(child, 0.0)
            if w > best_w:
                best, best_w = child, w
        total = weight.get(node, 0.0)
        if best is None or total <= 0:
            return node
        share = best_w / total
        threshold = POS_SHARE if _class_kind(best) > 0 else SHARE
        if share < threshold or (node in own and _continues(node, best, weight, own)):
            return node
        node = best


CHAIN_STEPS = 3  # wrappers (an unclosed <font>) looked through for the next text holder


def _continues(node: Any, child: Any, weight: dict[Any, float], own: dict[Any, float]) -> bool:
    """``child`` continues the text ``node`` holds itself: the next element holding text on
    the heaviest path below it has ``node``'s tag. Unclosed ``<div>``/``<td>`` tags of old pages
    nest every following paragraph inside the previous one (``div > font > div > font ...``);
    descending that chain would keep only its last few paragraphs."""
    el = child
    for _ in range(CHAIN_STEPS):
        if el in own:
            return bool(el.tag == node.tag)
        kids = [c for c in el if isinstance(c.tag, str) and c in weight]
        if not kids:
            return False
        el = max(kids, key=lambda c: weight[c])
    return False


# a line that is only a time or a relative age: live-blog entry stamps ("12:45", "10.32 Uhr",
# "3 min ago"), which the reader sees as labels, not text
_TIMESTAMP_LINE = re.compile(
    r"^(?:(?:updated|posted|aktualisiert|mis à jour|actualizado)\s*:?\s*)?"
    r"(?:\d{1,2}[:.h]\d{2}(?:\s*(?:am|pm|a\.m\.|p\.m\.|uhr|h|hrs?))?"
    r"(?:\s*(?:[A-Z]{2,4}|GMT[+-]\d+))?|"
    r"(?:\d+|an?|one)\s*(?:min|mins|minutes?|hours?|hrs?|h|m|days?|d|weeks?|w|months?|years?)"
    r"\s+ago|yesterday|"
    r"vor\s+\d+\s+(?:minuten|stunden|min\.?|std\.?|tagen|wochen|monaten|jahren)|"
    r"il y a\s+\d+\s+(?:min|minutes?|heures?|h|jours?|semaines?|mois|ans?)|"
    r"hace\s+\d+\s+(?:min|minutos?|horas?|h|días?|semanas?|meses|mes|años?)|"
    r"há\s+\d+\s+(?:min|minutos?|horas?|dias?|semanas?|meses|mês|anos?)|"
    r"\d+\s+(?:minuti|ore|giorni|settimane|mesi|anni)\s+fa|"
    r"\d+\s+(?:минут\w*|час\w*|дн\w*|день|недел\w*|месяц\w*|год\w*|лет)\s+назад|"
    r"\d+\s*(?:분|시간|일|주|개월|년)\s*전|\d+\s*(?:分|時間|日|週間|か月|ヶ月|年)前|"
    r"\d+\s*(?:分钟|小时|天|周|个月|年)前)"
    r"(?:\s*[|•·,-]\s*.{0,30})?$",
    re.IGNORECASE,
)


class Needled:
    """A pattern searched only in texts that hold one of its needles (lower-cased substrings
    that every match contains). Python's ``re`` tries each ``\\b(?:a|b|...)`` alternative at
    every position; these phrase lists ran on every short block and cost ~6 ms per page
    (signup 2.9, rights 1.8, promo 0.6, appeal 0.5 on the WCXB dev pages), while one
    ``in`` test per needle costs microseconds. ``tests/test_extract_body_needles.py`` checks
    that a sample of every alternative holds a needle."""

    __slots__ = ("needles", "pattern")

    def __init__(self, pattern: re.Pattern[str], needles: tuple[str, ...]) -> None:
        self.pattern = pattern
        self.needles = needles

    def search(self, text: str) -> re.Match[str] | None:
        low = text.lower()
        if not any(n in low for n in self.needles):
            return None
        return self.pattern.search(text)


# calls to follow the publisher on a messenger/app ("Follow us on WhatsApp", "Join our Telegram
# channel", "Folgen Sie uns auf ..."). "Also read:" lines are not here: the dev set's ground
# truth keeps them as text.
_PROMO_RE = re.compile(
    r"\b(?:follow|join)\s+(?:us|our\s+\w+(?:\s+\w+)?)\s+(?:on|in|via)\s+(?:whatsapp|telegram|"
    r"google news|instagram|facebook|x|twitter|threads|youtube|tiktok|linkedin|bluesky)\b|"
    r"\bjoin\s+(?:us|our)\b.{0,30}\b(?:whatsapp|telegram)\b|"
    r"\b(?:download|get)\s+(?:our|the)\s+(?:\w+\s+)?app\b|"
    r"\b(?:folgen sie uns|suivez-nous|síguenos|siga-nos|seguici|volg ons|följ oss|"
    r"obserwuj nas|bizi takip edin|ikuti kami)\b",
    re.IGNORECASE,
)
_PROMO = Needled(
    _PROMO_RE,
    (
        "follow",
        "join",
        "app",
        "folgen sie uns",
        "suivez-nous",
        "síguenos",
        "siga-nos",
        "seguici",
        "volg ons",
        "följ oss",
        "obserwuj nas",
        "takip edin",
        "ikuti kami",
    ),
)
PROMO_MAX = 200  # only short blocks can be promos; a paragraph mentioning WhatsApp is text
# a newsletter / subscription pitch printed as a paragraph (a sentence that starts "Sign up
# for our newsletter", "Subscribe to ...": an imperative, not prose about newsletters;
# "... delivered to your inbox", "By subscribing, you agree ...", "This article is exclusive
# to subscribers") in the common news languages; only short blocks (SIGNUP_MAX)
SIGNUP_MAX = 260
_SIGNUP_RE = re.compile(
    r"(?:^|[.!?]\s+)(?:sign up|subscribe|register|join)\b[^.!?]{0,60}\b(?:newsletters?|"
    r"e-?mails?|inbox|mailing list)\b|"
    r"\b(?:delivered|straight|directly|sent)\s+(?:\w+\s+)?to your inbox\b|"
    r"^by (?:subscribing|signing up)\b|"
    r"\b(?:exclusive to|only for|available to) (?:\w+\+? ){0,3}subscribers\b|"
    r"\bto (?:read|continue reading|unlock) (?:the rest of )?(?:this|the) "
    r"(?:story|article)\b.{0,40}\bsubscri|"
    r"\bnewsletter\s+(?:abonnieren|bestellen)\b|\bfür (?:unseren|den) newsletter\b|"
    r"\b(?:inscrivez-vous|abonnez-vous) à (?:notre|la) newsletter\b|"
    r"\b(?:suscríbete|suscribite|regístrate) a (?:nuestro|nuestra|el|la) (?:boletín|newsletter)\b|"
    r"\b(?:assine|inscreva-se) (?:a |na |em )?(?:nossa )?newsletter\b|"
    r"\biscriviti alla (?:nostra )?newsletter\b|\bmeld je aan voor (?:onze|de) nieuwsbrief\b",
    re.IGNORECASE,
)
_SIGNUP = Needled(
    _SIGNUP_RE, ("mail", "inbox", "newsletter", "subscri", "signing up", "bolet", "nieuwsbrief")
)
# a block that is only a date ("11/26/2025", "19 December 2025", "Dec. 19, 2025 10:30 AM"):
# the stamp of a teaser card or a live-blog entry, a label rather than text
# an image caption printed as a block: it ends with the picture's credit ("... on Tuesday.
# Photograph: Jane Doe/Reuters", "... Credit: Apple", "(AP Photo/John Smith)", "Foto: dpa")
CAPTION_MAX = 300
_CAPTION_END = re.compile(
    r"(?:^|[\s.,(|])(?:credit|photo|photograph|picture|image|foto|bild|fotó|фото)s?"
    r"(?: by| credit)?\s*:\s*[^.!?:]{1,60}$|"
    r"\((?:AP|AFP|Reuters|EPA|dpa) Photo[^)]{0,60}\)$|/\s*getty images\)?$",
    re.IGNORECASE,
)


def _may_end_in_credit(text: str) -> bool:
    """Cheap test before :data:`_CAPTION_END` (it runs on every short block)."""
    return ":" in text[-72:] or text[-1] == ")" or text[-6:].lower() == "images"


# a donation / membership appeal ("Since you made it to the bottom of this article, we have a
# small favor to ask", "Support independent journalism", "Become a member")
_APPEAL_RE = re.compile(
    r"\b(?:a small favou?r to ask|please consider (?:donating|supporting|pitching in|"
    r"making a (?:donation|contribution))|support (?:our|independent|local|quality) "
    r"(?:journalism|reporting|newsroom|mission)|(?:make|making) a (?:tax-deductible )?"
    r"(?:donation|contribution) (?:to|today)|become a (?:member|supporter|patron) (?:of|today|to)|"
    r"unterstützen sie (?:unseren|unabhängigen) journalismus|soutenez (?:notre|le) journalisme|"
    r"apoya (?:nuestro|el) periodismo)\b",
    re.IGNORECASE,
)
_APPEAL = Needled(
    _APPEAL_RE,
    (
        "favo",
        "please consider",
        "support",
        "donation",
        "contribution",
        "become a",
        "unterstützen sie",
        "soutenez",
        "apoya",
    ),
)
# a rights notice anywhere in the text, not only as its last line
RIGHTS_MAX = 300
_RIGHTS_RE = re.compile(
    r"^(?:copyright\b|©)|\ball rights reserved\b|\btous droits réservés\b|"
    r"\balle rechte vorbehalten\b|\btodos los derechos reservados\b|"
    r"\btodos os direitos reservados\b|\btutti i diritti riservati\b",
    re.IGNORECASE,
)
_RIGHTS = Needled(
    _RIGHTS_RE,
    (
        "copyright",
        "©",
        "all rights reserved",
        "tous droits réservés",
        "alle rechte vorbehalten",
        "todos los derechos reservados",
        "todos os direitos reservados",
        "tutti i diritti riservati",
    ),
)

DATE_LINE_MAX = 60
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}"
_DATE_LINE = re.compile(
    r"(?:(?:updated|published|posted)\s*:?\s*)?(?:\w+,\s*)?"
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|"
    rf"{_MONTH}\.? \d{{1,2}},? \d{{4}}|\d{{1,2}}\.? {_MONTH}\.?,? \d{{4}})"
    r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?",
    re.IGNORECASE,
)


# the same in any language: a line that is only a date, perhaps after a weekday or a label and
# before a clock time ("Mittwoch, 21. Februar 2026", "21 февраля 2026, 14:30", "2026年2月21日
# 17:30", "입력 2026.02.21. 오후 5:00", "Aktualisiert: 21.02.2026, 10:32 Uhr"); not headings
# ("Top 10 Gadgets 2026" has the same shape)
_ANY_DATE_LINE = re.compile(
    r"(?:[^\W\d_]{1,14}\.?:?,?\s+)?(?:"
    + TEXT_DATE_ANY.pattern
    + r")(?:\s*[,|·•-]?\s*\d{1,2}[:.h]\d{2}(?:\s*(?:uhr|h|น\.))?)?\s*",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")


def _any_digit(text: str) -> bool:
    return bool(_DIGIT.search(text))


# separators printed between the links of a menu line ("Home | News | Sports"): with the
# spaces around them they are not text of their own
_MENU_SEPS = re.compile(r"\s*[|•·›»]\s*")


def _keep(b: _Block, headline: str | None) -> bool:
    text = b.text
    n = len(text)
    if b.link and b.link / max(n, 1) > KEEP_LINK_DENSITY:
        return False
    if n < BOILER_MAX and _BOILER_LINE.match(text):
        return False
    if "orem ipsum" in text[:12] and text[:11].lower() == "lorem ipsum":
        return False  # a template's placeholder text, never the article
    if n < PROMO_MAX and (_PROMO.search(text) or _TIMESTAMP_LINE.match(text)):
        return False
    if n < SIGNUP_MAX and (_SIGNUP.search(text) or _APPEAL.search(text)):
        return False
    if n < RIGHTS_MAX and _RIGHTS.search(text):
        return False
    if n < DATE_LINE_MAX and (
        _DATE_LINE.fullmatch(text)
        or (b.tag not in HEADING_TAGS and _any_digit(text) and _ANY_DATE_LINE.fullmatch(text))
    ):
        return False
    if n < CAPTION_MAX and _may_end_in_credit(text) and _CAPTION_END.search(text):
        return False
    return not (headline and b.tag == "h1" and text.casefold() == headline.casefold())


def _is_menu_line(b: _Block) -> bool:
    """A line of links between menu separators ("Home | News | Sports", "News » Local"),
    more than :data:`KEEP_LINK_DENSITY` links once the separators are not counted."""
    text = b.text
    if not b.link or len(text) >= MENU_MAX or not any(c in text for c in "|•·›»"):
        return False
    seps = sum(m.end() - m.start() for m in _MENU_SEPS.finditer(text))
    return b.link / max(len(text) - seps, 1) > KEEP_LINK_DENSITY


MENU_MAX = 300
TRAIL_MIN = 25
BOILER_MAX = 60  # share/subscribe/copyright lines shorter than this are dropped
WEIGHT_LINK_DENSITY = 0.5  # link-heavier blocks do not count towards the container choice
KEEP_LINK_DENSITY = 0.85  # blocks with more of their text inside links are dropped
END_FROM = 0.3  # end markers count only after this share of the text
_END_MARKER = re.compile(
    r"(?:about the authors?|article sources|sources|more stories|more (?:articles|posts|news)|"
    r"related(?: posts| articles| stories| reading| content)?|recent (?:posts|articles)|"
    r"latest (?:news|posts|articles|stories)|popular(?: posts| stories| articles)?|"
    r"also in the news|you (?:may|might) also (?:like|enjoy)|read next|keep reading|"
    r"what to read next|contact us(?: today)?|leave a (?:reply|comment)|comments|"
    r"\d+ (?:comments|responses|replies)|share(?: this)?(?: (?:post|article|story))?|"
    r"recommended(?: for you)?|trending(?: now)?|footnotes|read (?:this|these) next|"
    r"latest insights|written by [\w .'-]{3,40}|"
    # a section of the site's other stories: "More in Tech", "More from BBC News",
    # "Trending on Mashable"
    r"(?:more (?:in|from)|trending on) [\w&'’.-]+(?: [\w&'’.-]+){0,2}|"
    r"(?:contributing|associate|senior|staff|managing|deputy|executive) "
    r"(?:writer|editor|reporter|contributor)|"
    r"you may (?:also )?be interested in(?: the following)?(?: topics)?(?: as well)?|"
    # the same closing sections in the other common news languages (related stories,
    # comments, about the author, most read); "read also" lines are not here: news sites
    # print them inside the article, and a cut there would lose the rest of it
    r"mehr zum thema|weitere artikel|ähnliche artikel|das könnte sie auch interessieren|"
    r"kommentare|über (?:den autor|die autorin)|meistgelesen|"
    r"sur le même sujet|articles? (?:similaires|liés|associés)|commentaires|"
    r"à propos de l'auteur|les plus lus|"
    r"(?:noticias|artículos) relacionad[oa]s|te puede interesar|lo más leído|comentarios|"
    r"sobre el autor|más noticias|"
    r"(?:notícias|matérias|artigos) relacionad[oa]s|mais lidas|comentários|sobre o autor|"
    r"articoli correlati|potrebbe interessarti|i più letti|commenti|"
    r"gerelateerde artikelen|reacties|"
    r"похожие (?:новости|статьи)|другие новости|комментарии|"
    r"podobne artykuły|komentarze|"
    r"ilgili haberler|benzer haberler|yorumlar|"
    r"(?:berita|artikel) terkait|komentar|"
    r"relaterade artiklar|relaterte artikler|relaterede artikler|kommentarer|"
    r"関連記事|関連ニュース|相关(?:新闻|文章|阅读)|相關(?:新聞|文章)|관련\s?기사|"
    r"많이 본 뉴스|أخبار ذات صلة|مقالات ذات صلة|التعليقات)[\s:.!…]*",
    re.IGNORECASE,
)


# "Jane Doe is a senior fellow at ...", "John Smith, a physician, is ...": a writer's biography
BIO_MAX = 300
_BIO = re.compile(
    r"^(?:[A-Z][\w.'’-]+ ){1,3}[A-Z][\w.'’-]+,? (?:is|was|serves as|has been) (?:an? |the )?"
    r"[^.]{0,160}\b(?i:writer|reporter|editor|columnist|correspondent|contributor|author|"
    r"professor|faculty|fellow|lecturer|ceo|cto|cfo|founder|co-founder|director|president|"
    r"researcher|journalist|analyst|economist|physician|scientist|partner|consultant)s?\b"
)
_COPYRIGHT = re.compile(r"(?:copyright\b|©|\(c\) (?:19|20)\d\d)", re.IGNORECASE)


def _cut_at_end_marker(blocks: list[_Block]) -> list[_Block]:
    """Cut the text at a closing section such as "Related posts" or "About the author"."""
    total = sum(len(b.text) for b in blocks)
    if not total:
        return blocks
    seen = 0
    for i, b in enumerate(blocks):
        if seen >= END_FROM * total and len(b.text) < 60 and _END_MARKER.fullmatch(b.text):
            return blocks[:i]
        seen += len(b.text)
    return blocks


META_SCAN = 8
META_MAX = 120
_META_START = re.compile(
    r"^(?:by|written by|posted by|posted on|published|updated|last updated|reviewed by|"
    r"fact[- ]checked by|on behalf of|medically reviewed by)\b",
    re.IGNORECASE,
)
_DATE_IN_LINE = re.compile(
    r"\b(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}|"
    r"\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d{4}|"
    r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})\b",
    re.IGNORECASE,
)


_LEAD_NOISE = re.compile(
    r"^(?:table of contents|contents|on this page|in this (?:article|post|guide)|jump to)[\s:]*$|"
    r"^(?:estimated )?read(?:ing)? time\b|^\d+\s*min(?:ute)?s?\.?\s+read\b|"
    r"^[\d,.]+\s*k?\s+views$|^(?:edited|author|written) by\b|^author:|"
    r"^(?:image|photo)(?: credit)?(?: via| by)?:?\s|"
    r"affiliate links?\b|\bearn (?:us )?a (?:small )?commission\b",
    re.IGNORECASE,
)


def _is_meta_line(text: str) -> bool:
    """A byline / dateline such as "By Jane Doe | Updated Sep 9, 2025", a reading time, a
    table-of-contents title, an image credit or an affiliate disclosure."""
    if len(text) > 200:
        return False
    if _META_START.match(text) or _LEAD_NOISE.search(text):
        return True
    return len(text) <= META_MAX and bool(_DATE_IN_LINE.search(text))


def _in_pull_quote(el: Any) -> bool:
    for _ in range(4):
        if el is None:
            return False
        words = f"{el.get('class') or ''} {el.get('id') or ''}"
        if "pull" in words.lower() and _words(el) & PULL_WORDS:
            return True
        el = el.getparent()
    return False


REPEAT_MIN = 40  # a block this long found inside another block is a repeat (pull-quote)
REPEAT_MAX = 400
PULL_WORDS = {"pullquote", "pull", "pullout", "pulledquote"}


def _dedupe(blocks: list[_Block]) -> list[_Block]:
    """Drop exact repeats of longer blocks (widgets rendered twice, mobile/desktop copies) and
    pull-quotes (class ``pullquote``/``pull``, or a ``<blockquote>`` holding the text itself)
    repeating a sentence of the text. A pull-quote
    with text of its own (a testimonial) stays: the dev set's ground truth keeps those."""
    seen: set[str] = set()
    out = []
    for b in blocks:
        if len(b.text) > 30 and b.text in seen:
            continue
        seen.add(b.text)
        out.append(b)
    longer = [b.text for b in out if len(b.text) > REPEAT_MIN]
    return [
        b
        for b in out
        if not (
            REPEAT_MIN <= len(b.text) <= REPEAT_MAX
            and (b.tag == "blockquote" or _in_pull_quote(b.el))
            and any(len(t) > len(b.text) and b.text in t for t in longer)
        )
    ]


_WORD = re.compile(r"\w+")
REFERENCE_MIN_SHARE = 0.5  # a reference text shorter than this share of ours is not trusted
REFERENCE_COVER = 0.85  # our kept blocks must contain this share of the reference text


def _words_of(text: str) -> str:
    return " ".join(_WORD.findall(text))


def _filter_by_reference(blocks: list[_Block], reference: str | None) -> list[_Block]:
    """Keep only the blocks found in the publisher's own article text (JSON-LD articleBody).

    Applies when our blocks contain nearly all of ``reference`` plus more: the extra blocks
    are then boilerplate inside the container (promos, author boxes, tables of other
    products). Headings are kept (article bodies in structured data often omit them).
    """
    if not reference or not blocks:
        return blocks
    ref = _words_of(reference)
    ours = sum(len(_words_of(b.text)) + 1 for b in blocks)
    if not ref or len(ref) >= ours or len(ref) < REFERENCE_MIN_SHARE * ours:
        return blocks
    found = [b.tag in HEADING_TAGS or _words_of(b.text) in ref for b in blocks]
    covered = sum(len(_words_of(b.text)) + 1 for b, f in zip(blocks, found, strict=True) if f)
    if covered < REFERENCE_COVER * len(ref):
        return blocks
    return [b for b, f in zip(blocks, found, strict=True) if f]


CARD_MIN = 3  # so many similar siblings make a group of cards
CARD_MAX_TEXT = 400  # a card's text is shorter than this
CARD_LINK_SHARE = 0.5  # ... and at least this share of it is link text
CARD_TAGS = {"div", "li", "article", "section", "figure"}  # inline links are never cards


def _link_share(el: Any) -> tuple[int, int]:
    """(text length, link text length) of ``el``."""
    n = len(" ".join(text_of(el).split()))
    links = sum(len(" ".join(text_of(a).split())) for a in el.iter("a"))
    return n, links


def _first_class(el: Any) -> str:
    """The first word of ``el``'s class: the cards of a grid share it ("card card--lead")."""
    cls = el.get("class")
    return cls.split(maxsplit=1)[0] if cls and cls.strip() else ""


def _is_card(el: Any) -> bool:
    n, links = _link_share(el)
    return 0 < n < CARD_MAX_TEXT and links >= CARD_LINK_SHARE * n


def _drop_card_groups(container: Any) -> bool:
    """Drop groups of teaser cards inside the container: a run of at least :data:`CARD_MIN`
    adjacent siblings of the same tag and class, every one short (under
    :data:`CARD_MAX_TEXT` characters) and mostly link text (a headline link, perhaps with a
    label or a one-line summary). Such a grid of other stories sits inside the article
    element on many sites, often without a heading. Siblings without a class (a list in the
    text) and classed blocks spread through the text (headings with anchor links) stay."""
    groups: set[tuple[Any, str, str]] = set()
    for a in container.iter("a"):
        # a card holding this link: one of its few nearest classed block ancestors
        el = a
        for _ in range(5):
            parent = el.getparent()
            if parent is None or el is container:
                break
            cls = _first_class(el)
            if cls and el.tag in CARD_TAGS:
                groups.add((parent, el.tag, cls))
            el = parent
    dropped = False
    for parent, tag, cls in groups:
        run: list[Any] = []
        for child in [*parent, None]:  # runs of adjacent siblings of the same tag and class
            if child is not None and child.tag == tag and _first_class(child) == cls:
                run.append(child)
                continue
            if len(run) >= CARD_MIN and all(_is_card(m) for m in run):
                for m in run:
                    _drop(m)
                dropped = True
            run = []
    return dropped


def extract_body(
    root: Any,
    headline: str | None = None,
    reference: str | None = None,
    *,
    trim: bool = True,
) -> str | None:
    """Return the main text of the (cleaned) tree ``root``, or None.

    ``reference`` is the page's structured-data article text, if any (see
    :func:`_filter_by_reference`).
    """
    body = root
    blocks = _blocks(body)
    if not blocks:
        return None
    container = _choose_container(body, blocks)
    if _drop_card_groups(container) or container is not body:
        blocks = _blocks(container)
    kept = [b for b in blocks if _keep(b, headline)]
    kept = _cut_at_end_marker(kept)
    if container is not body and kept:
        kept += _faq_after(container, kept, headline)
    kept = _dedupe(kept)
    # trim trailing headings, short lines that introduce nothing and copyright notices
    while (
        trim
        and kept
        and (
            kept[-1].tag in HEADING_TAGS
            or len(kept[-1].text) < TRAIL_MIN
            or _COPYRIGHT.match(kept[-1].text)
        )
    ):
        kept.pop()
    # the writers' one-line biographies closing an opinion piece
    while trim and len(kept) > 1 and len(kept[-1].text) < BIO_MAX and _BIO.match(kept[-1].text):
        kept.pop()
    # after the trim: a menu line closing the text still ends the trailing short lines
    kept = [b for b in kept if not _is_menu_line(b)]
    kept = [b for i, b in enumerate(kept) if not (i < META_SCAN and _is_meta_line(b.text))]
    kept = _filter_by_reference(kept, reference)
    parts = []
    for b in kept:
        parts.append("- " + b.text if b.tag == "li" else b.text)
    text = "\n\n".join(parts).strip()
    return text or None


# the heading of a questions-and-answers section ("FAQ", "Frequently Asked Questions", …)
_FAQ_HEAD = re.compile(
    r"\bFAQs?\b|frequently asked questions|häufig gestellte fragen|questions fréquentes|"
    r"preguntas frecuentes|perguntas frequentes|domande frequenti|veelgestelde vragen",
    re.IGNORECASE,
)
FAQ_HEAD_MAX = 100
FAQ_HEADINGS_AFTER = 12  # so many headings after the article are looked at
FAQ_MIN = 200  # the section holds this much text besides its heading
FAQ_MAX = 20_000
FAQ_CLIMB = 4


def _faq_after(container: Any, kept: list[_Block], headline: str | None) -> list[_Block]:
    """The questions-and-answers section printed after the article's container (an accordion
    below the text, outside the element the text was found in): its blocks, when the text has
    no such section of its own."""
    if any(b.tag in HEADING_TAGS and _FAQ_HEAD.search(b.text) for b in kept):
        return []
    heads = container.xpath("following::*[self::h2 or self::h3 or self::h4]")
    for h in heads[:FAQ_HEADINGS_AFTER]:
        title = " ".join(text_of(h).split())
        if not (0 < len(title) <= FAQ_HEAD_MAX and _FAQ_HEAD.search(title)):
            continue
        sec = h
        for _ in range(FAQ_CLIMB):
            parent = sec.getparent()
            if parent is None or parent.tag in ("body", "html"):
                return []
            sec = parent
            n = len(text_of(sec))
            if n > FAQ_MAX:
                return []
            if n >= len(title) + FAQ_MIN:
                break
        else:
            return []
        if container in sec.iterancestors() or sec is container:
            return []
        blocks = _blocks(sec)
        # the section starts with its heading (not a list of contents naming an FAQ)
        if not blocks or blocks[0].el is not h:
            return []
        return [b for b in blocks if _keep(b, headline)]
    return []


FALLBACK_BELOW = 400  # a body shorter than this (or none) is retried by :func:`fallback_body`


def fallback_body(html: str, headline: str | None = None) -> str | None:
    """A second strategy for a page where the main one found (almost) nothing.

    The page is parsed afresh and cleaned leniently (class words, hidden styles and small
    headers no longer remove anything: a content cell ``id="print"`` or ``class="meta"``, a
    wrapper shown by a script, a container ``id="map-and-related"``); trailing short lines
    are kept (an article of short paragraphs was trimmed to nothing). If that still gives
    nothing, every text block of the page that is not mostly links is returned: for an
    article that is there, some surrounding text costs less than no text at all.
    """
    root = parse_html(html)
    if root is None:
        return None
    clean_tree(root, lenient=True)
    body = extract_body(root, headline, trim=False)
    if body:
        return body
    blocks = [
        b
        for b in _blocks(root)
        if len(b.text) >= MIN_BLOCK and b.link <= WEIGHT_LINK_DENSITY * len(b.text)
    ]
    text = "\n\n".join(b.text for b in blocks).strip()
    return text or None
