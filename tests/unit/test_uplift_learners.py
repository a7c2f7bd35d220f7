"""Uplift learners (S with interactions, X, DR, with gradient-boosting bases), their selection by
cross-validated Qini on the training part only, and our Qini AUC against scikit-uplift's value
computed once on a fixed fixture (scikit-uplift is a peer, never a dependency)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from ecom_analytics.campaign import prepare_campaign, simulate_campaign
from ecom_analytics.campaign.learners import (DRLearner, SLearner, SoloModel, TLearner, XLearner, cross_fitted_outcomes,
                                              dr_pseudo_outcome)
from ecom_analytics.campaign.uplift import (CROSS_VALIDATED, MODEL_LABELS, choose_model, cross_validate, fit_uplift,
                                            make_model, qini_auc_score)
from ecom_analytics.errors import InputError

FEATURES = ["prior_orders", "days_since_last", "prior_revenue", "tier"]

# 30 customers with tied scores. scikit-uplift 0.5.1's qini_auc_score(Y, S, T) on these arrays,
# computed once in a separate environment (python3.11 -m venv; pip install scikit-uplift):
Y = np.array([1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0])
T = np.array([1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1])
S = np.array([.9, .8, .8, .7, .65, .6, .6, .6, .5, .45, .4, .4, .35, .3, .3, .3, .25, .2, .2, .15, .1, .1, .05, 0, 0,
              -.05, -.1, -.1, -.2, -.3])
SKLIFT_QINI_AUC = 0.028620337995337947


def test_qini_auc_equals_scikit_uplifts_value_on_a_fixture_with_ties():
    assert qini_auc_score(Y, S, T) == pytest.approx(SKLIFT_QINI_AUC, abs=1e-15)


@pytest.fixture(scope="module")
def simulated():
    return simulate_campaign(6000, seed=11)


@pytest.fixture(scope="module")
def split(simulated):
    train, test = simulated.iloc[:4000], simulated.iloc[4000:]
    return train, test, (train["arm"] != "No E-Mail").astype(int).to_numpy()


@pytest.mark.parametrize("learner, floor", [(SLearner, 0.75), (SoloModel, 0.75), (XLearner, 0.8), (DRLearner, 0.75)])
def test_new_learners_rank_true_persuadables_and_are_seeded(split, learner, floor):
    train, test, t = split
    with pytest.raises(RuntimeError, match="not fitted"):
        learner().predict(test[FEATURES])
    model = learner(random_state=3).fit(train[FEATURES], train["converted"], t)
    scores = model.predict(test[FEATURES])
    # chance is 0.5: a random score ranks a persuadable above another customer half the time
    assert roc_auc_score(test["true_group"] == "persuadable", scores) > floor
    # the true uplift is +12 points for persuadables, -6 for do-not-disturb, 0 otherwise
    assert np.corrcoef(scores, test["true_uplift"])[0, 1] > 0.5
    again = learner(random_state=3).fit(train[FEATURES], train["converted"], t).predict(test[FEATURES])
    np.testing.assert_array_equal(scores, again)
    c, w = model.predict_arms(test[FEATURES])
    assert ((c >= 0) & (c <= 1) & (w >= 0) & (w <= 1)).all()  # 0/1 outcome: probabilities


def test_s_learner_uses_interaction_terms_and_a_flag():
    x = np.array([[1.0, 2.0], [3.0, 4.0]], dtype="float32")
    design = SLearner._design(x, np.array([0, 1]))
    # x, t, t * x: the treated row repeats its features, the control row has zeros
    assert design.tolist() == [[1, 2, 0, 0, 0], [3, 4, 1, 3, 4]]


def test_dr_pseudo_outcome_by_hand():
    y, t = np.array([1.0, 0.0, 1.0, 0.0]), np.array([1, 1, 0, 0])
    mu0, mu1 = np.array([0.2, 0.2, 0.4, 0.1]), np.array([0.5, 0.3, 0.5, 0.2])
    # e = 0.5: treated: mu1 - mu0 + (y - mu1) / 0.5; control: mu1 - mu0 - (y - mu0) / 0.5
    expected = [0.3 + 1.0, 0.1 - 0.6, 0.1 - 1.2, 0.1 + 0.2]
    assert dr_pseudo_outcome(y, t, mu0, mu1, 0.5) == pytest.approx(expected)


def test_x_learner_blends_the_two_effect_models_by_the_treated_share(split):
    train, test, t = split
    model = XLearner().fit(train[FEATURES], train["converted"], t)
    x = model.prep_.transform(test[FEATURES])
    e = t.mean()
    expected = e * model.tau_control_.predict(x) + (1 - e) * model.tau_treated_.predict(x)
    np.testing.assert_allclose(model.predict(test[FEATURES]), expected)


def test_cross_fitted_outcomes_score_every_row_with_models_that_never_saw_it(split):
    train, _, t = split
    x = TLearner().fit(train[FEATURES], train["converted"], t).prep_.transform(train[FEATURES])
    y = train["converted"].to_numpy(float)
    mu0, mu1 = cross_fitted_outcomes(x, y, t, folds=2, random_state=0)
    in_sample = TLearner().fit_matrix(x, y, t).predict_arms_matrix(x)
    # out of fold, the treated responders' predicted outcome is lower than in sample (no memorising)
    responders = (t == 1) & (y == 1)
    assert mu1[responders].mean() < in_sample[1][responders].mean()
    assert ((mu0 >= 0) & (mu0 <= 1)).all() and len(mu0) == len(y)


def test_choose_model_takes_the_highest_cross_validated_qini():
    assert choose_model({"t_learner": 0.10, "x_learner": 0.14, "neural": float("nan")}) == "x_learner"
    assert choose_model({"neural": float("nan")}) == "neural"  # the only model


def test_model_is_chosen_on_the_training_part_only(simulated, monkeypatch):
    """Changing every outcome of the held-out 30 % changes the test Qini but neither the
    cross-validated Qini nor the chosen model: the 30 % never chooses."""
    from ecom_analytics.campaign import uplift

    data = prepare_campaign(simulated)
    part = data.table[data.table["arm"].isin([data.control, "E-Mail"])]
    test = np.zeros(len(part), bool)
    test[np.random.default_rng(0).permutation(len(part))[: int(0.3 * len(part))]] = True
    # the same held-out rows in both runs (the real split stratifies by the outcome we change)
    models = ("t_learner", "x_learner", "dr_learner", "ensemble")
    monkeypatch.setattr(uplift, "split_train_test", lambda strata, size, seed: test.copy())
    first = fit_uplift(data.table, "converted", data.control, "E-Mail", FEATURES, models=models)
    flipped = data.table.copy()
    rows = part.index[test]
    flipped.loc[rows, "converted"] = 1 - flipped.loc[rows, "converted"]
    second = fit_uplift(flipped, "converted", data.control, "E-Mail", FEATURES, models=models)
    assert first.metrics["cv_qini"].notna().all()
    np.testing.assert_allclose(first.metrics["cv_qini"], second.metrics["cv_qini"])
    assert first.best_model == second.best_model
    np.testing.assert_allclose(first.scores[list(models)], second.scores[list(models)])
    assert (first.metrics["qini_auc"] > 0).all() and (second.metrics["qini_auc"] < 0).all()


def test_fold_ensembles_score_everyone_with_arm_outcomes_and_a_chosen_model(simulated):
    data = prepare_campaign(simulated)
    result = fit_uplift(data.table, "converted", data.control, "E-Mail", FEATURES,
                        models=("t_learner", "x_learner", "dr_learner", "class_transformation"))
    assert list(result.metrics.columns) == ["model", "qini_auc", "uplift_at_30", "cv_qini"]
    assert result.best_model == result.metrics.loc[result.metrics["cv_qini"].idxmax(), "model"]
    scores = result.scores
    for name in ("t_learner", "x_learner", "dr_learner"):
        assert {f"{name}_p_control", f"{name}_p_treated"} <= set(scores)
    assert "class_transformation_p_control" not in scores  # it has no arm outcomes
    # the T-learner's uplift is its two arm predictions' difference (the same fold models)
    np.testing.assert_allclose(scores["t_learner"], scores["t_learner_p_treated"] - scores["t_learner_p_control"])
    # the chosen model beats chance on the held-out 30 %
    assert result.metrics.set_index("model").loc[result.best_model, "qini_auc"] > 0.05


def test_cross_validation_works_for_amounts_and_refuses_unknown_models(simulated):
    frame, t = simulated[FEATURES], (simulated["arm"] != "No E-Mail").astype(int).to_numpy()
    fitted = cross_validate(frame, simulated["spend"], t, ("s_learner", "dr_learner"), folds=3)
    assert set(fitted) == {"s_learner", "dr_learner"}
    assert all(len(m.fold_qini) == 3 for m in fitted.values())
    with pytest.raises(InputError, match="Unknown cross-validated uplift model"):
        cross_validate(frame, simulated["spend"], t, ("keras",))
    with pytest.raises(InputError, match="Unknown uplift model 'nope'"):
        make_model("nope")


def test_registry_lists_every_learner_with_a_label():
    assert set(CROSS_VALIDATED) < set(MODEL_LABELS) and "neural" in MODEL_LABELS
    for name in CROSS_VALIDATED:
        if name != "ensemble":  # the average of the others has no model of its own
            assert hasattr(make_model(name), "fit_matrix")


def test_the_average_is_the_mean_of_the_other_learners_and_needs_two(simulated):
    data = prepare_campaign(simulated)
    result = fit_uplift(data.table, "converted", data.control, "E-Mail", FEATURES,
                        models=("t_learner", "x_learner", "ensemble"))
    scores = result.scores
    np.testing.assert_allclose(scores["ensemble"], (scores["t_learner"] + scores["x_learner"]) / 2)
    alone = fit_uplift(data.table, "converted", data.control, "E-Mail", FEATURES, models=("t_learner", "ensemble"))
    assert list(alone.metrics["model"]) == ["t_learner"]
    assert "The average of the learners needs at least two gradient-boosting learners; it was left out." in \
        [n.code for n in alone.notes]


def test_a_campaign_of_a_few_hundred_customers_still_tells_them_apart():
    # 300 customers: with leaves of 100 rows no tree could split and every learner gave everyone one uplift
    from ecom_analytics.campaign.learners import OUTCOME_PARAMS, EFFECT_PARAMS, TLearner, XLearner, room_to_split
    from ecom_analytics.campaign.simulate import simulate_campaign

    assert room_to_split(OUTCOME_PARAMS, 400) == OUTCOME_PARAMS  # campaigns of thousands keep their settings
    assert room_to_split(EFFECT_PARAMS, 399)["min_samples_leaf"] == 99
    assert room_to_split(OUTCOME_PARAMS, 12)["min_samples_leaf"] == 5
    frame = simulate_campaign(300, arm_effects={"E-Mail": 1.0}, seed=5)
    x = frame[["prior_orders", "days_since_last", "prior_revenue"]].to_numpy(float)
    y, t = frame["converted"].to_numpy(float), (frame["arm"] == "E-Mail").to_numpy(int)
    for learner in (TLearner(), XLearner()):
        assert len(np.unique(np.round(learner.fit_matrix(x, y, t).predict_matrix(x), 9))) > 10
