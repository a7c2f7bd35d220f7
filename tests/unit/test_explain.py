"""Reasons for every score (ecom_analytics.predict.explain): the linear explainer on a hand-computed
fixture, TreeSHAP against brute-force Shapley values and the shap package's figures, the sampled
explainer against exact enumeration, additivity for every model, and the reasons in words."""

from __future__ import annotations

from itertools import combinations
from math import factorial

import numpy as np
import pandas as pd
import pytest

from ecom_analytics.predict import explain
from ecom_analytics.predict.modeling import BGNBDClassifier, RecencyRule, SklearnModel


def _features(n: int = 600, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Customer features of a synthetic shop (the columns the models read) and a purchase label that
    depends on recency and orders."""
    rng = np.random.default_rng(seed)
    tenure = rng.integers(30, 400, n).astype(float)
    recency = np.minimum(rng.exponential(80, n), tenure).round()
    active = 1 + rng.poisson(3, n).astype(float)
    orders = active + rng.integers(0, 2, n)
    frame = pd.DataFrame({
        "recency_days": recency, "tenure_days": tenure, "orders": orders, "active_days": active,
        "revenue_mean": rng.gamma(2, 20, n).round(2), "days_between_mean": np.where(active > 1, tenure / active, np.nan),
        "country": rng.choice(["United Kingdom", "France", "Germany"], n),
        "cutoff": pd.Timestamp("2024-01-01")}, index=pd.Index([f"C{i:04d}" for i in range(n)], name="customer_id"))
    logit = 1.0 - recency / 40 + 0.3 * orders
    label = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return frame, label


# ----------------------------------------------------------------------------- exact linear

def test_linear_shap_of_two_features_is_coefficient_times_distance_from_the_mean():
    # log-odds 0.5 + 2 a - 1 b; the customer a = 1.5, b = 3; the background's means a = 0, b = 1
    values, base = explain.linear_shap([2.0, -1.0], 0.5, np.array([[1.5, 3.0]]), np.array([0.0, 1.0]))
    assert values.tolist() == [[3.0, -2.0]]  # 2 x 1.5, -1 x (3 - 1)
    assert base == -0.5  # 0.5 + 2 x 0 - 1 x 1
    # to probability points: the log-odds go from -0.5 to 0.5, the probability from 0.377541 to 0.622459
    points, p_base = explain.proportional(values, base, explain._sigmoid)
    assert p_base == pytest.approx(0.3775406688, abs=1e-9)
    assert points[0].tolist() == pytest.approx([0.7347559872, -0.4898373248], abs=1e-9)  # x 0.2449186624
    assert p_base + points.sum() == pytest.approx(0.6224593312, abs=1e-9)


def test_logistic_regression_reasons_sum_back_to_each_feature_and_to_the_probability():
    frame, label = _features()
    model = SklearnModel("logistic", "purchase").fit(frame, label)
    found = explain.explain("logistic", model, frame, "purchase")
    assert found.features == ["recency_days", "tenure_days", "orders", "active_days", "revenue_mean",
                              "days_between_mean", "country"]  # the missing flag and the one-hot columns summed back
    assert np.max(np.abs(found.output - model.predict_proba(frame))) < 1e-6
    # by hand for one customer: the recency column's coefficient x (its scaled value - the mean scaled value)
    x = model.prep_.transform(frame).astype(float)
    j = model.prep_.feature_names_.index("recency_days")
    raw = model.model_.coef_[0] * (x - x.mean(axis=0))
    logit = model.model_.intercept_[0] + x @ model.model_.coef_[0]
    base = model.model_.intercept_[0] + x.mean(axis=0) @ model.model_.coef_[0]
    p, p0 = 1 / (1 + np.exp(-logit[7])), 1 / (1 + np.exp(-base))
    assert found.values[7, 0] == pytest.approx(raw[7, j] * (p - p0) / (logit[7] - base), abs=1e-9)
    assert found.base == pytest.approx(p0, abs=1e-9)
    # the recent buyers' recency raises the chance, the long-gone ones' lowers it
    assert found.values[frame["recency_days"].to_numpy() < 5, 0].min() > 0
    assert found.values[frame["recency_days"].to_numpy() > 200, 0].max() < 0
    summary = found.importance(frame).set_index("feature")
    assert summary.loc["recency_days", "direction"] < -0.9  # higher recency, lower chance
    # orders enter through log1p (increasing): the direction is the sign of their coefficient
    coefficient = model.model_.coef_[0][model.prep_.feature_names_.index("orders")]
    assert summary.loc["orders", "direction"] * np.sign(coefficient) > 0.9
    assert np.isnan(summary.loc["country", "direction"])  # a category has no order
    assert summary["mean_abs"].tolist() == pytest.approx(np.abs(found.values).mean(axis=0)[
        [found.features.index(f) for f in summary.index]].tolist())


def test_ridge_revenue_reasons_add_up_to_the_predicted_revenue():
    frame, label = _features()
    revenue = label * frame["revenue_mean"].to_numpy()
    model = SklearnModel("logistic", "revenue").fit(frame, revenue)
    found = explain.explain("linear", model, frame, "revenue")
    # ridge predicts in float32 (the preprocessor's matrix): equal to float32's precision
    assert np.allclose(found.output, model.predict(frame), rtol=1e-6, atol=1e-6)


# ----------------------------------------------------------------------------- TreeSHAP

def _expected_given(nodes, x: np.ndarray, known: set[int], node: int = 0) -> float:
    """E[tree | the features in ``known`` fixed at x], path-dependent (Lundberg et al., Algorithm 1)."""
    if nodes["is_leaf"][node]:
        return float(nodes["value"][node])
    f = int(nodes["feature_idx"][node])
    left, right = int(nodes["left"][node]), int(nodes["right"][node])
    if f in known:
        return _expected_given(nodes, x, known, left if x[f] <= nodes["num_threshold"][node] else right)
    total = float(nodes["count"][node])
    return (nodes["count"][left] / total * _expected_given(nodes, x, known, left)
            + nodes["count"][right] / total * _expected_given(nodes, x, known, right))


def _brute_force_shapley(nodes, x: np.ndarray, k: int) -> np.ndarray:
    phi = np.zeros(k)
    for i in range(k):
        others = [j for j in range(k) if j != i]
        for size in range(k):
            for s in combinations(others, size):
                w = factorial(size) * factorial(k - size - 1) / factorial(k)
                phi[i] += w * (_expected_given(nodes, x, set(s) | {i}) - _expected_given(nodes, x, set(s)))
    return phi


def test_tree_shap_equals_brute_force_shapley_values_on_small_trees():
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = np.random.default_rng(3)
    x = rng.random((400, 4))
    y = ((x[:, 0] > 0.5) ^ (x[:, 1] > 0.3) | (x[:, 2] > 0.9)).astype(int)
    model = HistGradientBoostingClassifier(max_iter=3, max_leaf_nodes=6, random_state=0).fit(x, y)
    for tree in model._predictors:
        nodes = tree[0].nodes
        values, expected = explain.tree_shap(nodes, x[:12], 4)
        assert expected == pytest.approx(_expected_given(nodes, x[0], set()), abs=1e-12)
        for row in range(12):
            assert values[row] == pytest.approx(_brute_force_shapley(nodes, x[row], 4), abs=1e-12)


def test_tree_shap_equals_brute_force_on_deep_regression_trees():
    from sklearn.ensemble import HistGradientBoostingRegressor

    rng = np.random.default_rng(5)
    x = rng.random((600, 6))
    y = np.sin(6 * x[:, 0]) * x[:, 1] + (x[:, 2] > 0.5) * x[:, 3] + 0.1 * rng.normal(size=600)
    model = HistGradientBoostingRegressor(max_iter=2, max_leaf_nodes=31, min_samples_leaf=5, random_state=0).fit(x, y)
    nodes = model._predictors[1][0].nodes
    assert nodes["depth"].max() >= 6  # paths that repeat features: the product has repeated factors
    values, _ = explain.tree_shap(nodes, x[:40], 6)  # 40 rows: the per-pattern branch for short paths
    for row in range(0, 40, 3):
        assert values[row] == pytest.approx(_brute_force_shapley(nodes, x[row], 6), abs=1e-12)
    phi, base = explain.hist_gradient_boosting_shap(model, x)
    assert np.max(np.abs(base + phi.sum(axis=1) - model.predict(x))) < 1e-10


def test_gradient_boosting_reasons_add_up_to_the_raw_score_and_the_probability():
    frame, label = _features()
    model = SklearnModel("gboost", "purchase").fit(frame, label)
    x = model.prep_.transform(frame).astype(float)
    raw_values, base = explain.hist_gradient_boosting_shap(model.model_, x)
    assert np.max(np.abs(base + raw_values.sum(axis=1) - model.model_._raw_predict(x).ravel())) < 1e-9
    found = explain.explain("gboost", model, frame, "purchase")
    assert np.max(np.abs(found.output - model.predict_proba(frame))) < 1e-9
    assert found.importance()["feature"].iloc[0] == "recency_days"  # the label's strongest input


def test_gradient_boosting_revenue_reasons_add_up_to_the_predicted_revenue():
    frame, label = _features()
    model = SklearnModel("gboost", "revenue").fit(frame, label * frame["revenue_mean"].to_numpy())
    found = explain.explain("gboost", model, frame, "revenue")
    assert np.allclose(found.output, model.predict(frame), rtol=1e-9, atol=1e-9)


# ----------------------------------------------------------------------------- sampling and enumeration

def test_sampled_shapley_values_are_close_to_exact_ones_and_add_up_exactly():
    rng = np.random.default_rng(1)
    weights = rng.normal(size=5)

    def network(rows: np.ndarray) -> np.ndarray:  # a small interacting function of 5 inputs
        return 1 / (1 + np.exp(-(np.tanh(rows @ weights) + rows[:, 0] * rows[:, 1] - 0.5 * rows[:, 2] * rows[:, 4])))

    x = rng.normal(size=(30, 5))
    background = rng.normal(size=(16, 5))
    sampled, base = explain.sampling_shap(network, x, background, np.arange(5), 5, permutations=16, seed=0)
    assert np.max(np.abs(base + sampled.sum(axis=1) - network(x))) < 1e-12
    columns = [f"f{j}" for j in range(5)]
    exact, exact_base = explain.enumeration_shap(lambda f: network(f[columns].to_numpy()),
                                                 pd.DataFrame(x, columns=columns),
                                                 pd.DataFrame(background, columns=columns), columns)
    assert exact_base == pytest.approx(base, abs=1e-12)
    assert np.max(np.abs(sampled - exact)) < 0.02  # the stated tolerance: 2 points


def test_recency_rule_reasons_are_exact_and_add_up():
    frame, label = _features(150)  # at most 200 customers: all of them are the background
    model = RecencyRule("purchase").fit(frame, label)
    found = explain.explain("recency", model, frame, "purchase")
    assert found.features == ["recency_days"]
    assert np.max(np.abs(found.output - model.predict_proba(frame))) < 1e-12
    # one input: its contribution is the score minus the mean score over the background (here everyone)
    assert found.base == pytest.approx(model.predict_proba(frame).mean(), abs=1e-12)


def test_bgnbd_reasons_enumerate_its_inputs_and_add_up():
    frame, _ = _features(300)
    model = BGNBDClassifier("purchase", 30).fit(frame)
    model.refit_on(frame)
    found = explain.explain("bgnbd", model, frame, "purchase")
    assert found.features == ["recency_days", "tenure_days", "active_days", "orders"]
    assert np.max(np.abs(found.output - model.predict_proba(frame))) < 1e-12
    revenue = explain.explain("bgnbd", model, frame, "revenue", aov=25.0)
    expected = model.expected_purchases(frame) * frame["revenue_mean"].to_numpy()
    assert np.max(np.abs(revenue.output - expected)) < 1e-9


@pytest.mark.keras
def test_neural_reasons_add_up_to_the_network_probability():
    from ecom_analytics.predict.neural import NeuralModel

    frame, label = _features(300)
    model = NeuralModel("purchase", hidden=(8,), epochs=3, patience=0, seed=0).fit(frame, label)
    found = explain.explain("neural", model, frame, "purchase")
    assert found.method == explain.METHODS["neural"]
    assert np.max(np.abs(found.output - model.predict_proba(frame))) < 1e-5  # float32 network


# ----------------------------------------------------------------------------- in words

def test_a_reason_reads_as_a_sentence_with_the_language_s_numbers():
    assert explain.reason_in_words("recency_days", 212.0, -0.18, "purchase") == \
        "212 days since the last order lowers the chance of buying by 18 points"
    assert explain.reason_in_words("orders_90d", 3.0, 0.042, "churn") == \
        "3 orders in the last 90 days raises the chance of going quiet by 4.2 points"
    assert explain.reason_in_words("recency_days", 1.0, 0.032, "purchase") == \
        "1 day since the last order raises the chance of buying by 3.2 points"
    assert explain.reason_in_words("order_rate_30d", 16.149, 0.24, "purchase") == \
        "16.1 orders per 30 days raises the chance of buying by 24 points"
    assert explain.reason_in_words("revenue_total", 1234.5, 56.25, "revenue", currency="£") == \
        "£1,234.50 spent in total raises the predicted revenue by £56.25"
    assert explain.reason_in_words("days_between_mean", np.nan, -0.01, "purchase") == \
        "no value for average days between consecutive orders (empty with one order) lowers the chance of buying by 1.0 points"
    zh = explain.reason_in_words("recency_days", 1212.0, -0.18, "purchase", lang="zh")
    assert "1,212" in zh and "18" in zh and "days since" not in zh


def test_top_reasons_name_the_three_largest_contributions_of_each_customer():
    found = explain.Explanation("logistic", "purchase", ["recency_days", "orders", "country"],
                                np.array([[-0.18, 0.05, 0.01], [0.0, 0.02, -0.03]]), 0.3,
                                pd.Index(["A", "B"]), "exact")
    features = pd.DataFrame({"recency_days": [212.0, 3.0], "orders": [4.0, 1.0], "country": ["France", "Spain"]},
                            index=["B", "A"]).loc[["A", "B"]]
    reasons = explain.top_reasons(found, features)
    assert reasons.loc["A"].tolist() == ["3 days since the last order lowers the chance of buying by 18 points",
                                         "1 order so far raises the chance of buying by 5.0 points",
                                         "country Spain raises the chance of buying by 1.0 points"]
    assert reasons.loc["B"].tolist() == ["country France lowers the chance of buying by 3.0 points",
                                         "4 orders so far raises the chance of buying by 2.0 points", ""]
    steps = explain.waterfall_steps(found, "A", features, top=2)
    assert steps["contribution"].tolist() == pytest.approx([-0.18, 0.05, 0.01])
    assert steps["label"].iloc[-1] == "1 other features"


def test_the_network_shortcut_gives_the_sampled_values_and_stays_near_the_exact_ones():
    """The first-layer shortcut (a player's share of the first layer added step by step) gives the same
    values as rebuilding every row; with the product's settings (6 permutations, 10 background rows)
    on an 8-input ReLU network the values stay near exact enumeration over the same background."""
    rng = np.random.default_rng(4)
    layers = [(rng.normal(size=(9, 16)).astype(np.float32), rng.normal(size=16).astype(np.float32), "relu"),
              (rng.normal(size=(16, 1)).astype(np.float32) / 3, np.zeros(1, dtype=np.float32), "sigmoid")]
    owners = np.array([0, 1, 2, 3, 4, 5, 6, 7, 7])  # the last two columns are one feature (a one-hot pair)

    def network(rows: np.ndarray) -> np.ndarray:
        return explain._apply(layers, rows.astype(np.float32)).astype(float)

    x = rng.normal(size=(25, 9))
    background = rng.normal(size=(explain.BACKGROUND_ROWS["neural"], 9))
    plain, base = explain.sampling_shap(network, x, background, owners, 8, seed=0)
    rest = (lambda pre: explain._apply(layers, pre, first_done=True).astype(float))
    quick, quick_base = explain.sampling_shap(network, x, background, owners, 8, seed=0,
                                              linear_first=(layers[0][0], layers[0][1], rest))
    assert np.max(np.abs(quick - plain)) < 1e-5 and quick_base == base  # float32 sums in another order
    assert np.max(np.abs(base + quick.sum(axis=1) - network(x))) < 1e-5
    columns = [f"c{j}" for j in range(9)]

    def by_feature(frame: pd.DataFrame) -> np.ndarray:
        return network(frame[columns].to_numpy())

    groups = pd.DataFrame(x, columns=columns)
    back = pd.DataFrame(background, columns=columns)
    # exact: enumerate the 8 features (the one-hot pair switched together)
    groups["pair"] = list(zip(groups["c7"], groups["c8"]))
    back["pair"] = list(zip(back["c7"], back["c8"]))

    def by_players(frame: pd.DataFrame) -> np.ndarray:
        pair = np.array(frame["pair"].tolist())
        return by_feature(frame.assign(c7=pair[:, 0], c8=pair[:, 1]))

    players = columns[:7] + ["pair"]
    exact, exact_base = explain.enumeration_shap(by_players, groups[players], back[players + ["c7", "c8"]], players)
    assert exact_base == pytest.approx(base, abs=1e-6)
    # the stated tolerance of the sampled values on this (deliberately tangled) network: 1.5 points on
    # average, 8 at most (more permutations shrink it slowly: 16 give 0.7 and 5.1)
    assert np.mean(np.abs(quick - exact)) < 0.015 and np.max(np.abs(quick - exact)) < 0.08
