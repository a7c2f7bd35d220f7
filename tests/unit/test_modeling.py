"""Time split, training tables, preprocessing and metrics (ecom_analytics.predict.modeling), and the
audience helpers (ecom_analytics.predict.audiences), on hand-computed examples.

Orders for build_examples (cutoff 2024-02-01, H = 30 days, label window [02-01, 03-02)):

- A: 2024-01-05 (10) and 2024-02-10 (25, inside the window): buys again -> purchase 1, revenue 25;
  active in the 28 days before the cutoff ([01-04, 02-01)) and in the window -> churn 0.
- B: first order exactly at the cutoff 2024-02-01 (7): not in any population at that cutoff.
- C: 2024-01-20 (4) only: purchase 0, revenue 0, churn 1.
- D: 2023-12-01 (9) and 2024-03-02 (the first instant after the window): purchase 0; not active in
  the 28 days before the cutoff, so not in the churn population.
"""

from __future__ import annotations

import io
import json
import math

import numpy as np
import pandas as pd
import pytest

from ecom_analytics.ingest import schema
from ecom_analytics.predict.audiences import audience, audience_summary, score_table, spreadsheet_safe, to_excel_bytes
from ecom_analytics.predict.modeling import (MIN_CLASS_COUNT, Preprocessor, build_examples, class_balance_warning,
                                     classification_metrics, plan_cutoffs, regression_metrics)

D = pd.Timestamp


def orders_frame(rows) -> pd.DataFrame:
    """Canonical orders from (customer, order, time, amount, country)."""
    f = pd.DataFrame(rows, columns=["customer_id", "order_id", "timestamp", "amount", "country"])
    f["timestamp"] = pd.to_datetime(f["timestamp"], format="ISO8601")
    f["product_id"] = "P1"
    f["product_name"] = "Product 1"
    f["category"] = "X"
    f["quantity"] = 1.0
    f["unit_price"] = f["amount"]
    f["status"] = None
    return f[schema.ORDERS_COLUMNS].astype(schema.DTYPES["orders"])


ORDERS = orders_frame([
    ("A", "a1", "2024-01-05 10:00", 10.0, "UK"),
    ("A", "a2", "2024-02-10 10:00", 25.0, "UK"),
    ("B", "b1", "2024-02-01 00:00", 7.0, "France"),
    ("C", "c1", "2024-01-20 12:00", 4.0, "France"),
    ("D", "d1", "2023-12-01 08:00", 9.0, "UK"),
    ("D", "d2", "2024-03-02 00:00", 11.0, "UK"),
])
CUTOFF = D("2024-02-01")


# ----------------------------------------------------------------------------- time split

def test_plan_cutoffs_hand_example():
    # data from 2024-01-01 09:00 to 2024-06-29 15:00 (2024 is a leap year), H = 30 days:
    # end = 06-30, test cutoff = 06-30 - 30 d = 05-31, training cutoffs every 30 days back
    # while 30 days of history remain: 05-01, 04-01, 03-02, 02-01 (01-02 would leave only one day)
    split = plan_cutoffs(D("2024-01-01 09:00"), D("2024-06-29 15:00"), 30)
    assert split.end == D("2024-06-30")
    assert split.test_cutoff == D("2024-05-31")
    assert split.train_cutoffs == [D("2024-02-01"), D("2024-03-02"), D("2024-04-01"), D("2024-05-01")]
    assert split.describe() == {"end": "2024-06-30", "horizon_days": 30, "test_cutoff": "2024-05-31",
                                "train_cutoffs": ["2024-02-01", "2024-03-02", "2024-04-01", "2024-05-01"],
                                "notes": []}


@pytest.mark.parametrize("horizon,stride", [(30, None), (30, 7), (7, None), (90, 30), (14, 3)])
def test_no_training_label_window_reaches_into_the_test_window(horizon, stride):
    first, last = D("2023-03-15 10:00"), D("2024-06-29 15:00")
    split = plan_cutoffs(first, last, horizon, stride_days=stride)
    h = pd.Timedelta(days=horizon)
    assert split.test_cutoff + h == split.end == D("2024-06-30")
    assert split.train_cutoffs == sorted(split.train_cutoffs)
    assert len(split.train_cutoffs) >= 1 and len(split.train_cutoffs) <= 8
    for c in split.train_cutoffs:
        assert c + h <= split.test_cutoff  # label window [c, c + H) ends by the test cutoff
        assert c - pd.Timedelta(days=30) >= first.normalize()  # 30 days of history before it
    assert split.train_cutoffs[-1] == split.test_cutoff - h


def test_plan_cutoffs_refuses_too_short_data_with_a_sentence():
    with pytest.raises(ValueError) as info:
        plan_cutoffs(D("2024-01-01"), D("2024-02-15"), 30)
    message = str(info.value)
    assert message == ("The data covers 46 days; a 30-day horizon needs at least 90 (history, a training window and "
                       "a test window). Choose a shorter horizon.")
    # coded: the analyst's language from the catalogue, not from the English sentence
    from ecom_analytics.i18n import translate_error

    assert translate_error(info.value, "zh") == "数据只覆盖 46 天；30 天的预测期至少需要 90 天（历史、训练窗口和测试窗口）。请选择更短的预测期。"


def test_plan_cutoffs_respects_the_cutoff_budget():
    split = plan_cutoffs(D("2020-01-01"), D("2024-06-29"), 7, max_train_cutoffs=3)
    assert split.train_cutoffs == [D("2024-06-02"), D("2024-06-09"), D("2024-06-16")]


# ----------------------------------------------------------------------------- examples

def test_build_examples_purchase_population_and_labels():
    table = build_examples(ORDERS, [CUTOFF], 30, "purchase")
    # B's first order is at the cutoff: not yet a customer
    assert list(table.index) == ["A", "C", "D"]
    assert table["label"].to_dict() == {"A": 1, "C": 0, "D": 0}
    assert (table["cutoff"] == CUTOFF).all()
    # features come from before the cutoff only: A has one order (the 02-10 one is the label)
    assert table["orders"].to_dict() == {"A": 1, "C": 1, "D": 1}
    assert table.loc["A", "revenue_total"] == pytest.approx(10.0)


def test_build_examples_revenue_and_churn_populations():
    revenue = build_examples(ORDERS, [CUTOFF], 30, "revenue")
    assert revenue["label"].to_dict() == {"A": 25.0, "C": 0.0, "D": 0.0}
    churn = build_examples(ORDERS, [CUTOFF], 30, "churn")
    assert churn["label"].to_dict() == {"A": 0, "C": 1}


def test_build_examples_stacks_cutoffs_and_can_omit_labels():
    table = build_examples(ORDERS, [D("2024-01-15"), CUTOFF], 30, "purchase")
    assert list(table["cutoff"]) == [D("2024-01-15")] * 2 + [CUTOFF] * 3
    assert list(table.index) == ["A", "D", "A", "C", "D"]
    # at 01-15 only A and D have ordered; A's 02-10 order is inside [01-15, 02-14)
    assert list(table["label"]) == [1, 0, 1, 0, 0]
    unlabelled = build_examples(ORDERS, [CUTOFF], 30, "purchase", with_labels=False)
    assert "label" not in unlabelled.columns and list(unlabelled.index) == ["A", "C", "D"]


# ----------------------------------------------------------------------------- preprocessing

def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "orders": [1.0, 2.0, 3.0, 10.0, 1.0, 2.0],
        "recency_days": [5.0, np.nan, 40.0, 1.0, 200.0, 12.0],
        "trend_90d": [-1.0, 0.5, 0.0, 1.0, 0.2, -0.3],
        "country": pd.array(["UK", "UK", "France", "UK", "Germany", "France"], dtype="string"),
        "label": [1, 0, 1, 1, 0, 0],
        "cutoff": D("2024-01-01"),
    }, index=pd.Index(list("abcdef"), name="customer_id"))


def test_preprocessor_learns_columns_and_names():
    prep = Preprocessor(max_categories=2).fit(_frame())
    assert prep.numeric_ == ["orders", "recency_days", "trend_90d"]
    assert prep.categorical_ == ["country"]
    # heavy-tailed, non-negative counts and durations are logged; trend (can be negative) is not
    assert prep.log_ == ["orders", "recency_days"]
    assert prep.missing_ == ["recency_days"]
    assert prep.categories_ == {"country": ["UK", "France"]}
    assert prep.feature_names_ == ["orders", "recency_days", "trend_90d", "recency_days_missing",
                                   "country=UK", "country=France", "country=other"]


def test_preprocessor_round_trip_through_json_gives_identical_matrices():
    frame = _frame()
    prep = Preprocessor(max_categories=2).fit(frame)
    state = json.loads(json.dumps(prep.to_dict()))  # plain JSON, no pickle
    again = Preprocessor.from_dict(state)
    new = frame.copy()
    new.loc["b", "country"] = "Atlantis"
    for data in (frame, new):
        a, b = prep.transform(data), again.transform(data)
        assert a.dtype == np.float32 and a.shape == (6, 7)
        np.testing.assert_array_equal(a, b)
    assert again.feature_names_ == prep.feature_names_


def test_preprocessor_unknown_and_rare_categories_go_to_other():
    prep = Preprocessor(max_categories=2).fit(_frame())
    new = _frame()
    new["country"] = pd.array(["Atlantis", "UK", "Germany", None, "France", "UK"], dtype="string")
    x = pd.DataFrame(prep.transform(new), columns=prep.feature_names_, index=new.index)
    assert x["country=other"].to_list() == [1, 0, 1, 1, 0, 0]  # unknown, rare (Germany) and missing
    assert x["country=UK"].to_list() == [0, 1, 0, 0, 0, 1]
    assert x["country=France"].to_list() == [0, 0, 0, 0, 1, 0]
    assert (x.filter(like="country=").sum(axis=1) == 1).all()


def test_preprocessor_imputes_the_median_with_a_missing_flag_and_scales():
    frame = _frame()
    prep = Preprocessor().fit(frame)
    x = pd.DataFrame(prep.transform(frame), columns=prep.feature_names_, index=frame.index)
    assert x["recency_days_missing"].to_list() == [0, 1, 0, 0, 0, 0]
    logged = np.log1p([5.0, 40.0, 1.0, 200.0, 12.0])
    median = float(np.median(logged))  # log1p(12)
    assert prep.median_["recency_days"] == pytest.approx(median)
    filled = np.array([logged[0], median, *logged[1:]])
    expected = (filled - filled.mean()) / filled.std()
    np.testing.assert_allclose(x["recency_days"], expected, rtol=1e-5)
    # standardised on the training frame
    assert x["trend_90d"].mean() == pytest.approx(0.0, abs=1e-6)
    assert x["trend_90d"].std(ddof=0) == pytest.approx(1.0, rel=1e-5)
    # a value missing only at scoring time is imputed too (and gets no flag column it never had)
    new = frame.copy()
    new.loc["a", "orders"] = np.nan
    assert np.isfinite(prep.transform(new)).all()


def test_preprocessor_must_be_fitted():
    with pytest.raises(RuntimeError, match="not fitted"):
        Preprocessor().transform(_frame())


# ----------------------------------------------------------------------------- metrics

def test_classification_metrics_perfect_separation():
    y = [0, 0, 1, 1]
    p = [0.1, 0.2, 0.8, 0.9]
    m = classification_metrics(y, p)
    assert m["roc_auc"] == 1.0
    assert m["pr_auc"] == 1.0
    assert m["log_loss"] == pytest.approx(-(math.log(0.9) + math.log(0.8)) / 2)
    assert m["brier"] == pytest.approx((0.01 + 0.04 + 0.04 + 0.01) / 4)


def test_classification_metrics_hand_ranked_and_random():
    # positives 0.35 and 0.8 against negatives 0.1 and 0.4: 3 of 4 pairs ranked right
    assert classification_metrics([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])["roc_auc"] == pytest.approx(0.75)
    # PR AUC (average precision): ranking 0.8 (pos), 0.4 (neg), 0.35 (pos) -> (1 + 2/3) / 2
    assert classification_metrics([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])["pr_auc"] == pytest.approx(5 / 6)
    rng = np.random.default_rng(7)
    y = rng.integers(0, 2, 4000)
    m = classification_metrics(y, rng.random(4000))
    assert abs(m["roc_auc"] - 0.5) < 0.03
    assert abs(m["pr_auc"] - y.mean()) < 0.03
    assert m["brier"] == pytest.approx(1 / 3, abs=0.02)  # E[(U - Y)^2] = 1/3


def test_classification_metrics_with_one_class_are_nan_not_an_error():
    m = classification_metrics([0, 0, 0], [0.1, 0.2, 0.3])
    assert math.isnan(m["roc_auc"]) and math.isnan(m["pr_auc"])
    assert math.isfinite(m["log_loss"]) and math.isfinite(m["brier"])


def test_regression_metrics_hand_example():
    m = regression_metrics([0, 10, 0, 20], [1, 8, 0, 26])
    assert m["mae"] == pytest.approx(2.25)  # (1 + 2 + 0 + 6) / 4
    assert m["rmse"] == pytest.approx(math.sqrt(41 / 4))  # (1 + 4 + 0 + 36) / 4
    # ranks (ties averaged) [1.5, 3, 1.5, 4] vs [2, 3, 1, 4]: 4.5 / sqrt(4.5 * 5)
    assert m["spearman"] == pytest.approx(math.sqrt(0.9))
    assert math.isnan(regression_metrics([0, 0, 0], [1, 2, 3])["spearman"])


def test_class_balance_warning():
    few = class_balance_warning([1] * 50 + [0] * 1500)
    assert few is not None
    assert "50 positives and 1,500 negatives" in few
    assert f"fewer than {MIN_CLASS_COUNT}" in few
    assert "GA4 asks for 1,000" in few
    assert class_balance_warning([0] * 99 + [1] * 500) is not None
    assert class_balance_warning([1] * MIN_CLASS_COUNT + [0] * MIN_CLASS_COUNT) is None


# ----------------------------------------------------------------------------- audiences

def test_score_table_ranks_and_percentiles():
    scores = pd.Series([0.1, 0.9, 0.5, 0.5, 0.3], index=pd.Index(list("abcde"), dtype="string"))
    table = score_table(scores)
    assert list(table.index) == ["b", "c", "d", "e", "a"]
    assert table["rank"].to_list() == [1, 2, 3, 4, 5]
    # share scoring at or below: 5/5, ties c and d 4/5, e 2/5, a 1/5
    assert table["percentile"].to_list() == [100.0, 80.0, 80.0, 40.0, 20.0]
    assert table["score"].to_list() == [0.9, 0.5, 0.5, 0.3, 0.1]


@pytest.mark.parametrize("n,share,size", [(5, 0.1, 1), (5, 0.3, 2), (5, 0.5, 3), (1000, 0.1, 100),
                                          (1001, 0.1, 101), (100, 0.07, 7), (100, 0.29, 29), (300, 0.01, 3),
                                          (3, 0.0, 1), (0, 0.2, 0)])
def test_audience_size_is_the_ceiling_of_share_times_customers(n, share, size):
    table = score_table(pd.Series(np.linspace(1, 0, n), index=pd.Index([f"c{i}" for i in range(n)], dtype="string")))
    members = audience(table, share)
    assert len(members) == size
    assert (members["rank"] <= size).all()


def test_audience_summary_expected_and_threshold():
    table = score_table(pd.Series([0.9, 0.8, 0.2, 0.1, 0.05, 0.05, 0.0, 0.0, 0.0, 0.0],
                                  index=pd.Index([f"c{i}" for i in range(10)], dtype="string")))
    summary = audience_summary(table, 0.2, "purchase")
    assert summary == {"name": "Likely purchasers", "share": 0.2, "customers": 2,
                       "expected": pytest.approx(1.7), "threshold": pytest.approx(0.8)}
    assert audience_summary(table, 0.2, "churn")["name"] == "Likely churners"


def _risky_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "product": pd.array(['=HYPERLINK("x")', "Apple", "+1 gift", "-5 discount", "@SUM(1)", "\tTab", None],
                            dtype="string"),
        "note": ["ok", "=1+1", "fine", "x", "y", "z", "\rCR"],
        "score": [-0.5, 0.2, 0.3, -1.0, 0.0, 1.0, 2.0],
    }, index=pd.Index(["@SUM(1)", "c2", "=cmd", "c4", "-c5", "+c6", "c7"], dtype="string", name="customer_id"))


def test_spreadsheet_safe_escapes_formula_starts():
    safe = spreadsheet_safe(_risky_frame())
    assert safe["product"].to_list()[:6] == ["'=HYPERLINK(\"x\")", "Apple", "'+1 gift", "'-5 discount", "'@SUM(1)",
                                             "'\tTab"]
    assert pd.isna(safe["product"].iloc[6])
    assert safe["note"].to_list() == ["ok", "'=1+1", "fine", "x", "y", "z", "'\rCR"]
    # numbers stay numbers (a negative score is not text)
    assert safe["score"].to_list() == [-0.5, 0.2, 0.3, -1.0, 0.0, 1.0, 2.0]
    assert pd.api.types.is_float_dtype(safe["score"])
    assert list(safe.index) == ["'@SUM(1)", "c2", "'=cmd", "c4", "'-c5", "'+c6", "c7"]
    csv = safe.to_csv()
    for line in csv.splitlines()[1:]:
        for cell in line.split(","):
            assert not cell.startswith(("=", "+", "@")), line


def test_excel_export_has_no_formula_cells():
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(to_excel_bytes(_risky_frame())))
    cells = [c for row in book.active.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert "'=HYPERLINK(\"x\")" in values and "'@SUM(1)" in values
