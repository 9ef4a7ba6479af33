"""Normalization: the one place for text rules (whitespace, dates, bylines, mirror repair, articles)."""
