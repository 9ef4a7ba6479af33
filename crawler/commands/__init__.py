"""The project's scrapy commands: crawl (Scrapy's, with exit codes), crawlall, replay, diff, warc.

Scrapy's command line imports this package before it starts a crawler process, which logs the
versions of Scrapy's dependencies at INFO: the dumps are relabelled DEBUG from here on
(`crawler.logs`; `LOG_DUMPS_LEVEL`, read by `crawler.extensions.quietlog` once a crawl starts).
"""

from crawler.logs import demote_scrapy_dumps

demote_scrapy_dumps()
