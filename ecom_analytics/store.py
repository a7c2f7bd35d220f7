"""The workspace: a folder of immutable datasets that the app and any number of CLI runs share.

The workspace lives in ``$ECOM_ANALYTICS_HOME`` (default ``./workspace``). A dataset is
stored once under an id derived from its content and the choices that shaped it (kind,
mapping, outlier policy): uploading the same file twice with the same choices gives the same
id, so pages and shared links reopen it without a new upload.

Layout::

    home/salt                          the pseudonym salt (created once, atomically)
    home/workspace.lock                advisory lock file for the short writer steps
    home/datasets/<id>/clean.parquet   the kept rows, sorted by source_line; a dataset of
                                       PARTITION_ROWS kept rows or more: clean/month=YYYY-MM/*.parquet
                                       instead (Parquet partitioned by month, read in place by any engine)
    home/datasets/<id>/quarantine.parquet
    home/datasets/<id>/meta.json       the catalogue row: name, kind, source_name, created_at,
                                       size_bytes, counts, revenue, mapping, report
    home/models/<run_id>/              trained runs (see :mod:`ecom_analytics.predict.registry`)

Concurrency, without a database server:

- A writer builds a dataset under ``datasets/.tmp-<id>-...`` (the slow part: Parquet files,
  no lock held) and publishes it with one atomic rename. Readers see a dataset completely or
  not at all; they never take a lock and never fail because a writer is active.
- The same id published twice is one folder, so it is listed once; the second publication
  replaces the files one by one with ``os.replace`` (the same content, since ids are
  content-addressed), the catalogue row last.
- Renaming rewrites ``meta.json`` atomically (temporary file + ``os.replace``); deleting
  renames the folder to ``datasets/.del-<id>-...`` first and removes it afterwards.
- The steps that must not interleave (publish, rename, delete, moving an old workspace) take
  an exclusive ``fcntl.flock`` on ``workspace.lock`` for milliseconds. A writer that finds it
  taken waits up to ``$ECOM_ANALYTICS_LOCK_TIMEOUT`` seconds (default 60), saying so once
  through ``on_wait`` (default: a log warning on stderr), and then refuses with a sentence.

A workspace of an earlier version (one DuckDB file, ``workspace.duckdb``) is moved into this
layout on first use: opened read-only, each dataset copied, then the file renamed to
``workspace.duckdb.migrated`` (kept, never deleted).

Ids are 16 lower-case hex digits; anything else is refused before it reaches a path.

A dataset can also be *registered* without an upload (:meth:`Workspace.register_parquet`): an
existing Parquet file or folder (a lake's table, hive partitions included) plus a column mapping.
Its ``meta.json`` names the folder; nothing is copied, and :meth:`Workspace.scan` reads it in place
with the mapping applied, on DuckDB or on Spark.
"""

from __future__ import annotations

import glob
import json
import logging
import os
import re
import secrets
import shutil
import threading
import time
import warnings
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ecom_analytics.errors import InputError, Note, NotFoundError

try:  # POSIX; on other systems only threads of one process are serialised
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("ecom_analytics.store")

_ID = re.compile(r"^[0-9a-f]{16}$")
_THREAD_LOCK = threading.Lock()  # only used where fcntl is missing

LOCK_TIMEOUT_ENV = "ECOM_ANALYTICS_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT_S = 60.0
WAITING_MESSAGE = "Waiting for another program that is writing to the workspace {home} ..."
STALE_TMP_S = 6 * 3600  # a temporary folder this old belongs to a writer that was killed
CATALOGUE = ("dataset_id", "name", "kind", "source_name", "created_at", "size_bytes", "rows_in", "rows_clean",
             "rows_quarantined", "revenue_in", "revenue_clean")
_GONE = ("That dataset is not in this workspace (it may have been deleted). "
         "Open the Data page to upload it again.")
_LISTED: dict[str, tuple[tuple, dict]] = {}  # meta.json path -> (stat key, catalogue row)
#: kept rows from which a dataset's clean rows are stored partitioned by month
PARTITION_ROWS = 1_000_000
#: zstd level of the files the streaming ingest writes: 1 compresses about 20 % faster than DuckDB's
#: default (3) for files about 6 % larger (Online Retail repeated to 2 M lines: 17 MB against 16 MB)
FAST_ZSTD_LEVEL = 1
#: the canonical columns a registered Parquet table can map (the same as ingest.schema's; a test checks)
CANONICAL = {
    "orders": ["customer_id", "order_id", "timestamp", "product_id", "product_name", "category", "quantity",
               "unit_price", "amount", "country", "status"],
    "events": ["user_id", "timestamp", "event_type", "product_id", "category", "brand", "price", "session_id"],
}
REQUIRED = {"orders": ("customer_id", "timestamp", "amount"), "events": ("user_id", "timestamp", "event_type")}
_NUMBERS = ("quantity", "unit_price", "amount", "price")


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


def lock_timeout() -> float:
    """Seconds a writer waits for another writer: ``$ECOM_ANALYTICS_LOCK_TIMEOUT`` or 60."""
    raw = os.environ.get(LOCK_TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_LOCK_TIMEOUT_S
    try:
        seconds = float(raw)
    except ValueError:
        raise InputError("ECOM_ANALYTICS_LOCK_TIMEOUT must be a number of seconds, not {raw!r}.", raw=raw) from None
    return max(seconds, 0.0)


class Workspace:
    """Datasets stored as immutable Parquet folders under ``home / "datasets"``.

    ``on_wait`` is called with a sentence when a writer has to wait for another program;
    ``lock_wait_s`` overrides ``$ECOM_ANALYTICS_LOCK_TIMEOUT``.
    """

    def __init__(self, home: str | os.PathLike | None = None, *, on_wait: Callable[[str], None] | None = None,
                 lock_wait_s: float | None = None) -> None:
        self.home = Path(home) if home is not None else default_home()
        self.datasets_dir = self.home / "datasets"
        self.legacy_path = self.home / "workspace.duckdb"  # the single-file workspace of earlier versions
        self.on_wait = on_wait
        self.lock_wait_s = lock_wait_s

    # -- plumbing -------------------------------------------------------------------------
    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the workspace's writer lock (an advisory ``flock``; readers never take it).

        Waits up to the lock timeout, telling ``on_wait`` (or the log) once, then raises
        :class:`InputError` with a sentence. Held only for renames, never for the slow work."""
        timeout = self.lock_wait_s if self.lock_wait_s is not None else lock_timeout()
        self.home.mkdir(parents=True, exist_ok=True)
        if fcntl is None:  # pragma: no cover - Windows
            with _THREAD_LOCK:
                yield
            return
        fd = os.open(self.home / "workspace.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            deadline = time.monotonic() + timeout
            pause, told = 0.02, False
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise InputError("Another program has been writing to the workspace {home} for more than "
                                         "{timeout:g} seconds, so this change was not saved. Try again when it has "
                                         "finished, or set ECOM_ANALYTICS_LOCK_TIMEOUT to wait longer.",
                                         home=self.home, timeout=timeout) from None
                    if not told:
                        told = True
                        message = WAITING_MESSAGE.format(home=self.home)
                        if self.on_wait is not None:
                            self.on_wait(message)
                        else:
                            log.warning(message)
                    time.sleep(min(pause, max(deadline - time.monotonic(), 0.0)))
                    pause = min(pause * 2, 0.25)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def salt(self) -> str:
        """The workspace's secret salt for pseudonyms, created on first use.

        Created atomically (written aside, then hard-linked into place), so two programs
        starting on an empty workspace agree on one salt. Callers ask for it before their
        work, so an earlier version's workspace is moved over (or refused) here, not after."""
        self._ready()
        return self.secret("salt", 16)

    def secret(self, name: str, nbytes: int) -> str:
        """A random hex secret kept in the file ``name`` of the workspace (mode 600), created on
        first use atomically (written aside, then hard-linked into place), so two programs
        starting at once agree on one value."""
        self.home.mkdir(parents=True, exist_ok=True)
        path = self.home / name
        if not path.exists():
            tmp = self.home / f".{name}-{os.getpid()}-{secrets.token_hex(4)}"
            tmp.write_text(secrets.token_hex(nbytes))
            try:
                tmp.chmod(0o600)
            except OSError:
                pass
            try:
                os.link(tmp, path)  # fails if another program created it first: theirs wins
            except FileExistsError:
                pass
            except OSError:  # a filesystem without hard links
                if not path.exists():
                    os.replace(tmp, path)
            finally:
                tmp.unlink(missing_ok=True)
        return path.read_text().strip()

    def _ready(self) -> None:
        """Move an earlier version's ``workspace.duckdb`` into this layout (once)."""
        if self.legacy_path.exists():
            self._migrate()

    def _folder(self, dataset_id: str) -> Path:
        return self.datasets_dir / dataset_id

    # -- datasets -------------------------------------------------------------------------
    def save_dataset(self, dataset_id: str, *, name: str, kind: str, source_name: str, size_bytes: int,
                     clean: pd.DataFrame, quarantine: pd.DataFrame, mapping: dict, report: dict) -> str:
        """Store a cleaned dataset (replacing one with the same id) and return its id.

        The files are written aside without any lock; publishing them is one rename under the
        writer lock, so a reader sees the whole dataset or nothing."""
        check_id(dataset_id)
        self._ready()
        meta = _dataset_meta(dataset_id, name, kind, source_name, size_bytes, mapping, report)

        def write(tmp: Path) -> None:
            con = duckdb.connect()
            try:
                for part, frame in (("clean", clean), ("quarantine", quarantine)):
                    con.register("frame", frame)
                    order = " ORDER BY source_line" if "source_line" in frame.columns else ""
                    select = f"SELECT {_microseconds(frame)} FROM frame{order}"
                    if part == "clean" and len(frame) >= PARTITION_ROWS and "timestamp" in frame.columns:
                        _copy_by_month(con, select, tmp / "clean")
                    else:
                        _copy_to_parquet(con, select, tmp / f"{part}.parquet")
                    con.unregister("frame")
            finally:
                con.close()

        return self._store(dataset_id, meta, write)

    def save_dataset_query(self, dataset_id: str, con: duckdb.DuckDBPyConnection, *, clean_query: str,
                           quarantine_query: str, rows_clean: int, name: str, kind: str, source_name: str,
                           size_bytes: int, mapping: dict, report: dict, months: list[str] | None = None) -> str:
        """Store a dataset whose rows are DuckDB queries on ``con`` (the streaming ingest: rows go
        from the file to Parquet without passing through Python), partitioned by month from
        :data:`PARTITION_ROWS` kept rows: one file per month, each written by its own query with
        the month as a filter (``months``, 'YYYY-MM', the months of the kept rows when the caller
        knows them). Published like :meth:`save_dataset`."""
        check_id(dataset_id)
        self._ready()
        meta = _dataset_meta(dataset_id, name, kind, source_name, size_bytes, mapping, report)

        def write(tmp: Path) -> None:
            if rows_clean >= PARTITION_ROWS:
                written = _copy_months(con, clean_query, tmp / "clean", months)
                if written != rows_clean:  # a kept row outside the months given: never publish a part
                    raise RuntimeError(f"{written} of {rows_clean} kept rows were written by month")
            else:
                _copy_to_parquet(con, clean_query, tmp / "clean.parquet", level=FAST_ZSTD_LEVEL)
            _copy_to_parquet(con, quarantine_query, tmp / "quarantine.parquet", level=FAST_ZSTD_LEVEL)

        return self._store(dataset_id, meta, write)

    def _store(self, dataset_id: str, meta: dict, write: Callable[[Path], None]) -> str:
        """Write a dataset's files (``write`` into a temporary folder) and its meta.json aside, without
        any lock, then publish the folder by one rename under the writer lock."""
        tmp = self._new_tmp(dataset_id)
        try:
            write(tmp)
            _write_json(tmp / "meta.json", meta)
            _fsync_dir(tmp)
            self._publish(tmp, dataset_id)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        self._sweep()
        return dataset_id

    def _new_tmp(self, dataset_id: str) -> Path:
        return self.new_folder(self.datasets_dir, dataset_id)

    def _publish(self, tmp: Path, dataset_id: str) -> None:
        """Make the folder ``tmp`` the dataset ``dataset_id`` (under the writer lock)."""
        self.publish_folder(tmp, self._folder(dataset_id))

    # -- immutable folders (datasets here, trained runs in the registry) ---------------------
    def new_folder(self, parent: Path, name: str) -> Path:
        """A new, unlisted folder ``parent/.tmp-<name>-...`` to write a dataset or run into."""
        parent.mkdir(parents=True, exist_ok=True)
        tmp = parent / f".tmp-{name}-{os.getpid()}-{secrets.token_hex(4)}"
        tmp.mkdir()
        return tmp

    def publish_folder(self, tmp: Path, final: Path) -> None:
        """Make the finished folder ``tmp`` visible as ``final`` in one atomic rename (under the
        writer lock). When ``final`` exists (the same id stored again) its files are replaced
        one by one with ``os.replace``, ``meta.json`` last, so a reader holding an old file
        keeps reading it and nobody sees the folder missing."""
        with self.lock():
            try:
                os.rename(tmp, final)  # atomic; fails when the id is already published
            except OSError:
                if not final.is_dir():
                    raise
                names = sorted(os.listdir(tmp), key=lambda n: n == "meta.json")
                for name in names:
                    if (final / name).is_dir() and not (final / name).is_symlink():
                        # a folder (clean rows by month) cannot replace a folder: the old one goes first
                        os.rename(final / name, final / f".del-{name}-{secrets.token_hex(4)}")
                    os.replace(tmp / name, final / name)
                for name in set(os.listdir(final)) - set(names):  # e.g. a model file the new version lacks
                    if not name.startswith("."):
                        _remove(final / name)
                    elif name.startswith(".del-"):
                        shutil.rmtree(final / name, ignore_errors=True)
            _fsync_dir(final.parent)

    def remove_folder(self, folder: Path) -> None:
        """Unlist ``folder`` with one rename (under the writer lock), then delete its files;
        nothing happens when it does not exist."""
        gone = folder.with_name(f".del-{folder.name}-{secrets.token_hex(4)}")
        with self.lock():
            try:
                os.rename(folder, gone)
            except FileNotFoundError:
                return
        shutil.rmtree(gone, ignore_errors=True)

    def _sweep(self, parent: Path | None = None) -> None:
        """Remove what killed writers and finished deletes left behind (best effort)."""
        now = time.time()
        try:
            entries = list(os.scandir(parent or self.datasets_dir))
        except OSError:
            return
        for entry in entries:
            stale = (entry.name.startswith(".del-")
                     or (entry.name.startswith(".tmp-") and now - _mtime(entry) > STALE_TMP_S))
            if stale and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)

    def has_dataset(self, dataset_id: object) -> bool:
        """Whether a dataset with this id is stored (False for malformed ids)."""
        if not is_valid_id(dataset_id):
            return False
        self._ready()
        return (self._folder(dataset_id) / "meta.json").is_file()  # type: ignore[arg-type]

    def list_datasets(self) -> pd.DataFrame:
        """One row per dataset, newest first (without the mapping and report blobs)."""
        self._ready()
        rows = []
        try:
            entries = list(os.scandir(self.datasets_dir))
        except FileNotFoundError:
            entries = []
        for entry in entries:
            if not _ID.match(entry.name):  # temporary, half-deleted and lock files
                continue
            row = _catalogue_row(Path(entry.path) / "meta.json")
            if row is not None:
                rows.append(row)
        if not rows:
            return pd.DataFrame(columns=list(CATALOGUE))
        frame = pd.DataFrame(rows, columns=list(CATALOGUE))
        frame["created_at"] = pd.to_datetime(frame["created_at"]).astype("datetime64[us]")
        for col in ("size_bytes", "rows_in", "rows_clean", "rows_quarantined"):
            frame[col] = frame[col].astype("int64") if frame[col].notna().all() else frame[col].astype("Int64")
        for col in ("revenue_in", "revenue_clean"):
            frame[col] = frame[col].astype("float64")
        return frame.sort_values(["created_at", "dataset_id"], ascending=[False, True], ignore_index=True)

    def dataset(self, dataset_id: object) -> dict:
        """The catalogue entry of a dataset, with ``mapping`` and ``report`` decoded."""
        dataset_id = check_id(dataset_id)
        self._ready()
        meta = _read_meta(self._folder(dataset_id) / "meta.json")
        if meta is None:
            raise NotFoundError(_GONE)
        row = {col: meta.get(col) for col in CATALOGUE}
        row["created_at"] = pd.Timestamp(row["created_at"])
        row["mapping"] = meta.get("mapping", {})
        row["report"] = meta.get("report", {})
        return row

    def load_clean(self, dataset_id: object) -> pd.DataFrame:
        """The kept rows of a dataset (canonical columns + source_line + flags)."""
        return self._load("clean", dataset_id)

    def load_quarantine(self, dataset_id: object) -> pd.DataFrame:
        """The quarantined rows of a dataset with ``reason``, ``reasons`` and ``detail``."""
        return self._load("quarantine", dataset_id)

    def _load(self, part: str, dataset_id: object) -> pd.DataFrame:
        dataset_id = check_id(dataset_id)
        self._ready()
        folder = self._folder(dataset_id)
        path = folder / f"{part}.parquet"
        if not path.exists() and (folder / part).is_dir():  # partitioned by month
            con = duckdb.connect()
            try:
                table = con.sql(f"SELECT * FROM read_parquet('{_quote(_glob(folder / part))}', "
                                "hive_partitioning = false) ORDER BY source_line").to_arrow_table()
            finally:
                con.close()
            return _frame_from_arrow(table, Path(_glob(folder / part)))
        if not path.exists() and (folder / "meta.json").is_file():
            external = (_read_meta(folder / "meta.json") or {}).get("external")
            if external:
                return self._load_external(external, part)
        try:
            table = pq.read_table(path)
        except FileNotFoundError:
            raise NotFoundError(_GONE) from None
        return _frame_from_arrow(table, path)

    # -- datasets read in place ----------------------------------------------------------------
    def scan(self, dataset_id: object, con=None, part: str = "clean"):
        """A dataset's rows as an Ibis table read in place from its Parquet files (nothing loaded
        into Python): on ``con`` (an Ibis backend, e.g. ``engine.connect("spark")``), or on a new
        in-process DuckDB. A registered Parquet folder comes back with its mapping applied:
        canonical column names and types, missing canonical columns empty."""
        import ibis

        dataset_id = check_id(dataset_id)
        self._ready()
        folder = self._folder(dataset_id)
        meta = _read_meta(folder / "meta.json")
        if meta is None:
            raise NotFoundError(_GONE)
        con = con if con is not None else ibis.duckdb.connect()
        with warnings.catch_warnings():  # Ibis 12 calls a method DuckDB 2 deprecates
            warnings.filterwarnings("ignore", message=".*fetch_arrow_table.*", category=DeprecationWarning)
            return self._scan(meta, folder, con, part)

    def _scan(self, meta: dict, folder: Path, con, part: str):
        spark = getattr(con, "name", "") == "pyspark"
        external = meta.get("external")
        if external:
            if part != "clean":
                raise InputError("A registered Parquet table has no quarantine: it was not cleaned here.")
            source = external["path"]
            raw = con.read_parquet(source if spark else _parquet_source(source), **({} if spark else {
                "hive_partitioning": True, "union_by_name": True}))
            return _mapped(raw, external["kind"], external["mapping"])
        single = folder / f"{part}.parquet"
        if single.exists():
            return con.read_parquet(str(single))
        if (folder / part).is_dir():
            if spark:
                return con.read_parquet(str(folder / part)).drop("month")
            return con.read_parquet(_glob(folder / part), hive_partitioning=False)
        raise NotFoundError(_GONE)

    def register_parquet(self, path: str | os.PathLike, mapping: dict[str, str], *, kind: str = "orders",
                         name: str | None = None) -> str:
        """Register an existing Parquet file, folder (hive partitions included) or glob pattern
        (``lake/orders/year=2024/*.parquet``) as a dataset, without copying it: ``mapping`` is
        canonical column -> column of the files (e.g. ``{"customer_id": "user", "timestamp": "ts",
        "amount": "revenue"}``). Returns the dataset id, derived from the path, its files (names,
        sizes, times) and the mapping, so new files make a new id. The rows are taken as they are
        (no cleaning: the lake's own rules apply); the report keeps their count, revenue, customers
        and first and last time. :class:`InputError` with one sentence for an unknown canonical
        column, a missing required one, a source column the files lack, or one whose type cannot be
        read as its canonical column's (text that is not all dates or numbers, a nested type)."""
        if kind not in CANONICAL:
            raise InputError("A registered table is orders or events, not {kind!r}.", kind=kind)
        pattern = _is_glob(str(path))
        root = Path(os.path.abspath(os.path.expanduser(str(path)))) if pattern else Path(path).expanduser().resolve()
        if pattern:
            files = sorted(Path(f) for f in glob.glob(str(root), recursive=True) if f.endswith(".parquet")
                           and os.path.isfile(f))
        else:
            files = [root] if root.is_file() else sorted(root.rglob("*.parquet")) if root.is_dir() else []
        if not files:
            raise InputError("{path} holds no Parquet file: give a .parquet file, a folder of them or a glob "
                             "pattern such as 'lake/orders/*.parquet'.", path=path)
        unknown = sorted(set(mapping) - set(CANONICAL[kind]))
        if unknown:
            raise InputError("{columns} is not a column of an {kind} table; use {allowed}.",
                             columns=', '.join(unknown), kind=Note(kind), allowed=', '.join(CANONICAL[kind]))
        missing = [c for c in REQUIRED[kind] if c not in mapping]
        if missing:
            raise InputError("The mapping needs a column for {fields}.", fields=', '.join(missing))
        source = _parquet_source(str(root))
        con = duckdb.connect()
        try:
            rel = f"read_parquet('{_quote(source)}', hive_partitioning = true, union_by_name = true)"
            types = {r[0]: str(r[1]) for r in con.execute(f"DESCRIBE SELECT * FROM {rel}").fetchall()}
            absent = [src for src in mapping.values() if src not in types]
            if absent:
                raise InputError("The Parquet files have no column {absent}; their columns are {available}.",
                                 absent=', '.join(map(repr, absent)), available=', '.join(types))
            checks = _check_types(kind, mapping, types)
            person = "customer_id" if kind == "orders" else "user_id"
            when = f"TRY_CAST({_ident(mapping['timestamp'])} AS TIMESTAMP)"
            rev = "amount" if kind == "orders" else "price"
            revenue_expr = (f"coalesce(sum(TRY_CAST({_ident(mapping[rev])} AS DOUBLE)), 0)" if rev in mapping else "0.0")
            if kind == "events" and rev in mapping:
                revenue_expr = (f"coalesce(sum(TRY_CAST({_ident(mapping[rev])} AS DOUBLE)) "
                                f"FILTER (WHERE {_ident(mapping['event_type'])} = 'purchase'), 0)")
            found = con.execute(f"SELECT count(*), {revenue_expr}, count(DISTINCT {_ident(mapping[person])}), "
                                f"min({when}), max({when}){''.join(', ' + c for c, _ in checks)} FROM {rel}"
                                ).fetchone()
        except duckdb.Error as exc:
            raise InputError("{path} cannot be read as Parquet ({error}).", path=path,
                             error=type(exc).__name__) from None
        finally:
            con.close()
        rows, revenue, customers, first, last = found[:5]
        for (_, sentence), bad in zip(checks, found[5:]):
            if bad:
                raise InputError(sentence.code, **sentence.params, n=int(bad))
        fingerprint = {"parquet": str(root), "kind": kind, "mapping": dict(sorted(mapping.items())),
                       "files": [(str(f.relative_to(root)) if root.is_dir() else str(f) if pattern else f.name,
                                  f.stat().st_size, f.stat().st_mtime_ns) for f in files]}
        import hashlib

        dataset_id = hashlib.sha256(json.dumps(fingerprint, sort_keys=True).encode()).hexdigest()[:16]
        known = self.dataset(dataset_id) if self.has_dataset(dataset_id) else None
        if name is None and known is not None:  # registered before: keep its name
            if "customers" in known["report"]:
                return dataset_id
            name = known["name"]
        cleaning = {"rows_in": int(rows), "rows_clean": int(rows), "rows_quarantined": 0,
                    "revenue_in": float(revenue), "revenue_clean": float(revenue), "rules": [], "reconciles": True}
        meta = {
            "dataset_id": dataset_id, "name": name or (root.parent.name if pattern else root.name), "kind": kind,
            "source_name": str(root),
            "created_at": datetime.now(timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds"),
            "size_bytes": int(sum(f.stat().st_size for f in files)), "rows_in": int(rows), "rows_clean": int(rows),
            "rows_quarantined": 0, "revenue_in": float(revenue), "revenue_clean": float(revenue),
            "mapping": dict(mapping),
            "report": {"cleaning": cleaning, "registered": True, "files": len(files), "customers": int(customers),
                       "first": first.isoformat() if first is not None else None,
                       "last": last.isoformat() if last is not None else None},
            "external": {"path": str(root), "kind": kind, "mapping": dict(mapping)},
        }
        self._ready()
        tmp = self._new_tmp(dataset_id)
        try:
            _write_json(tmp / "meta.json", meta)
            _fsync_dir(tmp)
            self._publish(tmp, dataset_id)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        return dataset_id

    def _load_external(self, external: dict, part: str) -> pd.DataFrame:
        """A registered Parquet table as a canonical frame (its quarantine: no rows)."""
        con = duckdb.connect()
        try:
            source = _parquet_source(external["path"])
            select = _mapped_sql(external["kind"], external["mapping"])
            query = (f"SELECT {select}, CAST(row_number() OVER () AS BIGINT) AS source_line FROM "
                     f"read_parquet('{_quote(source)}', hive_partitioning = true, union_by_name = true)")
            if part != "clean":
                query += " LIMIT 0"
            table = con.sql(query).to_arrow_table()
        except duckdb.Error as exc:
            raise InputError("The registered Parquet table {path} cannot be read any more ({error}); register it "
                             "again.", path=external['path'], error=type(exc).__name__) from None
        finally:
            con.close()
        frame = _frame_from_arrow(table, Path(source))
        if part != "clean":
            for col in ("reason", "reasons", "detail"):
                frame[col] = pd.Series(dtype="string")
        return frame

    def rename_dataset(self, dataset_id: object, name: str) -> None:
        """Give a dataset a new display name."""
        dataset_id = check_id(dataset_id)
        name = str(name).strip()[:120]
        if not name:
            raise InputError("A dataset needs a name.")
        self._ready()
        path = self._folder(dataset_id) / "meta.json"
        with self.lock():
            meta = _read_meta(path)
            if meta is None:
                raise NotFoundError(_GONE)
            meta["name"] = name
            _write_json(path, meta)

    def delete_dataset(self, dataset_id: object) -> None:
        """Remove a dataset and its files (nothing happens for an unknown id)."""
        dataset_id = check_id(dataset_id)
        self._ready()
        self.remove_folder(self._folder(dataset_id))

    # -- the single-file workspace of earlier versions -------------------------------------
    def _migrate(self) -> None:
        """Copy every dataset of ``workspace.duckdb`` into the folder layout, then rename the
        file to ``workspace.duckdb.migrated``. Idempotent: datasets already moved are skipped."""
        with self.lock():
            if not self.legacy_path.exists():  # another program moved it while we waited
                return
            log.warning("Moving the datasets of %s into %s (once) ...", self.legacy_path, self.datasets_dir)
            try:
                con = duckdb.connect(str(self.legacy_path), read_only=True)
            except duckdb.IOException as exc:
                if "lock" in str(exc).lower():
                    raise InputError("The workspace file {path} from an earlier version is open in another program "
                                     "(an older app or CLI run), so its datasets cannot be moved to the new layout "
                                     "yet. Close that program and try again.", path=self.legacy_path) from exc
                raise self._unreadable(exc) from exc
            except duckdb.Error as exc:
                raise self._unreadable(exc) from exc
            try:
                self._copy_legacy(con)
            finally:
                con.close()
            for suffix in ("", ".wal"):
                old = Path(str(self.legacy_path) + suffix)
                if old.exists():
                    os.replace(old, _free_name(Path(str(self.legacy_path) + ".migrated" + suffix)))

    def _unreadable(self, exc: Exception) -> InputError:
        return InputError("The workspace file {path} from an earlier version cannot be read ({error}). Move it out "
                          "of {home} to continue without its datasets.", path=self.legacy_path,
                          error=type(exc).__name__, home=self.home)

    def _copy_legacy(self, con: duckdb.DuckDBPyConnection) -> None:
        tables = {name for (name,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "datasets" not in tables:
            return
        cursor = con.execute("SELECT * FROM datasets")
        columns = [d[0] for d in cursor.description]
        for values in cursor.fetchall():
            row = dict(zip(columns, values))
            dataset_id = row["dataset_id"]
            if not is_valid_id(dataset_id) or self._folder(dataset_id).exists():
                continue
            if f"clean_{dataset_id}" not in tables or f"quarantine_{dataset_id}" not in tables:
                log.warning("Dataset %s of %s has no rows stored; not moved.", dataset_id, self.legacy_path)
                continue
            tmp = self._new_tmp(dataset_id)
            try:
                for part in ("clean", "quarantine"):
                    table = f'"{part}_{dataset_id}"'
                    cols = {c for (c, *_rest) in con.execute(f"DESCRIBE {table}").fetchall()}
                    order = " ORDER BY source_line" if "source_line" in cols else ""
                    _copy_to_parquet(con, f"SELECT * FROM {table}{order}", tmp / f"{part}.parquet")
                created = row.get("created_at")
                meta = {col: row.get(col) for col in CATALOGUE}
                meta["created_at"] = (created.isoformat(timespec="microseconds") if isinstance(created, datetime)
                                      else datetime.now(timezone.utc).replace(tzinfo=None).isoformat())
                meta["mapping"] = json.loads(row.get("mapping") or "{}")
                meta["report"] = json.loads(row.get("report") or "{}")
                _write_json(tmp / "meta.json", meta)
                os.rename(tmp, self._folder(dataset_id))  # we hold the lock already
            finally:
                if tmp.exists():
                    shutil.rmtree(tmp, ignore_errors=True)
        _fsync_dir(self.datasets_dir)


# -- files ------------------------------------------------------------------------------------

def _dataset_meta(dataset_id: str, name: str, kind: str, source_name: str, size_bytes: int, mapping: dict,
                  report: dict) -> dict:
    """A dataset's ``meta.json``: names, counts and revenue from its cleaning report, mapping, report."""
    counts = report.get("cleaning", report)
    return {
        "dataset_id": dataset_id, "name": name, "kind": kind, "source_name": source_name,
        "created_at": datetime.now(timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds"),
        "size_bytes": int(size_bytes), "rows_in": _int(counts["rows_in"]), "rows_clean": _int(counts["rows_clean"]),
        "rows_quarantined": _int(counts["rows_quarantined"]), "revenue_in": _float(counts["revenue_in"]),
        "revenue_clean": _float(counts["revenue_clean"]),
        # the same round trip through JSON text as the catalogue column of earlier versions
        "mapping": json.loads(json.dumps(mapping)), "report": json.loads(json.dumps(report, default=str)),
    }

def _copy_to_parquet(con: duckdb.DuckDBPyConnection, query: str, path: Path, level: int | None = None) -> None:
    """Write a query's rows to a Parquet file with DuckDB, so a frame is stored with the same
    column types as the DuckDB tables of earlier versions, and flush it to disk (zstd at DuckDB's
    default level, or ``level``)."""
    target = str(path).replace("'", "''")
    level_option = f", COMPRESSION_LEVEL {int(level)}" if level is not None else ""
    con.execute(f"COPY ({query}) TO '{target}' (FORMAT parquet, COMPRESSION zstd{level_option})")
    _fsync(path)


def _microseconds(frame: pd.DataFrame) -> str:
    """``*`` with nanosecond timestamps stored as microseconds: Spark cannot read Parquet's
    TIMESTAMP(NANOS), and no export carries sub-microsecond times (pandas reads them back as ns)."""
    ns = [c for c in frame.columns if pd.api.types.is_datetime64_ns_dtype(frame[c])]
    if not ns:
        return "*"
    return "* REPLACE (" + ", ".join(f'CAST("{c}" AS TIMESTAMP) AS "{c}"' for c in ns) + ")"


def _copy_by_month(con: duckdb.DuckDBPyConnection, query: str, folder: Path) -> None:
    """Write a query's rows as Parquet partitioned by the month of ``timestamp``
    (``folder/month=YYYY-MM/data_0.parquet``; the month lives in the folder name only)."""
    target = str(folder).replace("'", "''")
    con.execute(f"COPY (SELECT *, strftime(timestamp, '%Y-%m') AS month FROM ({query})) TO '{target}' "
                "(FORMAT parquet, COMPRESSION zstd, PARTITION_BY (month))")
    for path in folder.rglob("*.parquet"):
        _fsync(path)


def _copy_months(con: duckdb.DuckDBPyConnection, query: str, folder: Path, months: list[str] | None) -> int:
    """Write a query's rows as Parquet by the month of ``timestamp``, one query and file per month
    (``folder/month=YYYY-MM/data_0.parquet``, the layout of :func:`_copy_by_month`): each reads only
    its month's rows, so the query's work is done once over all months, and a month's file is
    written by every thread, without the partitioned writer's per-thread buffers. Returns the rows
    written."""
    if months is None:
        months = [r[0] for r in con.execute(f"SELECT DISTINCT strftime(timestamp, '%Y-%m') FROM ({query}) "
                                            "WHERE timestamp IS NOT NULL ORDER BY 1").fetchall()]
    written, files = 0, []
    for month in months:
        if not re.fullmatch(r"\d{4}-\d{2}", str(month)):
            raise ValueError(f"'{month}' is not a month (YYYY-MM); the dataset was not written.")
        part = folder / f"month={month}"
        part.mkdir(parents=True, exist_ok=True)
        start = f"TIMESTAMP '{month}-01'"
        target = str(part / "data_0.parquet")
        written += con.execute(f"COPY (SELECT * FROM ({query}) WHERE timestamp >= {start} AND timestamp < {start} + "
                               f"INTERVAL 1 MONTH) TO '{_quote(target)}' (FORMAT parquet, COMPRESSION zstd, "
                               f"COMPRESSION_LEVEL {FAST_ZSTD_LEVEL})"
                               ).fetchone()[0]
        files.append(Path(target))
    for path in files:  # once all are written: the early months have mostly reached the disk by then
        _fsync(path)
    return int(written)


def _is_glob(path: str) -> bool:
    """Whether ``path`` is a glob pattern (``*``, ``?`` or ``[``) rather than a file or folder."""
    return any(ch in path for ch in "*?[")


def _parquet_source(path: str) -> str:
    """What DuckDB's read_parquet reads for a registered path: a glob as it is, a folder's Parquet
    files at any depth, or the file."""
    if _is_glob(path) or not Path(path).is_dir():
        return path
    return _glob(Path(path))


def _ident(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


_NUMERIC_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                  "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL")


def _check_types(kind: str, mapping: dict[str, str], types: dict[str, str]) -> list[tuple[str, Note]]:
    """The type of each mapped source column against its canonical column's: :class:`InputError` now
    for a type that cannot be one (a number for a time, a nested value), and for text read as dates
    or numbers the (SQL count of values that are not, note whose ``{n}`` is that count) checks to run."""
    checks = []
    for canonical, src in mapping.items():
        typ = types[src].upper()
        want = _canonical_type(canonical)
        what = {"TIMESTAMP": "dates or times", "DOUBLE": "numbers", "VARCHAR": "text"}[want]
        nested = typ.endswith("]") or typ.startswith(("STRUCT", "MAP", "UNION", "LIST")) or typ in ("BLOB", "BIT")
        fits = (typ.startswith(("TIMESTAMP", "DATE")) if want == "TIMESTAMP"
                else typ.startswith(_NUMERIC_TYPES) if want == "DOUBLE" else True)
        if nested or (not fits and typ != "VARCHAR"):
            raise InputError("The column {src!r} ({canonical}) holds {typ} values, not {what}; map a column of "
                             "{what} to {canonical}.", src=src, canonical=canonical, typ=typ, what=Note(what))
        if typ == "VARCHAR" and want != "VARCHAR":
            checks.append((f"count(*) FILTER (WHERE nullif(trim({_ident(src)}), '') IS NOT NULL AND "
                           f"TRY_CAST({_ident(src)} AS {want}) IS NULL)",
                           Note("The column {src!r} ({canonical}) is text with {n:,} values that are not {what}; "
                                "map a column of {what} to {canonical}.",
                                {"src": src, "canonical": canonical, "what": Note(what)})))
    return checks


def _glob(folder: Path) -> str:
    return str(folder / "**" / "*.parquet")


def _quote(text: str) -> str:
    return str(text).replace("'", "''")


def _canonical_type(column: str) -> str:
    return "TIMESTAMP" if column == "timestamp" else "DOUBLE" if column in _NUMBERS else "VARCHAR"


def _mapped_sql(kind: str, mapping: dict[str, str]) -> str:
    """SELECT list of a registered table: canonical names and types, unmapped columns empty."""
    parts = []
    for col in CANONICAL[kind]:
        typ = _canonical_type(col)
        source = mapping.get(col)
        parts.append(f'CAST("{source}" AS {typ}) AS {col}' if source else f"CAST(NULL AS {typ}) AS {col}")
    return ", ".join(parts)


def _mapped(raw, kind: str, mapping: dict[str, str]):
    """The same as :func:`_mapped_sql` as an Ibis projection (runs on DuckDB and Spark)."""
    import ibis

    ibis_type = {"TIMESTAMP": "timestamp", "DOUBLE": "float64", "VARCHAR": "string"}
    columns = {}
    for col in CANONICAL[kind]:
        typ = ibis_type[_canonical_type(col)]
        source = mapping.get(col)
        columns[col] = raw[source].cast(typ) if source else ibis.null().cast(typ)
    return raw.select(**columns)


def _frame_from_arrow(table: pa.Table, path: Path) -> pd.DataFrame:
    """The frame DuckDB's ``.df()`` gave for these columns in earlier versions, then
    ``_restore_dtypes``: text is ``str`` (``string`` when a column has no value at all),
    integers and booleans with a missing value are ``Int64``/``boolean``, timestamps are
    nanoseconds. Read with pyarrow (several times faster than DuckDB's conversion)."""
    special: dict[str, pd.Series] = {}
    plain = []
    for name, column in zip(table.column_names, table.columns):
        kind = column.type
        if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
            if column.null_count == len(column):  # DuckDB hands these over as object
                special[name] = pd.Series([None] * len(column), dtype=object).astype("string")
            else:
                plain.append(name)
        elif pa.types.is_integer(kind) or pa.types.is_boolean(kind):
            if column.null_count:
                nullable = (pd.BooleanDtype() if pa.types.is_boolean(kind) else pd.api.types.pandas_dtype(
                    f"{'UInt' if pa.types.is_unsigned_integer(kind) else 'Int'}{kind.bit_width}"))
                special[name] = column.to_pandas(types_mapper={kind: nullable}.get)
            else:
                plain.append(name)
        elif pa.types.is_floating(kind) or (pa.types.is_timestamp(kind) and kind.tz is None):
            plain.append(name)
        else:  # a type no dataset has had so far: let DuckDB convert it, exactly as before
            con = duckdb.connect()
            try:
                return _restore_dtypes(con.execute("SELECT * FROM read_parquet(?)", [str(path)]).df())
            finally:
                con.close()
    frame = table.select(plain).to_pandas(ignore_metadata=True) if plain else pd.DataFrame(index=range(table.num_rows))
    for name, series in special.items():
        frame[name] = series.set_axis(frame.index)
    return _restore_dtypes(frame[table.column_names] if special else frame)


def _restore_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    for col in frame.columns:
        if frame[col].dtype == object:
            frame[col] = frame[col].astype("string")
        elif pd.api.types.is_datetime64_any_dtype(frame[col]):
            frame[col] = frame[col].astype("datetime64[ns]")
    return frame


def _read_meta(path: Path) -> dict | None:
    """A dataset's ``meta.json``, or None when the dataset is not (or no longer) there."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError):
        return None


def _catalogue_row(path: Path) -> dict | None:
    """The listing row of one dataset, parsed once per version of its ``meta.json``."""
    try:
        stat = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        _LISTED.pop(str(path), None)
        return None
    key = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    cached = _LISTED.get(str(path))
    if cached is not None and cached[0] == key:
        return cached[1]
    meta = _read_meta(path)
    if meta is None:
        return None
    row = {col: meta.get(col) for col in CATALOGUE}
    _LISTED[str(path)] = (key, row)
    return row


def _write_json(path: Path, content: dict) -> None:
    """Write ``content`` to ``path`` atomically (a temporary file beside it, then ``os.replace``)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(content, handle, default=str)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    try:
        _fsync(path)
    except OSError:  # not every filesystem syncs directories
        pass


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _mtime(entry: os.DirEntry) -> float:
    try:
        return entry.stat(follow_symlinks=False).st_mtime
    except OSError:
        return time.time()


def _free_name(path: Path) -> Path:
    """``path``, or ``path.2``, ``path.3`` ... whichever does not exist yet."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.{n}")
    return candidate


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _float(value) -> float | None:
    return None if value is None else float(value)
