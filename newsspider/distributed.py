"""Distributed crawls: N workers share one Redis request queue and duplicate filter.

Opt in per run with ``-s NEWSSPIDER_REDIS_URL=redis://host:6379/0`` (or ``unix:///path.sock``);
every worker runs the same command, see docs/DISTRIBUTED.md. Without the setting nothing here
runs and scrapy-redis need not be installed.

We use scrapy-redis (0.9.x) for the Redis queue, its request serialization and the dupefilter
key layout, through thin subclasses that:

* stay clear of Scrapy 2.19 deprecations (scrapy-redis passes ``spider=`` to the stats
  collector) and fingerprint with the crawler's ``REQUEST_FINGERPRINTER`` like the rest of the
  project (scrapy-redis hashes its own JSON);
* let a one-shot crawl end: a worker whose view of the queue is empty waits while another live
  worker still holds a request (its page may add links), then closes - all workers exit;
* clean up: the last worker out deletes the crawl's keys, so the next run starts fresh.
  ``SCHEDULER_PERSIST`` is on, otherwise the first worker to finish would wipe the shared queue
  and dupefilter from under the others.

Keys live under ``newsspider:<crawl>:`` where ``<crawl>`` is ``NEWSSPIDER_REDIS_CRAWL`` or, by
default, the spider name plus a hash of its start URL(s): the same command means the same crawl.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import re
import socket
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider

from newsspider import settings as defaults  # each default: settings.py
from newsspider.middlewares import redact_credentials
from newsspider.run import RunInputs, run_context

try:  # the optional "redis" extra; configure_distributed() says how to install it
    from scrapy_redis.dupefilter import RFPDupeFilter as _RedisDupeFilterBase
    from scrapy_redis.scheduler import Scheduler as _RedisSchedulerBase
except ImportError:  # pragma: no cover - exercised only without the extra
    _RedisDupeFilterBase = object
    _RedisSchedulerBase = object

logger = logging.getLogger(__name__)

REDIS_URL_SETTING = "NEWSSPIDER_REDIS_URL"
CRAWL_SETTING = "NEWSSPIDER_REDIS_CRAWL"
HEARTBEAT_SECONDS = 10.0  # a live worker refreshes its registration this often
WORKER_TIMEOUT_SECONDS = 60.0  # a worker silent this long is dead (crashed, killed, unplugged)
CONNECT_TIMEOUT_SECONDS = 5.0
URL_SCHEMES = ("redis", "rediss", "unix")

# Keys of one crawl. ``requests`` (sorted set) and ``dupefilter`` (set) are scrapy-redis's.
KEY_PREFIX = "newsspider:%(crawl)s"


class DistributedSetupError(SystemExit):
    """One line on stderr and exit status 1, no traceback (raised before the crawl starts)."""

    def __init__(self, message: str) -> None:
        super().__init__(f"error: {message}")


def crawl_name(settings: Any, inputs: RunInputs) -> str:
    """The key namespace: NEWSSPIDER_REDIS_CRAWL, else spider name + hash of its start URLs."""
    explicit = settings.get(CRAWL_SETTING)
    if explicit:
        return re.sub(r"[^A-Za-z0-9._:-]", "_", str(explicit))[:100]
    digest = hashlib.sha1("\n".join(inputs.site_urls).encode("utf-8")).hexdigest()[:12]
    return f"{inputs.spider_name}:{digest}"


def keys_from_settings(settings: Any) -> dict[str, str]:
    """The crawl's keys, as configure_distributed() set them for this run."""
    return crawl_keys(str(settings.get(CRAWL_SETTING)))


def crawl_keys(crawl: str) -> dict[str, str]:
    prefix = KEY_PREFIX % {"crawl": crawl}
    return {
        "requests": f"{prefix}:requests",
        "dupefilter": f"{prefix}:dupefilter",
        "workers": f"{prefix}:workers",  # sorted set: worker id -> last heartbeat (Redis time)
        "busy": f"{prefix}:busy",  # set: workers holding a request taken from the queue
    }


def redis_client(url: str) -> Any:
    import redis

    return redis.Redis.from_url(
        url, socket_connect_timeout=CONNECT_TIMEOUT_SECONDS, socket_timeout=30
    )


def configure_distributed(settings: Any, inputs: RunInputs) -> None:
    """Switch the crawler to the shared Redis scheduler if NEWSSPIDER_REDIS_URL is set.

    Called by the run's add-on (newsspider/run.py) while the settings can still change. Exits
    with one ``error:`` line if the URL is bad, the extra is missing or Redis does not answer.
    """
    url = settings.get(REDIS_URL_SETTING)
    if not url:
        return
    shown = redact_credentials(url)
    if urlsplit(url).scheme not in URL_SCHEMES:
        raise DistributedSetupError(
            f"-s {REDIS_URL_SETTING}={shown!r} is not a Redis URL;"
            " try redis://HOST:6379/0 or unix:///path/to/redis.sock"
        )
    if _RedisSchedulerBase is object:
        raise DistributedSetupError(
            f"{REDIS_URL_SETTING} needs scrapy-redis: pip install 'newsspider[redis]'"
        )
    if settings.get("JOBDIR"):
        raise DistributedSetupError(
            f"-s JOBDIR and {REDIS_URL_SETTING} don't mix: the Redis queue already survives a"
            " stop (start the workers again to resume); drop -s JOBDIR"
        )
    import redis

    try:
        redis_client(url).ping()
    except (redis.RedisError, OSError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DistributedSetupError(
            f"cannot reach Redis at {shown} ({reason}); start it or fix -s {REDIS_URL_SETTING}"
        ) from None

    crawl = crawl_name(settings, inputs)
    keys = crawl_keys(crawl)
    for name, value in {
        CRAWL_SETTING: crawl,
        "SCHEDULER": "newsspider.distributed.RedisScheduler",
        "DUPEFILTER_CLASS": "newsspider.distributed.RedisDupeFilter",
        "SCHEDULER_PERSIST": True,  # the last worker out cleans up, not the first
        "SCHEDULER_QUEUE_KEY": keys["requests"],
        "SCHEDULER_DUPEFILTER_KEY": keys["dupefilter"],
        "REDIS_URL": url,
    }.items():
        settings.set(name, value, priority="cmdline")
    if settings.getbool("NEWSSPIDER_STATE_ENABLED", defaults.NEWSSPIDER_STATE_ENABLED):
        # the state is a per-site SQLite file on one machine: workers can't share it, and each
        # would skip or export a different subset of articles
        settings.set("NEWSSPIDER_STATE_ENABLED", False, priority="cmdline")
        logger.info(
            "Distributed run: incremental state off (a per-site SQLite file can't be shared"
            " between workers); every worker exports what it fetches"
        )
    logger.info(
        "Distributed crawl %r on %s: shared request queue and duplicate filter", crawl, shown
    )


class RedisDupeFilter(_RedisDupeFilterBase):  # type: ignore[misc,valid-type]
    """scrapy-redis's shared duplicate filter, fingerprinting like Scrapy does."""

    fingerprinter: Any = None

    @classmethod
    def from_spider(cls, spider: Any) -> RedisDupeFilter:
        keys = keys_from_settings(spider.settings)
        server = redis_client(spider.settings["REDIS_URL"])
        instance = cls(
            server, key=keys["dupefilter"], debug=spider.settings.getbool("DUPEFILTER_DEBUG")
        )
        instance.fingerprinter = spider.crawler.request_fingerprinter
        return instance

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedisDupeFilter:
        raise TypeError("RedisDupeFilter is built by RedisScheduler (NEWSSPIDER_REDIS_URL)")

    def request_fingerprint(self, request: Request) -> str:
        if self.fingerprinter is None:
            return str(super().request_fingerprint(request))
        return str(self.fingerprinter.fingerprint(request).hex())


# Atomically take the best request and mark this worker busy: at every instant a request is
# either in the queue or held by a worker the others can see, so nobody closes too early.
_POP = """
local item = redis.call('ZRANGE', KEYS[1], 0, 0)
if #item == 0 then return false end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, 0)
redis.call('SADD', KEYS[2], ARGV[1])
return item[1]
"""

# Register a worker. A crawl whose workers all died after the queue drained left only its
# dupefilter: drop it, or the same command would fetch nothing ever again.
_REGISTER = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
local others = redis.call('ZCARD', KEYS[1])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
local queued = redis.call('ZCARD', KEYS[2])
local seen = redis.call('SCARD', KEYS[3])
local fresh = 0
if others == 0 and queued == 0 and seen > 0 then
  redis.call('DEL', KEYS[3], KEYS[4])
  fresh = 1
end
return {others, queued, seen, fresh}
"""

# This worker is idle: how many *live* others still hold a request?
_IDLE = """
redis.call('SREM', KEYS[2], ARGV[1])
local busy = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local beat = redis.call('ZSCORE', KEYS[1], id)
  if beat and tonumber(beat) > tonumber(ARGV[2]) then busy = busy + 1 end
end
return {busy, redis.call('ZCARD', KEYS[3])}
"""

# Deregister; the last worker out of a drained crawl deletes its keys (the next run is new).
_UNREGISTER = """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('SREM', KEYS[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
if redis.call('ZCARD', KEYS[1]) == 0 and redis.call('ZCARD', KEYS[3]) == 0 then
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
  return 1
end
return 0
"""


class RedisScheduler(_RedisSchedulerBase):  # type: ignore[misc,valid-type]
    """scrapy-redis's scheduler for one-shot crawls shared by several workers."""

    crawler: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedisScheduler:
        instance: RedisScheduler = cls.from_settings(crawler.settings)
        # the atomic pop in next_request() is written for the sorted-set queue
        instance.queue_cls = "scrapy_redis.queue.PriorityQueue"
        instance.stats = crawler.stats
        instance.crawler = crawler
        return instance

    def open(self, spider: Any) -> None:
        super().open(spider)
        self.keys = keys_from_settings(spider.settings)
        run_id = run_context(self.crawler).run_id
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{run_id}"
        self.waiting_logged = False
        self.lost = False
        self._pop = self.server.register_script(_POP)
        self._idle = self.server.register_script(_IDLE)
        self._unregister = self.server.register_script(_UNREGISTER)
        others, queued, seen, fresh = self.server.register_script(_REGISTER)(
            keys=[
                self.keys["workers"],
                self.keys["requests"],
                self.keys["dupefilter"],
                self.keys["busy"],
            ],
            args=[self.worker_id, self._now(), self._now() - WORKER_TIMEOUT_SECONDS],
        )
        if fresh:
            logger.info("Previous crawl's workers are gone and its queue is empty: starting anew")
        elif others:
            logger.info("Joined %d other worker(s): %d requests queued", others, queued)
        elif queued:
            logger.warning(
                "Resuming an interrupted crawl: %d requests queued, %d URLs already seen",
                queued,
                seen,
            )
        from twisted.internet.task import LoopingCall

        self._heartbeat = LoopingCall(self._beat)
        self._heartbeat.start(HEARTBEAT_SECONDS, now=False)
        self.crawler.signals.connect(self._spider_idle, signal=signals.spider_idle)

    def _now(self) -> float:
        seconds, micros = self.server.time()  # one clock for all machines
        return float(seconds) + float(micros) / 1e6

    def _beat(self) -> None:
        try:
            self.server.zadd(self.keys["workers"], {self.worker_id: self._now()})
        except Exception as exc:  # a missed beat is not fatal; the next one may get through
            logger.warning("Redis heartbeat failed: %s", exc)

    def _redis_lost(self, exc: Exception) -> None:
        """Redis went away mid-crawl: one ERROR line, close this worker, exit status 1."""
        if self.lost:
            return
        self.lost = True
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        logger.error(
            "Lost the Redis connection (%s): stopping this worker. Requests it held are not"
            " exported; start the workers again once Redis is back to resume the crawl",
            reason,
        )
        from scrapy.utils.defer import deferred_from_coro

        deferred_from_coro(self.crawler.engine.close_spider_async(reason="redis_unreachable"))
        argv0 = Path(sys.argv[0] if sys.argv else "")
        if "scrapy" in (argv0.name, argv0.parent.name):
            # Scrapy picks the exit status before any component can say the run failed
            # (same approach as RunFilesExtension.fail_exit_status)
            def exit_with_code() -> None:
                logging.shutdown()
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(1)

            atexit.register(exit_with_code)

    def _spider_idle(self) -> None:
        import redis

        if self.lost:
            return
        try:
            busy, queued = self._idle(
                keys=[self.keys["workers"], self.keys["busy"], self.keys["requests"]],
                args=[self.worker_id, self._now() - WORKER_TIMEOUT_SECONDS],
            )
        except redis.RedisError as exc:
            self._redis_lost(exc)
            return
        if busy or queued:
            if not self.waiting_logged:
                logger.info("Queue empty here; waiting for %d other worker(s) still crawling", busy)
                self.waiting_logged = True
            raise DontCloseSpider
        self.waiting_logged = False

    def close(self, reason: str) -> None:
        if getattr(self, "_heartbeat", None) is not None and self._heartbeat.running:
            self._heartbeat.stop()
        if getattr(self, "lost", True):
            return  # Redis is gone (or open() never got to register this worker)
        last = self._unregister(
            keys=[
                self.keys["workers"],
                self.keys["busy"],
                self.keys["requests"],
                self.keys["dupefilter"],
            ],
            args=[self.worker_id, self._now() - WORKER_TIMEOUT_SECONDS],
        )
        if last:
            logger.info("Last worker of the crawl: its Redis keys are deleted")
        super().close(reason)

    def __len__(self) -> int:
        import redis

        if self.lost:
            return 0
        try:
            return len(self.queue)
        except redis.RedisError as exc:
            self._redis_lost(exc)
            return 0

    def has_pending_requests(self) -> bool:
        return len(self) > 0

    def enqueue_request(self, request: Request) -> bool:
        import redis

        if self.lost:
            return False
        try:
            if not request.dont_filter and self.df.request_seen(request):
                self.df.log(request, self.spider)
                return False
            self.queue.push(request)
        except redis.RedisError as exc:
            self._redis_lost(exc)
            return False
        if self.stats is not None:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        import redis

        if self.lost:
            return None
        try:
            data = self._pop(keys=[self.keys["requests"], self.keys["busy"]], args=[self.worker_id])
        except redis.RedisError as exc:
            self._redis_lost(exc)
            return None
        if not data:
            return None
        self.waiting_logged = False
        if self.stats is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
        request: Request = self.queue._decode_request(data)
        return request
