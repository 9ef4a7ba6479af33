"""Page chrome for the synthetic mirror: navigation, link lists, inline scripts and styles.

Real article pages of Chinese news and government sites weigh 40-60 KiB, most of it chrome
around a few KiB of text. These blocks pad a template page to a target size with the markup
such pages carry. Their classes and texts match no site selector (no list-entry classes, no
`下一页`, no `原文链接`, no headings), so the site parsers' output does not change.
"""

from __future__ import annotations

import html
import random

NAV_WORDS = (
    "首页", "要闻", "政务公开", "政务服务", "互动交流", "政策解读", "图片新闻", "专题专栏", "公告公示", "部门动态",
    "市县动态", "质量监管", "计量工作", "标准化", "认证认可", "检验检测", "知识产权", "网上办事", "数据发布",
)
CSS_RULES = (
    ".w1200{width:1200px;margin:0 auto}", ".clearfix:after{content:'';display:block;clear:both}",
    ".fl{float:left}", ".fr{float:right}", "a{color:#333;text-decoration:none}", "a:hover{color:#c00}",
    ".hot-links li{line-height:32px;border-bottom:1px dashed #ddd;overflow:hidden;white-space:nowrap}",
    ".site-footer{background:#f5f5f5;padding:20px 0;color:#666;font-size:13px}",
    ".share-bar span{display:inline-block;width:24px;height:24px;background-size:cover}",
)


def chrome_block(rng: random.Random, titles: list[str], index: int) -> str:
    """One block of page chrome (about 1.5-4 KiB): mostly link lists, then scripts, style sheets, footers."""
    kind = BLOCK_CYCLE[index % len(BLOCK_CYCLE)]
    if kind == "links":
        return _link_list(rng, titles)
    if kind == "script":
        return _script(rng, index)
    if kind == "style":
        return _style(rng)
    return _footer(rng)


BLOCK_CYCLE = ("links", "script", "links", "style", "links", "footer")
"""Link lists dominate, as on the sites' pages (500-1,000 elements in 40-60 KiB)."""


def pad(rng: random.Random, titles: list[str], size: int) -> str:
    """Chrome blocks adding up to at least `size` bytes of UTF-8."""
    blocks: list[str] = []
    total = 0
    while total < size:
        block = chrome_block(rng, titles, len(blocks))
        blocks.append(block)
        total += len(block.encode("utf-8"))
    return "\n".join(blocks)


def _link_list(rng: random.Random, titles: list[str]) -> str:
    items = "".join(
        f'<li><a href="/bench/related/{rng.randrange(10**7)}.html" target="_blank">'
        f'{html.escape(rng.choice(titles))}</a>'
        f'<em>{rng.randrange(1, 28):02d}-{rng.randrange(1, 28):02d}</em></li>\n'
        for _ in range(rng.randrange(15, 30))
    )
    heading = rng.choice(("热点新闻", "相关阅读", "推荐阅读", "专题聚焦"))
    return (f'<div class="side-box"><div class="side-head"><b>{heading}</b></div>'
            f'<ul class="hot-links">\n{items}</ul></div>')


def _script(rng: random.Random, index: int) -> str:
    channels = ",".join(f'"{rng.choice(NAV_WORDS)}"' for _ in range(12))
    lines = [
        "var _hmt = _hmt || [];",
        f"(function() {{ var hm = document.createElement('script'); hm.src = '/stat/hm.js?{rng.getrandbits(64):016x}';",
        "  var s = document.getElementsByTagName('script')[0]; s.parentNode.insertBefore(hm, s); })();",
        f"var shareConfig = {{ channels: [{channels}], block: {index}, seed: '{rng.getrandbits(128):032x}' }};",
        (
            "function setFontSize(size) { var box = document.getElementById('content');"
            " if (box) { box.style.fontSize = size + 'px'; } }"
        ),
        "window.onload = function () { var d = new Date(); var el = document.getElementById('todayDate');",
        "  if (el) { el.innerHTML = d.getFullYear() + '年' + (d.getMonth() + 1) + '月' + d.getDate() + '日'; } };",
    ]
    rng.shuffle(lines)
    return "<script type=\"text/javascript\">\n" + "\n".join(lines * 3) + "\n</script>"


def _style(rng: random.Random) -> str:
    rules = [f".b{rng.getrandbits(24):06x} {rule}" for rule in CSS_RULES for _ in range(3)]
    rng.shuffle(rules)
    return "<style type=\"text/css\">\n" + "\n".join(rules) + "\n</style>"


def _footer(rng: random.Random) -> str:
    links = " | ".join(
        f'<a href="/bench/nav/{rng.randrange(10**5)}/index.html">{word}</a>' for word in rng.sample(NAV_WORDS, 12))
    return (
        f'<div class="site-footer"><div class="w1200"><p class="footer-nav">{links}</p>'
        "<p>主办单位：示例信息中心　承办：网站运行维护中心　"
        f"联系电话：0731-{rng.randrange(10**7, 10**8)}</p>"
        f"<p>网站标识码：{rng.randrange(10**9, 10**10)}　"
        f"ICP备案号：{rng.randrange(10**7, 10**8)}号-{rng.randrange(1, 9)}</p>"
        '<div class="share-bar"><span class="wx"></span><span class="wb"></span><span class="qq"></span>'
        "</div></div></div>"
    )
