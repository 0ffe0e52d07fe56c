"""Scrapy settings for newsspider: polite defaults for real sites, exports wired to FEEDS.

Every project-specific setting starts with ``NEWSSPIDER_`` and is documented in README.md
("Settings"). Override any of them per run with ``-s NAME=VALUE``.
"""

from __future__ import annotations

from newsspider.feeds import build_feeds
from newsspider.middlewares import redact_logged_secrets
from newsspider.offline import use_bundled_public_suffix_list

redact_logged_secrets()  # the "Overridden settings" log line must not show HTTPAUTH_PASS
use_bundled_public_suffix_list()  # no download of the Public Suffix List at crawl time

BOT_NAME = "newsspider"
SPIDER_MODULES = ["newsspider.spiders"]
NEWSPIDER_MODULE = "newsspider.spiders"
COMMANDS_MODULE = "newsspider.commands"

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
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
COOKIES_ENABLED = False

# --- surviving the real web (newsspider/middlewares.py, docs/ROBUSTNESS.md) ---------------
DOWNLOADER_MIDDLEWARES = {
    "newsspider.middlewares.UrlSafetyMiddleware": 10,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "newsspider.middlewares.RobotsTxtRfc9309Middleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newsspider.middlewares.BackoffRetryMiddleware": 550,
    "newsspider.middlewares.HostCircuitBreakerMiddleware": 560,
    "newsspider.middlewares.RedirectGuardMiddleware": 605,
    "newsspider.middlewares.CrossOriginHeaderGuardMiddleware": 720,
}
SPIDER_MIDDLEWARES = {
    "newsspider.middlewares.LinkHygieneMiddleware": 550,
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

LOG_LEVEL = "INFO"
LOGSTATS_INTERVAL = 30.0
# Deduplication drops are expected and counted in stats; don't spam the log with them.
DEFAULT_DROPITEM_LOG_LEVEL = "DEBUG"

# --- the item path: normalize -> validate -> dedupe -> feeds --------------------------------
ITEM_PIPELINES = {
    "newsspider.pipelines.normalize.NormalizePipeline": 100,
    "newsspider.pipelines.validate.ValidatePipeline": 200,
    "newsspider.pipelines.dedupe.DedupePipeline": 300,
    "newsspider.pipelines.state.StatePipeline": 400,
}

EXTENSIONS = {
    "newsspider.extensions.RunFilesExtension": 500,
    "newsspider.middlewares.CredentialRedactionExtension": 100,
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
FEEDS = build_feeds()

# --- scheduled, incremental crawls: the crawl state (newsspider/state/, docs/SCHEDULING.md) --
# The state middlewares are merged into whatever middleware tables are defined above.
DOWNLOADER_MIDDLEWARES = {
    **globals().get("DOWNLOADER_MIDDLEWARES", {}),
    # after redirects (600) so it sees where a request landed, before retries (550)
    "newsspider.middlewares_state.StateDownloaderMiddleware": 580,
}
SPIDER_MIDDLEWARES = {
    **globals().get("SPIDER_MIDDLEWARES", {}),
    "newsspider.middlewares_state.StateSpiderMiddleware": 800,
}
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
NEWSSPIDER_REPORT_ENABLED = True  # history.xlsx + report.html beside the history tables
