"""The Scrapy project of the NQI archival crawler."""

__version__ = "0.1.0"
