"""Reading WACZ packages (`archive.wacz`) and telling a file that is no WARC from a damaged one (`archive.reader`)."""

from __future__ import annotations

import gzip
import re
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.index import ArchiveIndex, warc_files
from archive.package import write_wacz
from archive.reader import WARC_MAGIC, NotAWarcFile, check_warc_start, read_records
from archive.wacz import UnreadablePackage, safe_entry_name, wacz_warcs
from tests.archive.builders import good_warc


def test_a_packed_wacz_reads_as_its_warcs(tmp_path):
    warc = good_warc(tmp_path / "warc")
    package = tmp_path / "crawl.wacz"
    write_wacz([warc], package)
    files = warc_files([package])
    assert [label for _, label in files] == [f"{package}#archive/{warc.name}"]
    assert files[0][0].read_bytes() == warc.read_bytes()
    from_package = [(c.url, c.status, c.record_id) for c in ArchiveIndex.build(files)]
    from_warc = [(c.url, c.status, c.record_id) for c in ArchiveIndex.build([(warc, str(warc))])]
    assert from_package == from_warc and from_package


@pytest.mark.parametrize("name", ["../x.warc.gz", "/abs/x.warc.gz", "archive/../../x.warc.gz", "C:/x.warc.gz",
                                  "archive\\..\\x.warc.gz"])
def test_entry_names_that_escape_are_refused(name):
    with pytest.raises(UnreadablePackage, match="would escape the package"):
        safe_entry_name(name)


@pytest.mark.parametrize("name", ["archive/a.warc.gz", "pages/pages.jsonl", "archive/sub/b.warc", "datapackage.json"])
def test_entry_names_inside_pass(name):
    assert str(safe_entry_name(name)) == name


def test_a_package_with_one_escaping_entry_is_not_read_at_all(tmp_path):
    package = tmp_path / "evil.wacz"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("archive/good.warc", WARC_MAGIC + b"1\r\n")
        archive.writestr("../evil.warc", b"x")
    with pytest.raises(UnreadablePackage, match=re.escape("'../evil.warc' would escape")):
        wacz_warcs(package, str(package))


def test_a_file_that_is_no_zip_is_no_wacz(tmp_path):
    package = tmp_path / "not.wacz"
    package.write_text("hello")
    with pytest.raises(UnreadablePackage, match="cannot be read as a WACZ package"):
        warc_files([package])


@pytest.mark.parametrize("content", [b"plain text notes\n", b"\x89PNG\r\n\x1a\n" + bytes(64), b"<html></html>",
                                     gzip.compress(b"gzip of something else entirely")])
def test_a_file_that_is_no_warc_is_named_so_not_damaged(tmp_path, content):
    path = tmp_path / "x.warc.gz"
    path.write_bytes(content)
    with pytest.raises(NotAWarcFile, match=f"{path} is not a WARC file"):
        list(read_records(path))


def test_a_warc_with_a_corrupt_first_member_is_damaged_not_foreign(tmp_path):
    warc = good_warc(tmp_path)
    data = bytearray(warc.read_bytes())
    data[12:40] = bytes(28)  # inside the first gzip member's deflate stream
    warc.write_bytes(bytes(data))
    items = list(read_records(warc))
    assert items and type(items[0]).__name__ == "Damage"


@given(st.binary(max_size=200))
def test_the_sniff_raises_only_not_a_warc_file(data):
    try:
        check_warc_start(data, "x")
    except NotAWarcFile as exc:
        assert "x is not a WARC file" in str(exc)


@given(st.binary(max_size=100))
def test_anything_after_a_warc_header_start_passes(rest):
    check_warc_start(WARC_MAGIC + rest, "x")
    check_warc_start(gzip.compress(WARC_MAGIC + rest), "x")
