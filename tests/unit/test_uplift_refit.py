"""The cross-validated learners choose on the folds of the training part and predict with the learner
refitted on every row of it (the DR-learner's pseudo-outcomes from the folds' out-of-fold arm
predictions); the slower gradient-boosting settings are the ones the learners use."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.model_selection import StratifiedKFold

from ecom_analytics.campaign import simulate_campaign
from ecom_analytics.campaign.learners import (EFFECT_PARAMS, OUTCOME_PARAMS, TRANSFORMED_PARAMS, ClassTransformation,
                                              DRLearner, SLearner, SoloModel, TLearner, XLearner)
from ecom_analytics.campaign.uplift import cross_validate, qini_auc_score
from ecom_analytics.predict.modeling import Preprocessor

FEATURES = ["prior_orders", "days_since_last", "prior_revenue", "tier"]


@pytest.fixture(scope="module")
def campaign():
    sim = simulate_campaign(2500, seed=5)
    return sim[FEATURES], sim["converted"].to_numpy(float), (sim["arm"] != "No E-Mail").astype(int).to_numpy()


@pytest.fixture(scope="module")
def fitted(campaign):
    frame, y, t = campaign
    return cross_validate(frame, y, t, ("t_learner", "s_learner", "solo_model", "x_learner", "dr_learner",
                                        "class_transformation"), seed=4)


def test_each_learner_predicts_with_its_refit_on_every_training_row(campaign, fitted):
    frame, y, t = campaign
    assert all(len(m.members) == 1 for m in fitted.values())  # one model, not the mean of the fold models
    for name, learner in (("t_learner", TLearner), ("s_learner", SLearner), ("solo_model", SoloModel),
                          ("x_learner", XLearner), ("class_transformation", ClassTransformation)):
        alone = learner(random_state=4).fit(frame, y, t)  # the same rows, the same preprocessing
        np.testing.assert_array_equal(fitted[name].predict(frame), alone.predict(frame))
    # the X- and DR-learners' arm outcomes are the refitted T-learner's (one model shared)
    t_model = fitted["t_learner"].members[0]
    assert fitted["x_learner"].members[0].outcome_models_ is t_model
    assert fitted["dr_learner"].members[0].outcome_models_ is t_model


def test_the_dr_refit_uses_the_out_of_fold_arm_predictions_of_the_cross_validation(campaign, fitted):
    frame, y, t = campaign
    x = Preprocessor().fit(frame).transform(frame)
    mu0, mu1 = np.empty(len(y)), np.empty(len(y))
    folds = StratifiedKFold(3, shuffle=True, random_state=4).split(x, t * 2 + (y > 0))
    for fit_rows, score_rows in folds:  # the folds cross_validate cuts (arm x outcome, seeded)
        arms = TLearner(random_state=4).fit_matrix(x[fit_rows], y[fit_rows], t[fit_rows])
        mu0[score_rows], mu1[score_rows] = arms.predict_arms_matrix(x[score_rows])
    expected = DRLearner(random_state=4).fit_matrix(x, y, t, nuisance=(mu0, mu1)).predict_matrix(x)
    np.testing.assert_array_equal(fitted["dr_learner"].predict(frame), expected)


def test_the_cross_validated_qini_is_still_the_folds_held_out_score(campaign, fitted):
    frame, y, t = campaign
    x = Preprocessor().fit(frame).transform(frame)
    folds = list(StratifiedKFold(3, shuffle=True, random_state=4).split(x, t * 2 + (y > 0)))
    by_hand = [qini_auc_score(y[s], SLearner(random_state=4).fit_matrix(x[f], y[f], t[f]).predict_matrix(x[s]), t[s])
               for f, s in folds]
    assert fitted["s_learner"].fold_qini == pytest.approx(by_hand, abs=1e-12)
    assert fitted["s_learner"].cv_qini_ == pytest.approx(sum(by_hand) / 3, abs=1e-12)


def test_the_learners_use_the_slow_shallow_settings(campaign):
    frame, y, t = campaign
    # 60 trees of at most 4 leaves of at least 100 customers at a learning rate of 0.05 for the outcomes,
    # 50 trees of leaves of at least 200 for the effect regressions, class transformation as before
    assert OUTCOME_PARAMS == dict(max_iter=60, learning_rate=0.05, max_leaf_nodes=4, min_samples_leaf=100,
                                  l2_regularization=1.0)
    assert EFFECT_PARAMS == dict(max_iter=50, learning_rate=0.05, max_leaf_nodes=4, min_samples_leaf=200,
                                 l2_regularization=1.0)
    assert TRANSFORMED_PARAMS == dict(max_iter=30, learning_rate=0.06, max_leaf_nodes=6, min_samples_leaf=40,
                                      l2_regularization=1.0)
    t_model = TLearner().fit(frame, y, t)
    assert t_model.treated_.get_params()["max_iter"] == 60 and t_model.treated_.learning_rate == 0.05
    assert t_model.treated_.min_samples_leaf == 100 and t_model.control_.max_leaf_nodes == 4
    x_model = XLearner().fit(frame, y, t)
    assert x_model.tau_treated_.max_iter == 50 and x_model.tau_control_.min_samples_leaf == 200
    ct = ClassTransformation().fit(frame, y, t)
    assert ct.model_.max_iter == 30 and ct.model_.max_leaf_nodes == 6 and ct.model_.min_samples_leaf == 40


def test_the_solo_model_has_the_campaign_as_one_feature_and_no_interaction_terms(campaign):
    x = np.array([[1.0, 2.0], [3.0, 4.0]], dtype="float32")
    assert SoloModel._design(x, np.array([0, 1])).tolist() == [[1, 2, 0], [3, 4, 1]]  # x, then t
    frame, y, t = campaign
    model = SoloModel(random_state=2).fit(frame, y, t)
    assert model.model_.n_features_in_ == model.prep_.transform(frame.head(1)).shape[1] + 1
    c, w = model.predict_arms(frame)
    np.testing.assert_array_equal(model.predict(frame), w - c)  # uplift = f(x, 1) - f(x, 0)
    assert ((c >= 0) & (c <= 1)).all() and not np.allclose(w - c, 0)
