"""Scrapy extensions: the rejects log, U+FFFD accounting, output-path checks."""
