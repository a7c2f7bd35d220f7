"""Uplift models (who does the campaign change?), their choice and their evaluation.

Models (scikit-learn estimator conventions; ``fit(X, y, treatment)`` with X a frame of
pre-campaign attributes, y the outcome, treatment 0/1):

* gradient-boosting learners (``campaign.learners``): T-learner, S-learner with treatment
  interaction terms, solo model (the treatment as one feature), X-learner, DR-learner and class
  transformation, and their average;
* :class:`KerasUplift`: a small two-headed network (shared layers, one output per arm), each
  customer's loss taken on the head of the arm they were in; TensorFlow is imported in ``fit``.

Choice (:func:`fit_uplift`): the 70 % training part is cut into ``CV_FOLDS`` folds; each
gradient-boosting learner is fitted on every k-1 folds and scored (Qini AUC) on the fold it did
not see, and the model with the highest mean fold Qini is the chosen one. Each learner is then
refitted on the whole 70 % and predicts with that model. The 30 % test part only measures.

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

from ecom_analytics.campaign.learners import (ClassTransformation, DRLearner, SLearner, SoloModel, TLearner,
                                              XLearner, check_fitted, is_binary, one_thread)
from ecom_analytics.errors import InputError
from ecom_analytics.names import UPLIFT_ALIASES, UPLIFT_MODELS
from ecom_analytics.predict.modeling import Preprocessor
from ecom_analytics.runs import Note

MODEL_LABELS = UPLIFT_MODELS
#: the model codes the ``campaign`` command's JSON writes as keys: those it wrote before a model's code
#: changed (the neural model's "keras"), so the JSON stays the same; everywhere else the code is today's
JSON_CODES = {code: old for old, code in UPLIFT_ALIASES.items()}
# The learners trained on the same folds of the training part and chosen among by cross-validated Qini;
# "ensemble" is the mean uplift of the others chosen with it (no model of its own).
CROSS_VALIDATED = ("t_learner", "s_learner", "solo_model", "x_learner", "dr_learner", "class_transformation",
                   "ensemble")
CV_FOLDS = 3
AUDIENCES = ("persuadables", "sure_things", "lost_causes", "do_not_disturb")

_check_fitted = check_fitted  # the names this module used before the learners moved
_one_thread = one_thread
_binary = is_binary


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


_LEARNERS = {"t_learner": TLearner, "s_learner": SLearner, "solo_model": SoloModel, "x_learner": XLearner,
             "dr_learner": DRLearner, "class_transformation": ClassTransformation}


def make_model(name: str, seed: int = 0):
    """A fresh uplift model by name (a key of ``MODEL_LABELS``)."""
    if name in _LEARNERS:
        return _LEARNERS[name](random_state=seed)
    if name == "neural":
        return KerasUplift(seed=seed)
    raise InputError("Unknown uplift model '{name}'; use {choices}.", name=name, choices=', '.join(MODEL_LABELS))


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


# ----------------------------------------------------------------------------- cross-validation

class FoldEnsemble:
    """One cross-validated learner: ``members`` are the models that predict (the learner refitted on
    every row of the training part; several are averaged), ``cv_qini_`` the mean over folds of the
    Qini AUC each fold model reached on the fold it did not see."""

    def __init__(self, name: str, members: list, prep: Preprocessor, fold_qini: list[float]) -> None:
        self.name = name
        self.members = members
        self.prep = prep
        self.fold_qini = fold_qini
        self.cv_qini_ = float(np.mean(fold_qini))

    @property
    def has_arms(self) -> bool:
        """True when the members also predict each arm's outcome (every learner but class transformation)."""
        return hasattr(self.members[0], "predict_arms_matrix")

    def predict_matrix(self, x: np.ndarray, cache: dict | None = None) -> tuple[np.ndarray, tuple | None]:
        """(uplift, (outcome without, outcome with the campaign) or None) of the model matrix ``x``,
        averaged over the members. ``cache`` keeps arm predictions of models that several learners
        share (the T-learner inside the X- and DR-learners), keyed by the model."""
        cache = {} if cache is None else cache
        uplifts, controls, treateds = [], [], []
        for member in self.members:
            if self.has_arms:
                arm_model = getattr(member, "outcome_models_", member)
                if id(arm_model) not in cache:
                    cache[id(arm_model)] = (arm_model, arm_model.predict_arms_matrix(x))
                c, t = cache[id(arm_model)][1]
                controls.append(c)
                treateds.append(t)
                uplifts.append(t - c if arm_model is member else member.predict_matrix(x))
            else:
                uplifts.append(member.predict_matrix(x))
        arms = (np.mean(controls, axis=0), np.mean(treateds, axis=0)) if self.has_arms else None
        return np.mean(uplifts, axis=0), arms

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        """Predicted uplift of each row of ``frame``."""
        return self.predict_matrix(self.prep.transform(frame))[0]

    def predict_arms(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Predicted outcome without and with the campaign."""
        if not self.has_arms:
            raise AttributeError(f"{MODEL_LABELS.get(self.name, self.name)} does not predict each arm's outcome.")
        return self.predict_matrix(self.prep.transform(frame))[1]


def cross_validate(frame: pd.DataFrame, y, treatment, names: tuple[str, ...], *, folds: int = CV_FOLDS,
                   seed: int = 0, on_progress: Callable[[float, str], None] | None = None) -> dict[str, FoldEnsemble]:
    """Fit each learner of ``names`` (from ``CROSS_VALIDATED``) on ``folds`` stratified folds (arm x
    outcome, seeded) of the rows given (the training part only) and score it on the fold it did not
    see; then refits each learner on every row given (what it predicts with); returns name ->
    :class:`FoldEnsemble`.

    The folds share work: each fold's T-learner is also the X-learner's first stage and the
    DR-learner's arm models for ``predict_arms``, and so is the T-learner refitted on every row for
    the refitted learners; the DR-learner's pseudo-outcomes use the T-learners' out-of-fold
    predictions (each customer scored by arm models that never saw them), in the folds and in the
    refit. Predicting with the refit rather than the mean of the fold models: on unreported
    simulated campaigns (seeds 204-207 of the sample's design, 204 of the MineThatData-like one) the
    refit's held-out Qini AUC was higher for the S-, X- and solo learners (+0.010, +0.012, +0.005 on
    average over ten arms) and within 0.003 for the T-learner.
    """
    from sklearn.model_selection import StratifiedKFold

    say = on_progress or (lambda _s, _m: None)
    unknown = [n for n in names if n not in CROSS_VALIDATED]
    if unknown:
        raise InputError("Unknown cross-validated uplift model {names}; use {choices}.", names=', '.join(unknown),
                         choices=', '.join(CROSS_VALIDATED))
    y, t = np.asarray(y, float), np.asarray(treatment, int)
    prep = Preprocessor().fit(frame)
    x = prep.transform(frame)
    strata = t * 2 + (y > 0)
    if np.bincount(strata).min(initial=len(y)) < folds:  # a rare outcome in one arm: folds by arm only
        strata = t
    splits = list(StratifiedKFold(folds, shuffle=True, random_state=seed).split(x, strata))
    needs_arms = any(n in names for n in ("t_learner", "x_learner", "dr_learner"))
    arm_models, mu0, mu1 = [], np.zeros(len(y)), np.zeros(len(y))
    if needs_arms:
        for fit_rows, score_rows in splits:
            model = TLearner(random_state=seed).fit_matrix(x[fit_rows], y[fit_rows], t[fit_rows])
            mu0[score_rows], mu1[score_rows] = model.predict_arms_matrix(x[score_rows])
            arm_models.append(model)
        full_arms = TLearner(random_state=seed).fit_matrix(x, y, t)
    out, held_out = {}, {}
    learners = [n for n in names if n != "ensemble"]
    for i, name in enumerate(learners):
        say(i / len(learners), f"Cross-validating {MODEL_LABELS[name]} ({i + 1} of {len(learners)})")
        fold_qini, held_out[name] = [], []
        for f, (fit_rows, score_rows) in enumerate(splits):
            xf, yf, tf = x[fit_rows], y[fit_rows], t[fit_rows]
            if name == "t_learner":
                model = arm_models[f]
            elif name == "x_learner":
                model = XLearner(random_state=seed).fit_matrix(xf, yf, tf, outcome_models=arm_models[f])
            elif name == "dr_learner":
                model = DRLearner(random_state=seed).fit_matrix(xf, yf, tf, nuisance=(mu0[fit_rows], mu1[fit_rows]),
                                                                outcome_models=arm_models[f])
            else:
                model = make_model(name, seed).fit_matrix(xf, yf, tf)
            held_out[name].append(model.predict_matrix(x[score_rows]))
            fold_qini.append(qini_auc_score(y[score_rows], held_out[name][-1], t[score_rows]))
        out[name] = FoldEnsemble(name, [_refit(name, x, y, t, seed, full_arms if needs_arms else None, (mu0, mu1))],
                                 prep, fold_qini)
    if "ensemble" in names and len(learners) >= 2:
        fold_qini = [qini_auc_score(y[rows], np.mean([held_out[n][f] for n in learners], axis=0), t[rows])
                     for f, (_, rows) in enumerate(splits)]
        out["ensemble"] = AverageUplift([out[n] for n in learners], prep, fold_qini)
    return out


def _refit(name: str, x: np.ndarray, y: np.ndarray, t: np.ndarray, seed: int, arms: TLearner | None,
           nuisance: tuple[np.ndarray, np.ndarray]):
    """Learner ``name`` fitted on every row: the T-learner is ``arms`` (fitted on every row), which is
    also the X-learner's first stage and the DR-learner's arm models; the DR-learner's
    pseudo-outcomes use the out-of-fold arm predictions ``nuisance``."""
    if name == "t_learner":
        return arms
    if name == "x_learner":
        return XLearner(random_state=seed).fit_matrix(x, y, t, outcome_models=arms)
    if name == "dr_learner":
        return DRLearner(random_state=seed).fit_matrix(x, y, t, nuisance=nuisance, outcome_models=arms)
    return make_model(name, seed).fit_matrix(x, y, t)


class AverageUplift:
    """The mean predicted uplift of several learners' fold ensembles (all in outcome units);
    ``cv_qini_`` is the mean over folds of the Qini AUC of the averaged held-out predictions."""

    name = "ensemble"

    def __init__(self, parts: list[FoldEnsemble], prep: Preprocessor, fold_qini: list[float]) -> None:
        self.parts = parts
        self.prep = prep
        self.fold_qini = fold_qini
        self.cv_qini_ = float(np.mean(fold_qini))

    def predict_matrix(self, x: np.ndarray, cache: dict | None = None) -> tuple[np.ndarray, tuple | None]:
        """(mean uplift, mean arm outcomes of the parts that predict them)."""
        cache = {} if cache is None else cache
        results = [part.predict_matrix(x, cache) for part in self.parts]
        arms = [a for _, a in results if a is not None]
        mean_arms = (np.mean([a[0] for a in arms], axis=0), np.mean([a[1] for a in arms], axis=0)) if arms else None
        return np.mean([u for u, _ in results], axis=0), mean_arms

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        """Mean predicted uplift of each row of ``frame``."""
        return self.predict_matrix(self.prep.transform(frame))[0]


def choose_model(cv_qini: dict[str, float]) -> str:
    """The model with the highest cross-validated Qini AUC (ties: the first given); NaN scores lose."""
    scored = {m: q for m, q in cv_qini.items() if np.isfinite(q)}
    if not scored:
        return next(iter(cv_qini))
    return max(scored, key=lambda m: scored[m])


# ----------------------------------------------------------------------------- orchestration

@dataclass
class UpliftResult:
    """Uplift models of one treated arm vs control: test metrics, curves and scores of everyone."""

    arm: str
    outcome: str
    metrics: pd.DataFrame  # model, qini_auc, uplift_at_30 (held-out 30 %), cv_qini (folds of the 70 %; NaN for the neural model)
    curves: dict[str, tuple[np.ndarray, np.ndarray]]  # model (+ "perfect", "random") -> Qini curve
    uplift_curves: dict[str, tuple[np.ndarray, np.ndarray]]
    deciles: dict[str, pd.DataFrame]
    test: pd.DataFrame  # y, treatment and each model's score on the 30 %
    scores: pd.DataFrame  # every customer of the two arms: model scores, <model>_p_control, <model>_p_treated
    best_model: str  # the highest cross-validated Qini AUC on the training part (never chosen on the 30 %)
    notes: list[Note] = field(default_factory=list)

    def summary(self) -> dict:
        """JSON: model code (as the command has always written it, see :data:`JSON_CODES`) -> qini_auc,
        uplift_at_30."""
        return {JSON_CODES.get(m.model, m.model): {"qini_auc": float(m.qini_auc), "uplift_at_30": float(m.uplift_at_30)}
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
               models: tuple[str, ...] = ("t_learner", "class_transformation", "neural"), seed: int = 0,
               test_size: float = 0.3, on_progress: Callable[[float, str], None] | None = None) -> UpliftResult:
    """Train each uplift model on 70 % of ``arm`` + control (stratified by arm and outcome, seeded),
    evaluate on the other 30 %, and score every customer of the two arms.

    The gradient-boosting learners (``CROSS_VALIDATED``) are fitted on ``CV_FOLDS`` folds of the
    70 % and scored on the fold each did not see, then refitted on the whole 70 %; ``best_model`` is
    the one with the highest cross-validated Qini AUC on the 70 % (column ``cv_qini``), so the 30 %
    only measures, never chooses. The Keras network is
    fitted once on the 70 % (no cross-validated score): it is the best model only when it is the
    only one.
    """
    say = on_progress or (lambda _s, _m: None)
    if not features:
        raise InputError("Uplift models need pre-campaign attributes (e.g. past orders, past revenue, recency); "
                         "the campaign table has none.")
    unknown = [m for m in models if m not in MODEL_LABELS]
    if unknown:
        raise InputError("Unknown uplift model {names}; use {choices}.", names=', '.join(unknown),
                         choices=', '.join(MODEL_LABELS))
    part, notes = _with_outcome(table[table["arm"].isin([control, arm])], outcome, "uplift")
    y = part[outcome].to_numpy(float)
    t = (part["arm"] == arm).to_numpy(int)
    if min(t.sum(), (1 - t).sum()) < 50:
        raise InputError("Uplift models need at least 50 customers in '{arm}' and in the control; there are "
                         "{n_arm} and {n_control}.", arm=arm, n_arm=int(t.sum()), n_control=int((1 - t).sum()))
    binary = _binary(y)
    strata = pd.Series(t).astype(str) + "_" + (pd.Series(y > 0).astype(str) if not binary else pd.Series(y).astype(str))
    test = split_train_test(strata, test_size, seed)
    X = part[features]
    out_test = pd.DataFrame({"y": y[test], "treatment": t[test]})
    scores = pd.DataFrame({"customer_id": part["customer_id"].to_numpy(), "arm": part["arm"].to_numpy()})
    if "ensemble" in models and sum(m in CROSS_VALIDATED and m != "ensemble" for m in models) < 2:
        models = tuple(m for m in models if m != "ensemble")
        notes.append(Note("The average of the learners needs at least two gradient-boosting learners; it was left out."))
    cv_names = tuple(m for m in models if m in CROSS_VALIDATED)
    other = [m for m in models if m not in CROSS_VALIDATED]
    steps = (1 if cv_names else 0) + len(other)
    fitted = {}
    if cv_names:
        fitted.update(cross_validate(X[~test], y[~test], t[~test], cv_names, seed=seed,
                                     on_progress=lambda share, msg: say(share / steps, msg)))
    for i, name in enumerate(other):
        done = (1 if cv_names else 0) + i
        say(done / steps, f"Training {MODEL_LABELS.get(name, name)} ({done + 1} of {steps})")
        fitted[name] = make_model(name, seed).fit(X[~test], y[~test], t[~test])
    rows, curves, ucurves, deciles = [], {}, {}, {}
    x_all = fitted[cv_names[0]].prep.transform(X) if cv_names else None  # one matrix for every fold model
    shared: dict = {}
    for name in models:
        model = fitted[name]
        if isinstance(model, (FoldEnsemble, AverageUplift)):
            s_all, arms = model.predict_matrix(x_all, shared)
        else:
            arms = model.predict_arms(X) if hasattr(model, "predict_arms") else None
            s_all = arms[1] - arms[0] if arms is not None else model.predict(X)
        scores[name] = s_all
        if arms is not None:  # the outcome each arm would give, for the audiences
            scores[f"{name}_p_control"], scores[f"{name}_p_treated"] = arms
        s = s_all[test]
        out_test[name] = s
        rows.append({"model": name, "qini_auc": qini_auc_score(y[test], s, t[test]),
                     "uplift_at_30": uplift_at_k(y[test], s, t[test], 0.3),
                     "cv_qini": getattr(model, "cv_qini_", float("nan"))})
        curves[name] = qini_curve(y[test], s, t[test])
        ucurves[name] = uplift_curve(y[test], s, t[test])
        deciles[name] = uplift_by_decile(y[test], s, t[test])
    say(1.0, "Uplift models trained")
    curves["perfect"] = perfect_qini_curve(y[test], t[test])
    x_end, v_end = curves["perfect"][0][-1], curves["perfect"][1][-1]
    curves["random"] = (np.array([0.0, x_end]), np.array([0.0, v_end]))
    metrics = pd.DataFrame(rows, columns=["model", "qini_auc", "uplift_at_30", "cv_qini"])
    best = choose_model(dict(zip(metrics["model"], metrics["cv_qini"])))
    if not binary:
        notes.append(Note("The outcome is an amount: Qini curves use amounts instead of 0/1 responses."))
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
    from ecom_analytics.predict.modeling import SklearnModel, classification_metrics, regression_metrics

    part, notes = _with_outcome(table[table["arm"] == arm], outcome, "response")
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


#: the note counting the customers without an outcome, by the model that left them out
_MISSING_OUTCOME = {
    "uplift": "{n:,} customers without a value of {outcome} were left out of the uplift models.",
    "response": "{n:,} customers without a value of {outcome} were left out of the response model.",
}


def _with_outcome(part: pd.DataFrame, outcome: str, used_by: str) -> tuple[pd.DataFrame, list[Note]]:
    """The rows of ``part`` with a numeric ``outcome`` (index reset), and a note counting the rows
    left out because theirs is empty or unreadable (never counted as 0); ``used_by`` is "uplift"
    or "response"."""
    y = pd.to_numeric(part[outcome], errors="coerce")
    missing = int(y.isna().sum())
    kept = part[y.notna()].assign(**{outcome: y[y.notna()].astype(float)}).reset_index(drop=True)
    notes = [Note(_MISSING_OUTCOME[used_by], {"n": missing, "outcome": outcome})] if missing else []
    return kept, notes
