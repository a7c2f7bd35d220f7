"""The recommendation run: one call from stored datasets (or tables) and settings to a :class:`runs.Run`.

``run(workspace, {"orders": id, "events": id or None}, RecommendSettings(...), on_progress)`` reads the
orders (purchases) and events (views, carts, wishlists; their purchases come from the orders) through
:func:`ecom_analytics.ingest.inputs.load_inputs`, ranks the recommenders on a time split (train before
the last ``horizon`` days, scored on what customers bought for the first time after) and refits the best
one on everything. The :class:`~ecom_analytics.runs.Run` holds the leaderboard (best NDCG first), the
best model, coded notes, ``summary`` (the figures of ``recommend --json``) and ``result`` (the
:class:`~ecom_analytics.recommend.evaluation.RecommendRun`). The page and the ``recommend`` command call it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ecom_analytics.recommend.evaluation import DEFAULT_MODELS
from ecom_analytics.runs import Progress, Run, no_progress
from ecom_analytics.store import Workspace


@dataclass(frozen=True)
class RecommendSettings:
    """``horizon``: the test window in days; ``k``: products per customer (the metrics are at K);
    ``models``: recommender codes (:data:`ecom_analytics.names.RECOMMEND_MODELS`);
    ``merchandise_only``: without postage, fees and adjustments; ``seed``: of ALS and the sequence
    model; ``final``: refit the best model on all the data and recommend ``k`` products to every
    customer (the leaderboard alone without it)."""

    horizon: int
    k: int = 10
    models: tuple[str, ...] = tuple(DEFAULT_MODELS)
    merchandise_only: bool = False
    seed: int = 0
    final: bool = True


def interactions_of(orders, events=None, merchandise_only: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(interactions, catalogue)``: orders as purchases, views, carts and wishlists from ``events``
    (their purchases come from the orders), and the product catalogue; without fees when
    ``merchandise_only``. ``orders`` and ``events`` are pandas frames or Ibis tables (stored datasets
    scanned in place: only the interaction columns and the catalogue's counts come back)."""
    import ibis

    from ecom_analytics.ingest.merchandise import fee_products_of, without_fees, without_fees_of
    from ecom_analytics.recommend import build_interactions, product_catalogue

    if isinstance(orders, ibis.Table):
        if events is not None:
            events = events.filter(events.event_type != "purchase")
        if merchandise_only:  # each table without its own fees, as without_fees does
            orders = without_fees_of(orders, fee_products_of(orders))
            events = None if events is None else without_fees_of(events, fee_products_of(events))
        return build_interactions(orders, events), product_catalogue(orders, events)
    if events is not None:
        events = events[events["event_type"] != "purchase"]
    if merchandise_only:
        orders, events = without_fees(orders), without_fees(events)
    return build_interactions(orders, events), product_catalogue(orders, events)


def load_interactions(workspace: Workspace, datasets: dict[str, str | None],
                      merchandise_only: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`interactions_of` the stored orders and events named in ``datasets``."""
    from ecom_analytics.ingest.inputs import load_inputs

    inputs = load_inputs(workspace, {"orders": datasets.get("orders"), "events": datasets.get("events")})
    return interactions_of(inputs.orders, inputs.events, merchandise_only)


def recommend(interactions: pd.DataFrame, catalogue: pd.DataFrame, settings: RecommendSettings,
              on_progress: Progress = no_progress, datasets: dict[str, str | None] | None = None) -> Run:
    """The run on interactions already built (see :func:`interactions_of`)."""
    from ecom_analytics.recommend import run_recommend

    result = run_recommend(interactions, settings.horizon, settings.k, list(settings.models), catalogue=catalogue,
                           seed=settings.seed, final=settings.final, on_progress=on_progress)
    return Run("recommend", dict(datasets or {}), settings, result.leaderboard, result.best_model,
               list(result.notes), result.summary(), result)


def run(workspace: Workspace, datasets: dict[str, str | None], settings: RecommendSettings,
        on_progress: Progress = no_progress) -> Run:
    """Rank the recommenders on the stored orders (and events) named in ``datasets``."""
    interactions, catalogue = load_interactions(workspace, datasets, settings.merchandise_only)
    named = {"orders": datasets.get("orders"), "events": datasets.get("events")}
    return recommend(interactions, catalogue, settings, on_progress, named)
