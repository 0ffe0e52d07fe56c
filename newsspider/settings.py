"""Scrapy settings for newsspider: polite defaults for real sites, exports wired to FEEDS.

Every project-specific setting starts with ``NEWSSPIDER_`` and is documented in README.md
("Settings"). Override any of them per run with ``-s NAME=VALUE``.

Plain data only: each default is declared once, here. What a run wires at start (its FEEDS,
the Redis scheduler, log redaction) is done by the add-on in newsspider/run.py.
"""

from __future__ import annotations

import sys

BOT_NAME = "newsspider"
SPIDER_MODULES = ["newsspider.spiders"]
# imports only the module of the spider that runs (each spider lives in the module of its name)
SPIDER_LOADER_CLASS = "newsspider.perf.SpiderModuleLoader"
NEWSPIDER_MODULE = "newsspider.spiders"
COMMANDS_MODULE = "newsspider.commands"
# the run: run id, folders, FEEDS, state, Redis mode (newsspider/run.py)
ADDONS = {"newsspider.run.NewsspiderAddon": 0}

# --- politeness: who we are, how hard we knock -------------------------------------------
USER_AGENT = "newsspider/0.1 (+https://github.com/newsspider/newsspider; news research crawler)"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_TIMEOUT = 30
DNS_TIMEOUT = 10
# News article pages are 50-500 KB; 16 MB is generous and stops a runaway response.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5
TELNETCONSOLE_ENABLED = False  # then not even imported (newsspider/run.py add-on); True: back on
REMOTE_CONTROL_ENABLED = False
COOKIES_ENABLED = False

# --- surviving the real web (newsspider/middlewares.py, docs/ROBUSTNESS.md) ---------------
DOWNLOADER_MIDDLEWARES = {
    "newsspider.middlewares.UrlSafetyMiddleware": 10,
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "newsspider.middlewares.OffsiteGuardMiddleware": 50,
    "newsspider.middlewares.RobotsTxtSizeLimitMiddleware": 90,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "newsspider.middlewares.RobotsTxtRfc9309Middleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newsspider.middlewares.BackoffRetryMiddleware": 550,
    "newsspider.middlewares.HostCircuitBreakerMiddleware": 560,
    "newsspider.middlewares.RedirectGuardMiddleware": 605,
    "newsspider.middlewares.CrossOriginHeaderGuardMiddleware": 720,
    # Scrapy's meta refresh, without decoding pages that can't hold one; its place (580,
    # before the state middleware below in this dict, as Scrapy's own was)
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "newsspider.middlewares.ProbingMetaRefreshMiddleware": 580,
    # incremental state (docs/SCHEDULING.md): after redirects (600) so it sees where a request
    # landed, before retries (550); NotConfigured when NEWSSPIDER_STATE_ENABLED is False
    "newsspider.middlewares_state.StateDownloaderMiddleware": 580,
}
SPIDER_MIDDLEWARES = {
    "newsspider.middlewares.LinkHygieneMiddleware": 550,
    "newsspider.middlewares_state.StateSpiderMiddleware": 800,
}
# -s JOBDIR=… pause/resume: the export files, not requests.seen, say what is done (feeds.py)
DUPEFILTER_CLASS = "newsspider.middlewares.RunDupeFilter"
NEWSSPIDER_MISMATCH_EXIT_CODE = 3  # exit status of `scrapy crawl` when reconciliation fails
# the errback logs the one-line reason and writes the Reject row; a give-up is not an ERROR
RETRY_GIVE_UP_LOG_LEVEL = "WARNING"
NEWSSPIDER_RETRY_AFTER_MAX = 60.0  # seconds; a longer Retry-After is capped to this
NEWSSPIDER_RETRY_BACKOFF_BASE = 1.0  # seconds before the 1st retry, doubled for each next one
NEWSSPIDER_RETRY_BACKOFF_MAX = 30.0
NEWSSPIDER_CIRCUIT_THRESHOLD = 8  # consecutive 5xx answers that pause a host (0: never)
NEWSSPIDER_CIRCUIT_COOLDOWN = 300.0  # seconds a paused host is left alone
NEWSSPIDER_ROBOTSTXT_TIMEOUT = 10.0  # robots.txt unreachable within this => disallow all
NEWSSPIDER_FILE_ROOTS: list[str] = []  # folders besides the bundled demo that file: may read
NEWSSPIDER_ROBOTSTXT_MAX_BYTES = 500 * 1024  # robots.txt is read up to here (as Google does)
# crawl bounds of the site spider (a "_limited" stat and one warning when hit; 0 = no bound)
NEWSSPIDER_LISTING_MAX_PAGES = 50  # pages per listing through "next" links (-a depth overrides)
NEWSSPIDER_LISTING_MAX_LISTINGS = 500  # section/tag listings followed from the start page
NEWSSPIDER_SITEMAP_MAX_DEPTH = 3  # levels of sitemap indexes below robots.txt / the profile
NEWSSPIDER_SITEMAP_MAX_DOCUMENTS = 1000  # sitemap documents fetched per run
NEWSSPIDER_SITEMAP_MAX_URLS = 500_000  # article URLs read from sitemaps per run

# --- engine tuning (newsspider/perf.py, docs/BENCHMARKS.md "Engine settings") ---------------
# items of one response processed at once: Scrapy starts one asyncio task per unit (100 by
# default) for every response, while our pipelines never wait on I/O and an article page yields
# one item; 2 rather than 1 keeps a listing page's ~40 outputs from taking a loop turn each
# (docs/benchmarks/log.md "Session 10 (perf-cpu)")
CONCURRENT_ITEMS = 2
# the asyncio reactor on uvloop's event loop (libuv, in C): the loop's own work per callback,
# timer and I/O wake-up is most of the crawling process's "twisted/asyncio" CPU (issue 14);
# uvloop does not exist on Windows, where Python's own loop (Scrapy's default, None) is used
ASYNCIO_EVENT_LOOP = "uvloop.Loop" if sys.platform != "win32" else None
# Scrapy's log messages, the per-page/per-item DEBUG ones not built when not logged (perf.py)
LOG_FORMATTER = "newsspider.perf.GatedLogFormatter"
# Scrapy's in-memory stats without its per-attribute deprecation hook (newsspider/perf.py)
STATS_CLASS = "newsspider.perf.FastStatsCollector"
NEWSSPIDER_GC_THRESHOLD = [50_000, 20, 100]  # gc.set_threshold() at start ([]: Python's)
NEWSSPIDER_GC_FREEZE = True  # gc.freeze() the start-up objects once the engine has started
# glibc malloc arenas of the crawling process (mallopt M_ARENA_MAX, newsspider/perf.py
# MallocArenas): 1 keeps the crawl phase's heap from creeping per page (the parse pool's
# result thread's arena: ~10 MB free but resident by 50,000 articles); with the end of run's
# transient gone (session 11) that creep set the 50,000 run's peak (docs/benchmarks/log.md
# "Session 11 (mem50k)"); 0: glibc's default (up to 8 arenas per core)
NEWSSPIDER_MALLOC_ARENAS = 1
# article pages parsed in worker processes (newsspider/parsepool.py): 0 = in the crawling
# process; "auto" = one per CPU core beyond the first (at most 2), once the crawl has parsed
# NEWSSPIDER_PARSE_POOL_AFTER article pages inline, or once the site spider has found that
# many articles (a worker costs ~1 s of CPU to start);
# a number = that many workers from the first article page (docs/benchmarks/log.md "Second core")
NEWSSPIDER_PARSE_WORKERS: int | str = "auto"
NEWSSPIDER_PARSE_POOL_AFTER = 200

LOG_LEVEL = "INFO"
LOGSTATS_INTERVAL = 30.0
# Deduplication drops are expected and counted in stats; don't spam the log with them.
DEFAULT_DROPITEM_LOG_LEVEL = "DEBUG"

# --- the item path: stamp -> normalize -> validate -> dedupe -> state -> feeds ----------------
# Scrapy's pipeline manager, its per-item chain without a coroutine per synchronous pipeline
ITEM_PROCESSOR = "newsspider.pipelines.manager.ItemPipelineManager"
ITEM_PIPELINES = {
    "newsspider.pipelines.stamp.StampRunPipeline": 50,
    "newsspider.pipelines.normalize.NormalizePipeline": 100,
    "newsspider.pipelines.validate.ValidatePipeline": 200,
    "newsspider.pipelines.dedupe.DedupePipeline": 300,
    "newsspider.pipelines.state.StatePipeline": 400,
}

EXTENSIONS = {
    "newsspider.perf.GcTuning": 0,  # NEWSSPIDER_GC_THRESHOLD / NEWSSPIDER_GC_FREEZE
    "newsspider.perf.MallocArenas": 0,  # NEWSSPIDER_MALLOC_ARENAS
    "newsspider.perf.DebugLogGate": 0,  # no DEBUG record built when no handler shows it
    "newsspider.perf.QuietSignalsExtension": 0,  # a signal nobody listens to costs nothing
    "newsspider.extensions.RunFilesExtension": 500,
    "newsspider.middlewares.CredentialRedactionExtension": 100,
    # run health (newsspider/health/, docs/MONITORING.md); our progress line replaces LogStats
    "newsspider.health.observe.HealthObserver": 510,
    "newsspider.health.progress.ProgressExtension": 520,
    "scrapy.extensions.logstats.LogStats": None,
}
# Scrapy's EXTENSIONS_BASE without RemoteControl (REMOTE_CONTROL_ENABLED is False): its module
# imports aiohttp (0.3-0.6 s of start-up CPU), and a key in EXTENSIONS, even one set to None,
# is imported to be normalised, so it can only be left out here (tests/test_startup.py checks this
# stays Scrapy's list minus that one, two of its classes replaced in place by our subclasses).
# To use it, add it to EXTENSIONS.
EXTENSIONS_BASE = {
    # Scrapy's CoreStats and FeedExporter, each item through one shared receiver (receivers.py)
    "newsspider.receivers.CoreStats": 0,
    "scrapy.extensions.logcount.LogCount": 0,
    "scrapy.extensions.telnet.TelnetConsole": 0,
    "scrapy.extensions.memusage.MemoryUsage": 0,
    "scrapy.extensions.memdebug.MemoryDebugger": 0,
    "scrapy.extensions.closespider.CloseSpider": 0,
    "newsspider.feeds.FeedExporter": 0,
    "scrapy.extensions.logstats.LogStats": 0,
    "scrapy.extensions.spiderstate.SpiderState": 0,
    "scrapy.extensions.throttle.AutoThrottle": 0,
}

# --- exports (see newsspider/feeds.py and docs/DATA_DICTIONARY.md) -------------------------
NEWSSPIDER_EXPORT_DIR = "exports"
FEED_EXPORT_ENCODING = "utf-8"
FEED_STORE_EMPTY = True
# "" too: a feed URI without a scheme (our plain paths) would otherwise get Scrapy's
# non-atomic FileFeedStorage from FEED_STORAGES_BASE
FEED_STORAGES = {
    "": "newsspider.feeds.AtomicFileFeedStorage",
    "file": "newsspider.feeds.AtomicFileFeedStorage",
}
FEED_EXPORTERS = {
    "spreadsheet_csv": "newsspider.exporters.SpreadsheetCsvItemExporter",
    "jsonl": "newsspider.exporters.JsonLinesExporter",
    "xlsx": "newsspider.workbook.XlsxItemExporter",
}
# FEEDS: one JSONL + CSV per item type in the run folder, set by the run's add-on
# (newsspider/feeds.py build_feeds); -o/-O replace them (see README "Exports")

# --- scheduled, incremental crawls: the crawl state (newsspider/state/, docs/SCHEDULING.md) --
NEWSSPIDER_STATE_ENABLED = True  # False: every run exports everything, no state file is touched
NEWSSPIDER_STATE_DIR = "state"  # one SQLite file per site in here (see newsspider/state/paths.py)
NEWSSPIDER_STATE_FILE = ""  # an explicit state file; overrides the per-site rule
NEWSSPIDER_STATE_ARTICLE_CALLBACKS = ["parse_article"]  # callbacks whose requests are articles
NEWSSPIDER_REFETCH_MIN_INTERVAL = "15m"  # refetch interval of a brand-new article
NEWSSPIDER_REFETCH_AGE_FACTOR = 0.25  # interval = article age * factor, between min and max
NEWSSPIDER_REFETCH_MAX_INTERVAL = "7d"
NEWSSPIDER_REFETCH_STOP_AFTER = "30d"  # older articles are not refetched at all; 0 = never stop
NEWSSPIDER_REFETCH_SLACK = 0.1  # a run up to 10% early still counts as due
NEWSSPIDER_REFETCH_FORCE = False  # True: refetch every article in full (still diffed, not re-sent)
NEWSSPIDER_HISTORY_ENABLED = True  # rebuild <export dir>/history/<site>/ at the end of each run
NEWSSPIDER_HISTORY_TOP_N = 10  # "top N" of frontpage_timeline.minutes_in_top_n
NEWSSPIDER_HISTORY_SKIP_UNCHANGED = True  # a run that changed nothing leaves history/ as it is

# --- run health: monitors, layout drift, alerts (newsspider/health/, docs/MONITORING.md) -----
NEWSSPIDER_FAIL_ON = "degraded"  # "failed": only failed runs exit non-zero
NEWSSPIDER_FAILED_EXIT_CODE = 4  # exit status of `scrapy crawl` when the run failed
NEWSSPIDER_DEGRADED_EXIT_CODE = 5  # ... when it is degraded (and NEWSSPIDER_FAIL_ON=degraded)
NEWSSPIDER_MIN_ARTICLES_RATIO = 0.5  # fewer articles than this x median of recent runs
NEWSSPIDER_HEALTH_HISTORY_RUNS = 10  # recent runs of the site compared with
NEWSSPIDER_HEALTH_MIN_HISTORY_RUNS = 3  # fewer earlier runs: no comparison yet
NEWSSPIDER_MAX_REJECT_SHARE = 0.2  # share of items rejected
NEWSSPIDER_MAX_FETCH_FAILURE_SHARE = 0.2  # share of fetches that failed
NEWSSPIDER_MAX_ERROR_LINES = 0  # ERROR log lines allowed
NEWSSPIDER_MAX_ARTICLE_AGE = "3d"  # newest article older than this (0: off; local sites: off)
NEWSSPIDER_DRIFT_FLOOR = 0.5  # share of pages a profile selector must still match
NEWSSPIDER_DRIFT_FLOORS: dict[str, float] = {}  # per field, e.g. {"tags": 0.2}
NEWSSPIDER_DRIFT_DROP = 0.3  # ... nor fall this far below the median of recent runs
NEWSSPIDER_DRIFT_MIN_PAGES = 5  # fewer pages: no drift verdict on that field
NEWSSPIDER_ALERT_WEBHOOK = ""  # URL: JSON POST per unhealthy run (Slack-compatible "text")
NEWSSPIDER_ALERT_EMAIL_TO = ""  # comma-separated addresses: e-mail per unhealthy run
NEWSSPIDER_ALERT_EMAIL_FROM = "newsspider@localhost"
NEWSSPIDER_ALERT_SMTP_HOST = "localhost"
NEWSSPIDER_ALERT_SMTP_PORT = 25
NEWSSPIDER_ALERT_SMTP_USER = ""  # login only when set
NEWSSPIDER_ALERT_SMTP_PASSWORD = ""
NEWSSPIDER_ALERT_SMTP_STARTTLS = False
NEWSSPIDER_ALERT_COMMAND = ""  # command run with the alert JSON on stdin
NEWSSPIDER_ALERT_TIMEOUT = 10.0  # seconds per alert channel
NEWSSPIDER_PROGRESS_INTERVAL = 30.0  # seconds between progress lines (0: none)
NEWSSPIDER_KEEP_RUNS = 0  # keep this many newest run folders (0: all)
NEWSSPIDER_KEEP_DAYS = 0  # remove run folders older than this many days (0: never)
NEWSSPIDER_REPORT_ENABLED = True  # history.xlsx + report.html beside the history tables
