"""Training on the honest time split (ecom_analytics.predict.training), the neural model
(ecom_analytics.predict.neural) and the model registry (ecom_analytics.predict.registry), on a small synthetic shop.

The shop (:func:`tests.fixtures.synthetic_orders`, seeded): 400 customers over 300 days from 2023-01-02. Each
customer arrives at a uniform time in the first 240 days, buys at a personal Poisson rate
(Gamma(1, 1/25) per day, so about one order a month on average, very unequal) and drops out after an
exponential lifetime (mean 150 days). Recent, frequent buyers therefore buy again more often: the
purchase labels carry a real signal that recency and frequency features can find.

With H = 30 days the test cutoff is 2023-09-29 (the data ends 2023-10-28) and there are 8 training
cutoffs every 30 days back to 2023-02-01.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

import ecom_analytics.predict.modeling as modeling
from ecom_analytics.ingest import schema
from ecom_analytics.errors import NotFoundError
from ecom_analytics.insights.features import build_customer_features, build_labels
from ecom_analytics.predict.modeling import build_examples, classification_metrics, dumps, plan_cutoffs
from ecom_analytics.predict.neural import NeuralModel
from ecom_analytics.store import Workspace
from ecom_analytics.predict.training import train_and_evaluate
from tests.fixtures import online_retail_export, synthetic_orders

online_retail_csv = online_retail_export  # the earlier name, for modules that still import it from here

H = 30
TINY = {"hidden": (8,), "epochs": 3}
CLASSIFIERS = {"recency", "bgnbd", "logistic", "gboost", "neural"}
SUMMARY_KEYS = {"task", "horizon_days", "cutoff", "customers_scored", "positive_rate", "models", "best_model"}


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    return synthetic_orders()


@pytest.fixture(scope="module")
def split(orders):
    return plan_cutoffs(orders["timestamp"].min(), orders["timestamp"].max(), H)


@pytest.fixture(scope="module")
def purchase_run(orders):
    return train_and_evaluate(orders, "purchase", H, neural_params=TINY)


@pytest.fixture(scope="module")
def churn_run(orders):
    return train_and_evaluate(orders, "churn", H, neural_params=TINY)


@pytest.fixture(scope="module")
def cached_features(orders):
    """build_customer_features memoised per cutoff (the shuffled-label runs reuse the same features)."""
    cache: dict = {}

    def features(frame, cutoff, **kw):
        key = (id(frame), pd.Timestamp(cutoff))
        if key not in cache:
            cache[key] = build_customer_features(frame, cutoff, **kw)
        return cache[key].copy()

    return features


def shuffle_labels(monkeypatch, seed: int, before: pd.Timestamp | None = None) -> None:
    """Make build_examples see each cutoff's labels permuted across its customers: all cutoffs, or
    only those before ``before`` (the training cutoffs when ``before`` is the test cutoff).

    The permutation depends only on the seed and the cutoff, so labels read twice for one cutoff
    agree: were the test window's rows also used for training, a model could learn its shuffled
    labels and score well above chance on them (with the test cutoff added to the training
    cutoffs, gradient boosting reached a test AUC of 0.95 on this shop).
    """
    def shuffled(frame, cutoff, horizon_days, **kw):
        labels = build_labels(frame, cutoff, horizon_days, **kw)
        if before is None or pd.Timestamp(cutoff) < before:
            rng = np.random.default_rng([seed, int(pd.Timestamp(cutoff).timestamp())])
            labels = pd.Series(rng.permutation(labels.to_numpy()), index=labels.index, name=labels.name)
        return labels

    monkeypatch.setattr(modeling, "build_labels", shuffled)


# ----------------------------------------------------------------------------- (a) leakage: shuffled labels

@pytest.mark.keras
def test_the_synthetic_shop_has_a_signal_the_models_find(purchase_run, split):
    assert purchase_run.split.test_cutoff == split.test_cutoff == pd.Timestamp("2023-09-29")
    assert len(split.train_cutoffs) == 8
    board = purchase_run.leaderboard.set_index("model")
    assert board["roc_auc"].max() > 0.75
    assert board.loc["logistic", "roc_auc"] > 0.75
    assert board.loc["neural", "roc_auc"] > 0.6


@pytest.mark.keras
def test_with_every_label_shuffled_every_model_is_at_chance(orders, split, purchase_run, monkeypatch,
                                                            cached_features):
    """Labels permuted at every cutoff, test window included: features say nothing about them, so
    any model scores about 0.5 on the test window (sd of the AUC about 0.035 here), unless the
    test labels reach the models some other way (test rows in training, tuning on the test window)."""
    monkeypatch.setattr(modeling, "build_customer_features", cached_features)
    shuffle_labels(monkeypatch, seed=1)
    run = train_and_evaluate(orders, "purchase", H, neural_params=TINY)
    real = build_labels(orders, split.test_cutoff, H, task="purchase").reindex(run.test.index)
    assert (run.test["label"].to_numpy() != real.to_numpy()).any()  # the shuffle did reach the run
    assert run.test["label"].sum() == real.sum()
    aucs = run.leaderboard.set_index("model")["roc_auc"].to_dict()
    assert set(aucs) == CLASSIFIERS
    for name, auc in aucs.items():
        assert abs(auc - 0.5) < 0.1, (name, aucs)
    assert purchase_run.leaderboard["roc_auc"].max() > max(aucs.values()) + 0.15


@pytest.mark.keras
def test_with_training_labels_shuffled_the_models_learn_nothing(orders, split, purchase_run, monkeypatch,
                                                                cached_features):
    """Training labels permuted across all training examples, real test labels.

    A model fitted to noise is still a random function of features that do predict the outcome, so
    one run's test AUC can land far from 0.5 (single runs gave 0.32-0.68 for logistic regression, and
    spread even wider for the 3-epoch neural model, which is mostly its random initialisation); its
    expectation is 0.5. So the pipeline run checks that the test window keeps its real labels, and
    the mean AUC of logistic regression over twelve permutations is checked against 0.5. (The neural
    model is checked against chance in the all-labels-shuffled test above, where the bound is tight.)

    The permutation mixes the cutoffs: permuting within each cutoff keeps each window's purchase
    rate (0.54 down to 0.27 here), a trend that tenure-like features pick up (mean AUC 0.54-0.58).
    """
    import ecom_analytics.predict.training as training
    from ecom_analytics.predict.modeling import SklearnModel

    monkeypatch.setattr(modeling, "build_customer_features", cached_features)

    def permuted(seed):
        def examples(frame, cutoffs, horizon_days, task, **kw):
            table = build_examples(frame, cutoffs, horizon_days, task, **kw)
            if "label" in table.columns and max(cutoffs) < split.test_cutoff:
                table["label"] = np.random.default_rng(seed).permutation(table["label"].to_numpy())
            return table
        return examples

    monkeypatch.setattr(training, "build_examples", permuted(0))
    run = train_and_evaluate(orders, "purchase", H, models=["logistic"])
    real = build_labels(orders, split.test_cutoff, H, task="purchase").reindex(run.test.index)
    assert (run.test["label"] == real).all()  # the test window kept its real labels
    aucs = [float(run.leaderboard.set_index("model").loc["logistic", "roc_auc"])]
    test_x = run.test.drop(columns="label")
    for seed in range(1, 12):
        train = permuted(seed)(orders, split.train_cutoffs, H, "purchase")
        model = SklearnModel("logistic", "purchase").fit(train.drop(columns="label"), train["label"])
        aucs.append(classification_metrics(run.test["label"], model.predict_proba(test_x))["roc_auc"])
    assert abs(np.mean(aucs) - 0.5) < 0.1, aucs
    board = purchase_run.leaderboard.set_index("model")["roc_auc"]
    assert board["logistic"] > max(aucs) + 0.1, aucs
    assert board.max() > 0.6


# ----------------------------------------------------------------------------- (b) leakage: future rows

def label_copies(orders: pd.DataFrame, cutoff: pd.Timestamp) -> pd.DataFrame:
    """For every customer who buys in [cutoff, cutoff + H): an extra order line at exactly the cutoff and
    one the next day, product LEAK, amount 1000 x label: rows that copy the label, all at/after the cutoff."""
    labels = build_labels(orders, cutoff, H, task="purchase")
    buyers = labels[labels == 1].index
    rows = []
    for when in (cutoff, cutoff + pd.Timedelta(days=1)):
        part = orders.drop_duplicates("customer_id").set_index("customer_id").loc[buyers].reset_index()
        part["order_id"] = "LEAK-" + part["customer_id"] + f"-{when:%m%d}"
        part["timestamp"] = when
        part["product_id"] = "LEAK"
        part["product_name"] = "label copy"
        part["category"] = "LEAK"
        part["quantity"] = 1.0
        part["unit_price"] = part["amount"] = 1000.0
        rows.append(part[schema.ORDERS_COLUMNS])
    return pd.concat(rows, ignore_index=True).astype(schema.DTYPES["orders"])


def test_rows_at_or_after_the_cutoff_never_reach_the_features(orders, split):
    cutoff = split.test_cutoff
    leak = label_copies(orders, cutoff)
    assert len(leak) > 2 * 50  # enough buyers that a leak would show
    with_leak = pd.concat([orders, leak], ignore_index=True)
    clean = build_customer_features(orders, cutoff)
    leaky = build_customer_features(with_leak, cutoff)
    pd.testing.assert_frame_equal(clean, leaky)
    # the same rows do change the features once the cutoff is past them (the test is not vacuous)
    later = cutoff + pd.Timedelta(days=2)
    assert not build_customer_features(orders, later).equals(build_customer_features(with_leak, later))
    # and the labels of the window see them (they are the future, which is what labels are for)
    ex_clean = build_examples(orders, [cutoff], H, "purchase")
    ex_leaky = build_examples(with_leak, [cutoff], H, "purchase")
    pd.testing.assert_frame_equal(ex_clean, ex_leaky)  # same buyers: the copies only add to their window


def test_training_examples_equal_those_built_from_the_past_alone(orders, split):
    """Every training example's features equal those computed from the data cut at its cutoff."""
    full = build_examples(orders, split.train_cutoffs, H, "purchase")
    features = [c for c in full.columns if c not in ("label", "cutoff")]
    for cutoff in split.train_cutoffs[-3:]:
        past = orders[orders["timestamp"] < cutoff]
        mine = full[full["cutoff"] == cutoff][features]
        pd.testing.assert_frame_equal(mine, build_customer_features(past, cutoff)[features])
        # labels come from [c, c + H) and every such window ends by the test cutoff
        assert cutoff + pd.Timedelta(days=H) <= split.test_cutoff


# ----------------------------------------------------------------------------- (c) determinism

@pytest.mark.keras
def test_neural_model_is_deterministic_with_a_seed(orders, split):
    train = build_examples(orders, split.train_cutoffs[-2:], H, "purchase")
    test = build_examples(orders, [split.test_cutoff], H, "purchase")
    x, y, x_test = train.drop(columns="label"), train["label"], test.drop(columns="label")
    first = NeuralModel(task="purchase", seed=3, **TINY).fit(x, y).predict_proba(x_test)
    second = NeuralModel(task="purchase", seed=3, **TINY).fit(x, y).predict_proba(x_test)
    np.testing.assert_array_equal(first, second)
    other = NeuralModel(task="purchase", seed=4, **TINY).fit(x, y).predict_proba(x_test)
    assert not np.array_equal(first, other)  # the seed matters, so equality above is not a constant model
    assert np.all((first >= 0) & (first <= 1)) and first.std() > 0


@pytest.mark.keras
def test_stop_ends_training_at_the_next_epoch_and_keeps_the_best_weights(orders, split):
    """The Model page's Stop button sets a flag polled by ``should_stop``: training ends after the
    current epoch, and the weights kept are those of the best validation loss so far."""
    train = build_examples(orders, split.train_cutoffs[-2:], H, "purchase")
    x, y = train.drop(columns="label"), train["label"].to_numpy()
    rng = np.random.default_rng(0)
    held = rng.random(len(x)) < 0.2
    seen: list[int] = []
    model = NeuralModel(task="purchase", hidden=(32,), dropout=0.0, l2=0.0, learning_rate=0.03, epochs=50,
                        patience=0, seed=1)
    model.fit(x[~held], y[~held], valid=(x[held], y[held]), on_epoch=lambda epoch, logs: seen.append(epoch),
              should_stop=lambda: len(seen) >= 6)
    assert [h["epoch"] for h in model.history_] == [1, 2, 3, 4, 5, 6] and model.stopped_early_
    best = min(model.history_, key=lambda h: h["val_loss"])
    assert model.best_epoch_ == best["epoch"]
    p = np.clip(model.predict_proba(x[held]), 1e-7, 1 - 1e-7)
    bce = -np.mean(y[held] * np.log(p) + (1 - y[held]) * np.log(1 - p))
    assert bce == pytest.approx(best["val_loss"], rel=1e-3)  # the best epoch's weights, not the last epoch's
    last = model.history_[-1]["val_loss"]
    assert best["epoch"] == 6 or abs(bce - last) > 1e-4


def test_neural_model_must_be_fitted():
    with pytest.raises(RuntimeError, match="not fitted yet"):
        NeuralModel().predict_proba(pd.DataFrame({"orders": [1.0]}))


# ----------------------------------------------------------------------------- (d) leaderboard and summary

@pytest.mark.keras
@pytest.mark.parametrize("task", ["purchase", "churn"])
def test_train_and_evaluate_ranks_every_model(task, purchase_run, churn_run, split):
    run = purchase_run if task == "purchase" else churn_run
    board = run.leaderboard
    assert set(board["model"]) == CLASSIFIERS
    assert list(board["roc_auc"]) == sorted(board["roc_auc"], reverse=True)
    assert run.best_model == board.iloc[0]["model"]
    assert board.set_index("model").loc["neural", "label"] == "Neural (Keras MLP)"
    assert run.history and len(run.history) <= 3 and {"loss", "val_loss"} <= set(run.history[0])

    summary = json.loads(dumps(run.summary()))  # what the CLI writes
    assert SUMMARY_KEYS <= set(summary)
    assert summary["task"] == task
    assert summary["horizon_days"] == H
    assert summary["cutoff"] == str(split.test_cutoff.date()) == "2023-09-29"
    assert summary["customers_scored"] == len(run.predictions) > 0
    assert summary["positive_rate"] == pytest.approx(run.test["label"].mean())
    assert 0 < summary["positive_rate"] < 1
    assert set(summary["models"]) == CLASSIFIERS
    for name, metrics in summary["models"].items():
        assert 0 <= metrics["roc_auc"] <= 1 and 0 <= metrics["pr_auc"] <= 1, name
        assert metrics["log_loss"] > 0 and 0 <= metrics["brier"] <= 1, name
    assert summary["best_model"] == max(summary["models"], key=lambda m: summary["models"][m]["roc_auc"])
    # the predictions for action: the best model and the neural model, probabilities, every customer once
    assert {run.best_model, "neural"} == set(run.predictions.columns)
    assert run.predictions.index.is_unique
    assert ((run.predictions >= 0) & (run.predictions <= 1)).all().all()
    assert run.final_neural is not None and run.final_neural.epochs == max(run.neural.best_epoch_, 1)


@pytest.mark.keras
def test_scored_populations(purchase_run, churn_run, orders):
    end = purchase_run.split.end
    # purchase: everyone who ever ordered; churn: those active in the 28 days before the end
    assert set(purchase_run.predictions.index) == set(orders["customer_id"])
    recent = orders.loc[orders["timestamp"] >= end - pd.Timedelta(days=28), "customer_id"]
    assert set(churn_run.predictions.index) == set(recent)
    # the test window: customers with an order before the test cutoff
    before = orders.loc[orders["timestamp"] < purchase_run.split.test_cutoff, "customer_id"]
    assert set(purchase_run.test.index) == set(before)


def test_too_short_data_is_a_sentence(orders):
    short = orders[orders["timestamp"] < pd.Timestamp("2023-02-20")]
    with pytest.raises(ValueError, match="Choose a shorter horizon"):
        train_and_evaluate(short, "purchase", H, neural_params=TINY)


# ----------------------------------------------------------------------------- (e) registry

RUN_ID = "0123456789abcdef"


@pytest.fixture(scope="module")
def saved(purchase_run, tmp_path_factory):
    from ecom_analytics.predict.registry import save_run

    ws = Workspace(tmp_path_factory.mktemp("ws"))
    save_run(ws, purchase_run, run_id=RUN_ID, dataset_ids={"orders": "a" * 16, "events": None}, params=TINY)
    return ws


@pytest.mark.keras
def test_registry_round_trip(saved, purchase_run):
    from ecom_analytics.predict.registry import list_runs, load_run

    stored = load_run(saved, RUN_ID)
    pd.testing.assert_frame_equal(stored.leaderboard, purchase_run.leaderboard, check_dtype=False)
    pd.testing.assert_frame_equal(stored.predictions, purchase_run.predictions, check_dtype=False,
                                  check_index_type=False)
    scores = stored.test_scores()
    assert set(scores) == set(purchase_run.test_scores)
    for name, values in purchase_run.test_scores.items():
        np.testing.assert_allclose(scores[name], values, rtol=1e-12)
    np.testing.assert_array_equal(stored.test["label"].to_numpy(), purchase_run.test["label"].to_numpy())
    assert stored.history == json.loads(dumps(purchase_run.history))
    meta = stored.meta
    assert meta["task"] == "purchase" and meta["horizon_days"] == H and meta["best_model"] == purchase_run.best_model
    assert meta["datasets"] == {"orders": "a" * 16, "events": None}
    assert meta["split"]["test_cutoff"] == "2023-09-29" and meta["has_neural"] is True
    runs = list_runs(saved)
    assert list(runs["run_id"]) == [RUN_ID]
    assert runs.iloc[0]["roc_auc"] == pytest.approx(purchase_run.leaderboard.iloc[0]["roc_auc"])


@pytest.mark.keras
def test_load_neural_scores_like_the_model_in_memory(saved, purchase_run, orders):
    from ecom_analytics.predict.registry import load_neural

    model = load_neural(saved, RUN_ID)
    current = build_examples(orders, [purchase_run.split.end], H, "purchase", with_labels=False)
    loaded = model.predict_proba(current)
    in_memory = purchase_run.final_neural.predict_proba(current)
    np.testing.assert_allclose(loaded, in_memory, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(loaded, purchase_run.predictions["neural"].reindex(current.index), rtol=1e-6, atol=1e-7)
    assert model.get_params() == purchase_run.final_neural.get_params()


@pytest.mark.parametrize("bad", ["../../etc/passwd", "' OR 1=1", "0123456789ABCDEF", "", None, 42,
                                 "fedcba9876543210"])
@pytest.mark.keras
def test_load_run_refuses_unknown_or_malformed_ids(saved, bad):
    from ecom_analytics.predict.registry import load_neural, load_run

    with pytest.raises(NotFoundError):
        load_run(saved, bad)
    with pytest.raises(NotFoundError):
        load_neural(saved, bad)


@pytest.mark.keras
def test_summary_metrics_are_finite_numbers(purchase_run):
    for metrics in purchase_run.summary()["models"].values():
        assert all(isinstance(v, float) and math.isfinite(v) for v in metrics.values())
