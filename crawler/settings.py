"""Scrapy settings of the NQI archival crawler. Every project default lives here; override with `-s NAME=VALUE`."""

from crawler import __version__

BOT_NAME = "nqi_crawler"

SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
COMMANDS_MODULE = "crawler.commands"

# Politeness. Government portals are slow and some sites refuse non-browser user agents
# (dutenews answered 405 to one), so the crawler names itself inside a browser-like string.
USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    f"Chrome/124.0 Safari/537.36 nqi-crawler/{__version__} (+archival; see README)"
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# The output of one callback (items, requests) is handled one object at a time: Scrapy starts
# CONCURRENT_ITEMS asyncio tasks for every response's output (a per-response limit), and the item
# pipelines here are synchronous, so more tasks gain nothing and only cost CPU on every response.
CONCURRENT_ITEMS = 1
# Scrapy's check for generator callbacks that return a value parses the callback's source with `ast`
# on nearly every response (its cache holds bound methods weakly, and each request's bound method
# dies with the request). Our callbacks are reviewed code, so the check is off.
WARN_ON_GENERATOR_RETURN_VALUE = False
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.25
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19's remote control (an HTTP server that runs code in the crawl), off like the telnet console.
REMOTE_CONTROL_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
# CSV cells of list and object fields are JSON text (crawler/exporters.py), not Python reprs.
FEED_EXPORTERS = {"csv": "crawler.exporters.JsonFieldsCsvItemExporter"}
LOG_LEVEL = "INFO"
# Scrapy's dumps of versions, add-ons, components, overridden settings and stats, and Spidermon's
# result lines, are logged at this level (crawler/logs.py): the INFO log says what the run did.
LOG_DUMPS_LEVEL = "DEBUG"
# Scrapy's own line for a dropped item (with the whole item's repr) at DEBUG: RejectsLog already
# logs each drop once, with its reason, and writes it to the rejects file.
DEFAULT_DROPITEM_LOG_LEVEL = "DEBUG"

DOWNLOAD_HANDLERS = {
    "http": "crawler.downloader.ArchivingDownloadHandler",
    "https": "crawler.downloader.ArchivingDownloadHandler",
}

DOWNLOADER_MIDDLEWARES = {
    # Sits closest to the downloader: sees requests as sent and responses as received
    # (before HttpCompressionMiddleware decodes them).
    "crawler.middlewares.warc.WarcMiddleware": 950,
}

ITEM_PIPELINES = {
    "crawler.pipelines.normalize.NormalizePipeline": 100,
    "crawler.pipelines.validate.ValidatePipeline": 200,
    "crawler.pipelines.dedupe.DedupePipeline": 300,
}

EXTENSIONS = {
    "crawler.extensions.quietlog.QuietLog": -10,  # before the others: Scrapy lists them once all are built
    "crawler.extensions.rejects.RejectsLog": 500,
    # log_count/<LEVEL> per spider, not per process (crawler/extensions/logcount.py).
    "scrapy.extensions.logcount.LogCount": None,
    "crawler.extensions.logcount.SiteLogCount": 0,
}

# WARC archiving (archive/ writes, crawler/middlewares/warc.py feeds it).
WARC_ENABLED = True
WARC_DIR = "data/warc"
WARC_MAX_SIZE = 1024 * 1024 * 1024
WARC_PREFIX = "nqi"
# gzip level of each record (1-9; measured in docs/performance.md) and how many exchanges of a spider
# may wait for the WARC writer; a further response waits on a Deferred (the crawl pauses, the reactor
# thread does not block).
WARC_GZIP_LEVEL = 3
WARC_QUEUE_SIZE = 64

# The fixture mirror: when set, every request goes to this loopback server while items and
# WARC records keep the real URLs. `make run` and the tests set it.
MIRROR_URL = ""

# Security: refuse loopback, private and link-local addresses unless set (the mirror sets it).
ALLOW_PRIVATE_NETWORKS = False

# Runs (crawler/runs.py): each run has its own folder RUNS_DIR/<run>/ for its items (when no -o/-O
# names a feed), rejects and report; RUNS_DIR/latest links to the newest run.
RUNS_DIR = "data/runs"
ADDONS = {"crawler.runs.DefaultFeed": 10}

# Dropped items land here with their reason, URL and WARC location; empty: the run's rejects.jsonl.
REJECTS_PATH = ""

# Repost detection: MinHash Jaccard similarity at which a body counts as the same text.
DEDUPE_REPOST_THRESHOLD = 0.8

# State store (crawler/state/): what earlier crawls fetched and exported, per canonical URL.
# `sqlite:///data/state.sqlite3` (relative to the working folder) or `redis://host:port/db`.
STATE_ENABLED = True
STATE_URI = "sqlite:///data/state.sqlite3"
STATE_CONDITIONAL = True  # send If-None-Match / If-Modified-Since for known articles
STATE_REDIS_PREFIX = "nqi:state"
# A SQLite store waits for the disk at its checkpoints, so a power cut loses no acknowledged write
# (`scrapy replay` turns it off for the scratch store it deletes when it ends).
STATE_DURABLE = True
# Read the store, never write it (the `page` spider sets it; `-s STATE_READ_ONLY=False` records its pages).
STATE_READ_ONLY = False
# Drop articles whose text is unchanged since their last export (the `page` spider exports them again).
STATE_DROP_UNCHANGED = True
EXTENSIONS["crawler.state.extension.StateExtension"] = 100
EXTENSIONS["crawler.locks.SpiderLockExtension"] = 90
# Below Scrapy's DownloaderStats (850), so a 304 or an identical payload it ends still counts as a response;
# above HttpCompression (590), so it sees the body as archived.
DOWNLOADER_MIDDLEWARES["crawler.middlewares.conditional.ConditionalRequestMiddleware"] = 800
ITEM_PIPELINES["crawler.pipelines.state.VersionPipeline"] = 250
# Local feeds are written unbuffered, so an item the state store counts as exported is in the file.
FEED_STORAGES = {
    "": "crawler.state.feeds.UnbufferedFileFeedStorage",
    "file": "crawler.state.feeds.UnbufferedFileFeedStorage",
}

# Scheduling: a run of a spider holds the lock file LOCK_DIR/<spider>.lock; another run of the
# same spider refuses to start while it is held.
LOCK_ENABLED = True
LOCK_DIR = "data/locks"

# Distributed mode: with REDIS_URL set, scrapy-redis shares the request queue and duplicate filter
# between crawl processes, and the state store lives in the same Redis (unless STATE_URI is set).
REDIS_URL = ""
ADDONS["crawler.distributed.DistributedMode"] = 0

# Extraction health (crawler/health/): spidermon counts field coverage and, when a spider closes,
# runs the layout-drift monitors against the site's coverage floors (`Site.coverage_floors`).
SPIDERMON_ENABLED = True
SPIDERMON_ADD_FIELD_COVERAGE = True
SPIDERMON_FIELD_COVERAGE_SKIP_NONE = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ["crawler.health.monitors.HealthSuite"]
EXTENSIONS["spidermon.contrib.scrapy.extensions.Spidermon"] = 600
# A floor below 1.0 is judged only from this many items; a floor of 1.0 from the first item.
HEALTH_MIN_ITEMS = 5
# Largest share of parsed pages that may be dropped as unusable (`invalid`, `normalize_error`).
HEALTH_MAX_INVALID_SHARE = 0.25

# Replay (crawler/replay/): answer every request from these WARC files or folders instead of the
# network (a comma-separated list; `scrapy replay` sets it). Misses fail with `replay/miss`.
REPLAY_WARC = ""
# Worker processes `scrapy replay` parses in (`-j N`); 0: as many as the machine's cores.
REPLAY_JOBS = 0
# With REDIS_URL set, replay processes share an archive's batches; the claims expire this many
# seconds after the last one (the processes of one shared replay run at the same time).
REPLAY_REDIS_TTL = 300
# Also parse HTML captures on hosts no site spider owns, with the generic extractor (`scrapy replay --generic`).
REPLAY_GENERIC = False
# Draw tqdm progress bars while indexing and replaying archives (only when stderr is a terminal).
REPLAY_PROGRESS = True
DOWNLOADER_MIDDLEWARES["crawler.replay.middleware.ArchiveReplayMiddleware"] = 990

# Decoding (crawler/middlewares/charset.py): a declared charset that fails on more than
# CHARSET_MAX_INVALID_RATIO of the non-ASCII bytes is wrong; then, and when nothing is declared,
# the first of CHARSET_FALLBACKS that decodes the whole body is used.
CHARSET_FALLBACKS = ["utf-8", "gb18030"]
CHARSET_MAX_INVALID_RATIO = 0.05
DOWNLOADER_MIDDLEWARES["crawler.middlewares.charset.CharsetMiddleware"] = 585

# Crawl report (crawler/report/): every run writes REPORT_DIR/<run>.json and .html (run = UTC start
# time) and, with REPORT_TABLE, prints a compact per-site table when the last crawler stops.
REPORT_ENABLED = True
REPORT_DIR = "data/reports"
REPORT_TABLE = True
EXTENSIONS["crawler.report.extension.CrawlReport"] = 700

# The network guard (crawler/middlewares/netguard.py, crawler/resolver.py, crawler/addresses.py):
# only http and https; no loopback, private, link-local or cloud-metadata address (checked on the
# resolved address before sending, and by the resolver again at connect time) unless
# ALLOW_PRIVATE_NETWORKS is set. NETGUARD_ALLOWED_NETWORKS: CIDR networks allowed even so.
NETGUARD_ALLOWED_NETWORKS = []
TWISTED_DNS_RESOLVER = "crawler.resolver.GuardedResolver"
DOWNLOADER_MIDDLEWARES["crawler.middlewares.netguard.NetGuardMiddleware"] = 60
# Offsite (crawler/middlewares/offsite.py): redirects to other sites are refused and logged.
DOWNLOADER_MIDDLEWARES["scrapy.downloadermiddlewares.offsite.OffsiteMiddleware"] = None
DOWNLOADER_MIDDLEWARES["crawler.middlewares.offsite.OffsiteMiddleware"] = 50
# robots.txt (crawler/middlewares/robots.py): Scrapy's middleware, fixed to check every request.
DOWNLOADER_MIDDLEWARES["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"] = None
DOWNLOADER_MIDDLEWARES["crawler.middlewares.robots.RobotsTxtMiddleware"] = 100

# Retries (crawler/middlewares/retry.py): Scrapy's, plus Retry-After (a wait of at most
# RETRY_AFTER_MAX seconds) and retries of bodies cut short. DOWNLOAD_FAIL_ON_DATALOSS is off so
# that the bytes of a cut-short body reach the WARC; such a response never reaches a parser.
RETRY_AFTER_MAX = 60
DOWNLOAD_FAIL_ON_DATALOSS = False
DOWNLOADER_MIDDLEWARES["scrapy.downloadermiddlewares.retry.RetryMiddleware"] = None
DOWNLOADER_MIDDLEWARES["crawler.middlewares.retry.RetryMiddleware"] = 550

# Responses that are no page (crawler/middlewares/unusable.py): binary, empty, cut short, or
# nested deeper than RESPONSE_MAX_DEPTH elements; archived, never parsed.
RESPONSE_MAX_DEPTH = 512
SPIDER_MIDDLEWARES = {"crawler.middlewares.unusable.UnusableResponseMiddleware": 60}
# U+FFFD in exported titles and bodies: the stat decode/replacement_chars and a log line.
EXTENSIONS["crawler.extensions.decoding.ReplacementCharacters"] = 520

# Output paths (crawler/paths.py): WARC_PREFIX and the spider name must be plain file names (the
# crawl refuses to start otherwise); -a values in feed URIs are percent-encoded when they are not.
EXTENSIONS["crawler.extensions.outputpaths.OutputPaths"] = 0
FEED_URI_PARAMS = "crawler.paths.feed_uri_params"

# Scrapy defaults the crawler's behaviour rests on, stated here so that a Scrapy upgrade that moves a
# default cannot change what a crawl fetches, archives or skips (tests/unit/test_settings_pinned.py).
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
ROBOTSTXT_PARSER = "scrapy.robotstxt.ProtegoRobotParser"  # Google's matching rules
RETRY_ENABLED = True
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_ENABLED = True
REDIRECT_MAX_TIMES = 20  # a longer chain is a loop: requests/failed/redirect_loop
METAREFRESH_ENABLED = True
METAREFRESH_MAXDELAY = 100
DOWNLOAD_MAXSIZE = 1024 * 1024 * 1024  # larger bodies are cancelled: requests/failed/too_large
DOWNLOAD_WARNSIZE = 32 * 1024 * 1024
HTTPERROR_ALLOWED_CODES: list[int] = []  # error pages are archived, never parsed
COMPRESSION_ENABLED = True
HTTPCACHE_ENABLED = False  # every fetch is a real fetch, archived as such
DEPTH_LIMIT = 0  # list paging is bounded by `max_pages`, `since` and the state store instead
URLLENGTH_LIMIT = 2083
DNS_TIMEOUT = 60
DUPEFILTER_CLASS = "scrapy.dupefilters.RFPDupeFilter"
REQUEST_FINGERPRINTER_CLASS = "scrapy.utils.request.RequestFingerprinter"
SCHEDULER_PRIORITY_QUEUE = "scrapy.pqueues.DownloaderAwarePriorityQueue"
FEED_EXPORT_INDENT = 0  # JSON lines: one item a line
FEED_STORE_EMPTY = True
