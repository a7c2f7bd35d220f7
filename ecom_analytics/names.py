"""One name per concept: the codes the library, the CLI and links use for tasks, models and metrics,
and the English label of each (the text the catalogues translate, in the context of its kind).

A code never changes with the language: links and saved runs carry codes, the UI shows labels."""

#: customer-prediction tasks
TASKS = ("purchase", "churn", "revenue")

#: customer-prediction models (Model, Evaluation, Predictions pages; ``predict`` command)
CUSTOMER_MODELS = {"recency": "Recency rule", "bgnbd": "BG/NBD", "logistic": "Logistic regression",
                   "linear": "Ridge regression (log revenue)", "gboost": "Gradient boosting", "neural": "Neural (Keras MLP)"}

#: forecasting models (Forecast page; ``forecast`` command)
FORECAST_MODELS = {
    "naive": "Naive (last value)",
    "seasonal_naive": "Seasonal naive (same period last season)",
    "snaive_level": "Seasonal naive + level (last season at today's level)",
    "ets": "ETS (exponential smoothing, best by AICc)",
    "theta": "Theta",
    "ets_theta": "ETS + Theta (mean of the two)",
    "stl_ets": "STL + ETS (season taken out, damped trend)",
    "stl_theta": "STL + Theta (season taken out)",
    "fourier": "Fourier regression (season, holidays, promotions)",
    "gbm": "Gradient boosting across series (lags, calendar, holidays)",
    "croston": "Croston (intermittent demand)",
    "sba": "SBA (Croston, bias-corrected)",
    "tsb": "TSB (intermittent, obsolescence)",
    "neural": "Neural (Keras MLP on windows)",
    "auto": "Auto (per series, by the earlier windows)",
}
#: short names of the forecasting models, for selectors and legends
FORECAST_MODELS_SHORT = {"naive": "Naive", "seasonal_naive": "Seasonal naive", "snaive_level": "Seasonal naive + level",
                         "ets": "ETS", "theta": "Theta", "ets_theta": "ETS+Theta", "stl_ets": "STL+ETS", "stl_theta": "STL+Theta",
                         "fourier": "Fourier", "gbm": "Gradient boosting", "croston": "Croston", "sba": "SBA", "tsb": "TSB",
                         "neural": "Neural", "auto": "Auto"}

#: recommenders and their offline metrics (Recommendations page; ``recommend`` command)
RECOMMEND_MODELS = {"popularity": "Popularity (recent)", "item_knn": "Item-item cosine", "ease": "EASE (linear item-item)",
                    "als": "ALS matrix factorisation", "content": "Content (TF-IDF)", "sequence": "Sequence (GRU, Keras)",
                    "hybrid": "Hybrid blend"}
RECOMMEND_METRICS = {"hit_rate": "Hit rate", "precision": "Precision", "recall": "Recall", "ndcg": "NDCG",
                     "map": "MAP", "coverage": "Coverage"}

#: uplift models (Campaigns page; ``campaign`` command)
UPLIFT_MODELS = {"t_learner": "T-learner (gradient boosting)",
                 "s_learner": "S-learner with interactions (gradient boosting)",
                 "solo_model": "Solo model: the campaign as one feature (gradient boosting)",
                 "x_learner": "X-learner (gradient boosting)", "dr_learner": "DR-learner (gradient boosting)",
                 "class_transformation": "Class transformation", "ensemble": "Average of the gradient-boosting learners",
                 "neural": "Neural uplift (Keras)"}
#: codes the uplift models had before, still read where codes come in (``campaign --models``, links):
#: old code -> its code now. The neural model was "keras"; the customer and forecasting models call it "neural".
UPLIFT_ALIASES = {"keras": "neural"}


def uplift_code(name: str) -> str:
    """The uplift model code of ``name``, an old code (see :data:`UPLIFT_ALIASES`) read as today's."""
    return UPLIFT_ALIASES.get(name, name)
