"""`python -m crawler.bench`: the performance benchmark behind `make bench`.

It generates a synthetic mirror of realistic article and list pages (`synth`), serves it over
loopback, and measures crawl throughput with WARC off and on, replay against trafilatura, peak
memory of a small and a large crawl, and the cost of each site parser against a plain lxml
parse. It prints a table and writes `data/bench.json` (see docs/performance.md).
"""
