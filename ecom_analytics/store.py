"""The workspace: one DuckDB file holding every dataset, its mapping and its cleaning report.

The workspace lives in ``$ECOM_ANALYTICS_HOME`` (default ``./workspace``). A dataset is
stored once under an id derived from its content and the choices that shaped it (kind,
mapping, outlier policy): uploading the same file twice with the same choices gives the same
id, so pages and shared links reopen it without a new upload.

Ids are 16 lower-case hex digits; anything else is refused before it reaches SQL.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import duckdb
import pandas as pd

from ecom_analytics.errors import InputError, NotFoundError

_ID = re.compile(r"^[0-9a-f]{16}$")
_LOCK = threading.RLock()


def default_home() -> Path:
    """The workspace directory: ``$ECOM_ANALYTICS_HOME`` or ``./workspace``."""
    return Path(os.environ.get("ECOM_ANALYTICS_HOME", "workspace"))


def is_valid_id(value: object) -> bool:
    """Whether ``value`` has the form of a dataset id (checked before any lookup)."""
    return isinstance(value, str) and bool(_ID.match(value))


def check_id(value: object) -> str:
    """Return ``value`` if it is a well-formed id, else raise :class:`NotFoundError`."""
    if not is_valid_id(value):
        raise NotFoundError("No dataset has that id. Open the Workspace page to choose one.")
    return value  # type: ignore[return-value]


class Workspace:
    """Datasets stored in a DuckDB file under ``home``."""

    def __init__(self, home: str | os.PathLike | None = None) -> None:
        self.home = Path(home) if home is not None else default_home()
        self.path = self.home / "workspace.duckdb"

    # -- plumbing -------------------------------------------------------------------------
    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the workspace database, created with its catalogue on first use."""
        self.home.mkdir(parents=True, exist_ok=True)
        with _LOCK:
            try:
                con = duckdb.connect(str(self.path))
            except duckdb.IOException as exc:
                raise InputError(
                    f"The workspace {self.path} is in use by another program (another app or CLI run). "
                    "Close it or set ECOM_ANALYTICS_HOME to another folder."
                ) from exc
            try:
                con.execute(
                    """CREATE TABLE IF NOT EXISTS datasets (
                        dataset_id VARCHAR PRIMARY KEY, name VARCHAR, kind VARCHAR, source_name VARCHAR,
                        created_at TIMESTAMP, size_bytes BIGINT, rows_in BIGINT, rows_clean BIGINT,
                        rows_quarantined BIGINT, revenue_in DOUBLE, revenue_clean DOUBLE,
                        mapping VARCHAR, report VARCHAR)"""
                )
                yield con
            finally:
                con.close()

    def salt(self) -> str:
        """The workspace's secret salt for pseudonyms, created on first use."""
        self.home.mkdir(parents=True, exist_ok=True)
        path = self.home / "salt"
        if not path.exists():
            path.write_text(secrets.token_hex(16))
            try:
                path.chmod(0o600)
            except OSError:
                pass
        return path.read_text().strip()

    # -- datasets -------------------------------------------------------------------------
    def save_dataset(self, dataset_id: str, *, name: str, kind: str, source_name: str, size_bytes: int,
                     clean: pd.DataFrame, quarantine: pd.DataFrame, mapping: dict, report: dict) -> str:
        """Store a cleaned dataset (replacing one with the same id) and return its id."""
        check_id(dataset_id)
        counts = report.get("cleaning", report)
        with self.connect() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                con.register("clean_frame", clean)
                con.register("quarantine_frame", quarantine)
                con.execute(f'CREATE OR REPLACE TABLE "clean_{dataset_id}" AS SELECT * FROM clean_frame')
                con.execute(f'CREATE OR REPLACE TABLE "quarantine_{dataset_id}" AS SELECT * FROM quarantine_frame')
                con.unregister("clean_frame")
                con.unregister("quarantine_frame")
                con.execute("DELETE FROM datasets WHERE dataset_id = ?", [dataset_id])
                con.execute(
                    "INSERT INTO datasets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [dataset_id, name, kind, source_name, datetime.now(timezone.utc).replace(tzinfo=None),
                     int(size_bytes), counts["rows_in"], counts["rows_clean"], counts["rows_quarantined"],
                     counts["revenue_in"], counts["revenue_clean"], json.dumps(mapping), json.dumps(report, default=str)],
                )
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
        return dataset_id

    def has_dataset(self, dataset_id: object) -> bool:
        """Whether a dataset with this id is stored (False for malformed ids)."""
        if not is_valid_id(dataset_id):
            return False
        with self.connect() as con:
            return con.execute("SELECT count(*) FROM datasets WHERE dataset_id = ?", [dataset_id]).fetchone()[0] > 0

    def list_datasets(self) -> pd.DataFrame:
        """One row per dataset, newest first (without the mapping and report blobs)."""
        with self.connect() as con:
            return con.execute(
                """SELECT dataset_id, name, kind, source_name, created_at, size_bytes, rows_in, rows_clean,
                          rows_quarantined, revenue_in, revenue_clean
                   FROM datasets ORDER BY created_at DESC"""
            ).df()

    def dataset(self, dataset_id: object) -> dict:
        """The catalogue entry of a dataset, with ``mapping`` and ``report`` decoded."""
        dataset_id = check_id(dataset_id)
        with self.connect() as con:
            found = con.execute("SELECT * FROM datasets WHERE dataset_id = ?", [dataset_id]).df()
        if found.empty:
            raise NotFoundError("That dataset is not in this workspace (it may have been deleted). "
                                "Open the Data page to upload it again.")
        row = found.iloc[0].to_dict()
        row["mapping"] = json.loads(row["mapping"])
        row["report"] = json.loads(row["report"])
        return row

    def load_clean(self, dataset_id: object) -> pd.DataFrame:
        """The kept rows of a dataset (canonical columns + source_line + flags)."""
        return self._load("clean", dataset_id)

    def load_quarantine(self, dataset_id: object) -> pd.DataFrame:
        """The quarantined rows of a dataset with ``reason``, ``reasons`` and ``detail``."""
        return self._load("quarantine", dataset_id)

    def _load(self, part: str, dataset_id: object) -> pd.DataFrame:
        dataset_id = check_id(dataset_id)
        self.dataset(dataset_id)  # friendly error when unknown
        with self.connect() as con:
            frame = con.execute(f'SELECT * FROM "{part}_{dataset_id}" ORDER BY source_line').df()
        return _restore_dtypes(frame)

    def rename_dataset(self, dataset_id: object, name: str) -> None:
        """Give a dataset a new display name."""
        dataset_id = check_id(dataset_id)
        name = str(name).strip()[:120]
        if not name:
            raise InputError("A dataset needs a name.")
        with self.connect() as con:
            con.execute("UPDATE datasets SET name = ? WHERE dataset_id = ?", [name, dataset_id])

    def delete_dataset(self, dataset_id: object) -> None:
        """Remove a dataset and its tables."""
        dataset_id = check_id(dataset_id)
        with self.connect() as con:
            con.execute(f'DROP TABLE IF EXISTS "clean_{dataset_id}"')
            con.execute(f'DROP TABLE IF EXISTS "quarantine_{dataset_id}"')
            con.execute("DELETE FROM datasets WHERE dataset_id = ?", [dataset_id])


def _restore_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    for col in frame.columns:
        if frame[col].dtype == object:
            frame[col] = frame[col].astype("string")
        elif pd.api.types.is_datetime64_any_dtype(frame[col]):
            frame[col] = frame[col].astype("datetime64[ns]")
    return frame
