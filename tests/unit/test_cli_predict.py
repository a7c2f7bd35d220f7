"""``python -m ecom_analytics predict`` (ecom_analytics.cli) on the synthetic shop of test_training,
written as an Online Retail style CSV. The neural model is kept tiny (3 epochs, one layer of 8)
by wrapping train_and_evaluate; everything else runs as an analyst would run it."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ecom_analytics.cli import main
from tests.fixtures import online_retail_export as online_retail_csv, synthetic_orders
from tests.unit.test_training import CLASSIFIERS, SUMMARY_KEYS


@pytest.fixture()
def shop_csv(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))
    path = tmp_path / "orders.csv"
    path.write_bytes(online_retail_csv(synthetic_orders(n_customers=250)))
    return path


@pytest.mark.keras
def test_predict_writes_the_summary_json_and_predictions(shop_csv, tmp_path, tiny_neural, capsys):
    out, preds = tmp_path / "summary.json", tmp_path / "predictions.csv"
    code = main(["predict", "--orders", str(shop_csv), "--task", "purchase", "--horizon", "30", "--json", str(out),
                 "--predictions", str(preds), "--seed", "5"])
    assert code == 0
    assert tiny_neural == [{"seed": 5}]  # the seed reaches the neural model
    summary = json.loads(out.read_text(encoding="utf-8"))
    assert SUMMARY_KEYS <= set(summary)
    assert summary["task"] == "purchase"
    assert summary["horizon_days"] == 30
    assert summary["cutoff"] == "2023-09-29"
    assert set(summary["models"]) == CLASSIFIERS
    for name, metrics in summary["models"].items():
        assert 0 <= metrics["roc_auc"] <= 1 and 0 <= metrics["pr_auc"] <= 1, name
    assert summary["best_model"] in CLASSIFIERS
    assert summary["best_model"] == max(summary["models"], key=lambda m: summary["models"][m]["roc_auc"])
    assert 0 < summary["positive_rate"] < 1
    table = pd.read_csv(preds, dtype={"customer_id": str})
    assert summary["customers_scored"] == len(table) == 250
    assert {"customer_id", "neural", summary["best_model"]} <= set(table.columns)

    printed = capsys.readouterr().out
    assert "purchase, horizon 30 days, test cutoff 2023-09-29" in printed
    assert "Neural (Keras MLP)" in printed
    assert f"best: {summary['best_model']}" in printed


def test_missing_file_exits_2_with_a_sentence(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))
    out = tmp_path / "summary.json"
    code = main(["predict", "--orders", str(tmp_path / "nope.csv"), "--task", "purchase", "--horizon", "30",
                 "--json", str(out)])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "nope.csv" in err
    assert not out.exists()


@pytest.mark.keras
def test_too_short_data_exits_2_with_the_reason(tmp_path, monkeypatch, capsys, tiny_neural):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))
    orders = synthetic_orders(n_customers=60)
    path = tmp_path / "short.csv"
    path.write_bytes(online_retail_csv(orders[orders["timestamp"] < pd.Timestamp("2023-02-20")]))
    code = main(["predict", "--orders", str(path), "--task", "purchase", "--horizon", "30"])
    assert code == 2
    assert "Choose a shorter horizon" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--task", "sales", "--horizon", "30"], ["--task", "purchase", "--horizon", "x"],
                                  ["--task", "purchase"]])
def test_bad_arguments_exit_2(shop_csv, argv, capsys):
    with pytest.raises(SystemExit) as info:
        main(["predict", "--orders", str(shop_csv), *argv])
    assert info.value.code == 2
