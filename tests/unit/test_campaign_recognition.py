"""Campaign tables of real public experiments read without options (realS part 2): arm columns by
header word and balanced labels, flag outcomes, the reference arm, the columns left out of the
features (row numbers, identifiers, post-treatment measures), repeated units, strict JSON, the
sample-ratio threshold, segment tests and the CLI's number formatting. Fixtures are small tables
whose figures are worked out by hand in the comments."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecom_analytics.campaign import analyse_campaign, prepare_campaign
from ecom_analytics.campaign.data import post_treatment_columns, recognise_columns
from ecom_analytics.cli import main
from ecom_analytics.cli.campaign import number, p_text

GOLDEN = Path(__file__).with_name("campaign_golden")


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))


def strict_loads(text: str):
    """json.loads that refuses NaN and Infinity."""
    def refuse(name):
        raise ValueError(f"non-standard JSON constant {name}")
    return json.loads(text, parse_constant=refuse)


def cookie_like() -> pd.DataFrame:
    """40 players, gate_30/gate_40 alternating (20 each); retention_1 True for every 2nd player of
    each arm, retention_7 for every 4th; rounds played follow retention_1 (a post-treatment measure)."""
    i = np.arange(40)
    r1 = (i // 2) % 2 == 0
    return pd.DataFrame({"userid": i + 100, "version": np.where(i % 2 == 0, "gate_30", "gate_40"),
                         "sum_game_rounds": np.where(r1, 50 + i, i % 3), "retention_1": r1,
                         "retention_7": (i // 2) % 4 == 0})


def test_version_arm_and_true_false_outcomes_are_recognised():
    frame = cookie_like()
    cols = recognise_columns(frame)
    assert cols["arm"] == "version" and cols["customer_id"] == "userid"
    data = prepare_campaign(frame)
    assert data.control == "gate_30" and data.arms == ["gate_40"]
    assert data.outcomes == ["retention_1", "retention_7"]
    assert "sum_game_rounds" in data.attributes
    result = analyse_campaign(data, uplift_models=())
    notes = [n.english() for n in result.notes]
    assert result.outcome == "retention_1"
    assert ("retention_1 is the outcome analysed: the first recognised one (a conversion flag before a visit and an "
            "amount, then the file's column order). The other outcomes (retention_7) are left out of the features; "
            "choose one with --outcome.") in notes
    # retention_1 True <=> rounds >= 50, False <=> rounds <= 2: AUC 1, so rounds are left out of balance and features
    assert ("sum_game_rounds left out of the balance check and the uplift features: each alone nearly determines "
            "retention_1, so it is measured with it or after the campaign.") in notes
    assert "sum_game_rounds" not in set(result.balance.get("attribute", []))
    # hand: players 0,4,8,... of gate_30 (i even, (i//2) even <=> i % 4 == 0): 10 of 20 retained; gate_40
    # (i odd, i % 4 == 1): 10 of 20; lift 0
    row = result.effects.iloc[0]
    assert row["control_mean"] == 0.5 and row["mean"] == 0.5 and row["lift"] == 0.0


def test_yes_no_promotion_and_purchase_are_recognised():
    frame = pd.DataFrame({"ID": range(1, 41), "Promotion": ["Yes", "No"] * 20, "purchase": [0, 0, 1, 0] * 10,
                          "V1": [1, 2, 3, 2, 1] * 8})
    data = prepare_campaign(frame)
    assert data.columns["arm"] == "Promotion" and data.control == "No" and data.arms == ["Yes"]
    assert data.outcomes == ["purchase"] and data.attributes == ["V1"]
    assert data.notes == []  # a recognised control needs no reference note
    # hand: Yes rows are i = 0, 2, 4...: purchase at i % 4 == 2 -> 10 of 20; No rows never: lift 0.5
    row = analyse_campaign(data, uplift_models=()).effects.iloc[0]
    assert row["lift"] == pytest.approx(0.5)


def test_numbered_promotions_without_control_name_their_reference():
    frame = pd.DataFrame({"Promotion": [3, 1, 2, 10] * 6, "SalesInThousands": np.arange(24) * 1.5})
    data = prepare_campaign(frame)
    assert data.columns["arm"] == "Promotion" and data.control == "1"
    assert data.notes[0].english() == (
        "No arm is labelled as the control (control, holdout, No E-Mail, no...): 1, the first of 1, 2, 3, 10 in "
        "order, is the reference every other arm is compared with. Choose another with --control.")


def test_unbalanced_labels_under_an_arm_word_are_not_an_arm():
    # 'test' is an arm word, but 38 of 40 rows in one label (95 %) is no A/B split: under half of 50 % for the other
    frame = pd.DataFrame({"test": ["x"] * 38 + ["y"] * 2, "converted": [0, 1] * 20})
    assert recognise_columns(frame)["arm"] is None


def test_index_funnel_and_post_treatment_columns_are_left_out():
    """60 rows: an unnamed row number, a funnel (converted <=> step3; step2 = 0 for 20 rows, none of them
    converted), a pre-campaign attribute and a 'prior' column as strong as a post-treatment one."""
    n = 60
    i = np.arange(n)
    converted = (i % 3 == 0).astype(int)  # 20 of 60
    step2 = np.where(i % 3 == 2, 0, 1)  # the 20 rows with i % 3 == 2 never converted
    frame = pd.DataFrame({"Unnamed: 0": i, "user id": i + 1000, "group": np.where(i % 2 == 0, "a", "b"),
                          "converted": converted, "step2": step2, "step3": converted,
                          "age": (i * 7) % 11, "prior_orders": converted * 3 + (i % 2)})
    data = prepare_campaign(frame)
    assert data.identifiers == ["Unnamed: 0"] and "Unnamed: 0" not in data.attributes
    assert ("Unnamed: 0 left out of the balance check and the uplift features: row numbers or identifiers, not "
            "attributes of the customer.") in [n.english() for n in data.notes]
    # step3 == converted: AUC 1, left out. step2: the 20 positives all at 1, the 40 negatives 20 at 0 and 20 at 1:
    # AUC (20 x 20 + 0.5 x 20 x 20) / (20 x 40) = 0.75; its x <= 0 end holds 20 rows with 20 / 3 = 6.7 expected
    # positives (< 20): kept
    left = post_treatment_columns(data.table, "converted", data.attributes)
    assert "step3" in left and "step2" not in left and "age" not in left
    # prior_orders separates converted perfectly (3-4 vs 0-1): AUC 1 >= 0.95, left out even with a 'prior' header
    assert "prior_orders" in left


def test_funnel_rule_needs_20_expected_positives_and_not_one_hit():
    """400 rows, 25 % converted (100); a step at 0 for 80 rows (20 %, 20 expected positives) that none of the
    converted has: left out. With one converted row among them: kept (AUC (100 x 80 + 0.5 x 100 x 220) / 30,000 = 0.63 alone)."""
    rng = np.random.default_rng(0)
    y = np.zeros(400)
    y[rng.choice(np.arange(80, 400), 100, replace=False)] = 1
    step = np.r_[np.zeros(80), np.ones(320)]
    table = pd.DataFrame({"y": y, "step": step})
    assert post_treatment_columns(table, "y", ["step"]) == ["step"]
    y2 = y.copy()
    y2[0] = 1
    y2[np.flatnonzero(y2[80:])[0] + 80] = 0  # still 100 positives, one of them at step 0
    assert post_treatment_columns(table.assign(y=y2), "y", ["step"]) == []


def test_strong_column_kept_only_with_a_before_word():
    """Positives at x = 3 and 2, negatives at 2, 0 and 1 (AUC 0.9167, worked out below): a column named
    'rounds' is left out (0.85 or more), 'prior_rounds' kept (under 0.95)."""
    y = np.array([1, 1, 0, 0, 0] * 20, float)
    x = np.array([3, 2, 2, 0, 1] * 20, float)
    # over the 40 x 60 (positive, negative) pairs: pos 3 beats all 60 negatives -> 20 x 60 = 1200;
    # pos 2 vs neg 2: 20 x 20 x 0.5 = 200, vs 0 and 1: 20 x 40 = 800. AUC = (1200 + 200 + 800) / 2400 = 0.9167
    table = pd.DataFrame({"y": y, "rounds": x, "prior_rounds": x})
    assert post_treatment_columns(table, "y", ["rounds", "prior_rounds"]) == ["rounds"]


def test_repeated_unit_warns_and_ids_are_not_features(tmp_path, capsys):
    """20 stores x 4 weeks, promotion 1/2 per store; LocationID repeats (80 rows, 20 units, 4.0 times
    each); MarketID too but with fewer values."""
    stores = np.repeat(np.arange(1, 21), 4)
    frame = pd.DataFrame({"MarketID": (stores - 1) // 4 + 1, "LocationID": stores, "AgeOfStore": stores % 5,
                          "Promotion": np.where(stores % 2 == 0, 2, 1), "week": np.tile([1, 2, 3, 4], 20),
                          "Gross Sales": [f"{v:,.2f}" for v in (100000 + stores * 12345.5 + np.tile([0, 1000, 0, 1000], 20))]})
    data = prepare_campaign(frame)
    assert data.unit == ("LocationID", 20) and set(data.identifiers) == {"MarketID", "LocationID"}
    assert "LocationID" not in data.attributes and "AgeOfStore" in data.attributes
    warning = [n for n in data.notes if n.severity == "warning"]
    assert [n.english() for n in warning] == [
        "LocationID repeats: the 80 rows are 20 units observed about 4.0 times each. The intervals treat every row as "
        "an independent customer, so they are too narrow; give one row per LocationID (e.g. its mean) for honest "
        "intervals."]
    path, out = tmp_path / "stores.csv", tmp_path / "stores.json"
    frame.to_csv(path, index=False)
    assert main(["campaign", str(path), "--models", "", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("80 rows (20 units of LocationID), outcome 'Gross Sales', control '1'")
    # hand: promotion 1 stores 1, 3, ..., 19 (mean 10) -> 100000 + 10 x 12345.5 + 500 = 223,955
    assert "mean 223,955)" in printed and "e+" not in printed
    summary = strict_loads(out.read_text(encoding="utf-8"))
    assert summary["srm"]["threshold"] == 0.001 and "(a mismatch is flagged below p 0.001)" in printed


def test_number_formatting_of_the_command():
    assert number(580990.4) == "580,990" and number(-107696.2, sign=True) == "-107,696"
    assert number(58.1) == "58.10" and number(0.2283) == "0.2283" and number(-0.0082013) == "-0.008201"
    assert number(0.009455, sign=True) == "+0.009455" and number(float("nan")) == "n/a" and number(None) == "n/a"
    assert number(0.0) == "0" and number(6.904, 2) == "6.90"
    assert p_text(0.00155) == "0.00155" and p_text(0.121) == "0.121" and p_text(4.3e-10) == "< 0.0001"
    assert p_text(float("nan")) == "n/a"


def test_every_campaign_json_is_strict(tmp_path):
    for path in sorted(GOLDEN.glob("*.json")):
        strict_loads(path.read_text(encoding="utf-8"))
    from ecom_analytics.campaign import strict_json

    found = strict_json({"a": [1.0, float("nan")], "b": {"c": float("inf"), "d": "x", "e": 2}})
    assert found == {"a": [1.0, None], "b": {"c": None, "d": "x", "e": 2}}
    assert json.dumps(found) == '{"a": [1.0, null], "b": {"c": null, "d": "x", "e": 2}}'


def test_segment_tests_appear_in_the_json(tmp_path):
    """Two tiers x control/email, 40 customers per cell; in 'gold' email converts 20 of 40 against
    10 of 40 (lift 0.25), in 'basic' 10 of 40 against 10 of 40 (lift 0)."""
    rows = []
    for tier, email_buyers in (("gold", 20), ("basic", 10)):
        for arm, buyers in (("control", 10), ("email", email_buyers)):
            rows += [{"tier": tier, "arm": arm, "converted": int(k < buyers)} for k in range(40)]
    frame = pd.DataFrame(rows)
    frame.insert(0, "customer_id", [f"C{i}" for i in range(len(frame))])
    path, out = tmp_path / "tiers.csv", tmp_path / "tiers.json"
    frame.to_csv(path, index=False)
    assert main(["campaign", str(path), "--models", "", "--json", str(out)]) == 0
    summary = strict_loads(out.read_text(encoding="utf-8"))
    assert summary["segments"]["column"] == "tier"
    tests = {t["segment"]: t for t in summary["segments"]["tests"]}
    assert tests["gold"]["lift"] == pytest.approx(0.25) and tests["basic"]["lift"] == pytest.approx(0.0)
    assert all(t["p_holm"] >= t["p_value"] for t in tests.values()) and not any(
        isinstance(v, float) and math.isnan(v) for t in tests.values() for v in t.values())
    assert "2 segment tests: p-values are Holm-adjusted" in " ".join(summary["notes"])
