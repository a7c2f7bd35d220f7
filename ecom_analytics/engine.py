"""The engine behind every aggregate: Ibis expressions, run on DuckDB by default or on Spark.

Aggregates are written once as Ibis expressions over the canonical tables (orders, events, ...)
and run on whichever backend holds the data:

- ``duckdb`` (the default): in-process DuckDB, one fresh connection per computation, so
  Streamlit's threads never share one; pandas frames are handed over without a copy where Arrow
  allows, and a stored dataset's Parquet files are read straight from disk, out of core.
- ``spark``: PySpark (optional: ``pip install ecom-analytics[spark]``), one session per process.
  Its master comes from ``ECOM_ANALYTICS_SPARK_MASTER`` (``local[2]`` when unset; a cluster's URL
  such as ``spark://host:7077`` or ``yarn`` otherwise), so the same code runs on a laptop or a cluster.

Only results come back to pandas (:func:`execute`). What differs between engines lives here:
the weekday of a timestamp (:func:`weekday`, 0 = Monday on every engine, where SQL's
``dayofweek`` starts on Sunday in DuckDB and Spark alike but at 0 in one and 1 in the other), the
most frequent value per key with a deterministic tie rule (:func:`most_frequent`), and whole
seconds between timestamps (:func:`seconds_between`).

:func:`sql` stays for the DuckDB-only queries not yet written as expressions.
"""

from __future__ import annotations

import os
import threading
import warnings
from typing import Any

import duckdb
import pandas as pd

ENGINES = ("duckdb", "spark")
SPARK_MASTER_ENV = "ECOM_ANALYTICS_SPARK_MASTER"
#: the environment variable that chooses the app's engine (whoever runs the server sets it)
ENGINE_ENV = "ECOM_ANALYTICS_ENGINE"
UNKNOWN_ENGINE = "{variable}={value} is not an engine (duckdb or spark): the app runs on DuckDB."
NO_SPARK = ("{variable}=spark, but PySpark or Java is not installed on the server: the app runs on DuckDB "
            "(pip install 'ecom-analytics[spark]' and a Java 17 runtime).")

_spark_lock = threading.Lock()
_spark_backend: Any = None


def sql(query: str, params: list | None = None, **tables: pd.DataFrame) -> pd.DataFrame:
    """Run a DuckDB ``query`` over the given DataFrames (each visible under its keyword name)."""
    con = duckdb.connect()
    try:
        for name, frame in tables.items():
            con.register(name, frame)
        return con.execute(query, params or []).df()
    finally:
        con.close()


class _quiet(warnings.catch_warnings):
    """Ibis 12 reads a pandas option that pandas 3 deprecates and calls a DuckDB method that DuckDB 2
    deprecates (and PySpark 4.0 passes a keyword pandas 3 deprecates): those warnings are theirs,
    not the user's."""

    def __enter__(self):
        out = super().__enter__()
        warnings.filterwarnings("ignore", message=".*future.infer_string.*")
        warnings.filterwarnings("ignore", message=".*fetch_arrow_table.*", category=DeprecationWarning)
        warnings.filterwarnings("ignore", message="The copy keyword is deprecated")  # PySpark 4.0 on pandas 3
        return out


def check_engine(engine: str) -> str:
    """``engine`` if it is one of :data:`ENGINES`, else a ValueError of one sentence."""
    if engine not in ENGINES:
        raise ValueError(f"The engine must be one of {', '.join(ENGINES)}, not {engine!r}.")
    return engine


def configured() -> tuple[str, tuple[str, dict] | None]:
    """The engine the app's aggregates run on, from :data:`ENGINE_ENV` (DuckDB when unset), and a
    warning ``(code, params)`` when the variable asks for something this server cannot run (an
    unknown name, or Spark without PySpark or Java): then DuckDB, and the warning says so."""
    value = os.environ.get(ENGINE_ENV, "").strip()
    name = value.lower() or "duckdb"
    if name not in ENGINES:
        return "duckdb", (UNKNOWN_ENGINE, {"variable": ENGINE_ENV, "value": value})
    if name == "spark" and not spark_available():
        return "duckdb", (NO_SPARK, {"variable": ENGINE_ENV})
    return name, None


def spark_master() -> str:
    """The Spark master the session connects to (``ECOM_ANALYTICS_SPARK_MASTER``, default ``local[2]``)."""
    return os.environ.get(SPARK_MASTER_ENV, "local[2]")


def spark_available() -> bool:
    """True when PySpark is installed (the optional ``spark`` extra) and a Java runtime is found."""
    import importlib.util
    import shutil

    return importlib.util.find_spec("pyspark") is not None and (
        shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME")))


def spark_session():
    """The process's SparkSession (created once): master from ``ECOM_ANALYTICS_SPARK_MASTER``
    (default ``local[2]``), UTC session time zone so timestamps mean the same on every engine."""
    if not spark_available():  # the optional extra, or Java, is not installed
        raise ValueError("The Spark engine needs PySpark and Java 17+: pip install 'ecom-analytics[spark]' "
                         "and install a Java runtime (e.g. apt-get install default-jre-headless).")
    from pyspark.sql import SparkSession

    master = spark_master()
    builder = (SparkSession.builder.master(master).appName("ecom-analytics")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.sql.shuffle.partitions", os.environ.get("ECOM_ANALYTICS_SPARK_PARTITIONS", "8"))
               .config("spark.sql.execution.arrow.pyspark.enabled", "true")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false"))
    return builder.getOrCreate()


def connect(engine: str = "duckdb"):
    """An Ibis backend: a fresh in-process DuckDB, or the process's shared Spark backend."""
    import ibis

    check_engine(engine)
    if engine == "duckdb":
        return ibis.duckdb.connect()
    global _spark_backend
    with _spark_lock:
        if _spark_backend is None:
            _spark_backend = ibis.pyspark.connect(spark_session())
        return _spark_backend


def table(data, con=None):
    """``data`` (a pandas frame, or an Ibis table) as an Ibis table that any backend can run.

    A pandas frame becomes an in-memory table: DuckDB reads it in place through Arrow, Spark
    gets a DataFrame of it when the expression runs. Columns with no value at all are typed as
    strings (every canonical column that can be entirely empty is a text column)."""
    import ibis

    if isinstance(data, ibis.Table):
        return data
    if con is not None and not _is_spark(con):
        # DuckDB scans the pandas frame in place (no Arrow copy of every column)
        name = ibis.util.gen_name("frame")
        con.con.register(name, data)
        with _quiet():
            t = con.table(name)
        empty = [c for c, dtype in t.schema().items() if dtype.is_null() or dtype.is_unknown()]
        return t.mutate(**{c: t[c].cast("string") for c in empty}) if empty else t
    frame = _spark_ready(data) if con is not None else data
    with _quiet():
        t = ibis.memtable(frame)
        empty = [c for c in frame.columns if frame[c].isna().all() and t.schema()[c].is_null()]
        if empty:
            schema = {c: ("string" if c in empty else dtype) for c, dtype in t.schema().items()}
            t = ibis.memtable(frame.assign(**{c: frame[c].astype(object) for c in empty}), schema=schema)
    return t


def execute(expr, con=None) -> pd.DataFrame:
    """Run an Ibis table expression and return the result as a pandas frame."""
    with _quiet():
        out = con.to_pandas(expr) if con is not None else expr.to_pandas()
    return out.reset_index(drop=True)


def run(build, engine: str = "duckdb", **frames) -> pd.DataFrame:
    """Build an expression with ``build(**tables)`` over ``frames`` and return its result as pandas.

    ``frames`` are pandas frames (or None) and/or Ibis tables. Ibis tables already bound to a backend
    (a stored dataset scanned in place, a Spark table) run where they live; otherwise ``engine``
    (duckdb, spark) runs the expression, with pandas frames handed to it."""
    import ibis

    bound = [f for f in frames.values() if isinstance(f, ibis.Table)]
    own = None
    if bound:
        try:
            con = bound[0]._find_backend(use_default=False)
        except Exception:  # an unbound Ibis table (a memtable): the engine asked for runs it
            con = own = connect(engine)
    else:
        con = own = connect(engine)
    try:
        tables = {k: (table(v, con) if v is not None else None) for k, v in frames.items()}
        return execute(build(**tables), con)
    finally:
        close(own)


def close(con) -> None:
    """Close a DuckDB backend made by :func:`connect` (the Spark backend stays for the process)."""
    if con is not None and not _is_spark(con):
        con.disconnect()


def _is_spark(con) -> bool:
    return getattr(con, "name", "") == "pyspark"


def _spark_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """pandas 3 columns Spark's Arrow conversion takes: strings as object (None for missing),
    timestamps at microseconds."""
    out = frame.copy()
    for col in out.columns:
        s = out[col]
        if isinstance(s.dtype, pd.StringDtype) or pd.api.types.is_object_dtype(s):
            out[col] = s.astype(object).where(s.notna(), None)
        elif pd.api.types.is_datetime64_any_dtype(s):
            out[col] = s.astype("datetime64[us]")
    return out


# ---------------------------------------------------------------- what differs between engines

def weekday(ts):
    """Day of the week of an Ibis timestamp: 0 = Monday ... 6 = Sunday, on every engine."""
    return ts.day_of_week.index()


def seconds_between(start, end):
    """Whole seconds from ``start`` to ``end`` (Ibis timestamps or literals), as an integer."""
    # floor, not a cast: DuckDB's epoch() keeps the fraction and a cast rounds it
    return end.epoch_seconds().floor().cast("int64") - start.epoch_seconds().floor().cast("int64")


def days_between(start, end):
    """Days (a float, whole seconds / 86400) from ``start`` to ``end``. The cast matters: Spark reads
    ``86400.0`` as a decimal and would round the quotient to six places."""
    return seconds_between(start, end).cast("float64") / ibis_literal(86400.0)


def ibis_literal(value: float):
    """A float64 literal (Spark SQL types a bare ``1.5`` as a decimal)."""
    import ibis

    return ibis.literal(value, type="float64")


def on_days(t, start=None, end=None):
    """The rows of Ibis table ``t`` whose ``timestamp`` falls on the days ``[start, end]`` (dates,
    both included; None: open), the same cut as :func:`ecom_analytics.insights.periods.rows_in`."""
    import ibis

    if start is not None:
        t = t.filter(t.timestamp >= ibis.literal(pd.Timestamp(start), type="timestamp"))
    if end is not None:
        t = t.filter(t.timestamp < ibis.literal(pd.Timestamp(end) + pd.Timedelta(days=1), type="timestamp"))
    return t


def most_frequent(t, key: str, column: str, name: str | None = None):
    """Per ``key``, the most frequent non-null ``column`` of table ``t`` (ties: the smallest value),
    as a table ``key, name``. Deterministic on every engine, unlike ``mode()`` or ``any_value()``."""
    import ibis

    counts = t.filter(t[column].notnull()).group_by([key, column]).aggregate(_n=ibis._.count())
    rank = ibis.row_number().over(group_by=counts[key], order_by=[ibis.desc(counts["_n"]), counts[column]])
    best = counts.mutate(_rank=rank).filter(ibis._["_rank"] == 0)
    return best.select(key, **{name or column: best[column]})
