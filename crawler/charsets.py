"""Charset labels to decoders, as browsers map them (WHATWG Encoding Standard, "Encodings" table).

A page's `charset=` label is looked up here, never in a dependency's alias table, so that an upgrade
cannot change which decoder reads a page. Labels are matched case-insensitively after trimming
ASCII whitespace. Each encoding of the standard is read with the Python codec that decodes what
browsers decode:

- the GBK labels (`gb2312`, `gbk`, `x-gbk`, `gb_2312-80`, `chinese`, ...) with `gb18030`: the
  standard's GBK decoder *is* the gb18030 decoder, and Python's `gbk` codec fails on bytes that
  Chinese pages labelled GB2312/GBK really contain;
- the Big5 labels with `big5hkscs`;
- `iso-8859-1`, `latin1`, `ascii`, `us-ascii` and the other windows-1252 labels with `cp1252`;
- Shift_JIS with `cp932`, EUC-KR with `cp949`, windows-874 (and `tis-620`) with `cp874`.

The `replacement` labels (`hz-gb-2312`, `iso-2022-kr`, ...) and `x-user-defined` have no decoder:
such a declaration is treated as no declaration. A label the standard does not know is ignored,
as browsers ignore it.
"""

from __future__ import annotations

import codecs
import re

_ENCODINGS: dict[str | None, str] = {
    "utf-8": "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8",
    "cp866": "866 cp866 csibm866 ibm866",
    "iso8859-2": "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2 latin2",
    "iso8859-3": "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988 l3 latin3",
    "iso8859-4": "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 l4 latin4",
    "iso8859-5": "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5 iso_8859-5:1988",
    "iso8859-6": (
        "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6 iso-8859-6-e iso-8859-6-i"
        " iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987"
    ),
    "iso8859-7": (
        "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7 iso88597 iso_8859-7"
        " iso_8859-7:1987 sun_eu_greek"
    ),
    "iso8859-8": (
        "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8 iso88598 iso_8859-8"
        " iso_8859-8:1988 visual csiso88598i iso-8859-8-i logical"
    ),
    "iso8859-10": "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6",
    "iso8859-13": "iso-8859-13 iso8859-13 iso885913",
    "iso8859-14": "iso-8859-14 iso8859-14 iso885914",
    "iso8859-15": "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9",
    "iso8859-16": "iso-8859-16",
    "koi8-r": "cskoi8r koi koi8 koi8-r koi8_r",
    "koi8-u": "koi8-ru koi8-u",
    "mac-roman": "csmacintosh mac macintosh x-mac-roman",
    "cp874": "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874",
    "cp1250": "cp1250 windows-1250 x-cp1250",
    "cp1251": "cp1251 windows-1251 x-cp1251",
    "cp1252": (
        "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 iso88591"
        " iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252"
    ),
    "cp1253": "cp1253 windows-1253 x-cp1253",
    "cp1254": (
        "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989 l5 latin5"
        " windows-1254 x-cp1254"
    ),
    "cp1255": "cp1255 windows-1255 x-cp1255",
    "cp1256": "cp1256 windows-1256 x-cp1256",
    "cp1257": "cp1257 windows-1257 x-cp1257",
    "cp1258": "cp1258 windows-1258 x-cp1258",
    "mac-cyrillic": "x-mac-cyrillic x-mac-ukrainian",
    "gb18030": "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk gb18030",
    "big5hkscs": "big5 big5-hkscs cn-big5 csbig5 x-x-big5",
    "euc_jp": "cseucpkdfmtjapanese euc-jp x-euc-jp",
    "iso2022_jp": "csiso2022jp iso-2022-jp",
    "cp932": "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis",
    "cp949": (
        "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601 ksc_5601 windows-949"
    ),
    "utf-16-be": "unicodefffe utf-16be",
    "utf-16-le": "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le",
    None: "csiso2022kr hz-gb-2312 iso-2022-cn iso-2022-cn-ext iso-2022-kr replacement x-user-defined",
}

DECODERS: dict[str, str | None] = {
    label: None if codec is None else codecs.lookup(codec).name
    for codec, labels in _ENCODINGS.items()
    for label in labels.split()
}
"""Every label of the standard, lower-case, to the Python codec name that decodes it (None: no decoder)."""


def decoder_for(label: str | None) -> str | None:
    """The Python codec that decodes text declared as `label`, or None for an unknown or undecodable label."""
    if not label:
        return None
    return DECODERS.get(label.strip("\t\n\f\r ").lower())


_HEADER_CHARSET = re.compile(r"""(?:^|;)\s*charset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s;,"']+))""", re.IGNORECASE)
_META_TAG = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9._:+-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(rb"""^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:+-]+)""", re.IGNORECASE)

META_SCAN_BYTES = 4096
"""How far into a body a `<meta>` charset declaration is looked for."""


def header_label(content_type: str | None) -> str | None:
    """The `charset` parameter of a `Content-Type` header value, as written (None when absent)."""
    match = _HEADER_CHARSET.search(content_type or "")
    if match is None:
        return None
    return next(group for group in match.groups() if group is not None).strip() or None


def meta_label(body: bytes) -> str | None:
    """The charset label the page declares in `<meta charset>`, `<meta http-equiv content>` or its XML
    declaration, within its first `META_SCAN_BYTES` bytes (None when it declares none)."""
    head = body[:META_SCAN_BYTES]
    xml = _XML_DECLARATION.match(head)
    if xml is not None:
        return xml.group(1).decode("ascii")
    for tag in _META_TAG.finditer(head):
        found = _META_CHARSET.search(tag.group(0))
        if found is not None:
            return found.group(1).decode("ascii")
    return None
