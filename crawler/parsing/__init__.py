"""How pages are read: the parser base, the page parse and its queries, the selector helpers, the
government-portal base and the generic extractor. A site module in `spiders/` declares selectors and
calls these; the text rules live in `crawler.normalize`."""
