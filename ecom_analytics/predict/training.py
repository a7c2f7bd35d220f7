"""Train every model of a task on the honest time split and rank them on the test window.

:func:`train_and_evaluate` is what the Model page and ``python -m ecom_analytics predict`` run:
plan the cutoffs, build the examples, fit the baselines and the neural model on the training
cutoffs (the neural model stops early on a held-out fifth of the training customers), score the test window,
then refit the best model and the neural model on every labelled cutoff and score all
customers at the end of the data.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from ecom_analytics.predict.modeling import (BGNBDClassifier, RecencyRule, SklearnModel, Split, build_examples,
                                     class_balance_note, classification_metrics, plan_cutoffs,
                                     regression_metrics)
from ecom_analytics.names import CUSTOMER_MODELS
from ecom_analytics.predict.neural import NeuralModel
from ecom_analytics.errors import InputError
from ecom_analytics.runs import Note

MODEL_LABELS = CUSTOMER_MODELS


@dataclass
class TaskRun:
    """Everything a task's training produced: split, leaderboard, test scores, predictions."""

    task: str
    horizon_days: int
    split: Split
    leaderboard: pd.DataFrame
    test: pd.DataFrame  # test-window features + label
    test_scores: dict[str, np.ndarray]
    best_model: str
    predictions: pd.DataFrame  # customer_id -> score of the best and the neural model at the end of the data
    history: list[dict]
    warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    neural: NeuralModel | None = None
    final_neural: NeuralModel | None = None  # refit on every labelled cutoff; scores new data
    notes: list[Note] = field(default_factory=list)  # the warnings as coded notes (``warnings`` is their English)
    # for the explanations (ecom_analytics.predict.explain): the models that scored the test window, the
    # models that scored ``current`` (refit on every labelled cutoff) and those customers' features
    models: dict = field(default_factory=dict)
    final_models: dict = field(default_factory=dict)
    current: pd.DataFrame | None = None

    def summary(self) -> dict:
        """What the CLI writes: task, horizon, cutoff, population, metrics per model, best model."""
        models = {row["model"]: {k: v for k, v in row.items() if k not in ("model", "label")}
                  for row in self.leaderboard.to_dict("records")}
        positive = float(self.test["label"].mean()) if self.task != "revenue" else float((self.test["label"] > 0).mean())
        return {"task": self.task, "horizon_days": self.horizon_days, "cutoff": str(self.split.test_cutoff.date()),
                "train_cutoffs": [str(c.date()) for c in self.split.train_cutoffs],
                "customers_tested": int(len(self.test)), "customers_scored": int(len(self.predictions)),
                "positive_rate": positive, "models": models, "best_model": self.best_model,
                "warnings": self.warnings, "seconds": self.seconds}


def _fit_models(task: str, horizon: int, train: pd.DataFrame, include: list[str]) -> dict:
    x, y = train.drop(columns="label"), train["label"]
    out = {}
    if task == "revenue":
        for name, kind in (("linear", "logistic"), ("gboost", "gboost")):
            if name in include:
                out[name] = SklearnModel(kind, task="revenue").fit(x, y)
        if "bgnbd" in include:
            out["bgnbd"] = BGNBDClassifier("purchase", horizon).fit(x)
            aov = train["revenue_mean"].fillna(0)
            out["bgnbd_aov"] = float(aov.median())
        return out
    if "recency" in include:
        out["recency"] = RecencyRule(task).fit(x, y)
    if "bgnbd" in include:
        out["bgnbd"] = BGNBDClassifier(task, horizon).fit(x)
    if "logistic" in include:
        out["logistic"] = SklearnModel("logistic", task).fit(x, y)
    if "gboost" in include:
        out["gboost"] = SklearnModel("gboost", task).fit(x, y)
    return out


def _score(name: str, model, frame: pd.DataFrame, task: str, models: dict) -> np.ndarray:
    x = frame.drop(columns=[c for c in ("label",) if c in frame.columns])
    if name == "bgnbd":
        model.refit_on(x)  # BG/NBD is fitted on the scored population's own history
        if task == "revenue":
            return model.expected_purchases(x) * x["revenue_mean"].fillna(models.get("bgnbd_aov", 0)).to_numpy()
        return model.predict_proba(x)
    if task == "revenue":
        return model.predict(x)
    return model.predict_proba(x)


def train_and_evaluate(orders: pd.DataFrame | None, task: str, horizon_days: int, *,
                       events: pd.DataFrame | None = None, returns: pd.DataFrame | None = None,
                       customers: pd.DataFrame | None = None, neural_params: dict | None = None,
                       models: list[str] | None = None, stride_days: int | None = None,
                       on_stage: Callable[[str | Note], None] | None = None,
                       on_epoch: Callable[[int, dict], None] | None = None,
                       should_stop: Callable[[], bool] | None = None) -> TaskRun:
    """Fit and rank the models of ``task`` with horizon ``horizon_days`` (see module docstring)."""
    say = on_stage or (lambda _msg: None)
    include = models or (["linear", "gboost", "bgnbd", "neural"] if task == "revenue"
                         else ["recency", "bgnbd", "logistic", "gboost", "neural"])
    stamps = [f["timestamp"] for f in (orders, events) if f is not None and len(f)]
    first = min(s.min() for s in stamps)
    last = max(s.max() for s in stamps)
    split = plan_cutoffs(first, last, horizon_days, stride_days=stride_days)
    seconds: dict[str, float] = {}

    say(Note("Building examples at {n} training cutoffs and the test cutoff {date}",
             {"n": len(split.train_cutoffs), "date": f"{split.test_cutoff:%Y-%m-%d}"}))
    t0 = time.perf_counter()
    kw = dict(events=events, returns=returns, customers=customers)
    train = build_examples(orders, split.train_cutoffs, horizon_days, task, **kw)
    test = build_examples(orders, [split.test_cutoff], horizon_days, task, **kw)
    seconds["examples"] = time.perf_counter() - t0
    if train.empty or test.empty:
        raise InputError("No customer qualifies for this task at the chosen cutoffs; try a longer horizon or more data.")
    warnings: list[str] = []
    notes: list[Note] = []
    if task != "revenue":
        if train["label"].nunique() < 2:
            raise InputError("The training windows hold only one outcome (everyone or no one); the models cannot "
                             "learn. Try another horizon.")
        balance = class_balance_note(test["label"])
        if balance:
            notes.append(Note(balance[0], balance[1], "warning"))
            warnings.append(notes[-1].english())

    say("Fitting the baselines")
    t0 = time.perf_counter()
    fitted = _fit_models(task, horizon_days, train, [m for m in include if m != "neural"])
    scores = {name: _score(name, m, test, task, fitted) for name, m in fitted.items() if name != "bgnbd_aov"}
    seconds["baselines"] = time.perf_counter() - t0

    neural = None
    history: list[dict] = []
    if "neural" in include:
        say("Training the neural model")
        t0 = time.perf_counter()
        # early-stopping validation: a seeded fifth of the customers, across the training
        # cutoffs (never the test window); steadier than holding out the latest cutoff
        customers_ = pd.Series(train.index.unique())
        held = set(customers_.sample(frac=0.2, random_state=0))
        is_valid = train.index.isin(held)
        fit_part, valid_part = train[~is_valid], train[is_valid]
        params = {"task": task, **(neural_params or {})}
        neural = NeuralModel(**params).fit(fit_part.drop(columns="label"), fit_part["label"],
                                           valid=(valid_part.drop(columns="label"), valid_part["label"]),
                                           on_epoch=on_epoch, should_stop=should_stop)
        history = neural.history_
        x_test = test.drop(columns="label")
        scores["neural"] = neural.predict(x_test) if task == "revenue" else neural.predict_proba(x_test)
        seconds["neural"] = time.perf_counter() - t0

    rows = []
    for name, s in scores.items():
        metrics = regression_metrics(test["label"], s) if task == "revenue" else classification_metrics(test["label"], s)
        rows.append({"model": name, "label": MODEL_LABELS.get(name, name), **metrics})
    key, ascending = ("mae", True) if task == "revenue" else ("roc_auc", False)
    board = pd.DataFrame(rows).sort_values(key, ascending=ascending, na_position="last").reset_index(drop=True)
    best = str(board.iloc[0]["model"])

    say("Refitting on every labelled cutoff and scoring all customers at the end of the data")
    t0 = time.perf_counter()
    labelled = pd.concat([train, test])
    current = build_examples(orders, [split.end], horizon_days, task, with_labels=False, **kw) \
        if task != "churn" else _churn_population(orders, events, split.end, returns, customers)
    predictions = pd.DataFrame(index=current.index)
    final_neural = None
    final_models: dict = {}
    # the best model's column first, then the neural network's (a set's order changed from run to run)
    to_refit = [best] + (["neural"] if neural is not None and best != "neural" else [])
    for name in to_refit:
        if name == "neural":
            refit_epochs = max(neural.best_epoch_, 1)
            say("Refitting the neural network on every labelled cutoff")

            def refit_epoch(epoch: int, logs: dict, _n: int = refit_epochs) -> None:
                if on_epoch is not None:  # the refit's own epochs, so a progress bar keeps moving
                    on_epoch(epoch, {**logs, "phase": "refit", "epochs": _n})

            final = NeuralModel(**{**neural.get_params(), "epochs": refit_epochs, "patience": 0}).fit(
                labelled.drop(columns="label"), labelled["label"], on_epoch=refit_epoch, should_stop=None)
            x_now = current.drop(columns=[c for c in ("label",) if c in current.columns])
            predictions["neural"] = final.predict(x_now) if task == "revenue" else final.predict_proba(x_now)
            final_neural = final
            final_models["neural"] = final
        else:
            refit = _fit_models(task, horizon_days, labelled, [name])
            predictions[name] = _score(name, refit[name], current, task, refit)
            final_models.update(refit)
    seconds["final_scoring"] = time.perf_counter() - t0
    predictions = predictions.sort_index()
    return TaskRun(task, horizon_days, split, board, test, scores, best, predictions, history, warnings, seconds, neural,
                   final_neural, notes, models={**fitted, **({"neural": neural} if neural is not None else {})},
                   final_models=final_models, current=current)


def _churn_population(orders, events, end, returns, customers) -> pd.DataFrame:
    """Customers active in the 28 days before ``end``, with their features (no labels exist yet)."""
    from ecom_analytics.insights.features import build_customer_features

    feats = build_customer_features(orders, end, events=events, returns=returns, customers=customers)
    recent = pd.Series(np.inf, index=feats.index)
    for col in ("recency_days", "days_since_last_event"):
        if col in feats.columns:
            recent = np.minimum(recent, feats[col].fillna(np.inf))
    out = feats[recent < 28].copy()
    out["cutoff"] = end
    return out
