"""Reasons computed once with a run: every model of the leaderboard explained on the test window and
the scoring models on the customers at the end of the data, each adding up to the scores the run
ranked them by; saved with the run and read back unchanged; the ``predict --predictions`` file
carries reason_1 .. reason_3 through the export writer (the JSON summary unchanged).

Data: 250 customers of the synthetic shop (tests/fixtures.py), purchase, H = 30, the models without
the neural network (its explainer is checked in test_explain.py)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from ecom_analytics.predict import explain
from tests.fixtures import online_retail_export, synthetic_orders

MODELS = ["recency", "bgnbd", "logistic", "gboost"]
pytestmark = pytest.mark.slow  # each trains a run (tens of seconds)


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    from ecom_analytics.ingest.pipeline import ingest
    from ecom_analytics.predict.run import PredictSettings, run
    from ecom_analytics.store import Workspace

    ws = Workspace(tmp_path_factory.mktemp("ws"))
    orders_id = ingest(online_retail_export(synthetic_orders(n_customers=250)), "shop.csv", workspace=ws).dataset_id
    result = run(ws, {"orders": orders_id}, PredictSettings.make("purchase", 30, models=MODELS))
    return ws, result


def test_every_model_is_explained_and_adds_up_to_the_scores_it_was_ranked_by(saved):
    _, result = saved
    task_run = result.result
    assert set(result.explanations["test"]) == set(MODELS)
    for name, found in result.explanations["test"].items():
        assert list(found.index) == list(task_run.test.index)
        assert np.max(np.abs(found.output - task_run.test_scores[name])) < 1e-6, name
    assert set(result.explanations["current"]) == set(task_run.predictions.columns)
    for name, found in result.explanations["current"].items():
        scores = task_run.predictions[name].reindex(found.index).to_numpy()
        assert np.max(np.abs(found.output - scores)) < 1e-6, name


def test_the_explanations_are_saved_with_the_run_and_read_back(saved):
    from ecom_analytics.predict.registry import load_explanation, load_importance

    ws, result = saved
    importance = load_importance(ws, result.run_id)
    assert set(importance["model"]) == set(MODELS)
    for name, found in result.explanations["test"].items():
        mine = importance[importance["model"] == name]
        assert mine["mean_abs"].tolist() == pytest.approx(found.importance()["mean_abs"].tolist(), abs=1e-12)
        assert mine["mean_abs"].is_monotonic_decreasing
    best = result.best_model
    found, features = load_explanation(ws, result.run_id, best)
    original = result.explanations["current"][best]
    assert found.features == original.features and found.base == pytest.approx(original.base, abs=1e-15)
    assert np.array_equal(found.values, original.values)
    assert features.loc[found.index[0], "recency_days"] == result.result.current.loc[found.index[0], "recency_days"]
    assert load_explanation(ws, result.run_id, "neural") == (None, None)  # not trained: nothing to read


def test_the_run_s_reasons_are_the_three_largest_contributions_in_words(saved):
    _, result = saved
    reasons = result.reasons()
    predictions = result.result.predictions
    assert list(reasons.columns) == ["reason_1", "reason_2", "reason_3"]
    assert list(reasons.index) == list(predictions.index)
    found = result.explanations["current"][result.best_model]
    customer = found.index[int(np.argmax(np.abs(found.values).max(axis=1)))]
    row = found.values[found.index.get_loc(customer)]
    j = int(np.argmax(np.abs(row)))
    value = result.result.current.loc[customer, found.features[j]]
    assert reasons.loc[customer, "reason_1"] == explain.reason_in_words(found.features[j], value, row[j], "purchase")
    assert (reasons["reason_1"] != "").all()


def test_predict_predictions_file_carries_the_reasons(tmp_path, monkeypatch, capsys):
    from ecom_analytics.cli import main
    from ecom_analytics.predict import run as predict_run
    from ecom_analytics.predict import training

    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))
    original = training.train_and_evaluate
    monkeypatch.setattr(training, "train_and_evaluate",
                        lambda *a, models=None, **k: original(*a, models=["recency", "logistic", "gboost"], **k))
    runs = []
    original_run = predict_run.run
    monkeypatch.setattr(predict_run, "run", lambda *a, **k: runs.append(original_run(*a, **k)) or runs[-1])
    shop = tmp_path / "orders.csv"
    shop.write_bytes(online_retail_export(synthetic_orders(n_customers=250)))
    out, preds = tmp_path / "summary.json", tmp_path / "predictions.csv"
    assert main(["predict", "--orders", str(shop), "--task", "purchase", "--horizon", "30", "--json", str(out),
                 "--predictions", str(preds)]) == 0
    summary = json.loads(out.read_text(encoding="utf-8"))
    assert "reason_1" not in json.dumps(summary) and "explanations" not in summary  # the JSON is unchanged
    table = pd.read_csv(preds, dtype={"customer_id": str}, keep_default_na=False).set_index("customer_id")
    assert list(table.columns) == [summary["best_model"], "reason_1", "reason_2", "reason_3"]
    assert len(table) == summary["customers_scored"] == 250
    assert table["reason_1"].str.contains(r" (?:raises|lowers) the chance of buying by [\d.]+ points$").all()
    # the words of the run the command made (the export writer leaves plain sentences as they are)
    assert table[["reason_1", "reason_2", "reason_3"]].equals(runs[0].reasons().rename_axis("customer_id"))
