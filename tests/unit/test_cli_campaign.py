"""``python -m ecom_analytics campaign`` (ecom_analytics.cli) on small files: JSON keys and values
by hand, column and control options, a campaign list joined with orders, and bad input (exit 2)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ecom_analytics.campaign import simulate_campaign
from ecom_analytics.cli import main


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))


@pytest.fixture()
def hand_csv(tmp_path):
    """Holdout 100 customers, 10 buyers; email 100 customers, 20 buyers (lift 0.10); headers in Chinese."""
    frame = pd.DataFrame({"用户ID": [f"u{i}" for i in range(200)], "分组": ["对照组"] * 100 + ["邮件"] * 100,
                          "购买": [1] * 10 + [0] * 90 + [1] * 20 + [0] * 80})
    path = tmp_path / "campaign.csv"
    frame.to_csv(path, index=False)
    return path


def test_json_has_the_issue_keys_and_hand_values(hand_csv, tmp_path, capsys):
    out = tmp_path / "out.json"
    assert main(["campaign", str(hand_csv), "--models", "", "--json", str(out)]) == 0
    summary = json.loads(out.read_text(encoding="utf-8"))
    assert summary["outcome"] == "购买" and summary["control"] == "对照组"
    arm = summary["arms"]["邮件"]
    assert arm["n"] == 100 and arm["mean"] == pytest.approx(0.2) and arm["lift"] == pytest.approx(0.1)
    # unpooled SE sqrt(.2*.8/100 + .1*.9/100) = 0.05 -> CI 0.1 ± 0.098
    assert arm["ci_low"] == pytest.approx(0.1 - 1.959964 * 0.05, abs=1e-6)
    assert arm["ci_high"] == pytest.approx(0.1 + 1.959964 * 0.05, abs=1e-6)
    assert 0.04 < arm["p_value"] < 0.06  # pooled z = 0.1 / sqrt(.15*.85*.02) = 1.98
    assert summary["uplift"] == {}
    assert "邮件" in capsys.readouterr().out


def test_uplift_per_arm_and_model(tmp_path):
    path = tmp_path / "sim.csv"
    simulate_campaign(3000, seed=2).filter(regex="^(?!true_)").to_csv(path, index=False)
    out = tmp_path / "out.json"
    assert main(["campaign", str(path), "--outcome", "converted", "--models", "t_learner,class_transformation",
                 "--json", str(out)]) == 0
    summary = json.loads(out.read_text())
    assert set(summary["uplift"]) == {"E-Mail"}
    assert set(summary["uplift"]["E-Mail"]) == {"t_learner", "class_transformation"}
    for metrics in summary["uplift"]["E-Mail"].values():
        assert set(metrics) == {"qini_auc", "uplift_at_30"}
    assert summary["uplift"]["E-Mail"]["t_learner"]["qini_auc"] > 0


def test_columns_and_control_chosen_by_hand(tmp_path):
    path = tmp_path / "c.csv"
    pd.DataFrame({"who": range(60), "cell": ["A", "B"] * 30, "bought": [0, 1, 0] * 20}).to_csv(path, index=False)
    out = tmp_path / "o.json"
    assert main(["campaign", str(path), "--customer-col", "who", "--arm-col", "cell", "--control", "B",
                 "--outcome", "bought", "--models", "", "--json", str(out)]) == 0
    summary = json.loads(out.read_text())
    assert summary["control"] == "B" and list(summary["arms"]) == ["A"] and summary["arms"]["A"]["n"] == 30


def campaign_list_and_orders(folder):
    """A campaign list (60 customers, e-mail or holdout, sent 2024-03-01) and an orders export in which
    customer 1 buys twice in the week after the send, customer 3 once, customer 2 two months later."""
    orders = folder / "orders.csv"
    orders.write_text("InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n"
                      "1,A,1,2024-02-01 10:00,10,1\n"
                      "2,A,2,2024-03-03 10:00,10,1\n"
                      "3,A,1,2024-03-04 10:00,10,3\n"
                      "4,A,1,2024-05-01 10:00,10,2\n", encoding="utf-8")
    rows = [(i, "email" if i % 2 else "holdout") for i in range(1, 61)]
    campaign = folder / "list.csv"
    pd.DataFrame({"customer_id": [r[0] for r in rows], "arm": [r[1] for r in rows],
                  "send_date": "2024-03-01"}).to_csv(campaign, index=False)
    return campaign, orders


def test_campaign_list_with_orders(tmp_path):
    campaign, orders = campaign_list_and_orders(tmp_path)
    out = tmp_path / "o.json"
    assert main(["campaign", str(campaign), "--orders", str(orders), "--window", "7", "--models", "",
                 "--json", str(out)]) == 0
    summary = json.loads(out.read_text())
    assert summary["outcome"] == "converted" and summary["control"] == "holdout"
    # customers 1 and 3 (email) bought within 7 days of 2024-03-01; customer 2 only in May
    assert summary["arms"]["email"]["mean"] == pytest.approx(2 / 30)
    assert summary["arms"]["email"]["control_mean"] == pytest.approx(0.0)


@pytest.mark.parametrize("rows, args, message", [
    ({"id": range(40), "arm": ["email"] * 40, "converted": [0, 1] * 20}, [], "one arm only"),
    ({"id": range(40), "arm": ["a", "b"] * 20, "converted": [0, 1] * 20}, ["--control", "c"], "control"),
    ({"id": range(40), "arm": ["control"] * 30 + ["email"] * 10, "converted": [0, 1] * 20}, [], "only 10 customers"),
    ({"id": range(40), "arm": ["control", "email"] * 20, "converted": [0, 1] * 20}, ["--outcome", "spend"],
     "not a numeric column"),
    ({"id": range(40), "arm": ["control", "email"] * 20}, [], "no outcome column"),
    ({"id": range(40), "arm": ["control", "email"] * 20, "converted": [0, 1] * 20}, ["--arm-col", "nope"],
     "not a column"),
])
def test_bad_input_exits_2_with_a_sentence(tmp_path, capsys, rows, args, message):
    path = tmp_path / "bad.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    assert main(["campaign", str(path), "--models", "", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "Traceback" not in err


def test_missing_file_exits_2(tmp_path, capsys):
    assert main(["campaign", str(tmp_path / "nope.csv")]) == 2
    assert "No file" in capsys.readouterr().err
