"""The app's engine setting ($ECOM_ANALYTICS_ENGINE, #19 item 5): DuckDB by default, Spark when asked and
installed, and DuckDB with a sentence saying why when the setting cannot be followed."""

from __future__ import annotations

import pytest

from ecom_analytics import engine
from ecom_analytics.i18n import translate


def test_unset_is_duckdb(monkeypatch):
    monkeypatch.delenv(engine.ENGINE_ENV, raising=False)
    assert engine.configured() == ("duckdb", None)


def test_an_unknown_engine_falls_back_to_duckdb_and_says_so(monkeypatch):
    monkeypatch.setenv(engine.ENGINE_ENV, " Postgres ")
    name, (code, params) = engine.configured()
    assert name == "duckdb"
    assert translate(code, "en", **params) == ("ECOM_ANALYTICS_ENGINE=Postgres is not an engine (duckdb or spark): "
                                               "the app runs on DuckDB.")
    assert translate(code, "zh", **params).startswith("ECOM_ANALYTICS_ENGINE=Postgres 不是可用的计算引擎")


@pytest.mark.parametrize("available, expected", [(True, "spark"), (False, "duckdb")])
def test_spark_only_where_it_can_run(monkeypatch, available, expected):
    monkeypatch.setenv(engine.ENGINE_ENV, "SPARK")
    monkeypatch.setattr(engine, "spark_available", lambda: available)
    name, problem = engine.configured()
    assert name == expected
    assert (problem is None) == available
    if not available:
        assert "PySpark or Java is not installed" in translate(problem[0], "en", **problem[1])


def test_the_master_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv(engine.SPARK_MASTER_ENV, raising=False)
    assert engine.spark_master() == "local[2]"
    monkeypatch.setenv(engine.SPARK_MASTER_ENV, "spark://host:7077")
    assert engine.spark_master() == "spark://host:7077"
