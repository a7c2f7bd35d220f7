"""AppTest: the pages follow the server's engine setting (#19 item 5), on the hand-built euro export of
test_currency_pages (c1: 5.00 of P1 and 10.00 of P2; c2: 4.00 of P1; revenue 19.00).

An unknown setting shows its warning in the sidebar and the pages run on DuckDB; on Spark (local mode,
marker ``spark``) the sidebar names Spark and the products, the funnel-free Overview and the cohorts
give the hand-computed figures."""

from __future__ import annotations

import pytest
import streamlit as st

from tests.app.test_currency_pages import EUROS, open_page


def texts(at) -> list[str]:
    return [w.value for w in (*at.warning, *at.caption, *at.markdown)]


def test_an_unknown_engine_is_named_and_the_app_runs_on_duckdb(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    monkeypatch.setenv("ECOM_ANALYTICS_ENGINE", "postgres")
    st.cache_data.clear()
    at = open_page(tmp_path, EUROS, "pages/products.py")
    assert any("ECOM_ANALYTICS_ENGINE=postgres is not an engine" in w.value for w in at.warning)
    table = at.dataframe[0]
    assert dict(zip(table.value["product_id"], table.value["revenue"])) == {"P2": 10.0, "P1": 9.0}


def test_the_default_says_nothing_about_the_engine(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    monkeypatch.delenv("ECOM_ANALYTICS_ENGINE", raising=False)
    at = open_page(tmp_path, EUROS, "pages/products.py")
    assert not any("Spark" in x or "ECOM_ANALYTICS_ENGINE" in x for x in texts(at))


@pytest.mark.spark
@pytest.mark.slow
def test_pages_on_spark(tmp_path, monkeypatch):
    from ecom_analytics import engine

    if not engine.spark_available():
        pytest.skip("PySpark or Java is not installed (pip install -r requirements-dev.txt; .ci/run installs Java)")
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    monkeypatch.setenv("ECOM_ANALYTICS_ENGINE", "spark")
    monkeypatch.delenv("ECOM_ANALYTICS_SPARK_MASTER", raising=False)
    st.cache_data.clear()  # the cached aggregates are keyed by dataset, not by engine
    at = open_page(tmp_path, EUROS, "pages/products.py")
    assert any(x == "Aggregates run on Spark (local[2])." for x in texts(at))
    table = at.dataframe[0]
    assert dict(zip(table.value["product_id"], table.value["revenue"])) == {"P2": 10.0, "P1": 9.0}
    at = open_page(tmp_path, EUROS, "pages/overview.py")
    revenue = next(m for m in at.metric if m.label == "Revenue")
    assert revenue.value.replace("€", "").strip() in ("19", "19.00")
    at = open_page(tmp_path, EUROS, "pages/cohorts_funnel.py")
    assert not at.exception
