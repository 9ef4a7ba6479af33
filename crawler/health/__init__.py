"""Extraction health: field coverage against each site's floors, and the drift alarms it raises.

`coverage` computes and judges (plain functions over a crawl's stats); `monitors` runs the check
at the end of every crawl as a spidermon monitor suite.
"""
