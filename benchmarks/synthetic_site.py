"""A synthetic news site of N articles in the demo layout, and nginx to serve it.

    python benchmarks/synthetic_site.py --articles 5000 --out /tmp/newsspider-bench/site-5000
    python benchmarks/synthetic_site.py --articles 5000 --serve     # generate + serve until ^C

The pages come from the demo's own templates (``tools.demo.templates``), so they carry
the same chrome as the demo: mega-menu, cookie banner, ad slots with JSON configs, share bars,
inline scripts, a preloaded-state JSON blob, a comments widget. Article bodies are 10-90
paragraphs of deterministic pseudo-text, so articles weigh ~50-130 KB of HTML.

Layout (the demo's): ``index.html`` (Top Story, Latest News, one block per section),
``<section>/index.html`` + ``<section>/page-<n>.html`` (20 headlines per page, newest first,
with times), ``<section>/article/<id>.html``, ``rss.xml`` (50 newest), ``robots.txt``
naming ``sitemap.xml`` (an index of ``sitemap-<n>.xml`` with 10,000 URLs each) and
``news-sitemap.xml`` (the newest day). ``urls.txt`` lists every page a full ``site`` crawl
fetches, for the bare-fetch baseline (``benchmarks/bare_spider.py``).

Deterministic: the same N gives the same bytes. A ``.complete`` marker makes reruns free.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tools.demo.build import (  # noqa: E402
    discovery_files,
    render_listing_series,
    section_page_path,
)
from tools.demo.model import DemoArticle, Section  # noqa: E402
from tools.demo.templates import (  # noqa: E402
    SiteContext,
    Slot,
    render_article,
    render_front_page,
    render_sitemap,
    render_sitemap_index,
)

GENERATOR_VERSION = "1"
PAGE_SIZE = 20  # headlines per section page
PER_DAY = 200  # articles per day (dates go back from the newest)
SITEMAP_CHUNK = 10_000
NEWEST = datetime(2026, 2, 21, 23, 50)
FIRST_ID = 100_000

SECTIONS: tuple[Section, ...] = tuple(
    Section(slug, slug.title())
    for slug in (
        "politics", "business", "society", "culture", "sports",
        "world", "science", "health", "opinion", "etc",
    )
)  # fmt: skip
WORDS = [
    "government",
    "minister",
    "officials",
    "said",
    "report",
    "market",
    "growth",
    "percent",
    "year",
    "city",
    "people",
    "national",
    "assembly",
    "policy",
    "economy",
    "company",
    "shares",
    "investors",
    "season",
    "team",
    "coach",
    "players",
    "election",
    "voters",
    "survey",
    "research",
    "scientists",
    "hospital",
    "patients",
    "court",
    "ruling",
    "police",
    "weather",
    "rain",
    "festival",
    "film",
    "music",
    "exports",
    "imports",
    "bank",
    "rate",
    "inflation",
    "budget",
    "housing",
    "prices",
    "talks",
    "summit",
    "border",
    "security",
    "defense",
    "energy",
    "climate",
    "students",
    "schools",
    "workers",
    "union",
    "strike",
    "agreement",
    "plan",
    "announced",
    "expected",
    "week",
    "month",
    "according",
    "statement",
]
FIRST = ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim")
GIVEN = ("Min-ji", "Ji-hoon", "Soo-jin", "Hyun-woo", "Ye-jin", "Dong-hyun", "Eun-ji", "Tae-yang")
TAGS = ("Seoul", "Busan", "Economy", "Markets", "KBO", "K-pop", "Elections", "Climate",
        "Technology", "Health", "Education", "Diplomacy", "North Korea", "Real Estate")  # fmt: skip


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def make_articles(n: int, seed: int = 7) -> list[DemoArticle]:
    """N articles, newest first, ids FIRST_ID+n-1 … FIRST_ID, PER_DAY per day."""
    rng = random.Random(seed)
    articles: list[DemoArticle] = []
    for i in range(n):
        article_id = FIRST_ID + n - 1 - i
        section = SECTIONS[article_id % len(SECTIONS)]
        day = i // PER_DAY
        moment = NEWEST - timedelta(days=day, minutes=(i % PER_DAY) * 7)
        paragraphs = tuple(
            " ".join(_sentence(rng, rng.randint(12, 30)) for _ in range(rng.randint(3, 6)))
            for _ in range(rng.randint(10, 90))
        )
        authors = tuple(
            f"{rng.choice(FIRST)} {rng.choice(GIVEN)}" for _ in range(1 + (rng.random() < 0.2))
        )
        updated = None
        if rng.random() < 0.1:
            updated = (moment + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
        articles.append(
            DemoArticle(
                id=article_id,
                section=section.slug,
                category=section.label,
                headline=_sentence(rng, rng.randint(7, 14)).rstrip("."),
                teaser=_sentence(rng, rng.randint(14, 24)),
                authors=authors,
                author_title="Staff Reporters" if len(authors) > 1 else "Staff Reporter",
                published=moment.strftime("%Y-%m-%d %H:%M"),
                updated=updated,
                paragraphs=paragraphs,
                tags=tuple(rng.sample(TAGS, 2)),
                caption=_sentence(rng, 10),
                related=(),
            )
        )
    return articles


def site_context(articles: Sequence[DemoArticle]) -> SiteContext:
    return SiteContext(
        site_name="News1 Global",
        site_url="https://www.news1global.com/",
        date_line=NEWEST.strftime("%A, %B %-d, %Y"),
        sections=SECTIONS,
        popular=list(articles[5:15]),
        ticker=list(articles[:5]),
    )


def write_site(n: int, out: Path) -> Path:
    """Generate the site under ``out`` (skipped when a complete one of the same N is there)."""
    marker = out / ".complete"
    if marker.exists() and marker.read_text() == f"{GENERATOR_VERSION} {n}\n":
        return out
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    articles = make_articles(n)
    ctx = site_context(articles)
    by_section = {s.slug: [a for a in articles if a.section == s.slug] for s in SECTIONS}

    def put(rel: str, text: str) -> None:
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))

    blocks = [("Latest News", [Slot(a) for a in articles[1:21]])]
    blocks += [(s.label, [Slot(a) for a in by_section[s.slug][:10]]) for s in SECTIONS]
    put("index.html", render_front_page(ctx, top_story=articles[0], blocks=blocks))
    listing_paths = ["index.html"]
    for section in SECTIONS:
        series = render_listing_series(
            ctx,
            title=section.label,
            articles=by_section[section.slug],
            page_path=functools.partial(section_page_path, section.slug),
            page_size=PAGE_SIZE,
        )
        for rel, text in series.items():
            put(rel, text)
        listing_paths += series
    related_pool = articles[:50]
    for i, article in enumerate(articles):
        related = [related_pool[(i + k) % len(related_pool)] for k in (1, 2, 3, 4)]
        put(article.path, render_article(article, ctx, related=related))
    newest_day = articles[0].published[:10]
    docs = discovery_files(ctx, articles, listing_paths, news_days=(newest_day,), feed_size=50)
    # the demo's single article sitemap becomes an index of 10,000-URL chunks
    chunks = [articles[i : i + SITEMAP_CHUNK] for i in range(0, len(articles), SITEMAP_CHUNK)]
    names = []
    for k, chunk in enumerate(chunks, start=1):
        names.append(f"sitemap-{k}.xml")
        put(names[-1], render_sitemap([(a.path, a.updated_iso or a.published_iso) for a in chunk]))
    del docs["sitemap-articles.xml"]
    docs["sitemap.xml"] = render_sitemap_index(
        [(name, articles[0].published_iso) for name in [*names, "sitemap-listings.xml"]]
    )
    for rel, text in docs.items():
        put(rel, text)
    put(
        "robots.txt",
        "User-agent: *\nDisallow: /search\n\nSitemap: sitemap.xml\nSitemap: news-sitemap.xml\n",
    )
    fetched = ["index.html", "robots.txt", "rss.xml", "sitemap.xml", "news-sitemap.xml"]
    fetched += names + ["sitemap-listings.xml"] + listing_paths[1:] + [a.path for a in articles]
    put("urls.txt", "".join(f"{rel}\n" for rel in fetched))
    marker.write_text(f"{GENERATOR_VERSION} {n}\n")
    return out


def html_bytes(out: Path, limit: int = 200) -> list[int]:
    return [p.stat().st_size for p in sorted(out.glob("*/article/*.html"))[:limit]]


# --------------------------------------------------------------------------- nginx

NGINX_CONF = """
worker_processes 1;
daemon off;
master_process on;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
{user}
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    types {{
        text/html html;
        application/xml xml;
        text/plain txt;
        image/svg+xml svg;
        text/css css;
    }}
    default_type application/octet-stream;
    server {{
        listen 127.0.0.1:{port};
        {rate_limit}
        root {root};
        index index.html;
    }}
}}
"""


def nginx_binary() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if not found:
        raise SystemExit("nginx not found: install it with `apt-get install -y nginx`")
    return found


@contextlib.contextmanager
def nginx(root: Path, rate_limit: str | None = None) -> Iterator[str]:
    """Serve ``root`` with nginx on 127.0.0.1 and a free port; yields the base URL.

    ``rate_limit``: nginx ``limit_rate`` per connection ("2m" = 2 MB/s), to model a remote
    server. nginx can't take a pre-bound socket, so: pick a random high port, start nginx, and if it
    fails to bind (another process holds the port), try the next one. No bind-close-rebind.
    """
    tmp = Path(tempfile.mkdtemp(prefix="newsspider-nginx-"))
    rng = random.Random()
    user = "user root;" if os.geteuid() == 0 else ""
    try:
        for _ in range(20):
            port = rng.randint(20_000, 60_000)
            conf = tmp / "nginx.conf"
            conf.write_text(
                NGINX_CONF.format(
                    tmp=tmp,
                    port=port,
                    root=root.resolve(),
                    user=user,
                    rate_limit=f"limit_rate {rate_limit};" if rate_limit else "",
                )
            )
            proc = subprocess.Popen(
                [nginx_binary(), "-c", str(conf), "-p", str(tmp), "-e", str(tmp / "error.log")],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            url = f"http://127.0.0.1:{port}/"
            if _wait_until_up(url, proc):
                try:
                    yield url
                finally:
                    proc.send_signal(signal.SIGQUIT)
                    try:
                        proc.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                        proc.wait()
                return
            proc.kill()
            proc.wait()
        raise RuntimeError(f"nginx did not start; see {tmp / 'error.log'}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _wait_until_up(url: str, proc: subprocess.Popen[bytes], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False  # exited: port taken or bad config
        try:
            with urllib.request.urlopen(url + "robots.txt", timeout=1) as resp:
                return bool(resp.status == 200)
        except OSError:
            time.sleep(0.05)
    return False


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--serve", action="store_true", help="serve with nginx until Ctrl-C")
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.gettempdir()) / "newsspider-bench" / f"site-{args.articles}"
    started = time.monotonic()
    write_site(args.articles, out)
    sizes = html_bytes(out)
    print(
        f"site of {args.articles} articles in {out} ({time.monotonic() - started:.1f} s); "
        f"article HTML {min(sizes) // 1024}-{max(sizes) // 1024} KB, "
        f"mean {sum(sizes) // len(sizes) // 1024} KB"
    )
    if args.serve:
        with nginx(out) as url:
            print(f"serving {url} (Ctrl-C to stop)")
            with contextlib.suppress(KeyboardInterrupt):
                while True:
                    time.sleep(1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
