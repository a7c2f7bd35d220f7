"""Every aggregate on the engine gives the same result on DuckDB and on Spark local mode.

A fixture of a few hundred order lines and events (seeded) with the cases that split engines:
lines without order id or customer, empty categories and countries, ties for the favourite
weekday/hour/country, timestamps with fractions of a second, a cutoff between orders. Both engines
run the same Ibis expressions; floats are compared to 1e-9 relative (the order of a floating-point
sum differs between engines, nothing else may), everything else exactly.

One SparkSession for the whole test session (see :func:`spark`); skipped without PySpark or Java.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecom_analytics import engine
from ecom_analytics.ingest import schema
from ecom_analytics.insights import cohorts, features, overview, segments

pytestmark = [pytest.mark.spark, pytest.mark.slow]

CUTOFF = pd.Timestamp("2024-05-01")


def fixture_orders(n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    seconds = rng.integers(0, 200 * 86400, n)
    stamps = pd.Timestamp("2024-01-01") + pd.to_timedelta(seconds, unit="s")
    stamps = stamps + pd.to_timedelta(np.where(np.arange(n) % 17 == 0, 700, 0), unit="ms")  # some fractions
    frame = pd.DataFrame({
        "customer_id": [None if i % 37 == 0 else f"C{rng.integers(0, 40):02d}" for i in range(n)],
        "order_id": [None if i % 11 == 0 else f"O{i // 3}" for i in range(n)],
        "timestamp": stamps,
        "product_id": [f"P{rng.integers(0, 15)}" for _ in range(n)],
        "product_name": [f"name {rng.integers(0, 20)}" for _ in range(n)],
        "category": [None if i % 5 == 0 else f"K{rng.integers(0, 4)}" for i in range(n)],
        "quantity": rng.integers(1, 5, n).astype(float),
        "unit_price": 1.0,
        "amount": np.round(rng.uniform(1, 100, n), 2),
        "country": [None if i % 13 == 0 else ["UK", "FR", "DE"][rng.integers(0, 3)] for i in range(n)],
        "status": None,
    })
    return frame[schema.ORDERS_COLUMNS].astype(schema.DTYPES["orders"])


def fixture_events(n: int = 300) -> pd.DataFrame:
    rng = np.random.default_rng(11)
    frame = pd.DataFrame({
        "user_id": [None if i % 29 == 0 else f"C{rng.integers(20, 60):02d}" for i in range(n)],
        "timestamp": pd.Timestamp("2024-03-01") + pd.to_timedelta(rng.integers(0, 75 * 86400, n), unit="s"),
        "event_type": [["view", "view", "cart", "purchase", "wishlist"][rng.integers(0, 5)] for _ in range(n)],
        "product_id": [f"P{rng.integers(0, 15)}" for _ in range(n)],
        "category": "X",
        "brand": None,
        "price": 1.0,
        "session_id": [None if i % 7 == 0 else f"S{rng.integers(0, 90)}" for i in range(n)],
    })
    return frame[schema.EVENTS_COLUMNS].astype(schema.DTYPES["events"])


ORDERS = fixture_orders()
EVENTS = fixture_events()
RETURNS = ORDERS.iloc[::19].assign(amount=lambda f: -f["amount"])


@pytest.fixture(scope="session")
def spark():
    if not engine.spark_available():
        pytest.skip("PySpark or Java is not installed (pip install -r requirements-dev.txt; .ci/run installs Java)")
    return engine.connect("spark")


def same(duck: pd.DataFrame, spark_out: pd.DataFrame) -> None:
    """Column by column: the same names, rows, types, and values (floats to 1e-9 relative)."""
    assert list(duck.columns) == list(spark_out.columns)
    assert len(duck) == len(spark_out)
    pd.testing.assert_index_equal(duck.index, spark_out.index)
    for col in duck.columns:
        a, b = duck[col], spark_out[col]
        if pd.api.types.is_float_dtype(a):
            np.testing.assert_allclose(a.to_numpy(float), b.to_numpy(float), rtol=1e-9, atol=1e-12, equal_nan=True,
                                       err_msg=col)
        else:
            pd.testing.assert_series_equal(a, b, check_names=False, obj=col)


def test_customer_features_at_a_cutoff(spark):
    duck = features.build_customer_features(ORDERS, CUTOFF, events=EVENTS, returns=RETURNS)
    on_spark = features.build_customer_features(ORDERS, CUTOFF, events=EVENTS, returns=RETURNS, engine="spark")
    assert len(duck) > 40 and duck["orders"].sum() > 50  # the fixture reaches every branch
    assert duck["days_between_std"].notna().any() and duck["country"].isna().sum() == duck["orders"].eq(0).sum()
    same(duck, on_spark)
    # RFM is computed from the feature table: the same table gives the same scores and segments
    same(segments.rfm_scores(duck), segments.rfm_scores(on_spark))


@pytest.mark.parametrize("task", ["purchase", "churn", "revenue"])
def test_labels(spark, task):
    duck = features.build_labels(ORDERS, CUTOFF, 30, task=task, events=EVENTS)
    on_spark = features.build_labels(ORDERS, CUTOFF, 30, task=task, events=EVENTS, engine="spark")
    assert len(duck) > 10
    same(duck.to_frame(), on_spark.to_frame())


def test_overview_kpis_and_sales(spark):
    duck, on_spark = overview.kpis(ORDERS), overview.kpis(ORDERS, engine="spark")
    assert duck.keys() == on_spark.keys()
    for key, value in duck.items():
        assert on_spark[key] == pytest.approx(value, rel=1e-9) if isinstance(value, float) else on_spark[key] == value
    same(overview.sales_over_time(ORDERS, "week"), overview.sales_over_time(ORDERS, "week", engine="spark"))
    same(overview.top_products(ORDERS, 5), overview.top_products(ORDERS, 5, engine="spark"))


def test_cohorts(spark):
    duck = cohorts.cohorts(ORDERS)
    assert duck["months_since"].max() >= 5
    same(duck, cohorts.cohorts(ORDERS, engine="spark"))


def test_cohorts_and_funnel_of_a_period(spark):
    """The sidebar's period (a first and last day) cuts the same rows on both engines."""
    import datetime as dt

    start, end = dt.date(2024, 2, 10), dt.date(2024, 4, 20)
    duck = cohorts.cohorts(ORDERS, start=start, end=end)
    assert 0 < duck["cohort_size"].sum() < cohorts.cohorts(ORDERS)["cohort_size"].sum()
    same(duck, cohorts.cohorts(ORDERS, start=start, end=end, engine="spark"))
    same(cohorts.funnel(EVENTS, "category", start=start, end=end),
         cohorts.funnel(EVENTS, "category", start=start, end=end, engine="spark"))


def test_cli_features_are_the_same_on_both_engines(spark, tmp_path, capsys):
    from ecom_analytics.cli import main

    source = tmp_path / "orders.csv"
    ORDERS.to_csv(source, index=False)
    outputs = {}
    for name in ("duckdb", "spark"):
        out = tmp_path / f"features_{name}.csv"
        assert main(["features", "--orders", str(source), "--cutoff", "2024-05-01", "--out", str(out),
                     "--engine", name, "--home", str(tmp_path / "ws")]) == 0
        outputs[name] = pd.read_csv(out)
    assert len(outputs["duckdb"]) > 30
    same(outputs["duckdb"], outputs["spark"])


@pytest.mark.parametrize("by", [None, "category", "brand", "session_id"])
def test_funnel(spark, by):
    duck = cohorts.funnel(EVENTS, by)
    assert duck["users"].max() > 10
    same(duck, cohorts.funnel(EVENTS, by, engine="spark"))


def test_product_report(spark):
    duck = cohorts.product_report(ORDERS, EVENTS)
    assert duck["views"].sum() > 0 and duck["revenue"].sum() > 0 and duck["category"].isna().sum() < len(duck)
    same(duck, cohorts.product_report(ORDERS, EVENTS, engine="spark"))
    same(cohorts.product_report(None, EVENTS), cohorts.product_report(None, EVENTS, engine="spark"))
