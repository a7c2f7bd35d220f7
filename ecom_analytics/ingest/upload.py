"""A large upload in the app, read as the CLI reads a large file (issue #19: "the app's own upload still
uses the Python reader").

An upload above :data:`ecom_analytics.ingest.stream.STREAM_BYTES` of delimited text (``.csv``, ``.tsv``,
``.txt``, plain or ``.gz``) is shown from its head (:func:`head_of`: the first
:data:`ecom_analytics.ingest.stream.HEAD_BYTES`, the same look the SQL path's plan takes), and confirmed
by :func:`ingest_upload`: the SQL path (DuckDB reads the file written to a temporary folder, the
cleaning rules run as predicates) when the analyst kept the proposed mapping and asked for nothing
only the Python path does (a time zone, e-mail digests), else the Python reader on the whole upload,
with a note saying why. Both give the same dataset id for the same bytes and mapping.
"""

from __future__ import annotations

import gzip
import io
import re
import tempfile
import zlib
from pathlib import Path

from ecom_analytics.errors import InputError
from ecom_analytics.ingest import pipeline, stream
from ecom_analytics.ingest.mapping import Mapping
from ecom_analytics.runs import Note
from ecom_analytics.store import Workspace

#: what a file the SQL path may read is called (before an optional .gz)
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
PYTHON_PATH = "The file is read by the Python path because {reason}."


def _inner_name(filename: str) -> str:
    name = Path(str(filename)).name
    return name[:-3] if name.lower().endswith(".gz") else name


def is_large(data: bytes, filename: str) -> bool:
    """Whether an upload is read from its head and confirmed by :func:`ingest_upload`: delimited text
    (plain or .gz) above :data:`stream.STREAM_BYTES` (read at call time, so tests can lower it)."""
    return len(data) > stream.STREAM_BYTES and _inner_name(filename).lower().endswith(TEXT_SUFFIXES)


def head_of(data: bytes, filename: str, size: int | None = None) -> bytes:
    """The first ``size`` bytes of the upload's text (decompressed when .gz; default
    :data:`stream.HEAD_BYTES`), cut after the last full line, as :func:`stream.head_bytes` cuts a file."""
    size = stream.HEAD_BYTES if size is None else size
    if str(filename).lower().endswith(".gz"):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
                head = f.read(size)
        except (OSError, EOFError, zlib.error) as exc:  # as the reader refuses a damaged archive
            raise InputError("'{name}' looks like a .gz file but cannot be decompressed ({error}). Upload it again.",
                             name=Path(str(filename)).name, error=exc) from exc
    else:
        head = data[:size]
    cut = head.rfind(b"\n")
    return head if cut < 0 else head[: cut + 1]


def prepare_head(data: bytes, filename: str, kind: str | None = None) -> pipeline.Prepared:
    """The upload's head read and mapped by the Python reader (no size limit: it is the head)."""
    return pipeline.prepare(head_of(data, filename), _inner_name(filename), kind=kind, max_bytes=None)


def _safe_name(filename: str) -> str:
    """The upload's own name for the temporary file, without folders or characters a file system refuses."""
    name = re.sub(r"[^\w.\-]+", "_", Path(str(filename)).name).strip("._")[:120]
    return name if name.lower().endswith(tuple(s + ".gz" for s in TEXT_SUFFIXES) + TEXT_SUFFIXES) else "upload.csv"


def ingest_upload(data: bytes, filename: str, workspace: Workspace, *, mapping: Mapping, proposed: Mapping,
                  outlier_policy: str = "flag", name: str | None = None, timezone: str | None = None,
                  ad_platform_hashes: bool = False):
    """Clean and store a large upload: the SQL path when ``mapping`` is the ``proposed`` one and no
    option needs Python, else the Python path on the whole upload. Returns ``(result, note)``: the
    result (``.path`` "sql" on the SQL path) and, when the Python path read it, the reason as a note."""
    kept = mapping.kind == proposed.kind and mapping.as_dict() == proposed.as_dict()
    if not kept:
        note = Note(PYTHON_PATH, {"reason": Note("the column mapping was changed")})
    elif timezone is not None or ad_platform_hashes:
        note = Note(PYTHON_PATH, {"reason": Note("a time zone or e-mail digests were asked for")})
    else:
        with tempfile.TemporaryDirectory(prefix="ecom-upload-") as folder:
            path = Path(folder) / _safe_name(filename)
            path.write_bytes(data)  # the analyst's own bytes, for DuckDB to read; not a file for a person
            try:
                return stream.ingest_file(path, workspace, outlier_policy=outlier_policy, name=name,
                                          kind=mapping.kind), None
            except stream.NotStreamable as exc:
                note = Note(PYTHON_PATH, {"reason": exc.note})
    prepared = pipeline.prepare(data, filename, kind=mapping.kind)
    result = pipeline.process(prepared, mapping, outlier_policy=outlier_policy, salt=workspace.salt(), name=name,
                              timezone=timezone, ad_platform_hashes=ad_platform_hashes)
    pipeline.store(result, prepared, workspace)
    return result, note
