"""Headline choice of the generic extractor: stamps inside the heading, double-encoded text."""

from __future__ import annotations

import pytest

from newsspider.extract import extract_article

PARA = "This is a paragraph of the article body that goes on for a while. " * 6


def _page(h1: str, title: str) -> str:
    return (
        f"<html lang='en'><head><title>{title}</title>"
        f"<meta property='og:title' content='{title}'></head>"
        f"<body><h1>{h1}</h1><p>{PARA}</p></body></html>"
    )


@pytest.mark.parametrize(
    ("h1", "title", "expected"),
    [
        # a date, a byline with a date, a points counter printed inside the heading
        (
            "<time>Dec 18 2025</time> Preparing a transition in Debusine",
            "Preparing a transition in Debusine",
            "Preparing a transition in Debusine",
        ),
        (
            "Top Strategies to Optimize Blockchain Security "
            "<small>Posted on July 1, 2024 by infuy</small>",
            "Top Strategies to Optimize Blockchain Security",
            "Top Strategies to Optimize Blockchain Security",
        ),
        (
            "Grads Find Their Degrees No Longer Guarantee Jobs <span>(latimes.com) 87</span>",
            "Grads Find Their Degrees No Longer Guarantee Jobs",
            "Grads Find Their Degrees No Longer Guarantee Jobs",
        ),
        # the printed part keeps its typographic apostrophe even when the metadata has none
        (
            "<span>3 min read · May 2, 2025</span> Why Tutoring Hasn’t Worked",
            "Why Tutoring Hasn't Worked",
            "Why Tutoring Hasn’t Worked",
        ),
        # words of the title are not a stamp: a shorter SEO title does not cut the heading
        (
            "Plumbing Maintenance Tips: 11 Best Practices to Prevent Issues",
            "Plumbing Maintenance Tips: 11 Best Practices",
            "Plumbing Maintenance Tips: 11 Best Practices to Prevent Issues",
        ),
        # ... nor does a year printed as part of it
        (
            "2025 Software Development Price Guide",
            "Software Development Price Guide",
            "2025 Software Development Price Guide",
        ),
    ],
)
def test_stamp_inside_the_heading_is_not_the_headline(h1: str, title: str, expected: str) -> None:
    assert extract_article(_page(h1, title), "https://ex.com/a")["headline"] == expected


def test_double_encoded_headline_is_mended() -> None:
    broken = "A DIY Investor’s Guide".encode().decode("latin-1")
    html = _page(broken, "A DIY Investor’s Guide | Example")
    assert extract_article(html, "https://ex.com/a")["headline"] == "A DIY Investor’s Guide"


@pytest.mark.parametrize("text", ["Café à Paris: a guide", "Ação em São Paulo", "Zürich Ärger"])
def test_accented_headlines_are_left_alone(text: str) -> None:
    assert extract_article(_page(text, text), "https://ex.com/a")["headline"] == text


def _page_og(h1: str, og: str, lang: str) -> str:
    return (
        f"<html lang='{lang}'><head><title>{og}</title>"
        f"<meta property='og:title' content='{og}'></head>"
        f"<body><h1>{h1}</h1><p>{PARA}</p></body></html>"
    )


@pytest.mark.parametrize(
    ("h1", "og", "lang", "expected"),
    [
        # the printed headline and the SEO title share most character pairs, not "words":
        # these scripts have no spaces, so a whole clause was one word and the two did not
        # overlap; the printed <h1> wins as it does for spaced scripts
        (
            "日銀、17年ぶり利上げ決定　物価高に対応",
            "日銀が17年ぶりに利上げを決定、物価高に対応へ - 日本経済新聞",
            "ja",
            "日銀、17年ぶり利上げ決定 物価高に対応",  # the ideographic space folded
        ),
        # ... and an <h1> without a space is a headline, not a one-word label
        (
            "国务院常务会议部署稳就业",
            "国务院：部署进一步稳就业措施_新华网",
            "zh",
            "国务院常务会议部署稳就业",
        ),
        # an unrelated CJK label in the <h1> still loses to the metadata title
        ("新闻中心", "国务院：部署进一步稳就业措施_新华网", "zh", "国务院：部署进一步稳就业措施"),
    ],
)
def test_printed_headline_in_unspaced_scripts(h1: str, og: str, lang: str, expected: str) -> None:
    result = extract_article(_page_og(h1, og, lang), "https://example.org/a/1")
    assert result["headline"] == expected


# A site's name left in the <title> where no og:site_name names it: the page prints the name
# in its masthead (the logo's alt text, the link to the home page, an element classed
# logo/masthead/brand) or its copyright line. Synthetic pages in the style of 2008 table
# layouts and of news sites in other languages (set D), no <h1>.
_MASTHEADS = {
    "home_link_img": "<a href='/'><img src='/img/top.gif' alt='{site}'></a>",
    "home_link_text": "<a href='http://www.news.example/'>{site}</a>",
    "logo_id": "<div id='logo'>{site}</div>",
    "brand_class": "<span class='navbar-brand'>{site}</span>",
    "logo_img": "<img src='/images/logo_header.gif' alt='{site}'>",
    "copyright": "",  # only the copyright line names the site
}


def _masthead_page(title: str, site: str, masthead: str, lang: str) -> str:
    return (
        f"<html lang='{lang}'><head><title>{title}</title></head><body><table>"
        f"<tr><td>{_MASTHEADS[masthead].format(site=site)}</td></tr>"
        f"<tr><td><font size='2'>{PARA}</font></td></tr>"
        f"<tr><td><font size='1'>&copy; 2008 {site}. All rights reserved.</font></td></tr>"
        "</table></body></html>"
    )


@pytest.mark.parametrize(
    ("lang", "title", "site", "masthead", "expected"),
    [
        (
            "en",
            "Fire destroys warehouse on Pier 9 : The Bayside Ledger",
            "The Bayside Ledger",
            "home_link_img",
            "Fire destroys warehouse on Pier 9",
        ),
        (
            "fr",
            "Le Journal du Port :: Incendie dans un entrepôt du port",
            "Le Journal du Port",
            "logo_id",
            "Incendie dans un entrepôt du port",
        ),
        (
            "de",
            "Stadtrat beschließt neuen Haushalt - Nordstädter Allgemeine Zeitung Online",
            "Nordstädter Allgemeine Zeitung Online",
            "copyright",
            "Stadtrat beschließt neuen Haushalt",
        ),
        (
            "es",
            "Diario del Sur | El Ayuntamiento aprueba el presupuesto",
            "Diario del Sur",
            "brand_class",
            "El Ayuntamiento aprueba el presupuesto",
        ),
        (
            "pt",
            "Prefeitura anuncia obras na orla : Gazeta do Litoral",
            "Gazeta do Litoral",
            "home_link_text",
            "Prefeitura anuncia obras na orla",
        ),
        (
            "ru",
            "Пожар в порту уничтожил склад : Вечерний Приморск",
            "Вечерний Приморск",
            "copyright",
            "Пожар в порту уничтожил склад",
        ),
        (
            "tr",
            "Belediye yeni bütçeyi onayladı :: Ege Ekspres Gazetesi",
            "Ege Ekspres Gazetesi",
            "logo_img",
            "Belediye yeni bütçeyi onayladı",
        ),
        (
            "id",
            "Harian Pelabuhan - Kebakaran hebat landa gudang di pelabuhan",
            "Harian Pelabuhan",
            "logo_img",
            "Kebakaran hebat landa gudang di pelabuhan",
        ),
        (
            "pl",
            "Pożar magazynu w porcie / Kurier Nadmorski",
            "Kurier Nadmorski",
            "home_link_img",
            "Pożar magazynu w porcie",
        ),
        (
            "ar",
            "حريق يدمر مستودعا في الميناء - صحيفة الميناء اليومية",
            "صحيفة الميناء اليومية",
            "copyright",
            "حريق يدمر مستودعا في الميناء",
        ),
        (
            "it",
            "Il Corriere del Porto : Incendio distrugge un magazzino",
            "Il Corriere del Porto",
            "home_link_text",
            "Incendio distrugge un magazzino",
        ),
        # guards: a segment the masthead does not name stays ("Retraites : …" is the
        # headline's own label), and so does a title with no site in it
        (
            "fr",
            "Retraites : le gouvernement recule sur l'âge légal",
            "Le Journal du Port",
            "logo_id",
            "Retraites : le gouvernement recule sur l'âge légal",
        ),
        (
            "en",
            "Zero Waste - A Beginner's Guide",
            "The Bayside Ledger",
            "home_link_img",
            "Zero Waste - A Beginner's Guide",
        ),
        # ... and the site's name is never the whole headline
        (
            "en",
            "The Bayside Ledger : Ledger",
            "The Bayside Ledger",
            "home_link_img",
            "The Bayside Ledger : Ledger",
        ),
    ],
)
def test_site_name_printed_in_the_masthead_is_stripped(
    lang: str, title: str, site: str, masthead: str, expected: str
) -> None:
    html = _masthead_page(title, site, masthead, lang)
    result = extract_article(html, "http://www.news.example/2008/03/14/story.html")
    assert result["headline"] == expected


@pytest.mark.parametrize(
    ("h1", "og", "lang", "expected"),
    [
        # soft hyphens German and Dutch sites put into long headline words for line breaking
        (
            "Bundes&shy;verfassungs&shy;gericht kippt Wahlrechts&shy;reform",
            "Bundesverfassungsgericht kippt Wahlrechtsreform",
            "de",
            "Bundesverfassungsgericht kippt Wahlrechtsreform",
        ),
        (
            "Gemeente&shy;raad stemt in met woning&shy;bouw&shy;plan",
            "Gemeente&shy;raad stemt in met woning&shy;bouw&shy;plan",
            "nl",
            "Gemeenteraad stemt in met woningbouwplan",
        ),
        # a zero-width space and a word joiner are not part of the headline either
        (
            "Parlament&#8203; wählt neue&#8288; Präsidentin",
            "Parlament wählt neue Präsidentin",
            "de",
            "Parlament wählt neue Präsidentin",
        ),
        # ... while the zero-width non-joiner Persian spells with stays
        (
            "مجلس طرح را تصویب کرد و می\u200cخواهد",
            "مجلس طرح را تصویب کرد و می\u200cخواهد",
            "fa",
            "مجلس طرح را تصویب کرد و می\u200cخواهد",
        ),
    ],
)
def test_invisible_characters_leave_the_headline(
    h1: str, og: str, lang: str, expected: str
) -> None:
    result = extract_article(_page_og(h1, og, lang), "https://example.org/a/1")
    assert result["headline"] == expected


@pytest.mark.parametrize(
    ("h1", "expected"),
    [
        # two visual lines of one heading meeting without a space, in any script
        (
            "<span>Эксклюзив</span><span>Путин подписал закон</span>",
            "Эксклюзив Путин подписал закон",
        ),
        ("<span>Ανάλυση</span>Η κυβέρνηση αλλάζει πορεία", "Ανάλυση Η κυβέρνηση αλλάζει πορεία"),
        ("<span>EXKLUSIV</span>Der 9. Juli wird Feiertag", "EXKLUSIV Der 9. Juli wird Feiertag"),
        # ... but not inside a word or an acronym
        ("<b>Mc</b>Donald's opens in Kyiv again", "McDonald's opens in Kyiv again"),
        ("The <b>NAS</b>A budget vote", "The NASA budget vote"),
        ("<b>EU</b>-Gipfel in Brüssel beginnt", "EU-Gipfel in Brüssel beginnt"),
    ],
)
def test_heading_lines_meeting_without_a_space(h1: str, expected: str) -> None:
    from newsspider.extract.html import parse_html
    from newsspider.extract.title import heading_parts

    root = parse_html(f"<html><body><h1>{h1}</h1></body></html>")
    assert heading_parts(root.find(".//h1"))[1] == expected
