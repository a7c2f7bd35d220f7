"""Offline evaluation on a time split: hit rate, precision, recall, NDCG, MAP at K, coverage."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from ecom_analytics.errors import InputError
from ecom_analytics.recommend.interactions import Split, check_enough, time_split
from ecom_analytics.recommend.models import ALS, EASE, ContentBased, Hybrid, ItemKNN, Popularity, Recommender
from ecom_analytics.names import RECOMMEND_METRICS, RECOMMEND_MODELS
from ecom_analytics.runs import Note

METRICS = ["hit_rate", "precision", "recall", "ndcg", "map", "coverage"]
ALL_MODELS = ["popularity", "item_knn", "ease", "als", "content", "sequence", "hybrid"]
# what the page and the report fit unless the analyst chooses: all but the slow Keras sequence model
DEFAULT_MODELS = [m for m in ALL_MODELS if m != "sequence"]
METRIC_LABELS = RECOMMEND_METRICS
MODEL_LABELS = RECOMMEND_MODELS
#: the note of a test window with few customers (a :class:`~ecom_analytics.runs.Note` code)
FEW_CUSTOMERS = "Only {n} customers bought something new in the test window; the metrics are shaky."
Progress = Callable[[float, str], None]


def ranking_metrics(recs: pd.DataFrame, targets: pd.DataFrame, k: int) -> dict[str, float]:
    """Mean over the customers in ``targets`` of hit rate, precision, recall, NDCG and MAP at
    ``k`` for ranked lists ``recs`` (customer_id, rank 1.., product_id). A customer without a
    list scores 0. NDCG uses binary gains, ideal DCG over min(|targets|, k) hits; MAP divides by
    min(|targets|, k)."""
    users = targets["customer_id"].unique()
    if len(users) == 0:
        raise InputError("No customer bought a new product in the test window, so nothing can be scored; "
                         "use a longer horizon or more data.")
    top = recs[(recs["rank"] <= k) & recs["customer_id"].isin(users)][["customer_id", "rank", "product_id"]]
    hits = top.merge(targets.assign(hit=True), on=["customer_id", "product_id"], how="left")
    hits["hit"] = hits["hit"].fillna(False).astype(bool)
    hits = hits.sort_values(["customer_id", "rank"])
    hits["cum_hits"] = hits.groupby("customer_id")["hit"].cumsum()
    hits["dcg"] = hits["hit"] / np.log2(hits["rank"] + 1.0)
    hits["prec_at"] = np.where(hits["hit"], hits["cum_hits"] / hits["rank"], 0.0)
    per = hits.groupby("customer_id").agg(n_hits=("hit", "sum"), dcg=("dcg", "sum"), ap=("prec_at", "sum"))
    n_rel = targets.groupby("customer_id").size().reindex(users)
    per = per.reindex(users).fillna(0.0)
    ideal_n = np.minimum(n_rel.to_numpy(), k)
    discounts = np.cumsum(1.0 / np.log2(np.arange(2, k + 2)))
    idcg = discounts[ideal_n - 1]
    return {
        "hit_rate": float((per["n_hits"] > 0).mean()),
        "precision": float((per["n_hits"] / k).mean()),
        "recall": float((per["n_hits"].to_numpy() / n_rel.to_numpy()).mean()),
        "ndcg": float((per["dcg"].to_numpy() / idcg).mean()),
        "map": float((per["ap"].to_numpy() / ideal_n).mean()),
    }


def coverage(recs: pd.DataFrame, n_products: int, k: int) -> float:
    """Share of the catalogue (``n_products``) that appears in at least one top-``k`` list."""
    return float(recs.loc[recs["rank"] <= k, "product_id"].nunique() / max(n_products, 1))


def make_model(name: str, params: dict | None = None, seed: int = 0) -> Recommender:
    """A fresh recommender by name (see ALL_MODELS) with ``params``."""
    from ecom_analytics.recommend.sequence import SequenceGRU

    params = dict(params or {})
    if name == "hybrid":
        parts = params.pop("components", DEFAULT_HYBRID)
        return Hybrid([make_model(n, p, seed) for n, _w, p in parts], [w for _n, w, _p in parts])
    classes = {"popularity": Popularity, "item_knn": ItemKNN, "ease": EASE, "als": ALS, "content": ContentBased,
               "sequence": SequenceGRU}
    if name not in classes:
        raise InputError("Unknown model '{name}'; choose from {choices}.", name=name, choices=', '.join(ALL_MODELS))
    defaults = {**DEFAULT_PARAMS.get(name, {}), **params}
    if name in ("als", "sequence"):
        defaults.setdefault("seed", seed)
    return classes[name](**defaults)


#: Settings chosen on a validation split before the test cutoff of Online Retail (see
#: benchmarks/recommend_quality.py --tune); the hybrid blends the components by weight.
DEFAULT_PARAMS: dict[str, dict] = {
    "popularity": {"window_days": 7},
    "item_knn": {"neighbours": 100, "shrink": 0.0, "recency_half_life_days": 60},
    "ease": {"l2": 500.0, "recency_half_life_days": 60},
    "als": {"factors": 64, "regularization": 10.0, "alpha": 1.0, "iterations": 8},
    "content": {"neighbours": 20, "recency_half_life_days": 60},
    "sequence": {},
}
DEFAULT_HYBRID: list[tuple[str, float, dict]] = [("ease", 1.0, {}), ("popularity", 1.5, {}), ("content", 1.0, {}),
                                                 ("als", 0.25, {})]


@dataclass
class RecommendRun:
    """Leaderboard of the models on the time split plus the best model refit on all data."""

    leaderboard: pd.DataFrame  # one row per model: model, label, METRICS, fit_seconds
    split: Split
    k: int
    best_model: str
    recommendations: pd.DataFrame | None = None
    model: Recommender | None = None  # the best model, refit on all interactions
    #: what the analyst should know, as coded notes (:class:`ecom_analytics.runs.Note`)
    notes: list[Note] = field(default_factory=list)

    @property
    def users_evaluated(self) -> int:
        return int(self.split.targets["customer_id"].nunique())

    def summary(self) -> dict:
        """JSON-ready: horizon_days, cutoff, users_evaluated, k, models (name -> metrics), best_model."""
        models = {row["model"]: {m: round(float(row[m]), 6) for m in METRICS} | {"fit_seconds": round(float(row["fit_seconds"]), 2)}
                  for _, row in self.leaderboard.iterrows()}
        return {"horizon_days": self.split.horizon_days, "cutoff": f"{self.split.cutoff:%Y-%m-%d}",
                "end": f"{self.split.end:%Y-%m-%d}", "users_evaluated": self.users_evaluated, "k": self.k,
                "models": models, "best_model": self.best_model, "notes": [n.english() for n in self.notes]}


def evaluate_models(models: dict[str, Recommender], split: Split, k: int = 10, catalogue: pd.DataFrame | None = None,
                    on_progress: Progress | None = None) -> pd.DataFrame:
    """Fit each model on ``split.train`` and score it on the split's targets; the leaderboard,
    best NDCG first, with ``fit_seconds`` (a hybrid's includes the components it reused) and
    ``own_seconds`` (without them: their sum is the time to fit every model once). Only catalogue entries of products seen before the
    cutoff are used, so nothing about the test window leaks in."""
    if split.targets.empty:
        raise InputError("No customer with history before {cutoff:%Y-%m-%d} bought a product new to them in the "
                         "{horizon_days} days after it; use a longer horizon or more data.", cutoff=split.cutoff,
                         horizon_days=split.horizon_days)
    check_enough(split.train, "The data before the test cutoff")
    cat = None
    if catalogue is not None:
        cat = catalogue[catalogue.index.isin(split.train["product_id"].unique())]
    users = split.targets["customer_id"].unique()
    rows = []
    fitted: dict[str, Recommender] = {}
    for i, (name, model) in enumerate(models.items()):
        if on_progress:
            on_progress(i / len(models), Note("Fitting {model}", {"model": Note(MODEL_LABELS.get(name, name))}))
        if isinstance(model, Hybrid) and model.components:  # reuse components fitted above
            same = {type(m): m for m in fitted.values()}
            model.components = [same.get(type(c), c) if _same_params(same.get(type(c)), c) else c
                                for c in model.components]
        t0 = time.perf_counter()
        model.fit(split.train, cat)
        seconds = own = time.perf_counter() - t0
        if isinstance(model, Hybrid):
            seconds += sum(r["fit_seconds"] for r in rows if fitted.get(r["model"]) in model.components_)
        fitted[name] = model
        recs = model.recommend(users, k)
        scores = ranking_metrics(recs, split.targets, k)
        scores["coverage"] = coverage(recs, len(model.items_), k)
        rows.append({"model": name, "label": MODEL_LABELS.get(name, model.label), **scores, "fit_seconds": seconds,
                     "own_seconds": own})
    if on_progress:
        on_progress(1.0, "Scored every model")
    board = pd.DataFrame(rows).sort_values(["ndcg", "hit_rate"], ascending=False, kind="stable").reset_index(drop=True)
    # what a model says about how it fitted (EASE on a large catalogue), once each
    every = [*fitted.values(), *(c for m in fitted.values() for c in getattr(m, "components_", []))]
    found = [m.note_ for m in every if getattr(m, "note_", None)]
    board.attrs["notes"] = [n for i, n in enumerate(found) if n not in found[:i]]
    return board


def _same_params(a: Recommender | None, b: Recommender) -> bool:
    if a is None or type(a) is not type(b):
        return False
    keys = [k for k in vars(b) if not k.endswith("_")]
    return all(getattr(a, k, None) == getattr(b, k) for k in keys)


def run_recommend(interactions: pd.DataFrame, horizon_days: int, k: int = 10, models: list[str] | None = None,
                  catalogue: pd.DataFrame | None = None, seed: int = 0, final: bool = True,
                  on_progress: Progress | None = None) -> RecommendRun:
    """Rank ``models`` on the time split (train before T = end - H, targets bought in [T, end));
    with ``final`` refit the best one on every interaction and recommend ``k`` products to
    every known customer."""
    names = list(dict.fromkeys(models or ["popularity", "item_knn", "ease", "als", "content", "hybrid"]))
    unknown = [n for n in names if n not in ALL_MODELS]
    if unknown:
        raise InputError("Unknown model {models}; choose from {choices}.", models=', '.join(unknown),
                         choices=', '.join(ALL_MODELS))
    if k < 1:
        raise InputError("k must be at least 1, not {k}.", k=k)
    check_enough(interactions)
    split = time_split(interactions, horizon_days)
    progress = (lambda share, msg: on_progress(0.8 * share, msg)) if on_progress else None
    board = evaluate_models({n: make_model(n, seed=seed) for n in names}, split, k, catalogue, progress)
    best = str(board["model"].iloc[0])
    notes = list(board.attrs.get("notes", []))
    n_users = split.targets["customer_id"].nunique()
    if n_users < 100:
        notes.append(Note(FEW_CUSTOMERS, {"n": n_users}, "warning"))
    run = RecommendRun(leaderboard=board, split=split, k=k, best_model=best, notes=notes)
    if final:
        if on_progress:
            on_progress(0.8, Note("Refitting {model} on all the data", {"model": Note(MODEL_LABELS[best])}))
        model = make_model(best, seed=seed).fit(interactions, catalogue)
        run.model = model
        run.recommendations = model.recommend(None, k)
        if on_progress:
            on_progress(1.0, "Recommendations ready")
    return run
