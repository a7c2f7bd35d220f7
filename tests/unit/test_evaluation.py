"""Evaluation tables, readings and charts (ecom_analytics.predict.evaluation, ecom_analytics.charts.evaluation).

Expected values are worked out by hand in the comments next to each fixture.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from ecom_analytics.charts import evaluation as charts_eval
from ecom_analytics.predict.evaluation import (best_epoch, calibration_table, confusion_at, gain_table, permutation_importance,
                                       pr_points, read_calibration, read_confusion, read_gain, read_history,
                                       read_importance, read_lift, read_pr, read_roc, read_slices, read_top_share,
                                       roc_points, slice_metrics, top_share_table)

# 10 customers, scores all different, given in scrambled order. Sorted by score (highest first):
#   p: 0.9 0.8 | 0.7 0.6 | 0.5 0.4 | 0.3 0.2 | 0.1 0.05
#   y:  1   1  |  1   0  |  0   1  |  0   0  |  0   0        4 positives, base rate 0.4
GAIN_P = [0.5, 0.9, 0.05, 0.6, 0.3, 0.8, 0.1, 0.4, 0.7, 0.2]
GAIN_Y = [0, 1, 0, 0, 0, 1, 0, 1, 1, 0]


def test_gain_table_five_groups_by_hand():
    table = gain_table(GAIN_Y, GAIN_P, groups=5)
    assert table["decile"].tolist() == [1, 2, 3, 4, 5]
    assert table["customers"].tolist() == [2, 2, 2, 2, 2]
    assert table["positives"].tolist() == [2, 1, 1, 0, 0]
    assert table["value"].tolist() == [2, 1, 1, 0, 0]
    np.testing.assert_allclose(table["rate"], [1.0, 0.5, 0.5, 0.0, 0.0])
    np.testing.assert_allclose(table["cumulative_share_of_customers"], [0.2, 0.4, 0.6, 0.8, 1.0])
    np.testing.assert_allclose(table["cumulative_gain"], [0.5, 0.75, 1.0, 1.0, 1.0])
    np.testing.assert_allclose(table["lift"], [2.5, 1.25, 1.25, 0.0, 0.0])  # rate / 0.4
    np.testing.assert_allclose(table["cumulative_lift"], [2.5, 1.875, 1 / 0.6, 1.25, 1.0])


def test_gain_table_ten_deciles_of_twenty():
    # 20 customers: score 20..1 (divided by 20), positives at ranks 1, 2, 5, 11 -> deciles of 2
    p = [0.05 * k for k in range(20, 0, -1)]
    y = [1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    table = gain_table(y, p)
    assert len(table) == 10 and table["customers"].tolist() == [2] * 10
    assert table["positives"].tolist() == [2, 0, 1, 0, 0, 1, 0, 0, 0, 0]
    np.testing.assert_allclose(table["lift"], [5.0, 0, 2.5, 0, 0, 2.5, 0, 0, 0, 0])  # rate / 0.2
    np.testing.assert_allclose(table["cumulative_gain"], [0.5, 0.5, 0.75, 0.75, 0.75, 1, 1, 1, 1, 1])


def test_gain_table_keeps_ties_together():
    # sorted high first: 0.9 0.9 0.9 0.5 0.5 0.1; nominal groups of 2 -> 0 0 1 1 2 2;
    # the 0.9s take group 0 (their first), the 0.5s group 1 -> sizes 3, 2, 1
    table = gain_table([1, 0, 1, 0, 1, 0], [0.9, 0.9, 0.9, 0.5, 0.5, 0.1], groups=3)
    assert table["customers"].tolist() == [3, 2, 1]
    assert table["positives"].tolist() == [2, 1, 0]
    np.testing.assert_allclose(table["cumulative_share_of_customers"], [0.5, 5 / 6, 1.0])
    np.testing.assert_allclose(table["cumulative_gain"], [2 / 3, 1.0, 1.0])
    np.testing.assert_allclose(table["lift"], [4 / 3, 1.0, 0.0])
    np.testing.assert_allclose(table["cumulative_lift"], [4 / 3, 1.2, 1.0])


def test_gain_table_on_revenue_uses_value():
    # revenue 100, 0, 50, 0 (total 150, mean 37.5); two groups: {0.9, 0.8}, {0.7, 0.1}
    table = gain_table([100.0, 0.0, 50.0, 0.0], [0.9, 0.8, 0.7, 0.1], groups=2)
    assert table["positives"].tolist() == [1, 1]
    assert table["value"].tolist() == [100.0, 50.0]
    np.testing.assert_allclose(table["rate"], [50.0, 25.0])
    np.testing.assert_allclose(table["cumulative_gain"], [2 / 3, 1.0])
    np.testing.assert_allclose(table["lift"], [50 / 37.5, 25 / 37.5])


def test_read_gain_and_lift():
    table = gain_table(GAIN_Y, GAIN_P, groups=5)
    assert read_gain(table) == "The top 20% of customers by score hold 50% of the buyers, 2.5 times a random fifth."
    assert read_lift(table) == ("Lift falls from 2.5 in decile 1 to 0.0 in decile 5; 3 of 5 deciles do better than "
                                "random (lift above 1).")
    deciles = gain_table(GAIN_Y, GAIN_P, groups=10)
    assert "a random tenth" in read_gain(deciles, task="churn") and "of the churners" in read_gain(deciles, "churn")


# 20 customers, scores 0.01..0.20 given lowest first. Sorted high first, y is
#   1 0 1 1 0 0 1 0 0 0 0 0 0 0 1 0 0 0 0 0   (5 positives, base rate 0.25)
# top 5% = 1 customer: 1 hit -> precision 1, recall 1/5, lift 4
# top 10% = 2: 1 hit -> precision 0.5, recall 0.2, lift 2
# top 20% = 4: 3 hits -> precision 0.75, recall 0.6, lift 3
TOP_P = [0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.10,
         0.11, 0.12, 0.13, 0.14, 0.15, 0.16, 0.17, 0.18, 0.19, 0.20]
TOP_Y = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 0, 1]


def test_top_share_by_hand():
    table = top_share_table(TOP_Y, TOP_P)
    assert table["share"].tolist() == [0.05, 0.10, 0.20]
    assert table["customers"].tolist() == [1, 2, 4]
    np.testing.assert_allclose(table["precision"], [1.0, 0.5, 0.75])
    np.testing.assert_allclose(table["recall"], [0.2, 0.2, 0.6])
    np.testing.assert_allclose(table["lift"], [4.0, 2.0, 3.0])
    np.testing.assert_allclose(table["value_share"], table["recall"])
    assert read_top_share(table) == ("Targeting the top 10% by score (2 customers) reaches 20% of the buyers with a "
                                     "precision of 50%, 2.0 times the base rate.")


def test_top_share_breaks_ties_by_position():
    # stable order high first: index 1 (0.9), then the 0.5s in position order 0, 2, 3
    # (reversed position order 3, 2, 0 would give 1/2 and 1/3)
    p, y = [0.5, 0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0, 0]
    table = top_share_table(y, p, shares=(0.4, 0.6))
    assert table["customers"].tolist() == [2, 3]
    np.testing.assert_allclose(table["precision"], [1.0, 2 / 3])  # indices {1, 0} then {1, 0, 2}


def test_top_share_audience_size_rounds_up():
    # 50% of 5 = 2.5 -> 3 customers; 7% of 100 = 7.000000000000001 in floating point -> 7, not 8
    assert top_share_table([0, 1, 1, 0, 0], [0.5, 0.9, 0.5, 0.5, 0.1], shares=(0.5,))["customers"].tolist() == [3]
    assert top_share_table([0, 1] * 50, np.arange(100) / 100, shares=(0.07,))["customers"].tolist() == [7]


def test_confusion_counts_by_hand():
    y = [1, 0, 1, 1, 0, 0, 1, 0]
    p = [0.9, 0.8, 0.4, 0.6, 0.2, 0.5, 0.3, 0.1]
    # flagged at 0.35: indices 0 1 2 3 5 -> y 1 0 1 1 0: tp 3, fp 2; not flagged 4 6 7 -> y 0 1 0: fn 1, tn 2
    c = confusion_at(y, p, 0.35)
    assert (c["tp"], c["fp"], c["fn"], c["tn"]) == (3, 2, 1, 2)
    assert c["precision"] == pytest.approx(0.6)
    assert c["recall"] == pytest.approx(0.75)
    assert c["accuracy"] == pytest.approx(0.625)
    assert c["f1"] == pytest.approx(6 / 9)  # 2tp / (2tp + fp + fn)
    assert confusion_at(y, p, 0.4) == {**c, "threshold": 0.4}  # a score equal to the threshold is flagged
    nobody = confusion_at(y, p, 0.95)
    assert (nobody["tp"], nobody["fp"], nobody["fn"], nobody["tn"]) == (0, 0, 4, 4)
    assert np.isnan(nobody["precision"]) and nobody["recall"] == 0
    assert read_confusion(c) == ("At a threshold of 0.35, the model flags 5 customers as likely buyers; 3 of them are "
                                 "right (precision 60%), catching 75% of all 4 buyers.")


def test_calibration_bins_by_hand():
    # sorted low first: 0.1 0.2 0.2 0.3 0.4 0.6; nominal bins of 2 -> 0 0 1 1 2 2; the 0.2s share bin 0
    # bin 1 {0.1, 0.2, 0.2}: y 0 0 1; bin 2 {0.3}: y 0; bin 3 {0.4, 0.6}: y 1 1
    table = calibration_table([0, 1, 0, 0, 1, 1], [0.1, 0.2, 0.2, 0.3, 0.4, 0.6], bins=3)
    assert table["bin"].tolist() == [1, 2, 3]
    assert table["customers"].tolist() == [3, 1, 2]
    np.testing.assert_allclose(table["mean_predicted"], [0.5 / 3, 0.3, 0.5])
    np.testing.assert_allclose(table["observed_rate"], [1 / 3, 0.0, 1.0])
    reading = read_calibration(table)
    # weighted gap: (3 * 1/6 + 1 * 0.3 + 2 * 0.5) / 6 = 0.3 -> 30.0 points; worst bin 3 (50% vs 100%)
    assert reading.startswith("Predicted probabilities sit on average 30.0 points")
    assert "bin 3: 50% predicted vs 100% observed" in reading and "under-predicts" in reading


def test_calibration_equal_count_and_constant_scores():
    table = calibration_table([0, 0, 1, 0, 1, 1, 0, 1, 1, 1], [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5],
                              bins=5)
    assert table["customers"].tolist() == [2] * 5
    np.testing.assert_allclose(table["observed_rate"], [0.0, 0.5, 1.0, 0.5, 1.0])  # y pairs 00 10 11 01 11
    one = calibration_table([0, 1, 1], [0.3, 0.3, 0.3])
    assert one["customers"].tolist() == [3] and one["observed_rate"].iloc[0] == pytest.approx(2 / 3)


def test_roc_and_pr_points():
    y, p = [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]
    roc = roc_points(y, p)
    assert (roc["fpr"].iloc[0], roc["tpr"].iloc[0]) == (0.0, 0.0)
    assert (roc["fpr"].iloc[-1], roc["tpr"].iloc[-1]) == (1.0, 1.0)
    assert roc["fpr"].tolist() == [0.0, 0.0, 0.5, 0.5, 1.0]
    assert roc["tpr"].tolist() == [0.0, 0.5, 0.5, 1.0, 1.0]
    pr = pr_points(y, p)
    assert (pr["recall"].iloc[0], pr["precision"].iloc[0]) == (0.0, 1.0) and np.isinf(pr["threshold"].iloc[0])
    assert pr["recall"].iloc[-1] == 1.0 and pr["precision"].iloc[-1] == 0.5  # everyone flagged: precision = base
    assert pr["recall"].is_monotonic_increasing
    assert roc_points([1, 1], [0.2, 0.3]).empty and pr_points([0, 0], [0.2, 0.3]).empty


def test_permutation_importance_only_used_column_matters():
    frame = pd.DataFrame({"a": [1.0, 2, 3, 4, 5, 6, 7, 8], "b": [8.0, 3, 5, 1, 7, 2, 6, 4],
                          "c": pd.Series(["x", "y"] * 4, dtype="string")})
    before = frame.copy()
    y = [0, 0, 0, 0, 1, 1, 1, 1]
    calls = []

    def predict(f: pd.DataFrame) -> np.ndarray:
        calls.append(1)
        return f["a"].to_numpy(dtype=float)

    imp = permutation_importance(predict, frame, y, repeats=3, random_state=0)
    assert imp["feature"].tolist()[0] == "a"
    assert imp.set_index("feature").loc["a", "importance"] > 0
    assert imp.set_index("feature").loc[["b", "c"], "importance"].tolist() == [0.0, 0.0]
    assert imp.set_index("feature").loc[["b", "c"], "std"].tolist() == [0.0, 0.0]
    assert len(calls) == 1 + 3 * 3  # baseline + one call per column per repeat
    pd.testing.assert_frame_equal(frame, before)
    again = permutation_importance(predict, frame, y, repeats=3, random_state=0)
    pd.testing.assert_frame_equal(imp, again)
    # mae: bigger error after shuffling = positive importance
    mae = permutation_importance(predict, frame, frame["a"], metric="mae", columns=["b", "a"], repeats=2)
    assert mae["feature"].tolist() == ["a", "b"]
    assert mae["importance"].iloc[0] > 0 and mae["importance"].iloc[1] == 0
    assert "Shuffling a hurts most" in read_importance(imp)
    with pytest.raises(ValueError):
        permutation_importance(predict, frame, y, metric="accuracy")


def test_slice_flags():
    # A: perfect ranking; B: reversed (AUC 0); C: 2 customers (< 4); D: nobody buys
    y = [0, 0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0]
    p = [0.1, 0.2, 0.8, 0.9, 0.9, 0.8, 0.2, 0.1, 0.3, 0.7, 0.4, 0.5, 0.6, 0.7]
    groups = pd.Series(["A"] * 4 + ["B"] * 4 + ["C"] * 2 + ["D"] * 4)
    table = slice_metrics(y, p, groups, min_customers=4).set_index("group")
    assert list(table.index) == ["A", "B", "D", "C"]  # largest first, then by name
    assert table["customers"].tolist() == [4, 4, 4, 2]
    np.testing.assert_allclose(table["positive_rate"], [0.5, 0.5, 0.0, 0.5])
    assert table.loc["A", "roc_auc"] == 1.0 and table.loc["B", "roc_auc"] == 0.0
    assert table.loc["C", "roc_auc"] == 1.0 and np.isnan(table.loc["D", "roc_auc"])
    assert table.loc["A", "flag"] == ""
    assert "weak: AUC below 0.6" in table.loc["B", "flag"]
    assert table.loc["C", "flag"] == "too few customers (2 < 4)"
    assert table.loc["D", "flag"] == "only one outcome: AUC undefined"
    assert read_slices(table.reset_index(), by="country").startswith("2 of 4 values of country stand out: B (weak")


def test_slice_metrics_revenue_and_missing_groups():
    # X: |10-10| + |0-0| + |0-2| + |20-10| = 12 / 4 = 3; Y: |100-0| + |0-0| + |0-0| + |0-0| = 100 / 4 = 25
    # overall MAE = 112 / 8 = 14; Y is 25 / 14 = 1.8 times the overall -> flagged
    y = [10.0, 0, 0, 20, 100, 0, 0, 0]
    p = [10.0, 0, 2, 10, 0, 0, 0, 0]
    table = slice_metrics(y, p, pd.Series(["X"] * 4 + [None] * 4), task="revenue", min_customers=4)
    assert table.columns.tolist() == ["group", "customers", "mean_revenue", "mae", "flag"]
    table = table.set_index("group")
    assert table.loc["X", "mae"] == 3.0 and table.loc["(missing)", "mae"] == 25.0
    assert table.loc["X", "mean_revenue"] == 7.5 and table.loc["X", "flag"] == ""
    assert table.loc["(missing)", "flag"] == "weak: MAE 1.8 times the overall"


def test_readings_of_single_numbers_and_history():
    assert read_roc(0.74).startswith("An AUC of 0.74 means a random buyer is scored above a random one of the "
                                     "non-buyers 74% of the time")
    assert "only one outcome" in read_roc(float("nan"))
    assert "2.0 times" in read_pr(0.4, 0.2)
    history = [{"epoch": 1, "loss": 0.7, "val_loss": 0.69}, {"epoch": 2, "loss": 0.6, "val_loss": 0.65},
               {"epoch": 3, "loss": 0.5, "val_loss": 0.66}]
    assert best_epoch(history) == 2
    assert read_history(history).startswith("Validation loss was lowest at epoch 2 of 3 (0.6500")


def test_inputs_are_checked():
    with pytest.raises(ValueError, match="same customers"):
        gain_table([0, 1], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="missing"):
        calibration_table([0, 1], [0.1, float("nan")])


def test_every_chart_returns_a_figure_with_data():
    y, p, q = GAIN_Y, GAIN_P, [0.3, 0.6, 0.2, 0.5, 0.1, 0.4, 0.35, 0.9, 0.8, 0.05]
    slices = slice_metrics(y, p, pd.Series(["UK"] * 6 + ["FR"] * 4), min_customers=5)
    importance = pd.DataFrame({"feature": ["recency_days", "orders"], "importance": [0.08, 0.01], "std": [0.01, 0.0]})
    history = [{"epoch": e, "loss": 0.7 - 0.05 * e, "val_loss": 0.69 - 0.03 * e + 0.02 * max(0, e - 3) ** 2,
                "auc": 0.6 + 0.02 * e, "val_auc": 0.6 + 0.01 * e, "seconds": 0.1 * e} for e in range(1, 7)]
    figures = [
        charts_eval.roc_chart({"gboost": roc_points(y, p), "logistic": roc_points(y, q)},
                              {"gboost": 0.8, "logistic": 0.6}),
        charts_eval.pr_chart({"gboost": pr_points(y, p)}, base_rate=0.4),
        charts_eval.calibration_chart({"gboost": calibration_table(y, p, bins=5)}),
        charts_eval.calibration_chart({"neural": calibration_table([0, 50.0, 10, 0], [1.0, 30, 12, 2], 2)},
                                      task="revenue"),
        charts_eval.gain_chart({"gboost": gain_table(y, p), "logistic": gain_table(y, q)}),
        charts_eval.lift_chart(gain_table(y, p)),
        charts_eval.confusion_chart(confusion_at(y, p, 0.5), task="churn"),
        charts_eval.importance_chart(importance),
        charts_eval.slice_chart(slices, "roc_auc", by="country"),
        charts_eval.slice_chart(slices, "positive_rate"),
        charts_eval.loss_curves_chart(history, best=best_epoch(history)),
        charts_eval.loss_curves_chart([{"epoch": 1, "loss": 2.0, "val_loss": 2.1, "mae": 1.0, "val_mae": 1.1}]),
    ]
    for fig in figures:
        assert isinstance(fig, go.Figure)
        assert len(fig.data) > 0
        assert fig.layout.title.text
        fig.to_json()  # serialisable (no inf thresholds, no bad types)
    assert figures[0].layout.hovermode == "closest"  # not the house "x unified": models differ in x
    confusion = figures[6].data[0]
    assert list(confusion.x) == ["predicted churner", "predicted stayer"]
    assert list(charts_eval.confusion_chart(confusion_at(y, p, 0.5)).data[0].x) == ["predicted buyer",
                                                                                   "predicted non-buyer"]
    # best epoch of the loss curves: val_loss 0.66, 0.63, 0.60, 0.59, 0.62, 0.69 -> lowest at epoch 4
    assert best_epoch(history) == 4
    assert any(a.text == "best epoch 4" for a in figures[10].layout.annotations)


def test_evaluation_imports_neither_streamlit_nor_tensorflow():
    code = ("import sys, ecom_analytics.predict.evaluation, ecom_analytics.charts.evaluation; "
            "print(sorted(m for m in ('streamlit', 'tensorflow', 'keras') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_slice_chart_leaves_undefined_slices_to_the_table_and_greys_small_ones():
    slices = pd.DataFrame({"group": ["UK", "DE", "ES", "FR"], "customers": [500, 40, 11, 12],
                           "positive_rate": [0.1, 0.2, 0.0, 0.3], "roc_auc": [0.85, 0.55, np.nan, 0.9],
                           "flag": ["", "weak: AUC below 0.6", "too few customers (11 < 30)", "too few customers (12 < 30)"]})
    fig = charts_eval.slice_chart(slices, "roc_auc", by="country")
    bars = fig.data[0]
    assert list(bars.y) == ["FR", "DE", "UK"]  # ES has no AUC: no bar; the largest slice on top
    colours = dict(zip(bars.y, bars.marker.color))
    assert colours["FR"] == "#c8c8c8" and colours["DE"] != colours["UK"] and colours["DE"] != "#c8c8c8"
