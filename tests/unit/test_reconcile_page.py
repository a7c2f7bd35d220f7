"""Coherent levels as the Forecast page shows them (forecasting.reconcile.reconcile_run), on a
hand-built run: a total and two series A and B below it, two scored backtest windows of one step.

    window 0: actual  total 30, A 10, B 20; forecast total 36, A 12, B 18; MASE scale 6, 2, 4
    window 1: actual  total 40, A 10, B 30; forecast total 40, A  8, B 28; MASE scale 5, 2, 4
    future:   forecast total 50, A 15, B 30

Every expected figure below is worked out by hand in the comment next to it.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from ecom_analytics.errors import InputError
from ecom_analytics.forecasting.reconcile import coherent_series, reconcile_run, reconciled_accuracy
from ecom_analytics.forecasting.series import SeriesSet

IDS = ["total", "A", "B"]
ACTUAL = {0: {"total": 30, "A": 10, "B": 20}, 1: {"total": 40, "A": 10, "B": 30}}
FORECAST = {0: {"total": 36, "A": 12, "B": 18}, 1: {"total": 40, "A": 8, "B": 28}}
SCALE = {0: {"total": 6, "A": 2, "B": 4}, 1: {"total": 5, "A": 2, "B": 4}}
FUTURE = {"total": 50.0, "A": 15.0, "B": 30.0}


def hand_run(model: str = "theta", missing: str | None = None) -> SimpleNamespace:
    grid = pd.date_range("2024-01-01", periods=6, freq="W-MON")
    frame = pd.concat([pd.DataFrame({"unique_id": u, "ds": grid, "y": [10.0] * 6}) for u in IDS], ignore_index=True)
    frame["unique_id"] = frame["unique_id"].astype("string")
    series = SeriesSet(frame, "W", "revenue", "product+total")
    bt = pd.DataFrame([{"unique_id": u, "model": model, "window": w, "cutoff": grid[3 + w], "step": 1,
                        "ds": grid[4 + w], "y": float(ACTUAL[w][u]), "yhat": float(FORECAST[w][u]),
                        "scale": float(SCALE[w][u])} for w in (0, 1) for u in IDS if (u, w) != (missing, 1)])
    fc = pd.DataFrame([{"unique_id": u, "model": model, "step": 1, "ds": grid[-1] + pd.Timedelta(weeks=1),
                        "yhat": FUTURE[u]} for u in IDS])
    return SimpleNamespace(series=series, backtest=bt, forecast=fc)


def test_bottom_up_future_adds_up_and_its_intervals_come_from_the_reconciled_errors():
    rec = reconcile_run(hand_run(), "theta", "bottom_up")
    f = rec.forecast.set_index("unique_id")
    assert f.loc["total", "yhat"] == 45.0 and f.loc["total", "base"] == 50.0  # 15 + 30, not the model's own 50
    assert (f.loc["A", "yhat"], f.loc["B", "yhat"]) == (15.0, 30.0)
    # reconciled backtest errors / sqrt(1): total |30-30|, |40-36| -> 0, 4: the 80 % quantile of two scores is the
    # largest (ceil(3 x 0.8) = 3 > 2); A: |10-12|, |10-8| -> 2; B: |20-18|, |30-28| -> 2
    assert (f.loc["total", "lo80"], f.loc["total", "hi80"]) == (41.0, 49.0)
    assert (f.loc["A", "lo95"], f.loc["A", "hi95"], f.loc["B", "lo80"], f.loc["B", "hi80"]) == (13.0, 17.0, 28.0, 32.0)
    assert rec.sigma1["total"] == pytest.approx(np.sqrt((0 ** 2 + 4 ** 2) / 2))
    assert rec.bottom == 2


def test_the_accuracy_table_as_forecast_and_bottom_up():
    acc = reconcile_run(hand_run(), "theta", "bottom_up").accuracy.set_index("level")
    # as forecast, total: window 0 |30-36| = 6 (sMAPE 200 x 6 / 66, MASE 6 / 6), window 1 exact
    assert acc.loc["total", "smape_base"] == pytest.approx((1200 / 66 + 0) / 2)
    assert acc.loc["total", "mase_base"] == pytest.approx((1 + 0) / 2)
    # bottom-up, total: window 0 12 + 18 = 30 (exact), window 1 8 + 28 = 36 (|40-36| = 4: sMAPE 800 / 76, MASE 4 / 5)
    assert acc.loc["total", "smape"] == pytest.approx((0 + 800 / 76) / 2)
    assert acc.loc["total", "mase"] == pytest.approx((0 + 0.8) / 2)
    # the series below: every error is 2; sMAPE 400/22, 400/38, 400/18, 400/58; MASE 2/2, 2/4, 2/2, 2/4
    bottom = (400 / 22 + 400 / 38 + 400 / 18 + 400 / 58) / 4
    assert acc.loc["bottom", "smape_base"] == pytest.approx(bottom) and acc.loc["bottom", "smape"] == pytest.approx(bottom)
    assert acc.loc["bottom", "mase_base"] == pytest.approx(0.75) and acc.loc["bottom", "mase"] == pytest.approx(0.75)


def test_mint_on_each_window_uses_the_other_windows_errors():
    """One other window: W is the diagonal of its squared errors. Window 0 (from window 1's errors 0, 2, 2):
    the total's variance is ~0, so the total stays at 36 and A, B share the gap 36 - 30 equally: 15, 21.
    Window 1 (from window 0's errors -6, -2, 2: variances 36, 4, 4): the gap 40 - 36 = 4 is split in
    proportion to the variances: the total moves down 4 x 36/44, A and B up 4 x 4/44 each."""
    acc = reconciled_accuracy(hand_run(), "theta").set_index(["level", "method"])
    total_w1 = 40 - 4 * 36 / 44
    assert acc.loc[("total", "mint"), "mae"] == pytest.approx((6 + (40 - total_w1)) / 2, abs=1e-6)
    assert acc.loc[("total", "mint"), "mase"] == pytest.approx((6 / 6 + (40 - total_w1) / 5) / 2, abs=1e-6)
    # bottom, window 0: A 15 (|10-15| = 5), B 21 (1); window 1: A 8 + 16/44, B 28 + 16/44
    a1, b1 = 8 + 16 / 44, 28 + 16 / 44
    assert acc.loc[("bottom", "mint"), "mae"] == pytest.approx((5 + 1 + (10 - a1) + (30 - b1)) / 4, abs=1e-6)
    rec = reconcile_run(hand_run(), "theta", "mint")
    f = rec.forecast.set_index("unique_id")["yhat"]
    assert f["A"] + f["B"] == pytest.approx(f["total"], abs=0.005)  # to the cent
    assert f["total"] != 50.0 and f["A"] + f["B"] != 45.0  # not the model's own total, not plain bottom-up


def test_a_model_missing_a_series_on_a_window_cannot_be_reconciled():
    with pytest.raises(InputError, match="could not forecast every series"):
        reconcile_run(hand_run(missing="B"), "theta", "mint")
    with pytest.raises(InputError, match="Unknown reconciliation"):
        reconcile_run(hand_run(), "theta", "median")


def _orders() -> pd.DataFrame:
    """26 weeks of order lines for four products in one country (Mondays, 2024-01-01 on): product
    P1 sells 10 + week (revenue), P2 20 - week / 2, P3 5 every other week, P4 3 + (week mod 4)."""
    rows = []
    days = pd.date_range("2024-01-01", periods=26 * 7, freq="D")
    for i, day in enumerate(days[::7]):
        for pid, amount in (("P1", 10 + i), ("P2", 20 - i / 2), ("P3", 5 if i % 2 else 0), ("P4", 3 + i % 4)):
            if amount:
                rows.append({"timestamp": day + pd.Timedelta(hours=10), "product_id": pid, "amount": float(amount),
                             "quantity": 1.0, "order_id": f"{i}-{pid}", "customer_id": "c", "country": "France"})
    rows.append({"timestamp": days[-1] + pd.Timedelta(hours=23), "product_id": "P1", "amount": 1.0, "quantity": 1.0,
                 "order_id": "last", "customer_id": "c", "country": "France"})  # closes the last week
    return pd.DataFrame(rows)


@pytest.mark.parametrize("method", ["bottom_up", "mint"])
def test_a_real_run_by_product_adds_up_to_the_cent(method):
    from ecom_analytics.forecasting import run_forecast

    series = coherent_series(_orders(), "revenue", "product", "W", top_n=2)
    assert series.ids == ["total", "P1", "P2", "other"]  # P3 and P4 are the rest
    result = run_forecast(series, ["naive", "theta"], 4, 2, n_jobs=1)
    rec = reconcile_run(result, "theta", method)
    wide = rec.forecast.pivot_table(index="step", columns="unique_id", values="yhat")
    gap = (wide["P1"] + wide["P2"] + wide["other"] - wide["total"]).abs().max()
    assert gap < 0.005
    assert set(rec.accuracy["level"]) == {"total", "bottom"} and rec.accuracy[["smape", "mase"]].notna().all().all()


def test_notes_that_differ_only_in_their_series_are_grouped():
    from ecom_analytics.forecasting import notes as codes
    from ecom_analytics.forecasting.notes import group_by_series

    theta = codes.word("Theta")
    notes = [codes.note(codes.PARTIAL_FIRST, unit=codes.unit("W"), date="2010-11-29"),
             codes.note(codes.MODEL_NOTE, series="total", model=theta, note=codes.note(codes.RETAIL_SHORT, n=56)),
             codes.note(codes.SEASONAL_SHORT, series="total", needed=codes.span(60, "W"), history=codes.span(52, "W")),
             codes.note(codes.MODEL_NOTE, series="EIRE", model=theta, note=codes.note(codes.RETAIL_SHORT, n=56)),
             codes.note(codes.SEASONAL_SHORT, series="EIRE", needed=codes.span(60, "W"), history=codes.span(52, "W")),
             codes.note(codes.MODEL_NOTE, series="other", model=theta, note=codes.note(codes.RETAIL_SHORT, n=56)),
             codes.note(codes.MODEL_NOTE, series="elsewhere", model=theta, note=codes.note(codes.RETAIL_SHORT, n=56))]
    assert group_by_series(notes, ["total", "EIRE", "other"]) == [
        (notes[0], []), (notes[1], ["EIRE", "other"]), (notes[2], ["EIRE"]), (notes[6], [])]


def test_why_the_best_model_won_counts_its_windows_by_hand():
    """Two models on one series, three scored windows of one step (MASE scale 2 everywhere): theta is off by
    2, 2, 8 (MASE 1, 1, 4: mean 2), naive by 4, 4, 0 (2, 2, 0: mean 4/3). Naive is first on the leaderboard
    (lower mean MASE) yet theta wins windows 0 and 1: naive won 1 of 3."""
    from ecom_analytics.forecasting.explain import why_best

    errors = {"theta": [2, 2, 8], "naive": [4, 4, 0]}
    bt = pd.DataFrame([{"unique_id": "total", "model": m, "window": w, "step": 1, "y": 10.0, "yhat": 10.0 + e[w],
                        "scale": 2.0} for m, e in errors.items() for w in range(3)]
                      + [{"unique_id": "total", "model": "theta", "window": -1, "step": 1, "y": 10.0, "yhat": 50.0,
                          "scale": 2.0}])  # a selection window: never counted
    board = pd.DataFrame({"model": ["naive", "theta"], "mase": [4 / 3, 2.0], "smape": [12.0, 20.0]})
    run = SimpleNamespace(leaderboard=board, best_model="naive", backtest=bt)
    why = why_best(run)
    assert (why.best, why.runner_up, why.won, why.windows) == ("naive", "theta", 1, 3)
    assert (why.mase, why.runner_up_mase, why.smape, why.runner_up_smape) == (4 / 3, 2.0, 12.0, 20.0)
    assert why.naive_smape != why.naive_smape  # NaN: the best is the naive forecast itself


def test_training_lengths_of_the_windows_by_hand():
    from ecom_analytics.forecasting.explain import training_lengths

    grid = pd.date_range("2024-01-01", periods=10, freq="W-MON")
    frame = pd.DataFrame({"unique_id": pd.Series(["total"] * 10, dtype="string"), "ds": grid, "y": 1.0})
    # cuts after the 4th (selection window), 6th and 8th week
    bt = pd.DataFrame({"unique_id": "total", "model": "naive", "window": [-1, 0, 1],
                       "cutoff": [grid[3], grid[5], grid[7]]})
    spans = training_lengths(SimpleNamespace(series=SeriesSet(frame, "W", "revenue", "total"), backtest=bt), "total")
    assert (spans.shortest, spans.longest, spans.history, spans.windows, spans.selection) == (4, 8, 10, 2, 1)
