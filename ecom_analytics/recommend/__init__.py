"""Product recommendations: interactions, models with one fit/recommend interface, offline evaluation.

>>> interactions = build_interactions(orders, events)
>>> run = run_recommend(interactions, horizon_days=30, k=10, catalogue=product_catalogue(orders, events))
>>> run.leaderboard, run.recommendations
"""

from ecom_analytics.recommend.evaluation import (ALL_MODELS, DEFAULT_HYBRID, DEFAULT_MODELS, DEFAULT_PARAMS, METRIC_LABELS, METRICS,
                                                 MODEL_LABELS, RecommendRun, coverage, evaluate_models, make_model,
                                                 ranking_metrics, run_recommend)
from ecom_analytics.recommend.interactions import (DEFAULT_WEIGHTS, Split, build_interactions, check_enough,
                                                   customer_history,
                                                   end_of_data, product_catalogue, time_split)
from ecom_analytics.recommend.models import (ALS, EASE, POPULAR_REASON, ContentBased, Hybrid, ItemKNN, NotFittedError,
                                             Popularity, Recommender)
from ecom_analytics.recommend.sequence import SequenceGRU, purchase_sequences

__all__ = ["ALL_MODELS", "ALS", "ContentBased", "DEFAULT_HYBRID", "DEFAULT_MODELS", "DEFAULT_PARAMS", "DEFAULT_WEIGHTS", "EASE", "Hybrid",
           "ItemKNN", "METRICS", "METRIC_LABELS", "MODEL_LABELS", "NotFittedError", "POPULAR_REASON", "Popularity",
           "RecommendRun", "Recommender", "SequenceGRU", "Split", "build_interactions", "check_enough", "coverage", "customer_history",
           "end_of_data", "evaluate_models", "make_model", "product_catalogue", "purchase_sequences",
           "ranking_metrics", "run_recommend", "time_split"]
