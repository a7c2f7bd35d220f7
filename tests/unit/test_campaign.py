"""Campaign analysis: tests by hand and against scipy, SRM, CUPED, CI coverage on the simulator,
uplift ranking, Qini AUC on a hand-computed example, column recognition and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ecom_analytics.campaign import (analyse_campaign, arm_effects, campaign_from_orders, find_control, holm,
                                     money, prepare_campaign, simulate_campaign, srm_check, true_effect)
from ecom_analytics.campaign.effects import (bootstrap_diff, cuped_adjust, standardised_mean_difference,
                                             two_proportion, welch)
from ecom_analytics.campaign.uplift import (TLearner, ClassTransformation, assign_audiences, perfect_qini_curve,
                                            qini_auc_score, qini_curve, uplift_at_k, uplift_by_decile)
from ecom_analytics.ingest import schema
from ecom_analytics.errors import InputError


# ----------------------------------------------------------------------------- tests of effects

def test_two_proportion_matches_hand_values():
    # 120/1000 vs 100/1000: diff 0.02; pooled p 0.11, SE sqrt(.11*.89*.002) = 0.013993
    res = two_proportion(120, 1000, 100, 1000)
    assert res["lift"] == pytest.approx(0.02)
    z = 0.02 / np.sqrt(0.11 * 0.89 * 0.002)
    assert res["statistic"] == pytest.approx(z, rel=1e-9)
    assert res["p_value"] == pytest.approx(2 * (1 - stats.norm.cdf(z)), rel=1e-9)  # 0.1530
    assert res["p_value"] == pytest.approx(0.1530, abs=5e-4)
    se = np.sqrt(0.12 * 0.88 / 1000 + 0.1 * 0.9 / 1000)  # unpooled for the interval: 0.014107
    assert res["ci_low"] == pytest.approx(0.02 - 1.959964 * se, abs=1e-6)
    assert res["ci_high"] == pytest.approx(0.02 + 1.959964 * se, abs=1e-6)


def test_welch_matches_scipy():
    rng = np.random.default_rng(1)
    a, b = rng.lognormal(3, 1, 300), rng.lognormal(3, 0.7, 200)
    res = welch(a, b)
    ref = stats.ttest_ind(a, b, equal_var=False)
    assert res["p_value"] == pytest.approx(ref.pvalue, rel=1e-9)
    assert res["statistic"] == pytest.approx(ref.statistic, rel=1e-9)
    ci = ref.confidence_interval(0.95)
    assert (res["ci_low"], res["ci_high"]) == pytest.approx((ci.low, ci.high), rel=1e-9)


def test_welch_hand_example():
    # means 3 and 1.5; variances 2.5/5 and 1.6667/4 (ddof 1) -> SE sqrt(0.5 + 0.41667) = 0.95743
    res = welch([1, 2, 3, 4, 5], [0, 1, 2, 3])
    assert res["lift"] == pytest.approx(1.5)
    assert res["se"] == pytest.approx(np.sqrt(0.5 + 1.6666667 / 4), rel=1e-6)


def test_bootstrap_interval_contains_difference_and_is_seeded():
    rng = np.random.default_rng(2)
    a, b = rng.exponential(12, 400), rng.exponential(10, 400)
    res = bootstrap_diff(a, b, n_boot=500, seed=3)
    assert res["ci_low"] < res["lift"] < res["ci_high"]
    assert bootstrap_diff(a, b, n_boot=500, seed=3)["ci_low"] == res["ci_low"]
    w = welch(a, b)
    assert res["ci_high"] - res["ci_low"] == pytest.approx(w["ci_high"] - w["ci_low"], rel=0.2)


def test_relative_lift_and_table_columns():
    table = pd.DataFrame({"arm": ["c"] * 1000 + ["t"] * 1000, "y": [1] * 100 + [0] * 900 + [1] * 120 + [0] * 880})
    res = arm_effects(table, "y", "c").iloc[0]
    assert res["method"] == "two-proportion z"
    assert res["rel_lift"] == pytest.approx(0.2)  # 0.02 / 0.10
    assert res["rel_ci_low"] < 0.2 < res["rel_ci_high"]


def test_srm_chi_square_by_hand():
    # 5,200 vs 4,800 against 50/50: chi2 = 2 * 200^2 / 5000 = 16, p = 6.3e-5 -> mismatch
    res = srm_check({"a": 5200, "b": 4800})
    assert res["chi2"] == pytest.approx(16.0)
    assert res["p_value"] == pytest.approx(stats.chi2.sf(16, 1))
    assert res["mismatch"]
    # the same sizes fit a 52/48 plan
    assert srm_check({"a": 5200, "b": 4800}, {"a": 52, "b": 48})["chi2"] == pytest.approx(0.0)
    assert not srm_check({"a": 5020, "b": 4980})["mismatch"]


def test_smd_by_hand_and_holm():
    # means 2 and 1, variances 1 and 1 -> SMD 1
    assert standardised_mean_difference([1, 2, 3], [0, 1, 2]) == pytest.approx(1.0)
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])


def test_cuped_reduces_variance_and_keeps_the_lift():
    rng = np.random.default_rng(4)
    n = 4000
    pre = rng.gamma(2, 50, n)
    arm = np.where(rng.random(n) < 0.5, "t", "c")
    y = 0.8 * pre + rng.normal(0, 20, n) + np.where(arm == "t", 5.0, 0.0)
    table = pd.DataFrame({"arm": arm, "y": y, "pre": pre})
    plain = arm_effects(table, "y", "c").iloc[0]
    cuped = arm_effects(table, "y", "c", covariate="pre").iloc[0]
    assert cuped["variance_reduction"] > 0.8
    assert (cuped["ci_high"] - cuped["ci_low"]) < 0.5 * (plain["ci_high"] - plain["ci_low"])
    assert cuped["ci_low"] < 5.0 < cuped["ci_high"]
    adjusted, theta = cuped_adjust(y, pre)
    assert theta == pytest.approx(0.8, abs=0.05)
    assert adjusted.mean() == pytest.approx(y.mean())


def test_money_by_hand():
    effects = pd.DataFrame({"arm": ["e"], "n": [1000], "lift": [0.02], "ci_low": [0.01], "ci_high": [0.03]})
    out = money(effects, cost_per_contact=0.5, margin=0.4, value_per_unit=50).iloc[0]
    assert out["incremental"] == pytest.approx(20)  # 2 points of 1,000 customers
    assert out["incremental_revenue"] == pytest.approx(1000)
    assert out["profit"] == pytest.approx(1000 * 0.4 - 500)
    assert out["roi"] == pytest.approx(-100 / 500)


# ----------------------------------------------------------------------------- the simulator

def test_ci_covers_the_simulators_true_effect_near_nominal():
    covered, runs = 0, 120
    for seed in range(runs):
        sim = simulate_campaign(1500, seed=seed)
        res = arm_effects(sim, "converted", "No E-Mail").iloc[0]
        truth = true_effect(sim)
        covered += res["ci_low"] <= truth <= res["ci_high"]
    assert 0.88 <= covered / runs <= 0.995, covered / runs  # nominal 95 %


def test_simulator_is_seeded_and_heterogeneous():
    a, b = simulate_campaign(500, seed=5), simulate_campaign(500, seed=5)
    pd.testing.assert_frame_equal(a, b)
    groups = set(a["true_group"])
    assert {"persuadable", "do_not_disturb", "lost_cause"} <= groups
    assert (a.loc[a["true_group"] == "persuadable", "true_tau"] > 0).all()
    assert (a.loc[a["true_group"] == "do_not_disturb", "true_tau"] < 0).all()


# ----------------------------------------------------------------------------- uplift

def test_qini_auc_on_a_hand_computed_example():
    # 4 customers, scores 4 > 3 > 2 > 1; y = 1,0,0,1; treatment = 1,1,0,0
    y, t, score = np.array([1, 0, 0, 1]), np.array([1, 1, 0, 0]), np.array([4, 3, 2, 1])
    x, v = qini_curve(y, score, t)
    # after 1: 1 treated responder -> 1; 2: still 1 (no control yet: ratio 0); 3: 1 - 0*2/1 = 1;
    # 4: 1 - 1 * 2/2 = 0
    assert x.tolist() == [0, 1, 2, 3, 4]
    assert v.tolist() == [0, 1, 1, 1, 0]
    xp, vp = perfect_qini_curve(y, t)
    # perfect order: treated responder (score 1), then the zeros (score 0, tied), control responder (-1)
    assert xp.tolist() == [0, 1, 3, 4] and vp.tolist() == [0, 1, 1, 0]
    # areas (trapezoids): this ranking is perfect, 3.0 = 3.0; random line to (4, 0) has area 0 -> 1.0
    assert qini_auc_score(y, score, t) == pytest.approx(1.0)
    # treated non-responder ranked first: curve 0, 0, 1, 1, 0 -> area 2.0 -> 2 / 3
    assert qini_auc_score(y, np.array([3, 4, 2, 1]), t) == pytest.approx(2 / 3)
    # reversed ranking: curve 0, 0, 0, -0.5, 0 -> area -0.5 -> -1/6
    assert qini_auc_score(y, -score, t) == pytest.approx(-1 / 6)


def test_uplift_at_k_and_deciles_by_hand():
    y = np.array([1, 1, 0, 0, 1, 0, 0, 0, 1, 0])
    t = np.array([1, 0, 1, 0, 1, 0, 1, 0, 1, 0])
    s = np.arange(10, 0, -1)
    # top int(10 * 0.3) = 3: treated y 1, 0 (mean 0.5), control y 1 (mean 1) -> -0.5
    assert uplift_at_k(y, s, t, 0.3) == pytest.approx(-0.5)
    dec = uplift_by_decile(y, s, t, bins=5)
    assert dec["customers"].tolist() == [2, 2, 2, 2, 2]
    assert dec["uplift"].tolist() == pytest.approx([0.0, 0.0, 1.0, 0.0, 1.0])


@pytest.fixture(scope="module")
def simulated():
    sim = simulate_campaign(6000, seed=11)
    return sim


def test_uplift_models_rank_true_persuadables_above_chance(simulated):
    from sklearn.metrics import roc_auc_score

    features = ["prior_orders", "days_since_last", "prior_revenue", "tier"]
    train = simulated.iloc[:4000]
    test = simulated.iloc[4000:]
    t = (train["arm"] != "No E-Mail").astype(int)
    # chance is 0.5: a random score ranks a persuadable above another customer half the time
    for model, floor in ((TLearner(random_state=0), 0.75), (ClassTransformation(random_state=0), 0.6)):
        model.fit(train[features], train["converted"], t)
        scores = model.predict(test[features])
        auc = roc_auc_score(test["true_group"] == "persuadable", scores)
        assert auc > floor, (type(model).__name__, auc)


@pytest.mark.keras
def test_keras_uplift_ranks_persuadables_and_is_seeded(simulated):
    from sklearn.metrics import roc_auc_score

    from ecom_analytics.campaign.uplift import KerasUplift

    features = ["prior_orders", "days_since_last", "prior_revenue", "tier"]
    train, test = simulated.iloc[:4000], simulated.iloc[4000:]
    t = (train["arm"] != "No E-Mail").astype(int)
    with pytest.raises(RuntimeError, match="not fitted"):
        KerasUplift().predict(test[features])
    model = KerasUplift(epochs=10, seed=1).fit(train[features], train["converted"], t)
    scores = model.predict(test[features])
    assert roc_auc_score(test["true_group"] == "persuadable", scores) > 0.6


def test_analysis_end_to_end_on_sample_and_audiences(simulated):
    data = prepare_campaign(simulated)
    assert data.control == "No E-Mail" and data.arms == ["E-Mail"]
    assert data.pre_revenue == "prior_revenue"
    assert "true_group" not in data.categorical and "tier" in data.categorical
    result = analyse_campaign(data, "converted", uplift_models=("t_learner",))
    row = result.effects.iloc[0]
    assert row["ci_low"] <= true_effect(simulated) <= row["ci_high"]
    summary = result.summary()
    assert set(summary["arms"]["E-Mail"]) >= {"n", "mean", "lift", "ci_low", "ci_high", "p_value"}
    assert set(summary["uplift"]["E-Mail"]["t_learner"]) == {"qini_auc", "uplift_at_30"}
    assert summary["uplift"]["E-Mail"]["t_learner"]["qini_auc"] > 0.05
    scores = result.uplift["E-Mail"].scores
    audience = assign_audiences(scores, "t_learner", threshold=0.01, base_rate=0.09)
    truth = simulated.set_index("customer_id").loc[scores["customer_id"], "true_group"].to_numpy()
    persuadable_share = (truth[audience.to_numpy() == "persuadables"] == "persuadable").mean()
    assert persuadable_share > (truth == "persuadable").mean() + 0.1


# ----------------------------------------------------------------------------- inputs

def test_control_labels_are_recognised():
    assert find_control(["Mens E-Mail", "No E-Mail", "Womens E-Mail"]) == "No E-Mail"
    assert find_control(["实验组", "对照组"]) == "对照组"
    assert find_control(["treatment", "Holdout"]) == "Holdout"
    assert find_control(["a", "b"]) is None
    assert find_control(["a", "b"], "b") == "b"


def test_hillstrom_like_headers_are_recognised():
    frame = pd.DataFrame({"recency": [1, 2, 3, 4], "history": [10.0, 20.0, 30.0, 40.0],
                          "segment": ["Mens E-Mail", "No E-Mail", "Womens E-Mail", "No E-Mail"],
                          "visit": [1, 0, 1, 0], "conversion": [0, 0, 1, 0], "spend": [0, 0, 30.5, 0]})
    data = prepare_campaign(frame)
    assert data.columns["arm"] == "segment" and data.control == "No E-Mail"
    assert data.columns["visited"] == "visit" and data.columns["converted"] == "conversion"
    assert data.pre_revenue == "history" and "recency" in data.attributes


def test_campaign_list_joined_with_orders():
    orders = pd.DataFrame({
        "customer_id": pd.array(["a", "a", "b", "c", "c"], dtype="string"),
        "order_id": pd.array(["1", "2", "3", "4", "5"], dtype="string"),
        "timestamp": pd.to_datetime(["2024-01-10", "2024-03-05", "2024-03-20", "2024-02-01", "2024-03-02"]),
        "amount": [30.0, 20.0, 99.0, 15.0, 40.0],
    })
    for col in schema.ORDERS_COLUMNS:  # the canonical orders table: the other columns empty
        if col not in orders:
            orders[col] = 1.0 if col == "quantity" else (orders["amount"] if col == "unit_price" else pd.NA)
    orders = schema.conform(orders[schema.ORDERS_COLUMNS], "orders")
    campaign = pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "group": ["email", "email", "control", "control"],
                             "send_date": ["2024-03-01"] * 4})
    data = campaign_from_orders(campaign, orders, window_days=14)
    t = data.table.set_index("customer_id")
    # a bought on 03-05 (inside 14 days), b on 03-20 (outside), c on 03-02 (inside), d never
    assert t["converted"].tolist() == [1.0, 0.0, 1.0, 0.0]
    assert t["revenue"].tolist() == [20.0, 0.0, 40.0, 0.0]
    assert t["prior_revenue"].tolist() == [30.0, 0.0, 15.0, 0.0]  # orders before the send date only
    assert data.control == "control"

    # rows that cannot be joined are counted in a note, never dropped silently
    messy = pd.concat([campaign, pd.DataFrame({"customer_id": [None, "e", "f", "a"], "group": ["email", None, "control", "control"],
                                               "send_date": ["2024-03-01", "2024-03-01", "not a date", "2024-03-01"]})])
    data = campaign_from_orders(messy, orders, window_days=14)
    assert sorted(data.table["customer_id"]) == ["a", "b", "c", "d"]
    assert data.table.set_index("customer_id").loc["a", "arm"] == "email"  # the first row of a repeated id is kept
    assert [n.english() for n in data.notes[:2]] == [
        "3 rows of the campaign list without a customer id, an arm or a readable send date were left out",
        "1 repeated customer ids were left out (first row kept)"]
    assert [n.params for n in data.notes[:2]] == [{"n": 3}, {"n": 1}]  # numbers, worded by the catalogue


def test_customers_without_an_outcome_are_counted_and_never_scored_as_zero(simulated):
    from ecom_analytics.campaign.uplift import response_model

    table = simulated.head(2000).copy()
    table["converted"] = table["converted"].astype("object")
    table.loc[table.index[:30], "converted"] = "n/a"  # unreadable: left out, not read as 0
    data = prepare_campaign(table)
    assert int(data.table["converted"].isna().sum()) == 30
    result = analyse_campaign(data, "converted", uplift_models=("t_learner",))
    assert "30 customers without a value of converted were left out of the comparison and the uplift models." \
        in [n.english() for n in result.notes]
    assert int(result.effects["n"].sum() + result.effects["n_control"].iloc[0]) == 2000 - 30
    assert len(result.uplift["E-Mail"].scores) == 2000 - 30
    features = [c for c in data.attributes + data.categorical if c != "converted"]
    response = response_model(data.table, "converted", "E-Mail", features)
    missing = int(data.table.loc[data.table["arm"] == "E-Mail", "converted"].isna().sum())
    assert missing > 0 and len(response["scores"]) == int((data.table["arm"] == "E-Mail").sum()) - missing
    assert [n.english() for n in response["notes"]] == [
        f"{missing} customers without a value of converted were left out of the response model."]


@pytest.mark.parametrize("frame, message", [
    (pd.DataFrame({"id": range(40), "arm": ["email"] * 40, "converted": [0, 1] * 20}), "one arm only"),
])
def test_bad_campaigns_raise_a_sentence(frame, message):
    with pytest.raises(InputError, match=message):
        prepare_campaign(frame)


def test_arms_without_a_control_label_are_compared_with_the_first_in_order():
    """a/b: "a" is the reference, with a note saying why; 1/2/10 in numeric order: "1"; Yes/No: "No"."""
    data = prepare_campaign(pd.DataFrame({"id": range(40), "arm": ["b", "a"] * 20, "converted": [0, 1] * 20}))
    assert data.control == "a" and data.arms == ["b"]
    assert [n.english() for n in data.notes] == [
        "No arm is labelled as the control (control, holdout, No E-Mail, no...): a, the first of a, b in order, is the "
        "reference every other arm is compared with. Choose another with --control."]
    data = prepare_campaign(pd.DataFrame({"id": range(60), "promotion": ["10", "2", "1"] * 20, "sales": range(60)}))
    assert data.control == "1" and "1, 2, 10" in data.notes[0].english()
    assert find_control(["No", "Yes"]) == "No" and find_control(["1", "0"]) == "0" and find_control(["a", "b"]) is None


def test_small_arm_and_missing_outcome_raise_a_sentence():
    frame = pd.DataFrame({"id": range(45), "arm": ["control"] * 30 + ["email"] * 15, "converted": [0, 1] * 22 + [0]})
    data = prepare_campaign(frame)
    with pytest.raises(InputError, match="only 15 customers"):
        analyse_campaign(data, "converted", uplift_models=())
    with pytest.raises(InputError, match="not a numeric column"):
        prepare_campaign(frame, outcome="revenue")
    no_outcome = prepare_campaign(frame.drop(columns="converted"))
    with pytest.raises(InputError, match="no outcome column"):
        analyse_campaign(no_outcome, uplift_models=())


def test_saved_campaign_is_a_workspace_dataset_without_raw_emails(tmp_path):
    from ecom_analytics.campaign.data import save_campaign
    from ecom_analytics.store import Workspace

    frame = pd.DataFrame({"email": [f"p{i}@shop.com" for i in range(60)], "arm": ["holdout", "sms"] * 30,
                          "converted": [0, 1, 1] * 20})
    data = frame.to_csv(index=False).encode()
    ws = Workspace(tmp_path / "ws")
    first = save_campaign(ws, data, "sms.csv")
    assert save_campaign(ws, data, "sms.csv") == first  # same content, same id
    stored = ws.load_clean(first)
    assert ws.dataset(first)["kind"] == "campaign" and len(stored) == 60
    assert not stored["email"].str.contains("@").any()
    again = prepare_campaign(stored.drop(columns="source_line"))
    assert again.control == "holdout" and again.outcomes == ["converted"]
    with pytest.raises(InputError, match="No arm column"):
        save_campaign(ws, b"a,b\n1,2\n3,4\n", "x.csv")


def test_qini_auc_and_uplift_at_k_equal_scikit_uplift_when_installed():
    """scikit-uplift is not a dependency; with it installed, the two definitions must agree (ties included)."""
    sklift = pytest.importorskip("sklift.metrics", reason="scikit-uplift is not installed (optional cross-check)")
    rng = np.random.default_rng(0)
    for _ in range(20):
        n = int(rng.integers(50, 1500))
        y, t = (rng.random(n) < 0.2).astype(int), (rng.random(n) < 0.5).astype(int)
        s = np.round(rng.normal(size=n) + 0.5 * y * t, 1)
        assert qini_auc_score(y, s, t) == pytest.approx(sklift.qini_auc_score(y, s, t), abs=1e-12)
        assert uplift_at_k(y, s, t, 0.3) == pytest.approx(sklift.uplift_at_k(y, s, t, strategy="overall", k=0.3))
