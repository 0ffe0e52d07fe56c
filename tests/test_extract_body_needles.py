"""The phrase patterns of the body cleaner run behind a needle pre-filter (body.Needled): a
text without any needle is not searched. These tests show that the pre-filter changes no
decision: a sample of every alternative of each pattern holds a needle, and on every block of
every saved page in tests/fixtures the filtered search agrees with the bare pattern."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsspider.extract import body
from newsspider.extract.html import parse_html, text_of

FIXTURES = Path(__file__).parent / "fixtures"

SAMPLES = {
    "_PROMO": [
        "Follow us on WhatsApp",
        "Join our news channel on Telegram",
        "Join us for the latest on Telegram",
        "Download our free app",
        "Get the news app",
        "Folgen Sie uns auf Instagram",
        "Suivez-nous sur Facebook",
        "Síguenos en X",
        "Siga-nos no Instagram",
        "Seguici su Facebook",
        "Volg ons op X",
        "Följ oss på Instagram",
        "Obserwuj nas w Google News",
        "Bizi takip edin",
        "Ikuti kami di Google News",
    ],
    "_SIGNUP": [
        "Sign up for our daily newsletter.",
        "Subscribe to the morning e-mail",
        "Register for the briefing in your INBOX",
        "Join our mailing list",
        "The best stories, delivered straight to your inbox.",
        "By subscribing, you agree to our terms",
        "By signing up you agree to our terms",
        "This article is exclusive to Plus subscribers",
        "To continue reading this article, please subscribe",
        "Jetzt Newsletter abonnieren",
        "Melden Sie sich für unseren Newsletter an",
        "Inscrivez-vous à notre newsletter",
        "Suscríbete a nuestro boletín",
        "Assine nossa newsletter",
        "Iscriviti alla nostra newsletter",
        "Meld je aan voor onze nieuwsbrief",
    ],
    "_APPEAL": [
        "We have a small favour to ask",
        "A small favor to ask",
        "Please consider donating today",
        "Support independent journalism",
        "Make a tax-deductible donation today",
        "Making a contribution to our newsroom",
        "Become a member today",
        "Unterstützen Sie unabhängigen Journalismus",
        "Soutenez notre journalisme",
        "Apoya nuestro periodismo",
    ],
    "_RIGHTS": [
        "Copyright 2026 The Daily",
        "© 2026 The Daily",
        "The Daily. All Rights Reserved.",
        "Tous droits réservés",
        "Alle Rechte vorbehalten",
        "Todos los derechos reservados",
        "Todos os direitos reservados",
        "Tutti i diritti riservati",
    ],
}


@pytest.mark.parametrize(
    ("name", "sample"), [(name, s) for name, samples in SAMPLES.items() for s in samples]
)
def test_every_alternative_passes_the_needles(name: str, sample: str) -> None:
    needled = getattr(body, name)
    assert needled.pattern.search(sample), f"{name}: the sample is not a match: {sample!r}"
    assert needled.search(sample), f"{name}: the needles miss {sample!r}"


def fixture_texts() -> list[str]:
    texts: list[str] = []
    for page in sorted(FIXTURES.rglob("*.html")):
        root = parse_html(page.read_text(encoding="utf-8", errors="replace"))
        if root is None:
            continue
        for el in root.iter("p", "div", "li", "span", "h2", "h3", "td", "footer", "aside"):
            text = " ".join(text_of(el).split())
            if text:
                texts.append(text)
    return texts


def test_the_needles_change_no_decision_on_the_saved_pages() -> None:
    texts = fixture_texts() + [s for samples in SAMPLES.values() for s in samples]
    assert len(texts) > 400
    for name in SAMPLES:
        needled = getattr(body, name)
        for text in texts:
            assert bool(needled.search(text)) == bool(needled.pattern.search(text)), (name, text)
