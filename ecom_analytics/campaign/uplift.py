"""Uplift models (who does the campaign change?) and their evaluation.

Models (scikit-learn estimator conventions; ``fit(X, y, treatment)`` with X a frame of
pre-campaign attributes, y the outcome, treatment 0/1):

* :class:`TLearner`: one gradient-boosting model per arm; uplift = prediction treated - control.
* :class:`ClassTransformation`: Jaskowski & Jaroszewicz's transformed class z = 1 when
  (treated and y = 1) or (control and y = 0); with arms reweighted to 50/50,
  uplift = 2 P(z = 1) - 1. For amounts it regresses the transformed outcome
  y (t / e - (1 - t) / (1 - e)) whose mean is the uplift (e = treated share).
* :class:`KerasUplift`: a small two-headed network (shared layers, one output per arm), each
  customer's loss taken on the head of the arm they were in; TensorFlow is imported in ``fit``.

Metrics follow scikit-uplift's definitions: the Qini curve (cumulative treated outcome minus
control outcome scaled by the treated/control ratio, by descending predicted uplift, with ties
grouped), the perfect Qini curve (with negative effects), ``qini_auc_score`` = (area under the
model's curve - area under the random line) / (same for the perfect curve), and
``uplift_at_k`` (strategy "overall": top int(n k) customers, treated mean - control mean).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from ecom_analytics.errors import InputError
from ecom_analytics.modeling import Preprocessor

MODEL_LABELS = {"t_learner": "T-learner (gradient boosting)", "class_transformation": "Class transformation",
                "keras": "Neural uplift (Keras)"}
AUDIENCES = ("persuadables", "sure_things", "lost_causes", "do_not_disturb")


def _check_fitted(model) -> None:
    if not any(k.endswith("_") and not k.startswith("_") for k in vars(model)):
        raise RuntimeError(f"This {type(model).__name__} is not fitted yet; call fit() first.")


def _one_thread():
    """Gradient boosting on campaign-sized data runs fastest on one OpenMP thread: with the
    server's cores busy, its thread pool spends far more time waiting than working."""
    import sklearn.ensemble  # noqa: F401 - load OpenMP before limiting it
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="openmp")


def _binary(y: np.ndarray) -> bool:
    return bool(np.isin(np.unique(y), [0.0, 1.0]).all())


class TLearner:
    """Two models, one per arm; ``predict`` returns treated - control (outcome units)."""

    def __init__(self, max_iter: int = 150, learning_rate: float = 0.05, random_state: int = 0) -> None:
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.random_state = random_state

    def _model(self, binary: bool):
        from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

        kw = dict(max_iter=self.max_iter, learning_rate=self.learning_rate, max_leaf_nodes=15, min_samples_leaf=40,
                  l2_regularization=1.0, random_state=self.random_state)
        return HistGradientBoostingClassifier(**kw) if binary else HistGradientBoostingRegressor(**kw)

    def fit(self, frame: pd.DataFrame, y, treatment) -> "TLearner":
        y, t = np.asarray(y, float), np.asarray(treatment, int)
        self.prep_ = Preprocessor().fit(frame)
        x = self.prep_.transform(frame)
        self.binary_ = _binary(y)
        target = y.astype(int) if self.binary_ else y
        with _one_thread():
            self.treated_ = self._model(self.binary_).fit(x[t == 1], target[t == 1])
            self.control_ = self._model(self.binary_).fit(x[t == 0], target[t == 0])
        return self

    def predict_arms(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Predicted outcome without (control) and with the campaign (treated)."""
        _check_fitted(self)
        x = self.prep_.transform(frame)
        with _one_thread():
            if self.binary_:
                return self.control_.predict_proba(x)[:, 1], self.treated_.predict_proba(x)[:, 1]
            return self.control_.predict(x), self.treated_.predict(x)

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        c, t = self.predict_arms(frame)
        return t - c


class ClassTransformation:
    """Class transformation (binary outcomes) or transformed-outcome regression (amounts).

    The transformed target is mostly noise around a small signal, so the defaults learn more
    slowly than the T-learner's (learning rate 0.02, 100 trees)."""

    def __init__(self, max_iter: int = 100, learning_rate: float = 0.02, random_state: int = 0) -> None:
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.random_state = random_state

    def fit(self, frame: pd.DataFrame, y, treatment) -> "ClassTransformation":
        from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

        y, t = np.asarray(y, float), np.asarray(treatment, int)
        self.prep_ = Preprocessor().fit(frame)
        x = self.prep_.transform(frame)
        e = t.mean()
        self.binary_ = _binary(y)
        kw = dict(max_iter=self.max_iter, learning_rate=self.learning_rate, max_leaf_nodes=15, min_samples_leaf=40,
                  l2_regularization=1.0, random_state=self.random_state)
        if self.binary_:
            z = ((t == 1) & (y == 1)) | ((t == 0) & (y == 0))
            weight = np.where(t == 1, 0.5 / e, 0.5 / (1 - e))  # arms reweighted to 50/50
            with _one_thread():
                self.model_ = HistGradientBoostingClassifier(**kw).fit(x, z.astype(int), sample_weight=weight)
        else:
            z = y * (t / e - (1 - t) / (1 - e))
            with _one_thread():
                self.model_ = HistGradientBoostingRegressor(**kw).fit(x, z)
        return self

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        _check_fitted(self)
        x = self.prep_.transform(frame)
        with _one_thread():
            if self.binary_:
                return 2 * self.model_.predict_proba(x)[:, 1] - 1
            return self.model_.predict(x)


class KerasUplift:
    """Two-headed Keras network: shared Dense layers, one output per arm (sigmoid for 0/1
    outcomes, linear on log1p for amounts); uplift = treated head - control head."""

    def __init__(self, hidden: tuple[int, ...] = (32, 16), epochs: int = 15, batch_size: int = 256,
                 learning_rate: float = 3e-3, l2: float = 1e-4, seed: int = 0) -> None:
        self.hidden = hidden
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.l2 = l2
        self.seed = seed

    def fit(self, frame: pd.DataFrame, y, treatment, on_epoch: Callable[[int], None] | None = None) -> "KerasUplift":
        import keras

        keras.utils.set_random_seed(self.seed)
        y, t = np.asarray(y, float), np.asarray(treatment, float)
        self.prep_ = Preprocessor().fit(frame)
        x = self.prep_.transform(frame)
        self.binary_ = _binary(y)
        target = y if self.binary_ else np.log1p(np.clip(y, 0, None))
        reg = keras.regularizers.L2(self.l2) if self.l2 else None
        inputs = keras.Input(shape=(x.shape[1],), name="features")
        arm = keras.Input(shape=(1,), name="treated")
        h = inputs
        for i, units in enumerate(self.hidden):
            h = keras.layers.Dense(units, activation="relu", kernel_regularizer=reg, name=f"shared_{i + 1}")(h)
        act = "sigmoid" if self.binary_ else "linear"
        both = keras.layers.Dense(2, activation=act, name="control_treated")(h)
        chosen = keras.layers.Lambda(lambda a: a[0][:, :1] * (1 - a[1]) + a[0][:, 1:] * a[1], name="own_arm")([both, arm])
        trainer = keras.Model([inputs, arm], chosen)
        trainer.compile(optimizer=keras.optimizers.Adam(self.learning_rate),
                        loss="binary_crossentropy" if self.binary_ else "mse")
        callbacks = []
        if on_epoch is not None:
            callbacks.append(keras.callbacks.LambdaCallback(on_epoch_end=lambda e, logs: on_epoch(e + 1)))
        trainer.fit([x, t.reshape(-1, 1)], target.astype("float32"), epochs=self.epochs, batch_size=self.batch_size,
                    verbose=0, shuffle=True, callbacks=callbacks)
        self.model_ = keras.Model(inputs, both)
        return self

    def predict_arms(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        _check_fitted(self)
        out = self.model_.predict(self.prep_.transform(frame), verbose=0, batch_size=4096).astype(float)
        if not self.binary_:
            out = np.expm1(np.clip(out, 0, None))
        return out[:, 0], out[:, 1]

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        c, t = self.predict_arms(frame)
        return t - c


def make_model(name: str, seed: int = 0):
    """A fresh uplift model by name ("t_learner", "class_transformation", "keras")."""
    if name == "t_learner":
        return TLearner(random_state=seed)
    if name == "class_transformation":
        return ClassTransformation(random_state=seed)
    if name == "keras":
        return KerasUplift(seed=seed)
    raise InputError(f"Unknown uplift model '{name}'; use t_learner, class_transformation or keras.")


# ----------------------------------------------------------------------------- metrics

def _sorted(y, uplift, treatment):
    y, uplift, t = np.asarray(y, float), np.asarray(uplift, float), np.asarray(treatment, int)
    order = np.argsort(uplift, kind="mergesort")[::-1]
    return y[order], uplift[order], t[order]


def qini_curve(y, uplift, treatment) -> tuple[np.ndarray, np.ndarray]:
    """Qini curve: x = customers targeted (ties grouped), value = treated outcome - control outcome x
    (treated / control counts) among them; starts at (0, 0)."""
    y, u, t = _sorted(y, uplift, treatment)
    ends = np.r_[np.flatnonzero(np.diff(u)), len(u) - 1]
    n_t = np.cumsum(t)[ends]
    n_all = ends + 1
    n_c = n_all - n_t
    y_t = np.cumsum(y * t)[ends]
    y_c = np.cumsum(y * (1 - t))[ends]
    ratio = np.divide(n_t, n_c, out=np.zeros(len(n_t)), where=n_c != 0)
    values = y_t - y_c * ratio
    return np.r_[0.0, n_all].astype(float), np.r_[0.0, values]


def uplift_curve(y, uplift, treatment) -> tuple[np.ndarray, np.ndarray]:
    """Uplift curve: (treated mean - control mean among the top x) * x, starting at (0, 0)."""
    y, u, t = _sorted(y, uplift, treatment)
    ends = np.r_[np.flatnonzero(np.diff(u)), len(u) - 1]
    n_t = np.cumsum(t)[ends]
    n_all = ends + 1
    n_c = n_all - n_t
    m_t = np.divide(np.cumsum(y * t)[ends], n_t, out=np.zeros(len(n_t)), where=n_t != 0)
    m_c = np.divide(np.cumsum(y * (1 - t))[ends], n_c, out=np.zeros(len(n_c)), where=n_c != 0)
    return np.r_[0.0, n_all].astype(float), np.r_[0.0, (m_t - m_c) * n_all]


def perfect_qini_curve(y, treatment) -> tuple[np.ndarray, np.ndarray]:
    """The best possible Qini curve (negative effects included): treated responders first,
    control responders last (scikit-uplift's ``perfect_qini_curve``)."""
    y, t = np.asarray(y, float), np.asarray(treatment, int)
    return qini_curve(y, y * t - y * (1 - t), t)


def _area(x: np.ndarray, v: np.ndarray) -> float:
    return float(np.trapezoid(v, x)) if hasattr(np, "trapezoid") else float(np.trapz(v, x))


def qini_auc_score(y, uplift, treatment) -> float:
    """Area between the model's Qini curve and the random line, divided by the same area for the
    perfect curve (scikit-uplift ``qini_auc_score`` with ``negative_effect=True``): 1 is perfect,
    0 no better than random."""
    x, v = qini_curve(y, uplift, treatment)
    xp, vp = perfect_qini_curve(y, treatment)
    baseline = _area(np.array([0.0, xp[-1]]), np.array([0.0, vp[-1]]))
    perfect = _area(xp, vp) - baseline
    return (_area(x, v) - baseline) / perfect if perfect != 0 else float("nan")


def uplift_at_k(y, uplift, treatment, k: float = 0.3) -> float:
    """Treated mean - control mean among the top int(n k) customers by predicted uplift."""
    y, _, t = _sorted(y, uplift, treatment)
    top = slice(0, int(len(y) * k))
    yt, tt = y[top], t[top]
    if tt.sum() == 0 or (1 - tt).sum() == 0:
        return float("nan")
    return float(yt[tt == 1].mean() - yt[tt == 0].mean())


def uplift_by_decile(y, uplift, treatment, bins: int = 10) -> pd.DataFrame:
    """Per decile of predicted uplift (1 = highest): customers, treated and control means, observed
    uplift and mean predicted uplift."""
    y, u, t = _sorted(y, uplift, treatment)
    decile = np.repeat(np.arange(1, bins + 1), [len(part) for part in np.array_split(np.arange(len(y)), bins)])
    frame = pd.DataFrame({"decile": decile, "y": y, "t": t, "u": u})
    g = frame.groupby("decile")
    out = pd.DataFrame({
        "customers": g.size(),
        "n_treated": g["t"].sum().astype(int),
        "treated_mean": frame[frame["t"] == 1].groupby("decile")["y"].mean(),
        "control_mean": frame[frame["t"] == 0].groupby("decile")["y"].mean(),
        "predicted_uplift": g["u"].mean(),
    })
    out["n_control"] = out["customers"] - out["n_treated"]
    out["uplift"] = out["treated_mean"] - out["control_mean"]
    return out.reset_index()


# ----------------------------------------------------------------------------- orchestration

@dataclass
class UpliftResult:
    """Uplift models of one treated arm vs control: test metrics, curves and scores of everyone."""

    arm: str
    outcome: str
    metrics: pd.DataFrame  # model, qini_auc, uplift_at_30
    curves: dict[str, tuple[np.ndarray, np.ndarray]]  # model (+ "perfect", "random") -> Qini curve
    uplift_curves: dict[str, tuple[np.ndarray, np.ndarray]]
    deciles: dict[str, pd.DataFrame]
    test: pd.DataFrame  # y, treatment and each model's score on the 30 %
    scores: pd.DataFrame  # every customer of the two arms: model scores, <model>_p_control, <model>_p_treated
    best_model: str
    notes: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        return {m.model: {"qini_auc": float(m.qini_auc), "uplift_at_30": float(m.uplift_at_30)}
                for m in self.metrics.itertuples()}


def split_train_test(strata: pd.Series, test_size: float = 0.3, seed: int = 0) -> np.ndarray:
    """Boolean mask of the test rows, stratified by ``strata`` (arm x outcome), seeded."""
    from sklearn.model_selection import train_test_split

    idx = np.arange(len(strata))
    counts = strata.value_counts()
    stratify = strata.to_numpy() if counts.min() >= 2 else None
    _, test_idx = train_test_split(idx, test_size=test_size, random_state=seed, stratify=stratify)
    mask = np.zeros(len(strata), bool)
    mask[test_idx] = True
    return mask


def fit_uplift(table: pd.DataFrame, outcome: str, control: str, arm: str, features: list[str], *,
               models: tuple[str, ...] = ("t_learner", "class_transformation", "keras"), seed: int = 0,
               test_size: float = 0.3, on_progress: Callable[[float, str], None] | None = None) -> UpliftResult:
    """Train each uplift model on 70 % of ``arm`` + control (stratified by arm and outcome, seeded),
    evaluate on the other 30 %, and score every customer of the two arms."""
    say = on_progress or (lambda _s, _m: None)
    if not features:
        raise InputError("Uplift models need pre-campaign attributes (e.g. past orders, past revenue, recency); "
                         "the campaign table has none.")
    part, notes = _with_outcome(table[table["arm"].isin([control, arm])], outcome, "the uplift models")
    y = part[outcome].to_numpy(float)
    t = (part["arm"] == arm).to_numpy(int)
    if min(t.sum(), (1 - t).sum()) < 50:
        raise InputError(f"Uplift models need at least 50 customers in '{arm}' and in the control; "
                         f"there are {int(t.sum())} and {int((1 - t).sum())}.")
    binary = _binary(y)
    strata = pd.Series(t).astype(str) + "_" + (pd.Series(y > 0).astype(str) if not binary else pd.Series(y).astype(str))
    test = split_train_test(strata, test_size, seed)
    X = part[features]
    out_test = pd.DataFrame({"y": y[test], "treatment": t[test]})
    scores = pd.DataFrame({"customer_id": part["customer_id"].to_numpy(), "arm": part["arm"].to_numpy()})
    rows, curves, ucurves, deciles = [], {}, {}, {}
    for i, name in enumerate(models):
        say(i / len(models), f"Training {MODEL_LABELS.get(name, name)} ({i + 1} of {len(models)})")
        model = make_model(name, seed)
        model.fit(X[~test], y[~test], t[~test])
        s_all = model.predict(X)
        scores[name] = s_all
        if hasattr(model, "predict_arms"):  # the outcome each arm would give, for the audiences
            scores[f"{name}_p_control"], scores[f"{name}_p_treated"] = model.predict_arms(X)
        s = s_all[test]
        out_test[name] = s
        rows.append({"model": name, "qini_auc": qini_auc_score(y[test], s, t[test]),
                     "uplift_at_30": uplift_at_k(y[test], s, t[test], 0.3)})
        curves[name] = qini_curve(y[test], s, t[test])
        ucurves[name] = uplift_curve(y[test], s, t[test])
        deciles[name] = uplift_by_decile(y[test], s, t[test])
    say(1.0, "Uplift models trained")
    curves["perfect"] = perfect_qini_curve(y[test], t[test])
    x_end, v_end = curves["perfect"][0][-1], curves["perfect"][1][-1]
    curves["random"] = (np.array([0.0, x_end]), np.array([0.0, v_end]))
    metrics = pd.DataFrame(rows)
    best = str(metrics.sort_values("qini_auc", ascending=False)["model"].iloc[0])
    if not binary:
        notes.append("The outcome is an amount: Qini curves use amounts instead of 0/1 responses.")
    return UpliftResult(arm, outcome, metrics, curves, ucurves, deciles, out_test, scores, best, notes)


def assign_audiences(scores: pd.DataFrame, score_col: str, *, threshold: float, base_rate: float) -> pd.Series:
    """Persuadables (predicted uplift >= threshold), do-not-disturb (<= -threshold), and among the
    rest sure things (predicted outcome without the campaign >= ``base_rate``; the model's own
    prediction, else the T-learner's) and lost causes."""
    u = scores[score_col].to_numpy(float)
    own, shared = f"{score_col}_p_control", "t_learner_p_control"  # the model's own, else the T-learner's
    column = own if own in scores else shared if shared in scores else None
    p_c = scores[column].to_numpy(float) if column else np.zeros(len(u))
    return pd.Series(np.select([u >= threshold, u <= -threshold, p_c >= base_rate],
                               ["persuadables", "do_not_disturb", "sure_things"], "lost_causes"), index=scores.index)


def profit_by_target_size(result: UpliftResult, model: str, *, population: int, value_per_unit: float,
                          margin: float, cost_per_contact: float) -> pd.DataFrame:
    """Expected profit of contacting the top share of ``population`` customers by ``model``'s score.

    The incremental outcome of the top share comes from the held-out uplift curve (observed
    treated - control among the top share x their number), scaled to ``population``. Profit =
    incremental outcome x value x margin - contacts x cost. One row per share 1 % .. 100 %.
    """
    x, v = result.uplift_curves[model]
    n_test = x[-1]
    shares = np.arange(1, 101) / 100
    incremental_test = np.interp(shares * n_test, x, v)
    incremental = incremental_test / n_test * population
    contacts = np.round(shares * population)
    profit = incremental * value_per_unit * margin - contacts * cost_per_contact
    return pd.DataFrame({"share": shares, "contacts": contacts.astype(int), "incremental": incremental,
                         "profit": profit})


def response_model(table: pd.DataFrame, outcome: str, arm: str, features: list[str], *, seed: int = 0) -> dict:
    """Who takes part: a response model (the models issue's gradient boosting behind its
    Preprocessor) on the treated arm's customers, 70/30 split; returns the test metrics and the
    probability of responding for every customer of the arm."""
    from ecom_analytics.modeling import SklearnModel, classification_metrics, regression_metrics

    part, notes = _with_outcome(table[table["arm"] == arm], outcome, "the response model")
    y = part[outcome].to_numpy(float)
    binary = _binary(y)
    strata = pd.Series(y > 0).astype(str)
    test = split_train_test(strata, 0.3, seed)
    model = SklearnModel("gboost", "purchase" if binary else "revenue", random_state=seed)
    with _one_thread():
        model.fit(part.loc[~test, features], y[~test])
        p = model.predict_proba(part[features]) if binary else model.predict(part[features])
    metrics = classification_metrics(y[test], p[test]) if binary else regression_metrics(y[test], p[test])
    return {"metrics": metrics, "scores": pd.DataFrame({"customer_id": part["customer_id"], "score": p}),
            "binary": binary, "notes": notes}


def _with_outcome(part: pd.DataFrame, outcome: str, used_by: str) -> tuple[pd.DataFrame, list[str]]:
    """The rows of ``part`` with a numeric ``outcome`` (index reset), and a note counting the rows
    left out because theirs is empty or unreadable (never counted as 0)."""
    y = pd.to_numeric(part[outcome], errors="coerce")
    missing = int(y.isna().sum())
    kept = part[y.notna()].assign(**{outcome: y[y.notna()].astype(float)}).reset_index(drop=True)
    notes = [f"{missing:,} customers without a value of {outcome} were left out of {used_by}."] if missing else []
    return kept, notes
