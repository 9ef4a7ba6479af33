"""Downloader middlewares: WARC archiving, network guard."""
