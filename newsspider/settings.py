"""Scrapy settings for newsspider: polite defaults for real sites, exports wired to FEEDS.

Every project-specific setting starts with ``NEWSSPIDER_`` and is documented in README.md
("Settings"). Override any of them per run with ``-s NAME=VALUE``.
"""

from __future__ import annotations

from newsspider.feeds import build_feeds

BOT_NAME = "newsspider"
SPIDER_MODULES = ["newsspider.spiders"]
NEWSPIDER_MODULE = "newsspider.spiders"

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
COOKIES_ENABLED = False

LOG_LEVEL = "INFO"
LOGSTATS_INTERVAL = 30.0
# Deduplication drops are expected and counted in stats; don't spam the log with them.
DEFAULT_DROPITEM_LOG_LEVEL = "DEBUG"

# --- the item path: normalize -> validate -> dedupe -> feeds --------------------------------
ITEM_PIPELINES = {
    "newsspider.pipelines.normalize.NormalizePipeline": 100,
    "newsspider.pipelines.validate.ValidatePipeline": 200,
    "newsspider.pipelines.dedupe.DedupePipeline": 300,
}

EXTENSIONS = {
    "newsspider.extensions.RunFilesExtension": 500,
}

# --- exports (see newsspider/feeds.py and docs/DATA_DICTIONARY.md) -------------------------
NEWSSPIDER_EXPORT_DIR = "exports"
FEED_EXPORT_ENCODING = "utf-8"
FEED_STORE_EMPTY = True
FEED_STORAGES = {"file": "newsspider.feeds.AtomicFileFeedStorage"}
FEED_EXPORTERS = {
    "spreadsheet_csv": "newsspider.exporters.SpreadsheetCsvItemExporter",
    "jsonl": "newsspider.exporters.JsonLinesExporter",
}
FEEDS = build_feeds()
