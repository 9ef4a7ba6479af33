"""The crawl report: every run writes `REPORT_DIR/<run>.json` and `.html` and prints a compact table.

`model` turns a crawler's stats into a site section (plain data, the JSON); `chart` draws items
by publish date with matplotlib; `page` renders the HTML; `table` the terminal table;
`extension` is the Scrapy glue that collects the sections of one process and writes them.
"""
