"""``python -m ecom_analytics recommend`` (ecom_analytics.cli) on a small hand-made orders file."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ecom_analytics.cli import main

METRIC_KEYS = {"hit_rate", "precision", "recall", "ndcg", "map", "coverage"}


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))


@pytest.fixture()
def orders_csv(tmp_path):
    """An Online Retail style export: 12 customers buy mug A then mug B (or trowel D then gloves E)
    in January; in the last week c0 and c6, who had bought only A and D, buy B and E."""
    lines, invoice = [], 1
    for c in range(12):
        first, second = ("A", "B") if c < 6 else ("D", "E")
        for day, product in ((2 + c, first), (3 + c, second), (4 + c, "C")):
            if c in (0, 6) and product != first:
                continue
            lines.append(f"{invoice},{product},Item {product},1,2024-01-{day:02d} 10:00,2.50,{100 + c},United Kingdom")
            invoice += 1
    lines.append(f"{invoice},B,Item B,1,2024-02-20 10:00,2.50,100,United Kingdom")
    lines.append(f"{invoice + 1},E,Item E,1,2024-02-21 10:00,2.50,106,United Kingdom")
    path = tmp_path / "orders.csv"
    path.write_text("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
                    + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_recommend_writes_the_summary_json_and_the_csv(orders_csv, tmp_path, capsys):
    out, recs = tmp_path / "rec.json", tmp_path / "recs.csv"
    code = main(["recommend", "--orders", str(orders_csv), "--horizon", "7", "--k", "2",
                 "--models", "popularity,item_knn", "--json", str(out), "--out", str(recs)])
    assert code == 0
    summary = json.loads(out.read_text(encoding="utf-8"))
    assert {"horizon_days", "cutoff", "users_evaluated", "k", "models", "best_model"} <= set(summary)
    assert summary["horizon_days"] == 7 and summary["k"] == 2 and summary["cutoff"] == "2024-02-15"
    assert summary["users_evaluated"] == 2
    assert set(summary["models"]) == {"popularity", "item_knn"}
    assert all(METRIC_KEYS <= set(m) for m in summary["models"].values())
    # item-item: c0 (bought A) gets B, c6 (bought D) gets E first -> hit rate 1; popularity gives C to both
    assert summary["models"]["item_knn"]["hit_rate"] == pytest.approx(1.0)
    assert summary["best_model"] == "item_knn"
    table = pd.read_csv(recs, dtype={"customer_id": str, "product_id": str})
    assert table["customer_id"].nunique() == 12 and table.groupby("customer_id").size().max() == 2
    assert {"rank", "product_id", "reason"} <= set(table.columns)
    assert "best: item_knn" in capsys.readouterr().out


@pytest.mark.parametrize("args, message", [
    (["--horizon", "400"], "horizon shorter"),
    (["--horizon", "7", "--models", "magic"], "Unknown model"),
    (["--horizon", "7", "--k", "0"], "k must be at least 1"),
])
def test_bad_input_exits_2_with_one_line(orders_csv, capsys, args, message):
    assert main(["recommend", "--orders", str(orders_csv), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1


def test_missing_file_exits_2(tmp_path, capsys):
    assert main(["recommend", "--orders", str(tmp_path / "none.csv"), "--horizon", "7"]) == 2
    assert "No file at" in capsys.readouterr().err
