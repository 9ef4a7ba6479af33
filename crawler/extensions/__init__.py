"""Scrapy extensions: the rejects log and the end-of-crawl summary."""
