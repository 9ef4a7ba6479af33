"""The pages of the bad-input corpus: one well-formed article and the ways pages go wrong."""

from __future__ import annotations

TITLE = "市场监管总局部署开展检验检测机构监督抽查"
PARAGRAPHS = (
    ("近日，市场监管总局（国家认监委）印发通知，部署开展年度检验检测机构资质认定“双随机、一公开”监督抽查工作，"
     "重点检查机动车检验、生态环境监测、建设工程、食品、医疗器械等领域的检验检测机构。"),
    ("通知要求，各地市场监管部门要按照统一部署，制定本地区抽查工作方案，合理确定抽查比例和频次，"
     "对发现的问题依法依规处理，并及时向社会公开抽查结果，切实发挥监督抽查的震慑作用。"),
    ("通知强调，要坚持问题导向，聚焦群众反映强烈、社会关注度高的领域，严厉打击出具虚假检验检测报告等违法行为，"
     "推动检验检测机构落实主体责任，不断提升检验检测服务质量和公信力，为经济社会高质量发展提供有力支撑。"),
)
DATE = "2024-05-01 10:30"
AUTHOR = "王明"


def article_html(title: str = TITLE, paragraphs: tuple[str, ...] = PARAGRAPHS, head: str = "",
                 charset: str | None = None, body_extra: str = "") -> str:
    """A news article page, as the generic extractor sees it on an unknown host."""
    meta = f'<meta charset="{charset}">' if charset else ""
    title_tag = f"<title>{title}</title>" if title else ""
    headline = f"<h1>{title}</h1>" if title else ""
    text = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return (
        f'<!DOCTYPE html><html><head>{meta}{title_tag}{head}'
        f'<meta name="author" content="{AUTHOR}"><meta name="pubdate" content="{DATE}"></head>'
        f'<body><div class="article">{headline}<div class="info">{DATE} 作者：{AUTHOR}</div>'
        f'<div class="content">{text}</div></div>{body_extra}</body></html>'
    )


def malformed_html() -> str:
    """Unclosed and misnested tags, unquoted attributes, a stray end tag, a broken comment."""
    text = "".join(f"<p class=txt>{paragraph}" for paragraph in PARAGRAPHS)
    return (
        f"<html><head><title>{TITLE}</title><meta name=author content={AUTHOR}>"
        f"<body><div class=article><h1>{TITLE}</h1><div class=info>{DATE}</span>"
        f"<div class=content>{text}<b><i>加粗</b>斜体</i></div></div></table><!-- 未闭合的注释 -- >"
    )


def deep_html(depth: int) -> str:
    """The article text inside `depth` nested `<div>`s."""
    text = "".join(f"<p>{paragraph}</p>" for paragraph in PARAGRAPHS)
    return (f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1>"
            + "<div>" * depth + text + "</div>" * depth + "</body></html>")


def many_links_html(count: int, offsite_base: str) -> str:
    """An article followed by `count` links, half of them to another host."""
    links = "".join(
        f'<li><a href="{offsite_base if i % 2 else "/"}links/{i}">链接 {i}</a></li>' for i in range(count)
    )
    return article_html(body_extra=f"<ul class='links'>{links}</ul>")


def script_only_html() -> str:
    """A page whose content is all script (a client-rendered app)."""
    return ("<html><head><script src='/app.js'></script></head><body><div id=app></div>"
            "<script>window.__STATE__={\"title\":\"" + TITLE + "\"};render(document.getElementById('app'));"
            "fetch('/js-ran');new Image().src='/js-image';</script>"
            "</body></html>")


GB18030_ONLY = "𠮷"
"""A character GBK cannot encode (CJK extension B): a page with it must be GB18030, not GBK."""
