"""Several files of one layout read as one export: a shop's yearly or monthly exports (Etsy's
``EtsySoldOrderItems2020.csv`` ... ``2023.csv``) uploaded together.

:func:`stack_same_layout` joins delimited text files whose header lines are the same, byte for byte
once a UTF-8 byte-order mark is taken off, into one file: the first file whole, then each other file
without its header line, in the order given. The reader then reads them as one export (one
encoding, delimiter and mapping); line numbers count through the files in that order, and
:data:`STACKED` says so. Files of different layouts, compressed files, workbooks and UTF-16/32 text
are left to the tables of :mod:`ecom_analytics.ingest.tables`.
"""

from __future__ import annotations

from pathlib import PurePath

#: said where files were stacked (the CLI prints it; the Data page words it through the catalogue)
STACKED = ("{n} files with the same columns ({names}) were read as one export, one after another; line numbers "
           "count through them in that order")

_TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".dat")
_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


def _header_and_body(data: bytes) -> tuple[bytes, bytes] | None:
    """A text file's header line (without a UTF-8 byte-order mark and line ending) and the bytes after it."""
    if data.startswith(_BOMS) or b"\x00" in data[:4096]:
        return None  # UTF-16/32 or binary: not joined byte-wise
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    end = data.find(b"\n")
    if end < 0:
        return None
    header = data[:end].rstrip(b"\r")
    return (header, data[end + 1:]) if header.strip() else None


def stack_same_layout(files: list[tuple[bytes, str]]) -> tuple[bytes, str, dict] | None:
    """``files`` ((bytes, name), two or more) as one file when every one is delimited text with the same header
    line: (bytes, name, params of :data:`STACKED`); None otherwise."""
    if len(files) < 2 or not all(PurePath(name).suffix.lower() in _TEXT_SUFFIXES for _, name in files):
        return None
    parts = [_header_and_body(data) for data, _ in files]
    if any(p is None for p in parts) or len({p[0] for p in parts}) != 1:
        return None
    out = [parts[0][0] + b"\n"]
    for _, body in parts:
        out.append(body if body.endswith(b"\n") or not body else body + b"\n")
    first = PurePath(files[0][1])
    name = f"{first.stem} (+{len(files) - 1}){first.suffix}"
    params = {"n": len(files), "names": ", ".join(f"'{n}'" for _, n in files)}
    return b"".join(out), name, params
