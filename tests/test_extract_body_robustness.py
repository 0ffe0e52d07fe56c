"""Body extraction on synthetic saved pages, one markup convention each
(tests/fixtures/body/README.md): what must be in the body, in order, and what must not."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsspider.extract import extract_article

FIXTURES = Path(__file__).parent / "fixtures" / "body"


def _body(name: str) -> str:
    html = (FIXTURES / name).read_bytes()
    body = extract_article(html, f"https://example.org/{name}")["body"]
    assert body is not None, f"{name}: no body"
    return body


def _in_order(body: str, parts: list[str]) -> bool:
    pos = 0
    for part in parts:
        found = body.find(part, pos)
        if found < 0:
            return False
        pos = found + len(part)
    return True


CASES = {
    "react_streamed.html": (
        [
            "An index fund is a fund that buys every stock",
            "Because nobody picks stocks",
            "Choosing a fund",
            "Pick the index first",
            "Buy the shares through any brokerage account",
        ],
        ["Loading paragraph", "Terms of use"],
    ),
    "table_layout_2008.html": (
        [
            "The city council voted 5-2 on Tuesday night",
            "Residents who spoke at the three-hour meeting",
            "Nobody up here wants to close a library",
            "A group of parents has started a petition",
        ],
        ["Obituaries", "ADVERTISEMENT", "School board race", "All rights reserved"],
    ),
    # 2008-era layouts (set B of issue 12): text in table cells, <font> runs, <br><br>
    # paragraphs, spans of an ASP.NET form, no semantic tags; none may come out empty
    # menu lines of links between separators ("Home | News | Sports", "News » Local"): the
    # separators are not text of their own (the links were 70 % of the line)
    "menu_line_2008.html": (
        ["The city council voted on Tuesday", "Supporters said", "The mayor said", "Several"],
        ["Classifieds", "Contact Us", "Local » Harbor", "Advertise"],
    ),
    # a questions-and-answers section printed after the article, outside the element the
    # text was found in: it is part of what the reader reads (the dev truth keeps FAQs)
    "faq_after_article.html": (
        [
            "A heat pump moves heat",
            "Grants change every year",
            "Frequently Asked Questions",
            "Do heat pumps work below freezing?",
            "Fifteen to twenty years is typical",
        ],
        ["More guides", "Answers to the questions readers ask", "Copyright"],
    ),
    # ... but an "FAQ" heading in a widget that starts with something else is not one
    "faq_in_widget.html": (
        ["A heat pump moves heat", "Grants change every year"],
        ["More guides", "FAQ", "Answers to the questions readers ask", "Copyright"],
    ),
    # a template's placeholder text left in a tile inside the article
    "placeholder_text.html": (
        ["Regional property insurers", "The ranking compares", "Three of the five", "Analysts"],
        ["Lorem ipsum", "consectetur"],
    ),
    # label lines: "Image: …", "Tags: …", "Category: …" (the colon ended the label, and the
    # word-boundary test after it never matched a following space)
    "label_lines.html": (
        ["We ran eight portable heaters", "The oil-filled models", "Fan heaters were"],
        ["Image: Home Lab", "Tags:", "Category:"],
    ),
    "table_rows_2008.html": (
        ["Work to deepen the inner harbor channel", "The dredges will remove", "Nobody should be"],
        ["E-mail this story", "All rights reserved", "Obituaries", "Lifestyle"],
    ),
    "aspnet_spans_2008.html": (
        ["The paper mill on the river road", "Union organiser", "largest private employer"],
        ["Have your say", "3 bed semi", "Copyright", "Letters"],
    ),
    "paragraph_breaks_2008.html": (
        ["Teachers in the state have voted", "Seventy-one per cent", "Parents' groups said"],
        ["Sections", "Education", "Advertise", "Privacy"],
    ),
    "div_layout_de_2008.html": (
        ["Nach tagelangem Regen", "Der Pegel stieg", "Die Feuerwehr", "Keller in Ufernähe"],
        ["Drucken", "Weitere Meldungen", "Autobahn gesperrt", "Ausland"],
    ),
    # paragraphs printed as <br><br>-separated text in a <font>, inside a cell whose class has
    # both a content and a boilerplate word ("content-area sidebar-left"), beside a rail of
    # <p> notices: "paragraph text" counted only <p>, so the article cell had none and was
    # removed as boilerplate (the body was the rail)
    "br_text_mixed_class_2008.html": (
        [
            "The harbor ferry will run every ninety minutes",
            "Board members said the winter crossings",
            "Riders who spoke at the meeting",
            "Nobody here wants to strand a nurse",
            "The new timetable will be posted",
        ],
        ["All rights reserved", "By Ruth Okafor"],
    ),
    "font_breaks_2008.html": (
        ["Riders will pay 10 cents more", "A single fare will be", "Two board members voted"],
        ["Cheap flights", "CLASSIFIEDS", "Sponsored links"],
    ),
    # 300 unclosed <font> tags: deeper than libxml2's default limit of 256, which dropped the
    # rest of the page (re-parsed with the larger limit)
    "unclosed_font_deep.html": (
        [
            "Item 1: a resident",
            "Item 150: a resident",
            "Item 300: a resident",
            "first Monday of May",
        ],
        ["All rights reserved", "Obituaries"],
    ),
    # 40 unclosed <div> tags nest every paragraph in the previous one: the container must not
    # descend that chain to its last few paragraphs
    "unclosed_div_chain.html": (
        ["Item 1: a resident", "Item 2: a resident", "Item 40: a resident", "first Monday of May"],
        ["All rights reserved", "Obituaries"],
    ),
    # an unclosed <a name="top"> before the page: libxml2 nests the whole page inside it, and
    # every paragraph counted as link text (an empty body)
    "unclosed_anchor_2008.html": (
        ["The ferry between the island", "Islanders have had to rely", "The council has asked"],
        ["Back to top", "Copyright 2008", "Notices"],
    ),
    # live pages stamping each entry with a line that is only a date in the page's language
    "date_lines_ru.html": (
        ["Синоптики объявили", "Паромы на острова", "На северной", "В нескольких посёлках"],
        ["февраля 2026", "18:10", "19:30", "О проекте"],
    ),
    "date_lines_ja.html": (
        ["気象庁は沿岸部", "島へのフェリー", "北部の鉄道", "一部の地域で停電"],
        ["2026年2月21日", "18:45", "会社概要"],
    ),
    "hidden_until_script.html": (
        ["The harbour ferry went back", "Its owners said", "Commuters on the first crossing"],
        ["Advertise"],
    ),
    "short_paragraphs.html": (
        ["Gales due tonight.", "Ferries cancelled.", "Schools stay open.", "Stay off the coast."],
        [],
    ),
    "code_comments.html": (
        [
            "These are the commands I use every day",
            "# start tracking a folder\ngit init",
            "# stage every modified file\ngit add -A",
            "# commit with a message",
            "That is most of it",
        ],
        ["Great post"],
    ),
    "closing_section_de.html": (
        ["Nach vier Jahren Bauzeit", "Für Radfahrer", "Die Kosten lagen"],
        ["Anzeige", "Mehr zum Thema", "Parkgebühren", "Fähre"],
    ),
    "more_in_section.html": (
        ["The fourteen-inch model", "It is last year's version", "If you need more memory"],
        ["More in Tech", "word puzzle", "12/19/2025"],
    ),
    "live_blog_dates.html": (
        ["Polls have closed", "The incumbent has conceded", "Counting resumes", "challenger wins"],
        ["10:30 PM", "11/06/2025", "November 5", "November 6", "1:40 PM"],
    ),
    "caption_blocks.html": (
        ["The river road was closed", "Council workers said", "Drivers are asked"],
        ["Photograph: Anna Berg", "Water covers the river road", "AP Photo", "Volunteers fill"],
    ),
    "teaser_with_full_json.html": (
        ["The regional rail operator", "The first twelve trains", "Passenger groups", "a third"],
        ["Subscribe to read"],
    ),
    "teaser_with_other_json.html": (
        ["The regional rail operator", "The first twelve trains"],
        ["price of apples"],
    ),
    "teaser_with_full_json_ld.html": (
        ["The regional rail operator", "The first twelve trains", "Passenger groups", "a third"],
        ["Subscribe to read"],
    ),
    "unclosed_iframe.html": (
        [
            "The new tram line between the station",
            "Around four hundred people queued",
            "The city says the trams will run",
            "Shopkeepers on Mill Road",
            "A second line, towards the university",
        ],
        ["embed/abc123", "All rights reserved"],
    ),
    "signup_boxes.html": (
        [
            "The harbour bridge will close",
            "Buses will be diverted",
            "Many readers subscribe to several local newsletters",
            "Cyclists and pedestrians",
            "The last major repair, in 1998",
        ],
        ["The Morning Tide", "every weekday at six", "leave at any time", "Sign up for the"],
    ),
    "teaser_cards.html": (
        [
            "Fares on the ferry between the island",
            "A return ticket for a car",
            "Islanders with a resident's card",
            "The island council said",
        ],
        ["Work will take six weeks", "Pupils move", "The medal", "It starts in the spring"],
    ),
    "repeated_blockquote.html": (
        [
            "For thirty-one years Margaret Olsen",
            "The light never needed me",
            "The trust that owns the building",
            "Dear keeper, thank you for waving",
            "That letter, from a family",
        ],
        [],
    ),
    "relative_age_es.html": (
        [
            "Los embalses de la cuenca sur",
            "La junta de regantes",
            "Los ayuntamientos de la comarca",
        ],
        ["hace 2 días", "hace 3 días", "hace 1 semana"],
    ),
    "appeal_and_rights.html": (
        [
            "The county opened its first public charging hub",
            "Drivers pay by card",
            "Two more hubs, at the hospital",
            "This story was produced with our partners",
        ],
        ["Show Caption", "Already have an account", "small favor to ask", "All rights reserved"],
    ),
    "opinion_bios.html": (
        [
            "When the city cut the opening hours",
            "Mayor Tom Reed is a former journalist",
            "The cost of keeping every branch open",
        ],
        ["Dana Whitfield is", "Samuel Ortiz is"],
    ),
    "unclosed_noscript.html": (
        [
            "The new flood wall along the lower town",
            "The wall, which is a little over two kilometres long",
            "Householders behind the wall",
        ],
        ["pixel.example"],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_body_of_saved_page(name: str) -> None:
    wanted, unwanted = CASES[name]
    body = _body(name)
    assert _in_order(body, wanted), f"{name}: missing or out of order in {body!r}"
    for text in unwanted:
        assert text not in body, f"{name}: {text!r} kept"


def test_blockquote_repeating_the_text_is_dropped_once() -> None:
    body = _body("repeated_blockquote.html")
    assert body.count("The light never needed me") == 1, body


def test_every_fixture_page_has_a_case() -> None:
    assert {p.name for p in FIXTURES.glob("*.html")} == set(CASES)


def test_closed_iframe_and_textarea_are_left_alone() -> None:
    """Only an unclosed raw-text element is closed early: a closed one keeps its content."""
    from newsspider.extract.html import _close_raw_text

    page = (
        "<p>One.</p><iframe src='/v'>Your browser does not support iframes.</iframe>"
        "<p>Two.</p><textarea name='c'>a <b>draft</b></textarea><p>Three.</p>"
    )
    assert _close_raw_text(page) == page
    noscript = "<noscript><p>Enable JavaScript.</p></noscript>" + "<p>Long.</p>" * 400
    assert _close_raw_text(noscript) == noscript
    unclosed = "<p>One.</p><iframe src='/v'><p>Two.</p>"
    assert _close_raw_text(unclosed) == "<p>One.</p><iframe src='/v'></iframe><p>Two.</p>"


def test_heading_shaped_like_a_date_line_stays() -> None:
    """ "Top 10 Gadgets 2026" has the shape of a date line in another language (a number, a
    word, a year): as a heading it stays."""
    paras = [
        f"<p>Part {n}: the gadgets of the year are small, cheap and quite clever, and most of "
        f"them fit in a coat pocket without anyone noticing them there.</p>"
        for n in ("one", "two", "three")
    ]
    html = f"<html><body><article><h1>Gift guide</h1>{paras[0]}<h2>Top 10 Gadgets 2026</h2>"
    html += f"{paras[1]}<h2>Closing thoughts</h2>{paras[2]}</article></body></html>"
    body = extract_article(html, "https://example.org/gifts")["body"]
    assert body is not None
    assert "Top 10 Gadgets 2026" in body
