"""Honest time split, training tables, preprocessing, baselines and metrics for the tasks.

Time split (see :func:`plan_cutoffs`): with ``end`` the day after the last data and ``H`` the
horizon, the test cutoff is ``T = end - H``; training cutoffs are ``T - H, T - 2H, ...`` while
enough history remains before them. Every example is (features before its cutoff, label in the
H days from it), so no training label overlaps the test window. Validation for early stopping
comes from the training cutoffs (a held-out fifth of the customers), never the test window.

Models follow scikit-learn conventions: parameters in ``__init__``, ``fit`` returns self,
learned attributes end in ``_``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ecom_analytics.errors import InputError, Note
from ecom_analytics.ingest.inputs import day_after
from ecom_analytics.insights.features import build_customer_features, build_labels

#: Fewer positives or negatives than this in the test window make the metrics shaky.
MIN_CLASS_COUNT = 100
#: Features that are counts, money or durations: log1p before scaling (heavy right tails).
_LOG_PREFIXES = ("orders", "revenue", "views", "carts", "wishlists", "purchases", "sessions", "distinct_",
                 "recency", "tenure", "days_", "active_days")


@dataclass
class Split:
    """Cutoffs of an honest time split (timestamps at midnight)."""

    end: pd.Timestamp
    horizon_days: int
    test_cutoff: pd.Timestamp
    train_cutoffs: list[pd.Timestamp]
    notes: list[str] = field(default_factory=list)

    def describe(self) -> dict:
        """Plain values for reports and JSON."""
        return {"end": str(self.end.date()), "horizon_days": self.horizon_days,
                "test_cutoff": str(self.test_cutoff.date()),
                "train_cutoffs": [str(c.date()) for c in self.train_cutoffs], "notes": self.notes}


def plan_cutoffs(first: pd.Timestamp, last: pd.Timestamp, horizon_days: int, *, min_history_days: int = 30,
                 max_train_cutoffs: int = 8, stride_days: int | None = None) -> Split:
    """The test cutoff and the training cutoffs for data spanning ``first`` .. ``last``.

    Training cutoffs are ``T - H``, then every ``stride_days`` (default ``H``) earlier, while
    ``min_history_days`` of data remain before them. A stride shorter than H gives more
    training examples; their label windows overlap each other but all end by ``T``, so none
    sees the test window. Raises ValueError when the data is too short.
    """
    end = day_after(last)
    h = pd.Timedelta(days=horizon_days)
    step = pd.Timedelta(days=stride_days or horizon_days)
    test = end - h
    cutoffs = []
    c = test - h
    while c - pd.Timedelta(days=min_history_days) >= pd.Timestamp(first).normalize() and len(cutoffs) < max_train_cutoffs:
        cutoffs.append(c)
        c -= step
    if not cutoffs:
        span = (end - pd.Timestamp(first).normalize()).days
        raise InputError("The data covers {span} days; a {horizon} horizon needs at least {days} (history, a training "
                         "window and a test window). Choose a shorter horizon.", span=span,
                         horizon=Note("{n}-day", {"n": horizon_days}), days=2 * horizon_days + min_history_days)
    return Split(end, horizon_days, test, sorted(cutoffs))


def build_examples(orders: pd.DataFrame | None, cutoffs: list[pd.Timestamp], horizon_days: int, task: str, *,
                   events: pd.DataFrame | None = None, returns: pd.DataFrame | None = None,
                   customers: pd.DataFrame | None = None, with_labels: bool = True) -> pd.DataFrame:
    """Features (and labels) of the task's population at each cutoff, stacked.

    Columns: the features, ``cutoff``, and ``label`` when ``with_labels``; index customer_id.
    The population is the task's: customers with an order before the cutoff (purchase,
    revenue) or active in the 28 days before it (churn).
    """
    frames = []
    for cutoff in cutoffs:
        feats = build_customer_features(orders, cutoff, events=events, customers=customers, returns=returns)
        labels = build_labels(orders, cutoff, horizon_days, task=task, events=events)
        part = feats.loc[feats.index.intersection(labels.index)].copy()
        if with_labels:
            part["label"] = labels.reindex(part.index).to_numpy()
        part["cutoff"] = cutoff
        frames.append(part)
    return pd.concat(frames) if frames else pd.DataFrame()


class Preprocessor:
    """Numbers: log1p of heavy-tailed counts/money, median imputation with a missing flag,
    standard scaling. Text columns: one-hot of the ``max_categories`` most frequent values
    plus "other". Serialisable to JSON (``to_dict``/``from_dict``): no pickles."""

    def __init__(self, max_categories: int = 15) -> None:
        self.max_categories = max_categories

    def fit(self, frame: pd.DataFrame) -> "Preprocessor":
        """Learn medians, scales and categories from ``frame``; returns self."""
        cols = [c for c in frame.columns if c not in ("label", "cutoff")]
        self.numeric_ = [c for c in cols if pd.api.types.is_numeric_dtype(frame[c])]
        self.categorical_ = [c for c in cols if c not in self.numeric_]
        self.log_ = [c for c in self.numeric_ if c.startswith(_LOG_PREFIXES) and (frame[c].dropna() >= 0).all()]
        num = self._numeric(frame)
        self.median_ = {c: float(v) if pd.notna(v) else 0.0 for c, v in num.median().items()}
        filled = num.fillna(self.median_)
        self.mean_ = {c: float(v) for c, v in filled.mean().items()}
        self.std_ = {c: float(v) if v > 1e-12 else 1.0 for c, v in filled.std(ddof=0).items()}
        self.missing_ = [c for c in self.numeric_ if frame[c].isna().any()]
        self.categories_ = {c: [str(v) for v in frame[c].astype("string").value_counts().index[: self.max_categories]]
                            for c in self.categorical_}
        self.feature_names_ = self._names()
        return self

    def _numeric(self, frame: pd.DataFrame) -> pd.DataFrame:
        num = frame[self.numeric_].astype("float64").replace([np.inf, -np.inf], np.nan)
        for c in self.log_:
            num[c] = np.log1p(num[c].clip(lower=0))
        return num

    def _names(self) -> list[str]:
        names = list(self.numeric_) + [f"{c}_missing" for c in self.missing_]
        for c, cats in self.categories_.items():
            names += [f"{c}={v}" for v in cats] + [f"{c}=other"]
        return names

    def transform(self, frame: pd.DataFrame) -> np.ndarray:
        """The model matrix (float32), columns in ``feature_names_``."""
        if not hasattr(self, "numeric_"):
            raise RuntimeError("Preprocessor is not fitted; call fit() first.")
        num = self._numeric(frame)
        parts = [((num.fillna(self.median_) - pd.Series(self.mean_)) / pd.Series(self.std_)).to_numpy()]
        if self.missing_:
            parts.append(frame[self.missing_].isna().to_numpy(dtype=float))
        for c, cats in self.categories_.items():
            values = frame[c].astype("string").fillna("(missing)")
            onehot = np.column_stack([(values == v).to_numpy(dtype=float) for v in cats] +
                                     [(~values.isin(cats)).to_numpy(dtype=float)])
            parts.append(onehot)
        return np.nan_to_num(np.column_stack(parts).astype("float32"))

    def to_dict(self) -> dict:
        """JSON-serialisable state."""
        return {k: getattr(self, k) for k in ("max_categories", "numeric_", "categorical_", "log_", "median_",
                                               "mean_", "std_", "missing_", "categories_", "feature_names_")}

    @classmethod
    def from_dict(cls, state: dict) -> "Preprocessor":
        """Rebuild a fitted preprocessor from :meth:`to_dict` output."""
        obj = cls(state["max_categories"])
        for k, v in state.items():
            if k != "max_categories":
                setattr(obj, k, v)
        return obj


# ----------------------------------------------------------------------------- baselines

class RecencyRule:
    """Score = fewer days since the last order (purchase) or since the last activity (churn:
    more days = more likely to churn), turned into a probability by a one-feature logistic fit
    on the training cutoffs."""

    def __init__(self, task: str = "purchase") -> None:
        self.task = task

    def _x(self, frame: pd.DataFrame) -> np.ndarray:
        cols = [c for c in ("recency_days", "days_since_last_event") if c in frame.columns]
        rec = frame[cols].min(axis=1) if self.task == "churn" else frame[cols[0]]
        return np.log1p(rec.fillna(rec.max()).clip(lower=0).to_numpy()).reshape(-1, 1)

    def fit(self, frame: pd.DataFrame, y) -> "RecencyRule":
        from sklearn.linear_model import LogisticRegression

        self.model_ = LogisticRegression().fit(self._x(frame), np.asarray(y))
        return self

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        return self.model_.predict_proba(self._x(frame))[:, 1]


class BGNBDClassifier:
    """BG/NBD fitted on the history before the scoring cutoff (no labels needed); the
    probability is P(at least one purchase in the horizon); for churn, 1 minus it."""

    def __init__(self, task: str = "purchase", horizon_days: int = 30) -> None:
        self.task = task
        self.horizon_days = horizon_days

    @staticmethod
    def _summary(frame: pd.DataFrame):
        weeks = 7.0
        age = frame["tenure_days"].fillna(0).to_numpy() / weeks
        recency = (frame["tenure_days"] - frame["recency_days"]).fillna(0).clip(lower=0).to_numpy() / weeks
        freq = (frame["active_days"].fillna(1) - 1).clip(lower=0).to_numpy()
        return freq, np.minimum(recency, age), age

    def fit(self, frame: pd.DataFrame, y=None) -> "BGNBDClassifier":
        from ecom_analytics.predict.bgnbd import BGNBD

        # fit on the latest cutoff's population: the BG/NBD summary of each customer
        latest = frame[frame["cutoff"] == frame["cutoff"].max()] if "cutoff" in frame.columns else frame
        latest = latest[latest["orders"] > 0]
        self.model_ = BGNBD(penalizer=1e-3).fit(*self._summary(latest))
        return self

    def refit_on(self, frame: pd.DataFrame) -> "BGNBDClassifier":
        """Refit on the population being scored (its own history), as BG/NBD is used in practice."""
        from ecom_analytics.predict.bgnbd import BGNBD

        part = frame[frame["orders"] > 0]
        self.model_ = BGNBD(penalizer=1e-3).fit(*self._summary(part))
        return self

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        p = np.zeros(len(frame))
        has = (frame["orders"] > 0).to_numpy()
        if has.any():
            p[has] = self.model_.probability_of_purchase(self.horizon_days / 7.0, *self._summary(frame[has]))
        return 1 - p if self.task == "churn" else p

    def expected_purchases(self, frame: pd.DataFrame) -> np.ndarray:
        out = np.zeros(len(frame))
        has = (frame["orders"] > 0).to_numpy()
        if has.any():
            out[has] = self.model_.expected_purchases(self.horizon_days / 7.0, *self._summary(frame[has]))
        return out


class SklearnModel:
    """A scikit-learn estimator behind the :class:`Preprocessor` (logistic/linear regression,
    gradient boosting)."""

    def __init__(self, kind: str = "logistic", task: str = "purchase", random_state: int = 0) -> None:
        self.kind = kind
        self.task = task
        self.random_state = random_state

    def _estimator(self):
        from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
        from sklearn.linear_model import LogisticRegression, Ridge

        if self.task == "revenue":
            return Ridge(alpha=1.0) if self.kind == "logistic" else HistGradientBoostingRegressor(
                max_iter=200, learning_rate=0.05, random_state=self.random_state)
        if self.kind == "logistic":
            return LogisticRegression(C=1.0, max_iter=2000)
        return HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_leaf_nodes=15,
                                              l2_regularization=1.0, random_state=self.random_state)

    def fit(self, frame: pd.DataFrame, y) -> "SklearnModel":
        self.prep_ = Preprocessor().fit(frame)
        y = np.asarray(y, dtype=float)
        target = np.log1p(np.clip(y, 0, None)) if self.task == "revenue" else y.astype(int)
        self.model_ = self._estimator().fit(self.prep_.transform(frame), target)
        return self

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        return self.model_.predict_proba(self.prep_.transform(frame))[:, 1]

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        """Revenue prediction (currency), back from the log scale."""
        return np.expm1(np.clip(self.model_.predict(self.prep_.transform(frame)), 0, None))


# ----------------------------------------------------------------------------- metrics

def classification_metrics(y, p) -> dict:
    """ROC AUC, PR AUC (average precision), log loss and Brier score; NaN when one class is absent."""
    from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score

    y = np.asarray(y, dtype=int)
    p = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
    both = 0 < y.sum() < len(y)
    return {
        "roc_auc": float(roc_auc_score(y, p)) if both else float("nan"),
        "pr_auc": float(average_precision_score(y, p)) if both else float("nan"),
        "log_loss": float(log_loss(y, p, labels=[0, 1])),
        "brier": float(brier_score_loss(y, p)),
    }


def regression_metrics(y, pred) -> dict:
    """MAE, RMSE (currency) and Spearman rank correlation of predicted vs actual revenue."""
    from scipy.stats import spearmanr

    y, pred = np.asarray(y, dtype=float), np.asarray(pred, dtype=float)
    rho = spearmanr(y, pred).statistic if np.std(y) > 0 and np.std(pred) > 0 else float("nan")
    return {"mae": float(np.mean(np.abs(y - pred))), "rmse": float(np.sqrt(np.mean((y - pred) ** 2))),
            "spearman": float(rho)}


#: the note made when the test window is too unbalanced to trust the metrics (a catalogue message id)
CLASS_BALANCE = ("The test window has {positives} positives and {negatives} negatives; with fewer than {minimum} of "
                 "either, the metrics move a lot with a few customers (GA4 asks for 1,000). Read them as indicative, "
                 "or use a longer horizon or more data.")


def class_balance_note(y) -> tuple[str, dict] | None:
    """``(CLASS_BALANCE, params)`` when the test window has too few positives or negatives to trust
    the metrics (counts formatted with thousands separators), else None."""
    y = np.asarray(y, dtype=int)
    pos, neg = int(y.sum()), int(len(y) - y.sum())
    if pos < MIN_CLASS_COUNT or neg < MIN_CLASS_COUNT:
        return CLASS_BALANCE, {"positives": f"{pos:,}", "negatives": f"{neg:,}", "minimum": MIN_CLASS_COUNT}
    return None


def class_balance_warning(y) -> str | None:
    """A sentence when the test window has too few positives or negatives to trust the metrics."""
    note = class_balance_note(y)
    return note[0].format(**note[1]) if note else None


def dumps(obj) -> str:
    """JSON with NaN written as null."""
    def clean(v):
        if isinstance(v, float) and not np.isfinite(v):
            return None
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items()}
        if isinstance(v, list):
            return [clean(x) for x in v]
        return v
    return json.dumps(clean(obj), indent=2, default=str)
