"""Uploads are read within a memory budget (issue #14): compressed files are decompressed as a
stream and refused as soon as the text passes the budget's limit, expands far more than an export
does, or starts like a binary file; plain files above the limit are refused before parsing; and
every size is stated in the unit of the upload limit (MB of 1024 * 1024 bytes).

The limits are lowered (a budget of a few MB, a ratio floor of 1 MB) so the cases stay small;
"stopped early" is asserted by counting the bytes decompressed, never by timing.
"""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecom_analytics.ingest import readers
from ecom_analytics.errors import InputError
from ecom_analytics.ingest.readers import MB, read_table
from tests import fixtures as F

ROOT = Path(__file__).resolve().parents[2]


# --------------------------------------------------------------------------------- helpers

def orders_csv(rows: int, seed: int = 0) -> bytes:
    """An orders export with varied values (it compresses about as much as a real one, 3 to 6 times)."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "InvoiceNo": rng.integers(500_000, 600_000, rows),
        "StockCode": rng.integers(10_000, 99_999, rows),
        "Description": rng.choice(["WHITE HANGING HEART T-LIGHT HOLDER", "ALARM CLOCK BAKELIKE PINK",
                                   "SET/10 IVORY POLKADOT PARTY CANDLES", "JUMBO BAG RED RETROSPOT"], rows),
        "Quantity": rng.integers(1, 48, rows),
        "InvoiceDate": (pd.Timestamp("2011-01-01") + pd.to_timedelta(rng.integers(0, 300 * 86400, rows), unit="s"))
        .strftime("%Y-%m-%d %H:%M:%S"),
        "UnitPrice": rng.integers(10, 5_000, rows) / 100,
        "CustomerID": rng.integers(12_000, 18_000, rows),
        "Country": rng.choice(["United Kingdom", "France", "Germany", "EIRE"], rows),
    })
    return frame.to_csv(index=False).encode()


def repeated_line_gz(text_bytes: int) -> bytes:
    """One Online Retail line repeated to ``text_bytes`` of text, gzipped (hundreds of times smaller)."""
    header, line = F.online_retail_csv().split(b"\n")[:2]
    line += b"\n"
    return _gzip_stream([header + b"\n"] + [line * (MB // len(line))] * (text_bytes // MB))


def _gzip_stream(pieces) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return b"".join(packer.compress(p) for p in pieces) + packer.flush()


@pytest.fixture
def decompressed(monkeypatch):
    """Counts the bytes each stream decompressor hands back (a list with one running total)."""
    total = [0]
    real_add = readers._Inflated.add

    def add(self, piece):
        total[0] += len(piece)
        return real_add(self, piece)

    monkeypatch.setattr(readers._Inflated, "add", add)
    return total


@pytest.fixture
def budget_mb(monkeypatch):
    """Sets ECOM_ANALYTICS_MEMORY_MB; the text limit is then that / PEAK_BYTES_PER_TEXT_BYTE."""
    def set_budget(mb: float) -> int:
        monkeypatch.setenv("ECOM_ANALYTICS_MEMORY_MB", str(mb))
        return readers.text_limit_bytes()
    return set_budget


def refusal(data: bytes, name: str, **kwargs) -> str:
    with pytest.raises(InputError) as info:
        read_table(data, name, **kwargs)
    message = str(info.value)
    assert "\n" not in message
    return message


# --------------------------------------------------------------------------------- the budget

def test_the_budget_comes_from_the_setting_in_mb_of_1024_squared(monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_MEMORY_MB", "3000")
    assert readers.memory_budget_bytes() == 3000 * 1024 * 1024
    assert readers.text_limit_bytes() == 3000 * MB // readers.PEAK_BYTES_PER_TEXT_BYTE


@pytest.mark.parametrize("value", ["lots", "0", "-5"])
def test_a_setting_that_is_not_a_size_is_a_sentence(monkeypatch, value):
    monkeypatch.setenv("ECOM_ANALYTICS_MEMORY_MB", value)
    with pytest.raises(InputError, match="ECOM_ANALYTICS_MEMORY_MB is '.*', not a number of MB"):
        readers.memory_budget_bytes()


def test_without_the_setting_the_budget_is_half_the_cgroup_limit_or_the_machine(monkeypatch):
    monkeypatch.delenv("ECOM_ANALYTICS_MEMORY_MB", raising=False)
    physical = 16 * 1024 * MB
    monkeypatch.setattr(readers.os, "sysconf", lambda key: {"SC_PAGE_SIZE": 4096, "SC_PHYS_PAGES": physical // 4096}[key])
    cgroup = {"/sys/fs/cgroup/memory.max": "2147483648\n"}

    def fake_open(path, *args, **kwargs):
        if path not in cgroup:
            raise FileNotFoundError(path)
        return io.StringIO(cgroup[path])

    monkeypatch.setattr(readers, "open", fake_open, raising=False)
    assert readers.memory_budget_bytes() == 1024 * MB  # half of the 2 GB container
    cgroup["/sys/fs/cgroup/memory.max"] = "max\n"  # no container limit: the machine's memory
    assert readers.memory_budget_bytes() == 8 * 1024 * MB
    cgroup.clear()
    cgroup["/sys/fs/cgroup/memory/memory.limit_in_bytes"] = "9223372036854771712\n"  # cgroup v1, unlimited
    assert readers.memory_budget_bytes() == 8 * 1024 * MB


# --------------------------------------------------------------------------------- compressed uploads

def test_a_legitimate_gz_within_the_limit_reads_as_the_plain_file(budget_mb):
    text = orders_csv(20_000)
    assert budget_mb(2000) > len(text)
    plain = read_table(text, "orders.csv")
    packed = read_table(F.gzip_bytes(text), "orders.csv.gz")
    pd.testing.assert_frame_equal(packed.frame, plain.frame)
    assert (packed.compression, packed.source_name, len(packed.frame)) == ("gzip", "orders.csv", 20_000)


def test_a_gz_of_several_members_and_zero_padding_reads_whole():
    text = orders_csv(3_000)
    half = text.index(b"\n", len(text) // 2) + 1
    data = F.gzip_bytes(text[:half]) + F.gzip_bytes(text[half:]) + bytes(100)
    assert len(read_table(data, "orders.csv.gz").frame) == 3_000
    assert "cannot be decompressed" in refusal(F.gzip_bytes(text) + b"garbage", "orders.csv.gz")


def test_a_gz_that_expands_beyond_the_text_limit_is_refused_after_the_limit(budget_mb, decompressed):
    limit = budget_mb(3)  # 3 MB of memory: about 205 KB of text
    text = orders_csv(40_000)  # 3.3 MB of text
    data = F.gzip_bytes(text)
    message = refusal(data, "orders.csv.gz")
    assert message.startswith(f"'orders.csv' expands to more than {readers.size_text(limit)} of text")
    assert "memory budget of 3 MB per upload" in message
    assert "Split the export by date" in message and "ECOM_ANALYTICS_MEMORY_MB" in message
    assert limit < decompressed[0] <= limit + readers.CHUNK_BYTES  # stopped one step past the limit
    assert decompressed[0] < len(text)


def test_a_gz_that_expands_hundreds_of_times_is_refused_by_the_ratio(monkeypatch, decompressed):
    monkeypatch.setattr(readers, "RATIO_FLOOR_BYTES", MB)
    data = repeated_line_gz(40 * MB)  # one line, 40 MB of text in about 120 KB
    message = refusal(data, "orders.csv.gz")
    assert f"expands more than {readers.MAX_EXPANSION_RATIO} times" in message
    assert "Check that it is the right file" in message
    # refused once past max(floor, ratio x upload), not after the 40 MB
    stop = max(MB, readers.MAX_EXPANSION_RATIO * len(data))
    assert stop < decompressed[0] <= stop + readers.CHUNK_BYTES < 40 * MB


def test_a_real_compression_ratio_is_not_refused(monkeypatch):
    monkeypatch.setattr(readers, "RATIO_FLOOR_BYTES", 64 * 1024)  # the ratio is checked from 64 KB on
    text = orders_csv(30_000)
    data = F.gzip_bytes(text)
    assert len(text) / len(data) < 10
    assert len(read_table(data, "orders.csv.gz").frame) == 30_000


def test_gzipped_zeros_are_refused_from_the_first_step(decompressed):
    data = _gzip_stream(bytes(MB) for _ in range(256))  # 256 MB of zeros in about 250 KB
    assert len(data) < MB
    message = refusal(data, "zeros.csv.gz")
    assert message.startswith("'zeros.csv' is a binary file, not a table")
    assert decompressed[0] <= readers.CHUNK_BYTES  # one step of 256


def test_a_truncated_gz_is_still_a_sentence():
    data = F.gzip_bytes(orders_csv(5_000))
    assert "cannot be decompressed" in refusal(data[: len(data) // 2], "orders.csv.gz")


def _zip(data: bytes, name: str = "orders.csv", method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        zf.writestr(name, data)
    return buf.getvalue()


def _state_size(archive: bytes, size: int) -> bytes:
    """``archive`` (one member) with the member's stated uncompressed size rewritten to ``size``."""
    data = bytearray(archive)
    central, local = data.find(b"PK\x01\x02"), data.find(b"PK\x03\x04")
    data[central + 24:central + 28] = struct.pack("<I", size)
    data[local + 22:local + 26] = struct.pack("<I", size)
    return bytes(data)


def test_a_zip_member_above_the_limit_is_refused_from_its_stated_size(budget_mb, decompressed):
    limit = budget_mb(3)
    text = orders_csv(40_000)
    message = refusal(_zip(text), "orders.zip")
    assert message.startswith(f"'orders.csv' inside 'orders.zip' holds {readers.size_text(len(text))} of text")
    assert f"more than the {readers.size_text(limit)} this server can read" in message
    assert decompressed[0] == 0  # refused before decompressing


@pytest.mark.parametrize("stated", [1000, 150_000])
def test_a_zip_member_whose_header_understates_its_size_is_refused_within_the_limit(budget_mb, decompressed,
                                                                                     stated):
    limit = budget_mb(3)
    text = orders_csv(40_000)
    lying = _state_size(_zip(text), stated)
    assert zipfile.ZipFile(io.BytesIO(lying)).getinfo("orders.csv").file_size == stated < limit
    message = refusal(lying, "orders.zip")
    assert "inside 'orders.zip'" in message
    assert decompressed[0] <= min(limit, stated) + readers.CHUNK_BYTES < len(text)


def test_a_zip_member_read_as_a_stream_stops_at_the_limit_whatever_zipfile_allows(budget_mb, decompressed,
                                                                                     monkeypatch):
    """Even when the stated size says nothing (zipfile reading on to the stream's end), the bytes
    are counted as they come."""
    limit = budget_mb(3)
    text = orders_csv(40_000)
    archive = _zip(text)
    real_open = zipfile.ZipFile.open

    def open_unbounded(self, name, *args, **kwargs):
        fh = real_open(self, name, *args, **kwargs)
        fh._left = 1 << 62  # the size zipfile trusts, as a lying header could make it
        return fh

    monkeypatch.setattr(readers.zipfile.ZipFile, "getinfo", _understated(zipfile.ZipFile.getinfo))
    monkeypatch.setattr(readers.zipfile.ZipFile, "open", open_unbounded)
    message = refusal(archive, "orders.zip")
    assert message.startswith("'orders.csv' expands to more than")
    assert limit < decompressed[0] <= limit + readers.CHUNK_BYTES < len(text)


def _understated(getinfo):
    def wrapped(self, name):
        info = getinfo(self, name)
        info.file_size = 10
        return info
    return wrapped


def test_zipped_zeros_are_refused_from_the_first_step(decompressed):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("orders.csv", "w", force_zip64=True) as fh:
        for _ in range(64):
            fh.write(bytes(MB))
    message = refusal(buf.getvalue(), "orders.zip")
    assert "'orders.csv' is a binary file" in message
    assert decompressed[0] <= readers.CHUNK_BYTES


def test_a_gz_inside_a_zip_reads_and_stays_bounded(monkeypatch, decompressed):
    text = orders_csv(2_000)
    table = read_table(_zip(F.gzip_bytes(text), "export/orders.csv.gz", zipfile.ZIP_STORED), "orders.zip")
    assert len(table.frame) == 2_000
    monkeypatch.setattr(readers, "RATIO_FLOOR_BYTES", MB)
    bomb = repeated_line_gz(40 * MB)
    decompressed[0] = 0
    message = refusal(_zip(bomb, "orders.csv.gz", zipfile.ZIP_STORED), "orders.zip")
    assert "expands more than" in message
    assert decompressed[0] <= len(bomb) + max(MB, readers.MAX_EXPANSION_RATIO * len(bomb)) + readers.CHUNK_BYTES


def test_archives_nested_three_deep_are_refused():
    text = orders_csv(100)
    inner = _zip(F.gzip_bytes(text), "orders.csv.gz", zipfile.ZIP_STORED)
    message = refusal(F.gzip_bytes(inner), "orders.zip.gz")
    assert "an archive inside an archive inside an archive" in message


# --------------------------------------------------------------------------------- uncompressed uploads

def test_a_plain_file_above_the_text_limit_is_refused_before_parsing(budget_mb, monkeypatch):
    limit = budget_mb(10)  # about 683 KB of text
    text = orders_csv(20_000)  # 1.6 MB
    monkeypatch.setattr(readers, "_read_text", lambda *a, **k: pytest.fail("parsed a file above the limit"))
    message = refusal(text, "orders.csv")
    assert message == (
        f"'orders.csv' holds {readers.size_text(len(text))} of text, more than the {readers.size_text(limit)} this server can "
        "read at once within its memory budget of 10 MB per upload. Split the export by date into smaller files, or "
        "raise ECOM_ANALYTICS_MEMORY_MB if the server has more memory to give."
    )


def test_max_text_bytes_overrides_the_budget():
    text = orders_csv(2_000)
    assert "of text, more than the 10 KB" in refusal(text, "orders.csv", max_text_bytes=10 * 1024)
    assert len(read_table(text, "orders.csv", max_text_bytes=len(text)).frame) == 2_000


def test_a_parquet_file_whose_columns_pass_the_limit_is_refused(budget_mb):
    limit = budget_mb(3)
    buf = io.BytesIO()
    pd.read_csv(io.BytesIO(orders_csv(40_000)), dtype=str).to_parquet(buf)
    message = refusal(buf.getvalue(), "orders.parquet")
    assert "of data once decompressed" in message and readers.size_text(limit) in message


def test_a_workbook_whose_sheets_pass_the_limit_is_refused(budget_mb):
    budget_mb(1)  # 68 KB of text, 136 KB of sheet XML
    buf = io.BytesIO()
    pd.read_csv(io.BytesIO(orders_csv(3_000)), dtype=str).to_excel(buf, index=False)
    message = refusal(buf.getvalue(), "orders.xlsx")
    assert message.startswith("The workbook 'orders.xlsx' holds") and "Export the data as CSV" in message


# --------------------------------------------------------------------------------- one size unit

@pytest.mark.parametrize("n, words", [
    (500 * MB, "500 MB"), (int(2.5 * MB), "2.5 MB"), (2_600_000, "2.5 MB"), (12 * 1024 * MB, "12,288 MB"), (4000 * MB, "4,000 MB"),
    (740 * 1024, "740 KB"), (120, "120 bytes"),
])
def test_sizes_are_in_mb_of_1024_squared(n, words):
    assert readers.size_text(n) == words


def test_the_upload_limit_message_says_the_configured_number(monkeypatch):
    message = refusal(b"x" * (3 * MB), "orders.csv", max_bytes=2 * MB)
    assert "'orders.csv' is 3 MB, above the 2 MB upload limit." in message


def test_the_default_upload_limit_reads_as_the_uploaders_500_mb():
    """The library's limit, Streamlit's maxUploadSize and the README all say 500 MB."""
    if os.environ.get("ECOM_ANALYTICS_MAX_UPLOAD_MB"):
        pytest.skip("ECOM_ANALYTICS_MAX_UPLOAD_MB is set in this environment")
    config = (ROOT / ".streamlit" / "config.toml").read_text()
    streamlit_mb = int(re.search(r"^maxUploadSize\s*=\s*(\d+)", config, re.M).group(1))
    assert readers.size_text(readers.MAX_UPLOAD_BYTES) == f"{streamlit_mb} MB" == "500 MB"
    assert readers.MAX_UPLOAD_BYTES == streamlit_mb * 1024 * 1024
    assert "500 MB" in (ROOT / "README.md").read_text()


# --------------------------------------------------------------------------------- the CLI

def test_the_cli_refuses_a_bomb_with_one_sentence_and_exit_2(tmp_path, capsys, monkeypatch, decompressed):
    from ecom_analytics.cli import main

    monkeypatch.setattr(readers, "RATIO_FLOOR_BYTES", MB)
    path = tmp_path / "orders.csv.gz"
    path.write_bytes(repeated_line_gz(40 * MB))
    assert main(["ingest", str(path), "--home", str(tmp_path / "home")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: 'orders.csv' expands more than 100 times")
    assert decompressed[0] < 40 * MB
    assert not list((tmp_path / "home").rglob("*.parquet"))  # nothing stored
