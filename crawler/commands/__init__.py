"""Custom scrapy commands: crawlall, replay, warc."""
