"""Campaign money: which value prices one extra unit of the outcome, checked on a hand-made campaign.

The fixture (:func:`hand_campaign`): 100 control customers, 10 of whom buy for 120 each; 100 e-mail
customers, 20 of whom buy for 120 each; everyone in the e-mail arm visits, half of the control does.
So by hand: conversion lift 0.10 (10 extra conversions), spend lift 12 per customer (1,200 extra
revenue), visit lift 0.5 (50 extra visits), and the mean spend of the file's buyers is 120.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from ecom_analytics.campaign import arm_effects, money, money_basis, prepare_campaign, suggested_value
from ecom_analytics.errors import InputError


def hand_campaign() -> pd.DataFrame:
    arm = ["No E-Mail"] * 100 + ["E-Mail"] * 100
    converted = [1] * 10 + [0] * 90 + [1] * 20 + [0] * 80
    visited = [1] * 50 + [0] * 50 + [1] * 100
    spend = [120.0 if c else 0.0 for c in converted]
    return pd.DataFrame({"customer_id": [f"C{i:03d}" for i in range(200)], "arm": arm, "visited": visited,
                         "converted": converted, "spend": spend})


def hand_campaign_csv() -> bytes:
    return hand_campaign().to_csv(index=False).encode()


@pytest.fixture()
def data():
    return prepare_campaign(pd.read_csv(io.BytesIO(hand_campaign_csv())))


def test_revenue_outcome_is_priced_by_itself(data):
    basis = money_basis("spend", data.columns["spend"], entered=999.0)  # a value typed earlier is ignored
    assert (basis.source, basis.value_per_unit) == ("outcome", 1.0)
    effects = arm_effects(data.table, "spend", data.control)
    out = money(effects, cost_per_contact=0.10, margin=0.30, value_per_unit=basis.value_per_unit).iloc[0]
    assert out["incremental_revenue"] == pytest.approx(1200)  # (24 - 12) x 100 customers
    assert out["cost"] == pytest.approx(10)
    assert out["profit"] == pytest.approx(1200 * 0.30 - 10)  # 350
    assert out["roi"] == pytest.approx(35)


def test_a_flag_has_no_money_until_a_value_is_entered(data):
    for outcome in ("converted", "visited"):
        basis = money_basis(outcome, data.columns["spend"], entered=None)
        assert basis.source == "missing" and not basis.ready and basis.value_per_unit is None
        assert money_basis(outcome, data.columns["spend"], entered=0.0).source == "missing"
        assert money_basis(outcome, data.columns["spend"], entered=float("nan")).source == "missing"
    with pytest.raises(InputError):
        money(arm_effects(data.table, "visited", data.control), cost_per_contact=0.1, margin=0.3, value_per_unit=None)


def test_an_entered_value_prices_the_extra_conversions(data):
    basis = money_basis("converted", data.columns["spend"], entered=80.0)
    assert (basis.source, basis.value_per_unit) == ("entered", 80.0)
    effects = arm_effects(data.table, "converted", data.control)
    out = money(effects, cost_per_contact=0.10, margin=0.30, value_per_unit=basis.value_per_unit).iloc[0]
    assert out["incremental"] == pytest.approx(10)  # 0.20 - 0.10 of 100 customers
    assert out["incremental_revenue"] == pytest.approx(800)
    assert out["incremental_revenue_low"] == pytest.approx(effects["ci_low"].iloc[0] * 100 * 80)
    assert out["profit"] == pytest.approx(800 * 0.30 - 10)  # 230
    assert out["roi"] == pytest.approx(23)


def test_the_suggestion_is_this_files_buyers_and_only_for_a_conversion(data):
    assert suggested_value(data.table, "converted", data.columns) == pytest.approx(120.0)
    assert suggested_value(data.table, "visited", data.columns) is None  # a visit is not worth an order
    assert suggested_value(data.table, "spend", data.columns) is None
    other = hand_campaign().assign(spend=lambda f: np.where(f["converted"] == 1, 30.0, 0.0))
    other_data = prepare_campaign(other)
    assert suggested_value(other_data.table, "converted", other_data.columns) == pytest.approx(30.0)
    no_buyers = prepare_campaign(hand_campaign().assign(spend=0.0))
    assert suggested_value(no_buyers.table, "converted", no_buyers.columns) is None


def test_notes_that_doubt_the_effects_are_warnings():
    from ecom_analytics.campaign import analyse_campaign

    frame = hand_campaign()
    frame = pd.concat([frame, frame[frame["arm"] == "E-Mail"].assign(customer_id=lambda f: f["customer_id"] + "b")],
                      ignore_index=True)
    frame["prior_orders"] = np.where(frame["arm"] == "E-Mail", 5.0, 1.0) + np.arange(len(frame)) % 3
    result = analyse_campaign(prepare_campaign(frame), "converted", uplift_models=())
    assert result.srm["mismatch"]  # 200 against 100 for an intended 1:1
    srm_note = next(n for n in result.notes if n.english().startswith("Sample-ratio mismatch"))
    balance_note = next(n for n in result.notes if n.english().startswith("Arms differ before the campaign"))
    assert result.severity(srm_note) == "warning" and result.severity(balance_note) == "warning"
    assert all(result.severity(n) == "info" for n in result.notes if n not in (srm_note, balance_note))
