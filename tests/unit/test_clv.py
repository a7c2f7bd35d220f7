"""CLV (ecom_analytics.predict.clv): summaries from transactions, Gamma-Gamma, value and evaluation.

The published fits: Gamma-Gamma on the CDNOW sample with spend (Fader, Hardie & Lee 2005,
"RFM and CLV: Using Iso-Value Curves for Customer Base Analysis"): p = 6.25, q = 3.74,
gamma = v = 15.44 on the 946 customers with repeat purchases. No raw CDNOW transaction file is
available in ``../shared/data``, so the summary's conventions are checked on hand-built orders
and on transactions simulated from known BG/NBD and Gamma-Gamma parameters, which come back.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecom_analytics.predict import clv
from ecom_analytics.predict.bgnbd import BGNBD
from ecom_analytics.predict.clv import GammaGamma
from ecom_analytics.errors import InputError

SPEND = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "cdnow_customers_summary_with_transactions.csv"
BGNBD_PUBLISHED = (0.2425945, 4.4135908, 0.7929306, 2.4258928)


def _bgnbd(r=0.2425945, alpha=4.4135908, a=0.7929306, b=2.4258928) -> BGNBD:
    model = BGNBD()
    model.r_, model.alpha_, model.a_, model.b_ = r, alpha, a, b
    return model


def _gamma_gamma(p=6.25, q=3.74, v=15.44) -> GammaGamma:
    model = GammaGamma()
    model.p_, model.q_, model.v_ = p, q, v
    return model


@pytest.fixture(scope="module")
def cdnow_spend() -> pd.DataFrame:
    if not SPEND.is_file():
        pytest.skip(f"CDNOW summary with spend not found at {SPEND} (the shared data folder next to the repository "
                    "is absent)")
    return pd.read_csv(SPEND)


# ---------------------------------------------------------------------------- Gamma-Gamma

def test_gamma_gamma_recovers_the_published_cdnow_fit(cdnow_spend):
    assert len(cdnow_spend) == 2357
    model = GammaGamma().fit(cdnow_spend["x"], cdnow_spend["zbar"])
    assert model.n_customers_ == 946
    assert model.p_ == pytest.approx(6.25, abs=0.01)
    assert model.q_ == pytest.approx(3.74, abs=0.01)
    assert model.v_ == pytest.approx(15.44, abs=0.02)


def test_expected_average_spend_by_hand():
    # p (v + x m) / (p x + q - 1): CDNOW customer 1 (x = 2, zbar = 22.35) and a customer with no repeat
    model = _gamma_gamma()
    assert float(model.expected_average_spend(2, 22.35)) == pytest.approx(6.25 * (15.44 + 2 * 22.35) / (12.5 + 2.74))
    assert float(model.expected_average_spend(2, 22.35)) == pytest.approx(24.66, abs=0.01)
    assert float(model.expected_average_spend(0, 0.0)) == pytest.approx(6.25 * 15.44 / 2.74)
    assert model.mean_spend() == pytest.approx(35.22, abs=0.01)
    # many purchases: the customer's own mean dominates
    assert float(model.expected_average_spend(200, 50.0)) == pytest.approx(50.0, rel=0.01)


def test_gamma_gamma_refuses_too_few_repeat_customers_and_unfitted_use():
    with pytest.raises(InputError, match="at least 10 customers who bought again"):
        GammaGamma().fit([1, 2, 0, 0], [10.0, 20.0, 0.0, 0.0])
    with pytest.raises(RuntimeError, match="not fitted yet; call fit"):
        GammaGamma().expected_average_spend([1], [10.0])


# ---------------------------------------------------------------------------- summaries

def _orders(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["customer_id", "timestamp", "amount"]).assign(
        timestamp=lambda f: pd.to_datetime(f["timestamp"]))


HAND = _orders([
    ("A", "2024-01-01 09:00", 10.0), ("A", "2024-01-01 17:30", 5.0),  # two orders the same day: one purchase
    ("A", "2024-01-15 12:00", 20.0), ("A", "2024-02-05 08:00", 30.0),
    ("A", "2024-03-01 10:00", 99.0),  # after the calibration end
    ("B", "2024-01-10 10:00", 40.0),  # one purchase only
    ("C", "2024-02-19 23:59", 12.0), ("C", "2024-02-19 01:00", 8.0), ("C", "2024-01-29 10:00", 4.0),
    ("D", "2024-02-25 10:00", 7.0),  # first purchase after the calibration end
])
END = "2024-02-19"


def test_summary_conventions_by_hand_in_weeks():
    s = clv.summarise_transactions(HAND, END, "weeks")
    assert list(s.index) == ["A", "B", "C"]  # D started after the calibration end
    a = s.loc["A"]
    assert a["frequency"] == 2  # 3 distinct days before the end, the first is not a repeat
    assert a["recency"] == pytest.approx(35 / 7)  # 1 Jan -> 5 Feb
    assert a["T"] == pytest.approx(49 / 7)  # 1 Jan -> 19 Feb
    assert a["monetary_value"] == pytest.approx((20 + 30) / 2)  # the repeat purchases only
    b = s.loc["B"]
    assert (b["frequency"], b["recency"], b["monetary_value"]) == (0, 0.0, 0.0)
    assert b["T"] == pytest.approx(40 / 7)
    c = s.loc["C"]  # orders on the calibration end's day count; the day's two orders are one purchase of 20
    assert c["frequency"] == 1 and c["recency"] == pytest.approx(3.0) and c["T"] == pytest.approx(3.0)
    assert c["monetary_value"] == pytest.approx(20.0)


def test_summary_in_days():
    s = clv.summarise_transactions(HAND, END, "days")
    assert s.loc["A", "recency"] == 35 and s.loc["A", "T"] == 49 and s.loc["B", "T"] == 40


def test_holdout_actuals_by_hand():
    actual = clv.holdout_actuals(HAND, END, "2024-03-01")
    assert actual.loc["A", "actual_purchases"] == 1 and actual.loc["A", "actual_spend"] == 99.0
    assert actual.loc["D", "actual_spend"] == 7.0
    assert "C" not in actual.index  # C's orders are on the calibration end's day


def test_unknown_unit_is_refused():
    with pytest.raises(InputError, match="time unit 'months'"):
        clv.summarise_transactions(HAND, END, "months")


# ---------------------------------------------------------------------------- value

def test_customer_value_by_hand():
    bg, gg = _bgnbd(), _gamma_gamma()
    summary = pd.DataFrame({"frequency": [2, 0], "recency": [30.43, 0.0], "T": [38.86, 38.86],
                            "monetary_value": [22.35, 0.0]}, index=pd.Index(["c1", "c2"], name="customer_id"))
    value = clv.customer_value(bg, gg, summary, "weeks", months=2, discount_rate=0.1)
    month = 365.25 / 12 / 7  # weeks in a month
    for cid, x, t_x in (("c1", 2, 30.43), ("c2", 0, 0.0)):
        e1, e2 = (float(bg.expected_purchases(k * month, x, t_x, 38.86)) for k in (1, 2))
        spend = float(gg.expected_average_spend(x, summary.loc[cid, "monetary_value"]))
        row = value.loc[cid]
        assert row["expected_purchases"] == pytest.approx(e2)
        assert row["spend_per_purchase"] == pytest.approx(spend)
        assert row["expected_spend"] == pytest.approx(e2 * spend)
        assert row["clv"] == pytest.approx(e1 * spend / 1.1 + (e2 - e1) * spend / 1.1 ** 2)
        assert row["probability_purchase"] == pytest.approx(float(bg.probability_of_purchase(2 * month, x, t_x, 38.86)))
    # customer 1 of CDNOW: about 0.064 purchases a month at 24.66 each in the first month
    assert value.loc["c1", "spend_per_purchase"] == pytest.approx(24.66, abs=0.01)
    assert list(value.index) == ["c1", "c2"]  # highest CLV first
    # without discounting, CLV is the expected spend
    flat = clv.customer_value(bg, gg, summary, "weeks", months=2, discount_rate=0.0)
    assert np.allclose(flat["clv"], flat["expected_spend"])


def test_top_share():
    assert clv.top_share(pd.Series([50.0, 30.0, 10.0, 5.0, 5.0]), 0.2) == pytest.approx(0.5)
    assert clv.top_share(pd.Series([1.0] * 10), 0.1) == pytest.approx(0.1)


# ---------------------------------------------------------------------------- evaluation

class _FixedPurchases:
    """A stand-in for a fitted BG/NBD: fixed expected purchases per customer whatever the window."""

    def __init__(self, values):
        self.values = np.asarray(values, dtype=float)

    def expected_purchases(self, t, x, t_x, T):
        return self.values


class _FixedSpend:
    def __init__(self, values):
        self.values = np.asarray(values, dtype=float)

    def expected_average_spend(self, x, m):
        return self.values


def test_evaluation_by_hand():
    ids = [f"c{i}" for i in range(10)]
    summary = pd.DataFrame({"frequency": [1] * 10, "recency": [1.0] * 10, "T": [10.0] * 10,
                            "monetary_value": [1.0] * 10,
                            "calibration_spend": [10.0 * (i + 1) for i in range(10)]},
                           index=pd.Index(ids, name="customer_id"))
    predicted = np.arange(10, 0, -1, dtype=float)  # c0 highest: 10 purchases ... c9: 1
    actuals = pd.DataFrame({"actual_purchases": [8.0, 0, 3, 0, 0, 0, 0, 0, 0, 1],
                            "actual_spend": [80.0, 0, 30, 0, 0, 0, 0, 0, 0, 10]},
                           index=pd.Index(["c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9"]))
    actuals = actuals[actuals["actual_purchases"] > 0]  # customers without holdout orders are absent
    e = clv.evaluate_clv(_FixedPurchases(predicted), _FixedSpend([2.0] * 10), summary, actuals, "days",
                         holdout_days=5)
    assert e["customers"] == 10 and e["holdout_days"] == 5
    assert e["predicted_purchases"] == pytest.approx(55.0) and e["actual_purchases"] == pytest.approx(12.0)
    assert e["predicted_spend"] == pytest.approx(110.0) and e["actual_spend"] == pytest.approx(120.0)
    abs_p = np.abs(predicted - np.array([8, 0, 3, 0, 0, 0, 0, 0, 0, 1]))
    assert e["mae_purchases"] == pytest.approx(abs_p.mean())
    abs_s = np.abs(2 * predicted - np.array([80, 0, 30, 0, 0, 0, 0, 0, 0, 10]))
    assert e["mae_spend"] == pytest.approx(abs_s.mean())
    assert e["top_decile_share"] == pytest.approx(80 / 120)  # c0 is the top decile
    assert [d["decile"] for d in e["deciles"]] == list(range(1, 11))
    assert e["deciles"][2]["actual_spend"] == 30 and e["deciles"][2]["predicted_spend"] == 16
    # the naive peer: calibration spend / T x 5 days = (i + 1) * 10 / 10 * 5
    naive = np.array([(i + 1) * 5.0 for i in range(10)])
    assert e["baseline_mae_spend"] == pytest.approx(np.abs(naive - [80, 0, 30, 0, 0, 0, 0, 0, 0, 10]).mean())
    assert e["correlation_spend"] == pytest.approx(np.corrcoef(2 * predicted, [80, 0, 30, 0, 0, 0, 0, 0, 0, 10])[0, 1])
    reading = clv.evaluation_reading(e)
    assert "expected 55 purchases and 110 in spend from 10 customers; they made 12 purchases and spent 120" in reading
    assert "under-predicted by 8%" in reading
    assert "brought 67% of the actual spend" in reading
    assert "err by 33.50 per customer: the model is better" in reading  # 15.40 against 33.50
    zh = clv.evaluation_reading(e, "zh")
    assert "55" in zh and "67%" in zh and "expected" not in zh


# ---------------------------------------------------------------------------- the whole run

def simulate_orders(n: int = 4000, seed: int = 1, r=0.243, alpha=4.414, a=0.793, b=2.426, p=6.25, q=3.74,
                    v=15.44, weeks: float = 78.0) -> tuple[pd.DataFrame, pd.Timestamp]:
    """Transactions drawn from BG/NBD (rate per week) and Gamma-Gamma spend, first purchases spread
    over the first 12 weeks from 1997-01-01 as in CDNOW; returns (orders, calibration end after
    39 weeks). Times are kept to the second, so two purchases fall on one day only rarely."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("1997-01-01")
    first = rng.uniform(0, 12, n)
    lam, drop = rng.gamma(r, 1 / alpha, n), rng.beta(a, b, n)
    nu = rng.gamma(q, 1 / v, n)
    rows_c, rows_t = [np.arange(n)], [first]
    clock, alive = first.copy(), np.ones(n, dtype=bool)
    while alive.any():
        clock = clock + rng.exponential(1 / np.maximum(lam, 1e-12))
        alive &= clock < weeks
        rows_c.append(np.flatnonzero(alive))
        rows_t.append(clock[alive])
        alive &= rng.random(n) >= drop  # after each repeat purchase, drop out with probability p
    cust, when = np.concatenate(rows_c), np.concatenate(rows_t)
    spend = rng.gamma(p, 1 / nu[cust])
    orders = pd.DataFrame({"customer_id": [f"s{i}" for i in cust],
                           "timestamp": start + pd.to_timedelta(np.round(when * 7 * 86400), unit="s"),
                           "amount": spend})
    return orders, start + pd.Timedelta(weeks=39) - pd.Timedelta(days=1)


@pytest.fixture(scope="module")
def simulated():
    orders, end = simulate_orders()
    return orders, end, clv.run_clv(orders, end, "weeks", months=12)


def test_simulated_parameters_come_back_from_raw_transactions(simulated):
    orders, end, run = simulated
    got = run.bgnbd.params_
    # r, alpha and the mean dropout chance a / (a + b) come back; a and b alone vary a lot from draw to
    # draw (b from 2.1 to 3.2 over three draws of 4,000 customers, even with exact times)
    assert got["r"] == pytest.approx(0.243, rel=0.15)
    assert got["alpha"] == pytest.approx(4.414, rel=0.2)
    assert got["a"] / (got["a"] + got["b"]) == pytest.approx(0.793 / (0.793 + 2.426), rel=0.15)
    # the summary from the raw transactions gives the fit of the exact (continuous) times of the draw
    weeks = (orders["timestamp"] - pd.Timestamp("1997-01-01")).dt.total_seconds() / 86400 / 7
    limit = (end - pd.Timestamp("1997-01-01")).days / 7
    times = weeks[weeks <= limit].groupby(orders["customer_id"][weeks <= limit])
    exact = BGNBD().fit(times.size() - 1, times.max() - times.min(), limit - times.min()).params_
    for name in ("r", "alpha", "a", "b"):
        assert got[name] == pytest.approx(exact[name], rel=0.1), name
    gg = run.gamma_gamma.params_
    assert run.gamma_gamma.mean_spend() == pytest.approx(6.25 * 15.44 / 2.74, rel=0.1)
    assert gg["p"] == pytest.approx(6.25, rel=0.3)
    assert gg["q"] == pytest.approx(3.74, rel=0.3)


def test_simulated_run_is_evaluated_on_the_holdout(simulated):
    orders, end, run = simulated
    e = run.evaluation
    assert run.holdout_end == pd.Timestamp(orders["timestamp"].max()).normalize()
    assert e["customers"] == len(run.customers)
    # the model is the truth: totals within 10 %, and the top decile brings far more than a tenth
    assert e["predicted_purchases"] == pytest.approx(e["actual_purchases"], rel=0.1)
    assert e["predicted_spend"] == pytest.approx(e["actual_spend"], rel=0.12)
    assert e["top_decile_share"] > 0.4
    assert e["correlation_spend"] > 0.4
    summary = run.summary()
    assert set(summary) >= {"calibration_end", "unit", "customers", "bgnbd", "gamma_gamma", "evaluation"}
    assert set(summary["bgnbd"]) >= {"r", "alpha", "a", "b", "log_likelihood"}
    assert set(summary["gamma_gamma"]) >= {"p", "q", "v"}
    assert "per_customer" not in summary["evaluation"]
    table = clv.export_table(run)
    assert list(table["rank"][:3]) == [1, 2, 3] and table["clv"].is_monotonic_decreasing
    assert {"holdout_actual_purchases", "holdout_actual_spend"} <= set(table.columns)


def test_run_without_holdout_has_no_evaluation(simulated):
    orders, end, _ = simulated
    run = clv.run_clv(orders[orders["timestamp"] <= end + pd.Timedelta(days=1)], None, "days", months=3)
    assert run.evaluation is None and run.calibration_end == pd.Timestamp(orders["timestamp"][
        orders["timestamp"] <= end + pd.Timedelta(days=1)].max()).normalize()
    assert "evaluation" not in run.summary()


def test_run_refuses_bad_settings():
    with pytest.raises(InputError, match="after the last order"):
        clv.run_clv(HAND, "2025-01-01")
    with pytest.raises(InputError, match="before the first order"):
        clv.run_clv(HAND, "2023-01-01")
    with pytest.raises(InputError, match="Only 2 customers bought on more than one day"):
        clv.run_clv(HAND, END)
    with pytest.raises(InputError, match="discount rate"):
        clv.run_clv(HAND, END, discount_rate=1.5)
    with pytest.raises(InputError, match="no orders"):
        clv.run_clv(HAND.iloc[:0])


def test_default_calibration_end_keeps_a_holdout():
    orders, _ = simulate_orders(n=50, seed=3)
    last = pd.Timestamp(orders["timestamp"].max()).normalize()
    first = pd.Timestamp(orders["timestamp"].min()).normalize()
    end = clv.default_calibration_end(orders, months=1)
    assert (last - end).days == round(365.25 / 12)
    end = clv.default_calibration_end(orders, months=120)  # at most a third of the history
    assert (last - end).days == (last - first).days // 3


def test_value_deciles_by_hand():
    customers = pd.DataFrame({"clv": [100.0, 50, 20, 10, 8, 6, 3, 2, 1, 0, 0, 0],
                              "expected_purchases": [5.0, 3, 2, 1, 1, 1, 0.5, 0.5, 0.2, 0.1, 0, 0],
                              "expected_spend": [110.0, 55, 22, 11, 9, 7, 3, 2, 1, 0, 0, 0],
                              "probability_alive": [1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0, 0.0]},
                             index=[f"c{i}" for i in range(12)])
    d = clv.value_deciles(customers).set_index("decile")
    # 12 customers: decile k holds the ranks up to ceil(1.2 k): 2, 3, 4, 5, 6, 8, 9, 10, 11, 12
    assert list(d["customers"]) == [2, 1, 1, 1, 1, 2, 1, 1, 1, 1]
    assert d.loc[1, "clv"] == 150 and d.loc[1, "share_of_clv"] == pytest.approx(0.75)  # the top 10 %, rounded up
    assert d.loc[6, "clv"] == 5 and d.loc[6, "probability_alive"] == pytest.approx(0.35)
    assert d.loc[1, "share_of_clv"] == pytest.approx(clv.top_share(customers["clv"], 0.10))
    assert d["customers"].sum() == 12 and d["clv"].sum() == pytest.approx(200)
    assert d["share_of_clv"].sum() == pytest.approx(1.0)


def test_high_value_audience_and_deciles_chart():
    from ecom_analytics.predict.audiences import audience_summary, score_table
    from ecom_analytics.charts.clv import deciles_chart

    values = pd.Series([100.0, 50, 20, 10, 8, 6, 3, 2, 1, 0, 0, 0], index=[f"c{i}" for i in range(12)])
    summary = audience_summary(score_table(values), 0.10, "clv")
    assert summary["name"] == "High-value customers"
    assert summary["customers"] == 2 and summary["expected"] == 150 and summary["threshold"] == 50  # 10 % of 12, up
    deciles = [{"decile": k, "predicted_spend": 10.0 * k, "actual_spend": 5.0 * k} for k in range(1, 11)]
    fig = deciles_chart(deciles, 91)
    assert [list(trace.y) for trace in fig.data] == [[10.0 * k for k in range(1, 11)], [5.0 * k for k in range(1, 11)]]
    assert list(fig.data[0].x) == [str(k) for k in range(1, 11)]
    assert fig.layout.title.text == "Predicted and actual spend over the 91 days after the calibration end"
    zh = deciles_chart(deciles, 91, lang="zh")
    assert zh.layout.title.text == "校准期结束后 91 天的预测消费与实际消费" and zh.data[1].name == "实际消费"
