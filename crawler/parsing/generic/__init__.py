"""The generic extractor of the `page` spider, for pages no site parser owns.

trafilatura, a well-kept extractor and the strongest on body text, finds the article text. The
rest comes from the project's own Chinese date and byline rules (`crawler.normalize`), applied
where news pages print those fields: `<meta>` tags, the lines under the headline
(`2024-10-10 09:52 来源:… 记者 …`), the top and bottom of the body, and the lines after it.

- `markup`: what is read from the page's tree (text lines, `<meta>` values, headline candidates);
- `layout`: where the headline and the body lie among the page's lines;
- `credits`: staff credits and personal names in a line;
- `edges`: the body's top (headline, byline, dateline) and bottom (closing credits);
- `parser`: `GenericParser`, which puts them together into an `ArticleDraft`.
"""

from crawler.parsing.generic.parser import SITE, GenericParser

__all__ = ["SITE", "GenericParser"]
