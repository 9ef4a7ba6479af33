"""WARC writing, reading, replay and indexing: plain Python, no Scrapy imports."""
