"""The SQL engine behind every aggregate: DuckDB, kept behind one small function.

Queries are written in plain, standard-leaning SQL over named tables, so the same queries can
later run on a cluster engine; only :func:`sql` knows they run on DuckDB.
"""

from __future__ import annotations

import duckdb
import pandas as pd


def sql(query: str, params: list | None = None, **tables: pd.DataFrame) -> pd.DataFrame:
    """Run ``query`` over the given DataFrames (each visible under its keyword name)."""
    con = duckdb.connect()
    try:
        for name, frame in tables.items():
            con.register(name, frame)
        return con.execute(query, params or []).df()
    finally:
        con.close()
