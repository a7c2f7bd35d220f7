"""Sales forecasting: series in one long format, models with one interface, rolling-origin
backtests against baselines, conformal intervals and inventory hints.

``build_series`` / ``sales_series`` -> :class:`SeriesSet` -> ``run_forecast`` ->
:class:`ForecastResult` (backtest, leaderboard, forecast with intervals) ->
``inventory_hints`` for one product.
"""

from ecom_analytics.forecasting.backtest import (ForecastResult, conformal_quantile, mase, mase_scale, run_forecast,
                                                 smape)
from ecom_analytics.forecasting.inventory import InventoryHints, inventory_hints
from ecom_analytics.forecasting.models import (ALL_MODELS, DEFAULT_MODELS, ETS, MODEL_LABELS, STAT_MODELS, ETSTheta, Naive,
                                               NeuralForecaster, SeasonalNaive, Theta, make_model)
from ecom_analytics.forecasting.series import (FREQ_LABELS, FREQS, LEVELS, MEASURES, SeriesSet, build_series,
                                               sales_series)

__all__ = ["ALL_MODELS", "DEFAULT_MODELS", "ETS", "ETSTheta", "FREQS", "FREQ_LABELS", "ForecastResult", "InventoryHints", "LEVELS",
           "MEASURES", "MODEL_LABELS", "Naive", "NeuralForecaster", "STAT_MODELS", "SeasonalNaive", "SeriesSet",
           "Theta", "build_series", "conformal_quantile", "inventory_hints", "make_model", "mase", "mase_scale",
           "run_forecast", "sales_series", "smape"]
