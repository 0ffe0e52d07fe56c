"""Crawl state for scheduled, incremental crawls: what was seen, fetched and exported before.

* :mod:`newsspider.state.store` - the SQLite state file and its tables.
* :mod:`newsspider.state.paths` - which file a run uses (per site; local sites apart).
* :mod:`newsspider.state.decay` - when a known article is due for a refetch.
* :mod:`newsspider.state.runtime` - the per-crawl object the state components share, the
  content hash / diff helpers and the exceptions that mark "nothing new" fetches.

The Scrapy components are :mod:`newsspider.middlewares_state` (conditional GET, due filter,
unchanged listing snapshots) and :mod:`newsspider.pipelines.state` (new/changed/unchanged).
See docs/SCHEDULING.md.
"""
