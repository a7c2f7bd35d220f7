"""The sample data and the synthetic event generator (ecom_analytics.sample)."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecom_analytics import sample
from ecom_analytics.sample import (EVENT_COLUMNS, EVENT_TYPES, SAMPLE_DIR, SAMPLE_EVENTS, SAMPLE_ORDERS,
                                   generate_events, infer_category)

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT.parent / "shared" / "data" / "online_retail.csv.gz"
HEADER = b"InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"


def small_orders() -> pd.DataFrame:
    """3 customers, 5 order lines; p1 is sold at two prices."""
    return pd.DataFrame({
        "customer_id": ["c1", "c1", "c2", "c3", "c3"],
        "order_id": ["o1", "o1", "o2", "o3", "o4"],
        "timestamp": pd.to_datetime(["2011-03-01 10:00", "2011-03-01 10:00", "2011-03-02 15:30",
                                     "2011-03-03 09:15", "2011-03-05 18:45"]),
        "product_id": ["p1", "p2", "p1", "p3", "p2"],
        "product_name": ["JUMBO BAG RED RETROSPOT", "WHITE HANGING HEART T-LIGHT HOLDER",
                         "JUMBO BAG RED RETROSPOT", "PARTY BUNTING", "WHITE HANGING HEART T-LIGHT HOLDER"],
        "unit_price": [1.95, 2.55, 1.65, 4.95, 2.95],
        "quantity": [10.0, 6.0, 100.0, 4.0, 12.0],
        "country": ["United Kingdom", "United Kingdom", "France", "EIRE", "EIRE"],
    })


def with_unusable_lines(orders: pd.DataFrame) -> pd.DataFrame:
    """Add a cancellation, a line without customer and a free line, none of which may show up."""
    extra = pd.DataFrame({
        "customer_id": ["c1", None, "c4"],
        "order_id": ["C9", "o8", "o9"],
        "timestamp": pd.to_datetime(["2011-03-04 11:00", "2011-03-04 12:00", "2011-03-04 13:00"]),
        "product_id": ["p1", "p8", "p9"],
        "product_name": ["JUMBO BAG RED RETROSPOT", "LOST ITEM", "FREE GIFT"],
        "unit_price": [1.95, 3.0, 0.0],
        "quantity": [-10.0, 2.0, 1.0],
        "country": ["United Kingdom"] * 3,
    })
    return pd.concat([orders, extra], ignore_index=True)


@pytest.fixture(scope="module")
def orders_sample() -> pd.DataFrame:
    return sample._read_orders_sample()


@pytest.fixture(scope="module")
def sample_events() -> pd.DataFrame:
    return pd.read_csv(SAMPLE_EVENTS, dtype={"user_id": "str", "product_id": "str", "session_id": "str"},
                       parse_dates=["timestamp"])


def check_purchases(orders: pd.DataFrame, events: pd.DataFrame) -> None:
    """Every usable order line is a purchase at its timestamp, after a cart and a view of it in its session."""
    usable = orders[(orders["quantity"] > 0) & (orders["unit_price"] > 0) & orders["customer_id"].notna()]
    purchases = events[events["event_type"] == "purchase"]
    want = sorted(zip(usable["customer_id"], usable["product_id"], usable["timestamp"], usable["unit_price"]))
    got = sorted(zip(purchases["user_id"], purchases["product_id"], purchases["timestamp"], purchases["price"]))
    assert got == want
    for row in purchases.itertuples():
        same = events[(events["session_id"] == row.session_id) & (events["product_id"] == row.product_id)]
        carts = same[(same["event_type"] == "cart") & (same["timestamp"] < row.timestamp)]
        assert not carts.empty, f"no cart before purchase {row}"
        views = same[(same["event_type"] == "view") & (same["timestamp"] < carts["timestamp"].min())]
        assert not views.empty, f"no view before the cart of {row}"
        assert (events.loc[events["session_id"] == row.session_id, "user_id"] == row.user_id).all()


def check_sessions(events: pd.DataFrame) -> None:
    """One user per session; pre-purchase times strictly increase; purchases come last, at one time."""
    ordered = events.reset_index().sort_values(["session_id", "timestamp", "index"])
    assert (ordered.groupby("session_id")["user_id"].nunique() == 1).all()
    pre = ordered[ordered["event_type"] != "purchase"]
    gaps = pre.groupby("session_id")["timestamp"].diff().dropna()
    assert (gaps >= pd.Timedelta(seconds=1)).all()
    assert (gaps <= pd.Timedelta(minutes=15)).all()
    buys = ordered[ordered["event_type"] == "purchase"]
    assert (buys.groupby("session_id")["timestamp"].nunique() == 1).all()
    last_pre = pre.groupby("session_id")["timestamp"].max()
    first_buy = buys.groupby("session_id")["timestamp"].min()
    assert (last_pre.reindex(first_buy.index) < first_buy).all()
    removes = ordered[ordered["event_type"] == "remove_from_cart"]
    for row in removes.head(200).itertuples():
        carts = pre[(pre["session_id"] == row.session_id) & (pre["product_id"] == row.product_id)
                    & (pre["event_type"] == "cart") & (pre["timestamp"] < row.timestamp)]
        assert not carts.empty


# --------------------------------------------------------------------------- generator


@pytest.mark.slow
def test_small_orders_every_purchase_line_is_bought_after_cart_and_view():
    orders = small_orders()
    for seed in range(15):
        events = generate_events(orders, seed=seed)
        check_purchases(orders, events)
        check_sessions(events)


def test_unusable_lines_give_no_events_and_nothing_outside_the_orders():
    orders = with_unusable_lines(small_orders())
    for seed in range(10):
        events = generate_events(orders, seed=seed)
        check_purchases(orders, events)
        assert set(events["user_id"]) <= {"c1", "c2", "c3"}
        assert set(events["product_id"]) <= {"p1", "p2", "p3"}
        assert set(events["event_type"]) <= set(EVENT_TYPES)


def test_columns_types_and_prices():
    orders = small_orders()
    events = generate_events(orders, seed=3)
    assert list(events.columns) == EVENT_COLUMNS
    assert str(events["timestamp"].dtype) == "datetime64[ns]"
    assert (events["timestamp"] == events["timestamp"].dt.floor("s")).all()
    assert events["brand"].isna().all()
    assert events["session_id"].str.fullmatch(r"s\d{6,}").all()
    # a browsed product costs one of its real prices; a purchase its line's price
    assert set(events.loc[events["product_id"] == "p3", "price"]) == {4.95}
    assert set(events.loc[events["product_id"] == "p1", "price"]) <= {1.95, 1.65}
    cats = events.drop_duplicates("product_id").set_index("product_id")["category"].to_dict()
    assert cats == {"p1": "Bags", "p2": "Candles & lights", "p3": "Party"}


def test_given_category_wins_over_the_name():
    orders = small_orders().assign(category=["luggage", "luggage", "luggage", None, "lights"])
    events = generate_events(orders, seed=1)
    cats = events.drop_duplicates("product_id").set_index("product_id")["category"].to_dict()
    assert cats["p1"] == "luggage" and cats["p3"] == "Party"


def test_the_schema_accepts_the_events():
    from ecom_analytics.ingest.schema import validate
    validate(generate_events(small_orders(), seed=2), "events")


@pytest.mark.slow
def test_same_seed_same_frame_other_seed_other_frame(orders_sample):
    recent = orders_sample[orders_sample["timestamp"] >= "2011-11-20"]
    a = generate_events(recent, seed=11, days=10)
    pd.testing.assert_frame_equal(a, generate_events(recent, seed=11, days=10))
    pd.testing.assert_frame_equal(a, generate_events(recent.sample(frac=1.0, random_state=5), seed=11, days=10))
    b = generate_events(recent, seed=12, days=10)
    assert not a.equals(b)
    # the purchases are the orders', whatever the seed
    assert (a["event_type"] == "purchase").sum() == (b["event_type"] == "purchase").sum()
    small = small_orders()
    pd.testing.assert_frame_equal(generate_events(small, seed=4), generate_events(small, seed=4))
    assert not generate_events(small, seed=4).equals(generate_events(small, seed=5))


@pytest.mark.slow
def test_window_and_browse_only_customers(orders_sample):
    days = 14
    events = generate_events(orders_sample, seed=7, days=days)
    usable = orders_sample[(orders_sample["quantity"] > 0) & (orders_sample["unit_price"] > 0)
                           & orders_sample["customer_id"].notna()]
    end = usable["timestamp"].max()
    window = usable[usable["timestamp"] > end - pd.Timedelta(days=days)]
    assert events["timestamp"].max() == end
    assert events["timestamp"].min() > end - pd.Timedelta(days=days)
    assert set(events["user_id"]) <= set(usable["customer_id"])
    assert set(events["product_id"]) <= set(usable["product_id"])
    assert (events["event_type"] == "purchase").sum() == len(window)
    buyers = set(window["customer_id"])
    browse_only = set(events["user_id"]) - buyers
    assert len(browse_only) > 0.05 * len(buyers)
    assert buyers <= set(events["user_id"])
    check_sessions(events)


def test_infer_category():
    names = pd.Series(["JUMBO BAG RED RETROSPOT", "WHITE HANGING HEART T-LIGHT HOLDER", "POSTAGE",
                       "PAPER CHAIN KIT 50'S CHRISTMAS ", "REGENCY CAKESTAND 3 TIER", "FRENCH CARRIAGE LANTERN",
                       "something else", None], index=list("abcdefgh"))
    got = infer_category(names)
    assert list(got.index) == list("abcdefgh")
    assert got.tolist() == ["Bags", "Candles & lights", "Postage & fees", "Christmas", "Tableware & mugs",
                            "Candles & lights", "other", "other"]


def test_bad_input():
    with pytest.raises(ValueError):
        generate_events(small_orders().drop(columns="quantity"))
    with pytest.raises(ValueError):
        generate_events(small_orders(), days=0)
    empty = generate_events(small_orders().assign(quantity=-1.0))
    assert empty.empty and list(empty.columns) == EVENT_COLUMNS


def test_library_module_does_not_import_streamlit():
    code = "import sys, ecom_analytics.sample; sys.exit('streamlit' in sys.modules or 'tensorflow' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


@pytest.mark.slow
def test_cli_writes_events(tmp_path):
    out = tmp_path / "events.csv.gz"
    assert sample.main(["--days", "3", "--out", str(out)]) == 0
    text = gzip.decompress(out.read_bytes()).decode()
    assert text.splitlines()[0] == ",".join(EVENT_COLUMNS)
    assert pd.Series(text.splitlines()[1:6]).str.split(",").str[1].str.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d").all()


# --------------------------------------------------------------------------- the sample files


def test_sample_files_exist_and_are_small():
    assert SAMPLE_DIR == ROOT / "ecom_analytics" / "sample_data"  # package data, found by importlib.resources
    assert SAMPLE_ORDERS.is_file() and SAMPLE_EVENTS.is_file()
    assert SAMPLE_ORDERS.stat().st_size + SAMPLE_EVENTS.stat().st_size <= 5_000_000
    assert (SAMPLE_DIR / "README.md").is_file()


def test_orders_sample_is_raw_online_retail():
    lines = gzip.decompress(SAMPLE_ORDERS.read_bytes()).split(b"\n")
    assert lines[0] == HEADER
    assert lines[-1] == b""
    body = lines[1:-1]
    assert 100_000 < len(body) < 200_000
    raw = pd.read_csv(SAMPLE_ORDERS, dtype="str", keep_default_na=False)
    assert raw["InvoiceNo"].str.startswith("C").sum() > 1000
    assert (raw["CustomerID"] == "").sum() > 5000
    assert raw["CustomerID"].str.fullmatch(r"(\d{5})?").all()  # written as in the source, no ".0"
    assert raw["InvoiceDate"].min().startswith("2010-12-01")
    assert raw["InvoiceDate"].max().startswith("2011-12-09")
    dates = pd.to_datetime(raw["InvoiceDate"], format="%Y-%m-%d %H:%M:%S")
    assert dates.dt.to_period("M").nunique() == 13


def test_read_orders_sample(orders_sample):
    assert {"order_id", "product_id", "product_name", "quantity", "timestamp", "unit_price", "customer_id",
            "country"} <= set(orders_sample.columns)
    assert str(orders_sample["timestamp"].dtype).startswith("datetime64")
    ids = orders_sample["customer_id"].dropna()
    assert not ids.str.endswith(".0").any() and ids.str.fullmatch(r"\d{5}").all()
    assert orders_sample["customer_id"].isna().sum() > 5000


@pytest.mark.slow
def test_events_sample_matches_the_generator(tmp_path, orders_sample, sample_events):
    """The committed events file is what ``python -m ecom_analytics.sample`` writes today."""
    fresh = generate_events(orders_sample, seed=sample.SAMPLE_EVENT_SEED, days=sample.SAMPLE_EVENT_DAYS)
    path = sample.write_events(fresh, tmp_path / "events.csv.gz")
    assert gzip.decompress(path.read_bytes()) == gzip.decompress(SAMPLE_EVENTS.read_bytes()), \
        "ecom_analytics/sample_data/events_sample.csv.gz is stale: run python -m ecom_analytics.sample"
    assert len(sample_events) == len(fresh)


def test_events_sample_funnel_is_realistic(sample_events):
    counts = sample_events["event_type"].value_counts()
    assert set(counts.index) == set(EVENT_TYPES)
    view_to_cart = counts["cart"] / counts["view"]
    cart_to_purchase = counts["purchase"] / counts["cart"]
    assert 0.10 <= view_to_cart <= 0.35
    assert 0.30 <= cart_to_purchase <= 0.65
    sessions = sample_events.groupby("session_id")["event_type"].agg(set)
    with_cart = sessions.map(lambda s: "cart" in s).mean()
    buying = sessions.map(lambda s: "purchase" in s).mean()
    assert 0.1 < buying < with_cart < 0.8
    assert sample_events["brand"].isna().all()


def test_events_sample_agrees_with_orders_sample(orders_sample, sample_events):
    usable = orders_sample[(orders_sample["quantity"] > 0) & (orders_sample["unit_price"] > 0)
                           & orders_sample["customer_id"].notna()]
    assert set(sample_events["user_id"]) <= set(usable["customer_id"])
    assert set(sample_events["product_id"]) <= set(usable["product_id"])
    purchases = sample_events[sample_events["event_type"] == "purchase"]
    end = usable["timestamp"].max()
    window = usable[usable["timestamp"] > end - pd.Timedelta(days=sample.SAMPLE_EVENT_DAYS)]
    assert len(purchases) == len(window)
    assert np.isclose(purchases["price"].sum(), window["unit_price"].sum())


@pytest.mark.slow
@pytest.mark.skipif(not SOURCE.is_file(), reason=f"full Online Retail file not found at {SOURCE}")
def test_orders_sample_is_whole_customers_of_the_source_in_order(tmp_path):
    rebuilt = tmp_path / "orders.csv.gz"
    info = sample.build_orders_sample(SOURCE, rebuilt)
    assert gzip.decompress(rebuilt.read_bytes()) == gzip.decompress(SAMPLE_ORDERS.read_bytes()), \
        "the orders sample no longer follows build_orders_sample's rule"
    src = gzip.decompress(SOURCE.read_bytes()).split(b"\n")
    kept = gzip.decompress(SAMPLE_ORDERS.read_bytes()).split(b"\n")
    assert info["lines"] == len(kept) - 2
    # every kept line is a source line, in the source's order
    pos = {}
    for i, line in enumerate(src):
        pos.setdefault(line, []).append(i)
    last = -1
    for line in kept[1:-1]:
        nxt = [i for i in pos[line] if i > last]
        assert nxt, line
        last = nxt[0]
    # a kept customer keeps all their lines (cancellations included)
    full = pd.read_csv(SOURCE, dtype="str", keep_default_na=False)
    part = pd.read_csv(SAMPLE_ORDERS, dtype="str", keep_default_na=False)
    kept_customers = set(part["CustomerID"]) - {""}
    assert len(kept_customers) == round(full.loc[full["CustomerID"] != "", "CustomerID"].nunique() / 3)
    assert (full["CustomerID"].isin(kept_customers)).sum() == (part["CustomerID"] != "").sum()
    anon_invoices = set(part.loc[part["CustomerID"] == "", "InvoiceNo"])
    assert (full["InvoiceNo"].isin(anon_invoices)).sum() == (part["CustomerID"] == "").sum()
