"""The page's language: declared first, guessed from the text last.

:func:`declared_language` reads, in order, ``<html lang>`` / ``xml:lang``, the
``Content-Language`` meta (``http-equiv`` or ``name``), ``og:locale`` and JSON-LD
``inLanguage``; a value that is not a language tag (``"{{lang}}"``, ``"default"``) is skipped.

:func:`guess_language` is the last resort, for pages that declare nothing: the writing
system decides where it is specific to one language (Hangul, kana, Thai, Greek, Hebrew, ...);
for Latin, Cyrillic and Arabic script the commonest short function words decide. It looks at
the first :data:`SAMPLE_CHARS` characters only and uses no dependency, so it costs well
under a millisecond. It returns None when the evidence is thin rather than guessing.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

__all__ = ["declared_language", "guess_language", "normalise_language"]

SAMPLE_CHARS = 3000
MIN_STOPWORDS = 4  # fewer function-word hits than this: no guess
MIN_LEAD = 1.5  # the winning language needs this many times the runner-up's hits

_TAG = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*$", re.IGNORECASE)


def normalise_language(value: Any) -> str | None:
    """``"en-GB"`` / ``"pt_BR"`` / ``"DE"`` -> the primary subtag (``"en"``), else None."""
    if isinstance(value, dict):
        value = value.get("alternateName") or value.get("name")
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    if not isinstance(value, str):
        return None
    value = value.strip().split(",")[0].strip()
    m = _TAG.match(value)
    if not m:
        return None
    primary = m.group(1).lower()
    return primary if primary not in ("und", "mul", "zxx", "xx") else None


def declared_language(
    root: Any, meta: dict[str, list[str]], ld_objects: list[dict[str, Any]]
) -> tuple[str | None, str]:
    """``(language, source)`` from the page's own declarations; source is meta/structured_data."""
    for v in (root.get("lang"), root.get("xml:lang")):
        lang = normalise_language(v)
        if lang:
            return lang, "meta"
    for key in ("content-language", "language", "dc.language", "og:locale"):
        for v in meta.get(key, ()):
            lang = normalise_language(v)
            if lang:
                return lang, "meta"
    for obj in ld_objects:
        lang = normalise_language(obj.get("inLanguage"))
        if lang:
            return lang, "structured_data"
    return None, ""


# one language per script, where the script says it alone
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ko", re.compile(r"[\uac00-\ud7a3]")),
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
    ("bn", re.compile(r"[\u0980-\u09ff]")),
    ("ta", re.compile(r"[\u0b80-\u0bff]")),
    ("ka", re.compile(r"[\u10a0-\u10ff]")),
    ("hy", re.compile(r"[\u0530-\u058f]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_WORD = re.compile(r"[^\W\d_]+")

_STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the and of to is in that for with was are on this it by from have has",
        "de": "der die und das ist nicht mit sich auf für den dem ein eine auch wird von",
        "fr": "le la les et des est une dans pour que qui sur pas du au avec ce sont",
        "es": "el la los las y de que en un una es por para con del se no al como",
        "it": "il di che la e è un una per non del della con sono gli le nel alla",
        "pt": "o a os as e de que do da em um uma para com não é no na dos ao",
        "nl": "de het een en van is dat op te in niet met voor zijn er ook aan",
        "sv": "och att det som en på är av för med till den har inte om ett",
        "da": "og at det er en til på med af for den som ikke de har et",
        "no": "og er det som en til på med av for ikke de har å et ble",
        "pl": "i w na nie z się że do to jest o jak po ale przez od",
        "tr": "ve bir bu da de için ile olarak daha çok gibi olan ama",
        "id": "dan yang di ini itu dengan untuk dari dalam tidak akan pada juga",
        "vi": "và của là có cho các được trong không những một với này người",
        "cs": "a je v se na to že s z do jsou by ale jako od",
        "ro": "și în de la cu a că este pe o un din care pentru",
        "hu": "a az és hogy nem is egy van de meg csak már",
        "fi": "ja on ei se että hän oli mutta kun myös ovat tai",
        "ru": "и в не на что с по это как из за от для он то",
        "uk": "і в не на що з до це як та від для за він але",
        "bg": "и на в за да се от е че с по не са като",
        "ar": "في من على إلى أن عن مع التي الذي هذا كان ما",
        "fa": "و در به از که این را با است برای آن یک",
        "ur": "کے میں کی اور کا کو ہے سے نے پر یہ",
    }.items()
}
_BY_SCRIPT = {
    "latin": (
        [
            "en",
            "de",
            "fr",
            "es",
            "it",
            "pt",
            "nl",
            "sv",
            "da",
            "no",
            "pl",
            "tr",
            "id",
            "vi",
            "cs",
            "ro",
            "hu",
            "fi",
        ],
        _LATIN,
    ),
    "cyrillic": (["ru", "uk", "bg"], _CYRILLIC),
    "arabic": (["ar", "fa", "ur"], _ARABIC),
}


def guess_language(text: str | None) -> str | None:
    """A cheap guess at the language of ``text`` (a primary subtag), or None."""
    if not text:
        return None
    sample = text[:SAMPLE_CHARS]
    letters = _WORD.findall(sample)
    if not letters:
        return None
    n_chars = sum(len(w) for w in letters)
    for lang, pattern in _SCRIPTS:
        hits = len(pattern.findall(sample))
        # kana appear in every Japanese text; Han alone (no kana) is Chinese
        if hits >= 0.2 * n_chars or (lang == "ja" and hits >= 20):
            return lang
    best_script = max(_BY_SCRIPT, key=lambda s: len(_BY_SCRIPT[s][1].findall(sample)))
    langs, pattern = _BY_SCRIPT[best_script]
    if len(pattern.findall(sample)) < 0.5 * n_chars:
        return None
    counts = Counter(w.casefold() for w in letters)
    scores = sorted(
        ((sum(counts[w] for w in _STOPWORDS[lang]), lang) for lang in langs), reverse=True
    )
    (top, lang), (second, _) = scores[0], scores[1]
    if top < MIN_STOPWORDS or top < MIN_LEAD * second:
        return None
    return lang
