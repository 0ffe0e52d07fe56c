"""Title, date, authors and language of the generic extractor on synthetic whole pages in
many languages (tests/fixtures/meta/README.md), plus the rules they exercise, one table each."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsspider.dates import parse_date
from newsspider.extract import extract_article
from newsspider.extract.authors import clean_authors, names_in_text
from newsspider.extract.dates import (
    in_printed_zone,
    page_dayfirst,
    printed_dates,
    relative_dates,
)
from newsspider.extract.title import _site_keys, strip_site_name

FIXTURES = Path(__file__).parent / "fixtures" / "meta"
NOW = datetime(2026, 2, 21, 20, 0, tzinfo=UTC)

# file, URL it is served at, headline, kicker, published day, authors (None: not checked), lang
PAGES = [
    (
        "ko_agency.html",
        "https://www.yna.co.kr/view/AKR20260221000100002",
        '정부, 반도체 지원 5조원 추가 투입…"공급망 위기 선제 대응"',
        None,
        "2026-02-21",
        ["홍길동"],
        "ko",
    ),
    (
        "ko_daily.html",
        "https://www.hani.co.kr/arti/society/1234567.html",
        "서울시, 청년 월세 지원 대상 두 배로 확대",
        None,
        "2026-02-20",
        ["김민지"],
        "ko",
    ),
    (
        "ko_utc_meta.html",
        "https://www.busan.com/view/busan/view.php?code=2026022108300000001",
        "부산 해운대 해수욕장 조기 개장 결정",
        None,
        "2026-02-21",
        ["박지훈"],
        "ko",
    ),
    (
        "ja_paper.html",
        "https://www.nikkei.com/article/DGXZQOUB2100A0R20C26A2000000/",
        "日銀、追加利上げを決定 政策金利0.75%に",
        None,
        "2026-02-21",
        [],
        "ja",
    ),
    (
        "ja_byline.html",
        "https://mainichi.jp/articles/20260221/k00/00m/040/100000c",
        "能登の仮設住宅、入居期限を延長へ 県が方針",
        None,
        "2026-02-21",
        ["山田太郎"],
        "ja",
    ),
    (
        "zh_portal.html",
        "http://www.news.cn/politics/c_1130000000.htm",
        "国务院发布新规 支持民营经济高质量发展",
        None,
        "2026-02-21",
        ["张伟"],
        "zh",
    ),
    (
        "de_regional.html",
        "https://www.stadtanzeiger.de/politik/feiertag-9-juli-100.html",
        "Der 9. Juli wird gesetzlicher Feiertag",
        "Nationale Demo",
        "2026-02-21",
        ["Max Mustermann"],
        "de",
    ),
    (
        "fr_national.html",
        "https://www.lemonde.fr/politique/article/reforme-des-retraites_6500000_823448.html",
        "Réforme des retraites : « Nous irons jusqu’au bout », affirme la Première ministre",
        "Politique",
        "2026-02-21",
        ["Jean Dupont"],
        "fr",
    ),
    (
        "es_daily.html",
        "https://elpais.com/economia/subida-salario-minimo.html",
        "El Gobierno aprueba la subida del salario mínimo a 1.250 euros",
        None,
        "2026-02-21",
        ["María García"],
        "es",
    ),
    (
        "es_theme_lang_en.html",
        "https://www.diariodelbarrio.es/vecinos-chamberi-zonas-verdes/",
        "Vecinos de Chamberí reclaman más zonas verdes",
        None,
        "2026-02-21",
        ["Lucía Fernández"],
        "es",
    ),
    (
        "ru_news.html",
        "https://www.rbc.ru/finances/21/02/2026/65d5f0a09a7947a1b2c3d4e5",
        "ЦБ сохранил ключевую ставку на уровне 16%",
        None,
        "2026-02-21",
        ["Иван Петров"],
        "ru",
    ),
    (
        "ar_news.html",
        "https://www.aljazeera.net/news/2026/2/21/un-food-crisis",
        "الأمم المتحدة تحذر من أزمة غذاء في المنطقة",
        None,
        "2026-02-21",
        ["محمد أحمد"],
        "ar",
    ),
    (
        "pt_portal.html",
        "https://g1.globo.com/sp/sao-paulo/noticia/chuva-forte-alagamentos.ghtml",
        "Chuva forte deixa bairros alagados em São Paulo",
        None,
        "2026-02-21",
        ["Ana Souza"],
        "pt",
    ),
    (
        "tr_news.html",
        "https://www.haberturk.com/merkez-bankasi-faizi-sabit-tuttu-3700000",
        "Merkez Bankası faizi sabit tuttu",
        None,
        "2026-02-21",
        ["Ahmet Yılmaz"],
        "tr",
    ),
    (
        "id_portal.html",
        "https://money.kompas.com/read/harga-beras-naik-jelang-ramadhan",
        "Harga Beras Naik Jelang Ramadhan, Pemerintah Gelar Operasi Pasar",
        None,
        "2026-02-21",
        ["Budi Santoso"],
        "id",
    ),
    (
        "vi_news.html",
        "https://vnexpress.net/gia-xang-giam-lan-thu-ba-lien-tiep-4800000.html",
        "Giá xăng giảm lần thứ ba liên tiếp",
        None,
        "2026-02-21",
        ["Nguyễn Văn An"],
        "vi",
    ),
    (
        "hi_news.html",
        "https://www.amarujala.com/delhi-ncr/delhi-rain-weather-alert",
        "दिल्ली में बारिश से पारा गिरा, मौसम विभाग ने जारी किया अलर्ट",
        None,
        "2026-02-21",
        ["राहुल शर्मा"],
        "hi",
    ),
    (
        "en_relative.html",
        "https://www.coastlineherald.com/news/storm-closes-coastal-roads",
        "Storm closes coastal roads across the county",
        None,
        "2026-02-21",
        ["Jane Cole"],
        "en",
    ),
    (
        "en_us_numeric.html",
        "https://www.valleytribune.com/news/library-budget",
        "County board approves new library budget",
        None,
        "2025-03-04",
        ["Tom Baker"],
        "en",
    ),
    (
        "zh_tw_daily.html",
        "https://udn.com/news/story/7266/8500000",
        "北市公車漲價方案出爐 3月起全票18元",
        None,
        "2026-02-21",
        ["王小明"],
        "zh",
    ),
    (
        "en_in_daily.html",
        "https://indianexpress.com/article/cities/delhi/delhi-air-quality-rain-9800000/",
        "Delhi air quality improves after overnight rain",
        None,
        "2026-02-21",
        ["Rahul Sharma"],
        "en",
    ),
    (
        "en_ng_daily.html",
        "https://www.dailycourier.ng/fg-approves-new-minimum-wage/",
        "FG approves new minimum wage for civil servants",
        None,
        "2026-02-21",
        ["Chinedu Okafor"],
        "en",
    ),
    (
        "it_daily.html",
        "https://www.corriere.it/economia/pensioni/legge-bilancio-senato.shtml",
        "Legge di bilancio, via libera del Senato: cosa cambia per le pensioni",
        None,
        "2026-02-21",
        ["Marco Rossi"],
        "it",
    ),
    (
        "pl_portal.html",
        "https://www.portal.pl/sejm-ustawa-lokatorzy",
        "Sejm przyjął ustawę o ochronie lokatorów",
        None,
        "2026-02-21",
        ["Jan Kowalski"],
        "pl",
    ),
    (
        "nl_news.html",
        "https://nos.nl/artikel/2600000-kabinet-trekt-extra-geld-uit-voor-woningbouw",
        "Kabinet trekt extra geld uit voor woningbouw",
        None,
        "2026-02-21",
        ["Jan de Vries"],
        "nl",
    ),
    (
        "uk_news.html",
        "https://www.pravda.com.ua/news/7500000/",
        "Уряд ухвалив програму відновлення житла",
        None,
        "2026-02-21",
        ["Олена Коваль"],
        "uk",
    ),
    (
        "th_news.html",
        "https://www.thairath.co.th/news/politic/2800000",
        "ครม.อนุมัติงบช่วยเกษตรกร 3 หมื่นล้านบาท",
        None,
        "2026-02-21",
        [],
        "th",
    ),
    (
        "fa_news.html",
        "https://www.example-news.ir/news/456789",
        "افزایش صادرات غیرنفتی در ده ماه نخست سال",
        None,
        "2026-02-21",
        None,
        "fa",
    ),
    (
        "ar_levant.html",
        "https://www.example-daily.sy/news/1234",
        "افتتاح جسر جديد فوق نهر العاصي",
        None,
        "2026-02-21",
        None,
        "ar",
    ),
]


@pytest.mark.parametrize(
    ("name", "url", "headline", "kicker", "day", "authors", "language"),
    PAGES,
    ids=[p[0] for p in PAGES],
)
def test_whole_page(
    name: str,
    url: str,
    headline: str,
    kicker: str | None,
    day: str,
    authors: list[str] | None,
    language: str,
) -> None:
    r = extract_article((FIXTURES / name).read_bytes(), url, now=NOW)
    assert r["headline"] == headline
    assert r["kicker"] == kicker
    assert (r["published_at"] or "")[:10] == day
    if authors is not None:
        assert r["authors"] == authors
    assert r["language"] == language


@pytest.mark.parametrize(
    ("h1", "og", "expected", "kicker"),
    [
        ("<span>Nationale Demo</span><span>Der 9. Juli wird Feiertag</span>",
         "Der 9. Juli wird Feiertag", "Der 9. Juli wird Feiertag", "Nationale Demo"),
        # an article, a year or a long first line before the metadata title are the title's
        ("The Best Electric Scooters for Commuting", "Best Electric Scooters for Commuting",
         "The Best Electric Scooters for Commuting", None),
        ("[2025] Massive List of Free Certificates", "Massive List of Free Certificates",
         "[2025] Massive List of Free Certificates", None),
        ("Real Estate Investing for Beginners Real Estate 101", "Real Estate 101",
         "Real Estate Investing for Beginners Real Estate 101", None),
    ],
)  # fmt: skip
def test_kicker_glued_in_the_heading(h1: str, og: str, expected: str, kicker: str | None) -> None:
    html = (
        f"<html lang='de'><head><meta property='og:title' content='{og}'></head><body>"
        f"<h1>{h1}</h1><p>{'Ein Absatz des Artikels, der eine Weile weitergeht. ' * 6}</p>"
        "</body></html>"
    )
    r = extract_article(html, "https://ex.de/a")
    assert (r["headline"], r["kicker"]) == (expected, kicker)


def test_every_fixture_page_is_in_the_table() -> None:
    assert {p.name for p in FIXTURES.glob("*.html")} == {p[0] for p in PAGES}


@pytest.mark.parametrize(
    ("title", "site_name", "url", "expected"),
    [
        # CJK site suffixes written without spaces
        (
            "日銀、利上げを決定｜日本経済新聞",
            "日本経済新聞",
            "https://www.nikkei.com/a",
            "日銀、利上げを決定",
        ),
        ("日銀、利上げを決定｜日経", None, "https://www.nikkei.com/a", "日銀、利上げを決定"),
        (
            "国务院发布新规 支持民营经济发展_新华网",
            None,
            "http://www.news.cn/a",
            "国务院发布新规 支持民营经济发展",
        ),
        (
            "国务院发布新规 支持民营经济发展-新浪新闻",
            None,
            "https://news.sina.com.cn/a",
            "国务院发布新规 支持民营经济发展",
        ),
        # ... but a hyphen inside the headline stays
        ("北京-上海高铁票价调整", None, "https://www.example.cn/a", "北京-上海高铁票价调整"),
        (
            "정부, 반도체 지원 확대 - 연합뉴스",
            "연합뉴스",
            "https://www.yna.co.kr/a",
            "정부, 반도체 지원 확대",
        ),
        # a guillemet closing a quotation is not a separator
        (
            "Retraites : « Nous irons jusqu’au bout » | Le Monde",
            "Le Monde",
            "https://www.lemonde.fr/a",
            "Retraites : « Nous irons jusqu’au bout »",
        ),
        # section names between the headline and the site go with the site
        (
            "El Gobierno aprueba la subida del salario mínimo | Economía | EL PAÍS",
            "EL PAÍS",
            "https://elpais.com/a",
            "El Gobierno aprueba la subida del salario mínimo",
        ),
        # a news-service suffix that is not the site's name, and a pagination marker
        (
            "Merkez Bankası faizi sabit tuttu - Son Dakika Haberleri",
            "Habertürk",
            "https://www.haberturk.com/a",
            "Merkez Bankası faizi sabit tuttu",
        ),
        (
            "दिल्ली में बारिश से पारा गिरा - Hindi News",
            None,
            "https://www.amarujala.com/a",
            "दिल्ली में बारिश से पारा गिरा",
        ),
        (
            "Harga Beras Naik Jelang Ramadhan Halaman all - Kompas.com",
            "KOMPAS.com",
            "https://money.kompas.com/a",
            "Harga Beras Naik Jelang Ramadhan",
        ),
        # a breadcrumb between the headline and the paper (Korean local news CMSs)
        (
            "서울시 청년 월세 지원 대상 확대 < 사회 < 기사본문 - 경기일보",
            None,
            "https://www.kyeonggi.com/article/1",
            "서울시 청년 월세 지원 대상 확대",
        ),
        # the site name with its accents, the domain without them
        (
            "Giá xăng giảm lần thứ ba liên tiếp - Báo Tuổi Trẻ",
            "TUOI TRE ONLINE",
            "https://tuoitre.vn/a",
            "Giá xăng giảm lần thứ ba liên tiếp",
        ),
        # a headline with a hyphenated word and no suffix is left alone
        (
            "COVID-19 vaccine-maker profits soar",
            None,
            "https://ex.com/a",
            "COVID-19 vaccine-maker profits soar",
        ),
    ],
)
def test_site_suffixes(title: str, site_name: str | None, url: str, expected: str) -> None:
    assert strip_site_name(title, site_name, url) == expected


@pytest.mark.parametrize(
    ("raw", "site", "url", "expected"),
    [
        ("作者：张伟", None, "https://ex.cn/a", ["张伟"]),
        ("Penulis: Budi Santoso", None, "https://ex.co.id/a", ["Budi Santoso"]),
        ("Oleh Budi Santoso", None, "https://ex.co.id/a", ["Budi Santoso"]),
        ("Yazar: Ayşe Demir", None, "https://ex.com.tr/a", ["Ayşe Demir"]),
        ("Автор: Иван Петров", None, "https://ex.ru/a", ["Иван Петров"]),
        ("Tác giả: Nguyễn Văn An", None, "https://ex.vn/a", ["Nguyễn Văn An"]),
        # a role after a separator goes with its segment, also with a suffix on the role word
        ("Ahmet Yılmaz - Ekonomi Muhabiri", None, "https://ex.com.tr/a", ["Ahmet Yılmaz"]),
        ("María García | Corresponsal en Bogotá", None, "https://ex.es/a", ["María García"]),
        ("Max Mustermann, Redakteur", None, "https://ex.de/a", ["Max Mustermann"]),
        ("Trần Minh, phóng viên", None, "https://ex.vn/a", ["Trần Minh"]),
        # the publisher's desk and a place after the reporter
        ("Por Ana Souza, g1 SP — São Paulo", "g1", "https://g1.globo.com/a", ["Ana Souza"]),
        ("Jane Doe, Reuters Berlin", None, "https://ex.com/a", ["Jane Doe"]),
        ("Олена Коваль, журналістка", None, "https://ex.ua/a", ["Олена Коваль"]),
        # Taiwanese/Chinese datelines and the paper's name next to the reporter
        ("聯合報 / 記者王小明／台北即時報導", None, "https://udn.com/a", ["王小明"]),
        ("记者张伟 北京报道", None, "https://ex.cn/a", ["张伟"]),
        # a date printed before the name; a one-word place after a full name
        ("2026-02-21 17:00 By Jane Cole", None, "https://ex.com/a", ["Jane Cole"]),
        ("By Chinedu Okafor, Abuja", None, "https://ex.ng/a", ["Chinedu Okafor"]),
        ("Vanessa Mendez, MD", None, "https://ex.com/a", ["Vanessa Mendez, MD"]),
        # a person whose first name is not the site's stays
        ("Ana Souza, Pedro Lima", "g1", "https://g1.globo.com/a", ["Ana Souza", "Pedro Lima"]),
        # a role label before the name (it used to take the name with it) and bylines of
        # other scripts
        ("Reporter: Budi Santoso", None, "https://ex.co.id/a", ["Budi Santoso"]),
        ("Wartawan: Budi Santoso", None, "https://ex.co.id/a", ["Budi Santoso"]),
        ("Muhabir: Ahmet Yılmaz", None, "https://ex.com.tr/a", ["Ahmet Yılmaz"]),
        ("Phóng viên Nguyễn Văn An", None, "https://ex.vn/a", ["Nguyễn Văn An"]),
        ("خبرنگار: علی رضایی", None, "https://ex.ir/a", ["علی رضایی"]),
        ("מאת דני כהן", None, "https://ex.co.il/a", ["דני כהן"]),
        ("रिपोर्ट: राहुल शर्मा", None, "https://ex.in/a", ["राहुल शर्मा"]),
        ("Szerző: Kovács Anna", None, "https://ex.hu/a", ["Kovács Anna"]),
        # "and" in other languages between two full names; a compound surname stays whole
        ("Di Mario Rossi e Luca Bianchi", None, "https://ex.it/a", ["Mario Rossi", "Luca Bianchi"]),
        ("Por Juan Pérez y María López", None, "https://ex.es/a", ["Juan Pérez", "María López"]),
        ("Ahmet Yılmaz ve Ayşe Kaya", None, "https://ex.com.tr/a", ["Ahmet Yılmaz", "Ayşe Kaya"]),
        ("Иван Петров и Анна Смирнова", None, "https://ex.ru/a", ["Иван Петров", "Анна Смирнова"]),
        ("José Ortega y Gasset", None, "https://ex.es/a", ["José Ortega y Gasset"]),
        # a one-word place after a slash
        ("Ahmet Yılmaz / İstanbul", None, "https://ex.com.tr/a", ["Ahmet Yılmaz"]),
    ],
)
def test_clean_authors_languages(raw: str, site: str | None, url: str, expected: list[str]) -> None:
    assert clean_authors([raw], _site_keys(site, url)) == expected


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        (["(세종=연합뉴스) 홍길동 기자 = 정부가 5조원을 투입한다.", "본문"], ["홍길동"]),
        (["[서울신문] 김민지 선임기자 = 서울시가 …"], ["김민지"]),
        (["新华社北京2月21日电（记者张伟、李娜）国务院日前印发…"], ["张伟", "李娜"]),
        (["本文です。", "続きです。", "【山田太郎、佐藤花子】"], ["山田太郎", "佐藤花子"]),
        # labels in brackets are not signatures; a lead in the middle of the text is not one
        (["本文です。", "【関連記事】"], []),
        (["【速報】日銀が利上げ", "本文"], []),
        (["a", "b", "c", "(세종=연합뉴스) 홍길동 기자 = …"], []),
    ],
)
def test_reporters_named_by_cjk_wire_conventions(
    paragraphs: list[str], expected: list[str]
) -> None:
    assert names_in_text(paragraphs) == expected


def test_publisher_name_without_its_domain_ending_is_the_publisher() -> None:
    html = (FIXTURES / "fr_national.html").read_text(encoding="utf-8")
    html = html.replace('<p class="meta__authors">', '<p class="x">').replace("Jean Dupont", "")
    r = extract_article(html, "https://www.example.fr/politique/a", now=NOW)
    assert r["authors"] == ["Le Monde"]  # the publisher is kept when no person is named
    keys = _site_keys("Le Monde.fr", "https://x.fr/a")
    assert clean_authors(["Le Monde", "Jean Dupont"], keys) == ["Jean Dupont"]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Posted 3 hours ago by Jane", "en", "3 hours ago"),
        ("Publicado hace 2 días", "es", "hace 2 días"),
        ("Mis à jour il y a 3 heures", "fr", "il y a 3 heures"),
        ("vor 3 Stunden", "de", "vor 3 Stunden"),
        ("há 2 dias", "pt", "há 2 dias"),
        ("3 ore fa", "it", "3 ore fa"),
        ("3 часа назад", "ru", "3 часа назад"),
        ("3小时前", "zh", "3小时前"),
        ("3時間前", "ja", "3時間前"),
        ("입력 3시간 전", "ko", "3시간 전"),
        ("2 jam yang lalu", "id", "2 jam yang lalu"),
        ("3 saat önce", "tr", "3 saat önce"),
        ("3 giờ trước", "vi", "3 giờ trước"),
        ("3 घंटे पहले", "hi", "3 घंटे पहले"),
        ("منذ 3 ساعات", "ar", "منذ 3 ساعات"),
        ("3 uur geleden", "nl", "3 uur geleden"),
        ("3 ชั่วโมงที่แล้ว", "th", "3 ชั่วโมงที่แล้ว"),
    ],
)
def test_relative_dates(text: str, language: str, expected: str) -> None:
    assert [raw for _, raw in relative_dates(text, language, NOW)] == [expected]
    assert relative_dates(text, language, None) == []  # no crawl time: nothing to read against


@pytest.mark.parametrize(
    ("language", "text", "raw", "day"),
    [
        # Korean numeric dates with dots and spaces, the clock after 오후
        ("ko", "입력 2026.02.21. 오후 5:00 수정", "2026.02.21. 오후 5:00", "2026-02-21"),
        ("ko", "기사입력 2026. 2. 21. 17:00", "2026. 2. 21. 17:00", "2026-02-21"),
        # digits of other scripts
        ("ar", "نشر في ٢١ فبراير ٢٠٢٦", "21 فبراير 2026", "2026-02-21"),
        ("bn", "প্রকাশ: ২১ ফেব্রুয়ারি ২০২৬", "21 ফেব্রুয়ারি 2026", "2026-02-21"),
        ("ja", "２０２６年２月２１日", "2026年2月21日", "2026-02-21"),
        # month names written with combining vowel signs
        ("hi", "प्रकाशित: 21 फ़रवरी 2026, 05:00 PM", "21 फ़रवरी 2026, 05:00", "2026-02-21"),
        ("ta", "21 பிப்ரவரி 2026", "21 பிப்ரவரி 2026", "2026-02-21"),
        # other calendars and eras, found in the text and read as Gregorian days
        ("fa", "تاریخ انتشار: ۱۴۰۴/۱۲/۰۲ - ۱۸:۱۰", "1404/12/02 - 18:10", "2026-02-21"),
        ("fa", "شنبه ۲ اسفند ۱۴۰۴ خبرگزاری", "2 اسفند 1404", "2026-02-21"),
        ("ar", "نشر في 21 كانون الثاني 2026", "21 كانون الثاني 2026", "2026-01-21"),
        ("ja", "令和8年2月21日 18時10分", "令和8年2月21日", "2026-02-21"),
        ("th", "21 ก.พ. 69 18:10 น.", "21 ก.พ. 69 18:10", "2026-02-21"),
        ("vi", "Thứ bảy, ngày 21 tháng 2 năm 2026", "21 tháng 2 năm 2026", "2026-02-21"),
        ("hu", "Publikálva: 2026. február 21. 18:10", "2026. február 21. 18:10", "2026-02-21"),
    ],
)
def test_printed_dates_in_other_scripts(language: str, text: str, raw: str, day: str) -> None:
    assert [(r, d) for _, r, d in printed_dates(text, None, language)] == [(raw, day)]


@pytest.mark.parametrize(
    ("value", "printed", "expected"),
    [
        # the UTC instant printed under the headline as the next morning in Seoul
        ("2026-02-20T23:30:00Z", "입력 2026.02.21 08:30", "2026-02-21T08:30:00+09:00"),
        ("2026-02-20T23:30:00+00:00", "2026.02.21. 오전 8:30", "2026-02-21T08:30:00+09:00"),
        # ... and as the evening before in New York
        ("2026-02-21T03:00:00Z", "February 20, 2026 10:00 PM EST", "2026-02-20T22:00:00-05:00"),
        # the same day already, another minute, no clock time, no offset: nothing to do
        ("2026-02-21T08:30:00+09:00", "2026.02.21 08:30", None),
        ("2026-02-20T23:30:00Z", "2026.02.21 08:47", None),
        ("2026-02-20T23:30:00Z", "2026.02.21", None),
        ("2026-02-20T23:30:00", "2026.02.21 08:30", None),
    ],
)
def test_utc_metadata_in_the_printed_zone(value: str, printed: str, expected: str | None) -> None:
    found = printed_dates(printed, None, "ko")
    assert found, printed
    assert in_printed_zone(value, found) == expected


def test_buddhist_era_years_of_thai_dates() -> None:
    assert (parse_date("21 ก.พ. 2569 17:00 น.", language="th").value or "")[:10] == "2026-02-21"
    assert parse_date("21 กุมภาพันธ์ 2569", language="th").value == "2026-02-21"
    assert parse_date("2569", language="en").value is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Posted: 3/4/2025 6:30 PM EST", False),
        ("Updated 3/4/2025 at 10:00 a.m. PT", False),
        ("Posted: 3/4/2025 18:30 CET", None),  # a European zone says nothing
        ("Posted: 3/4/2025", None),
        ("Posted: 27/4/2025 10:00 EST", True),  # an unambiguous date decides first
    ],
)
def test_north_american_zone_means_month_first(text: str, expected: bool | None) -> None:
    assert page_dayfirst(text, "en") is expected
