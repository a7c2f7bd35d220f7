"""The reading of the Recommendations page's leaderboard, as a coded note: the figures come from the
run's result here; the page words the note in the analyst's language and draws it."""

from __future__ import annotations

from ecom_analytics.names import RECOMMEND_MODELS
from ecom_analytics.runs import Note

LEADERBOARD = ("Reading: trained on the data before {cutoff} and scored on the {customers:,} customers who bought "
               "something new to them in the {horizon} days after, **{model}** ranks best: {hit:.0%} of them bought at "
               "least one of its {k} products (NDCG@{k} {ndcg:.3f}). Its lists use {coverage:.0%} of the catalogue.")


def leaderboard_reading(result, cutoff: str) -> Note:
    """Who the best recommender reached on the test window (``result``: a RecommendRun; ``cutoff``: the
    split's cutoff as the page shows dates)."""
    best = result.leaderboard.iloc[0]
    return Note(LEADERBOARD, {"cutoff": cutoff, "customers": result.users_evaluated,
                              "horizon": result.split.horizon_days,
                              "model": Note(RECOMMEND_MODELS.get(best["model"], best["label"])),
                              "hit": float(best["hit_rate"]), "k": result.k, "ndcg": float(best["ndcg"]),
                              "coverage": float(best["coverage"])})
