"""Forecasting models with one interface: ``fit(y, ds=None, flags=None)`` then ``predict(h)``.

Every model follows scikit-learn's conventions: parameters in ``__init__``, ``fit`` returns
``self``, learned attributes end in ``_``, ``predict`` before ``fit`` raises. ``y`` is a 1-D
array of values per period (oldest first); ``predict(h)`` returns the next ``h`` values.

ETS and Theta come from statsmodels (statsforecast 2.1 pins pandas < 3, which this project
cannot take) for seasons up to 24 periods; with a longer season (52 weeks) they run on the
seasonally adjusted series (:mod:`ecom_analytics.forecasting.retail`). ``SeasonalNaive``
refuses a history shorter than one season; statsmodels' ETS and Theta drop their seasonal
part when the history holds fewer than two seasons, and say so in ``note_``. The retail
models (seasonal naive + level, STL + ETS/Theta, Fourier regression, Croston/SBA/TSB) are in
:mod:`~ecom_analytics.forecasting.retail`, the global gradient boosting in
:mod:`~ecom_analytics.forecasting.global_model`.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ecom_analytics.errors import InputError
from ecom_analytics.forecasting import notes, retail
from ecom_analytics.forecasting.base import Base
from ecom_analytics.forecasting.notes import NoteError
from ecom_analytics.names import FORECAST_MODELS, FORECAST_MODELS_SHORT

MODEL_LABELS = FORECAST_MODELS
MODEL_SHORT = FORECAST_MODELS_SHORT
STAT_MODELS = ("naive", "seasonal_naive", "snaive_level", "ets", "theta", "ets_theta", "stl_ets", "stl_theta",
               "fourier", "gbm")
#: intermittent-demand models: auto adds them for sparse series (average interval between sales above 1.32)
INTERMITTENT_MODELS = ("croston", "sba", "tsb")
ALL_MODELS = STAT_MODELS + INTERMITTENT_MODELS + ("neural", "auto")
#: the neural forecaster is slow: chosen on demand; STL + ETS/Theta are what ETS and Theta do for a season
#: over 24 periods, so they are chosen on demand too
DEFAULT_MODELS = tuple(m for m in STAT_MODELS if m not in ("stl_ets", "stl_theta")) + ("auto",)
#: ETS and Theta with a longer season (52 weeks) are fitted on the seasonally adjusted series (STL + ETS /
#: STL + Theta): statsmodels' 52 seasonal states need two years and minutes per series
LONG_SEASON = 24


class Naive(Base):
    """Every future period equals the last observed one."""

    def fit(self, y, ds=None, flags=None) -> "Naive":
        arr = self._as_array(y)
        self.last_ = float(arr[-1])
        self.n_obs_ = len(arr)
        return self

    def predict(self, h: int, future_flags=None) -> np.ndarray:
        self._check_fitted()
        return np.full(self._check_h(h), self.last_)


class SeasonalNaive(Base):
    """Every future period equals the same period one season earlier."""

    def __init__(self, season_length: int = 12) -> None:
        self.season_length = season_length

    def fit(self, y, ds=None, flags=None) -> "SeasonalNaive":
        arr = self._as_array(y)
        m = int(self.season_length)
        if len(arr) < m:
            raise NoteError(notes.note(notes.SNAIVE_SHORT, season=m, n=len(arr)))
        self.last_season_ = arr[-m:].copy()
        self.n_obs_ = len(arr)
        return self

    def predict(self, h: int, future_flags=None) -> np.ndarray:
        self._check_fitted()
        h = self._check_h(h)
        return self.last_season_[np.arange(h) % len(self.last_season_)]


class ETS(Base):
    """Exponential smoothing state space model (statsmodels ``ETSModel``), additive errors.

    Tries no trend, additive and damped additive trend, each with no, additive and (for a
    positive series) multiplicative seasonality, and keeps the fit with the lowest AICc.
    Seasonality is tried only with at least two full seasons of history. ``maxiter`` caps the
    optimiser's iterations per configuration (statsmodels' 1,000 makes a fit 5-8 times slower
    for the same AICc on the benchmark series).
    """

    def __init__(self, season_length: int = 12, damped_only: bool = False, maxiter: int = 200) -> None:
        self.season_length = season_length
        self.damped_only = damped_only
        self.maxiter = maxiter

    def fit(self, y, ds=None, flags=None) -> "ETS":
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        arr = self._start(y)
        self.config_ = "constant"
        if self.fit_ is None:
            return self
        m = int(self.season_length)
        seasons: list[str | None] = [None]
        if m > 1 and len(arr) >= 2 * m + 2:
            seasons += ["add"] + (["mul"] if arr.min() > 0 else [])
        elif m > 1:
            self.note_ = notes.note(notes.ETS_SHORT, n=2 * m + 2)
        trends = [(None, False), ("add", True)] + ([] if self.damped_only else [("add", False)])
        best, best_config = None, None
        scale = float(np.abs(arr).mean()) or 1.0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for trend, damped in trends:
                for seasonal in seasons:
                    try:
                        res = ETSModel(arr / scale, error="add", trend=trend, damped_trend=damped, seasonal=seasonal,
                                       seasonal_periods=m if seasonal else None).fit(disp=False, maxiter=self.maxiter)
                    except Exception:  # noqa: BLE001 - a configuration that cannot fit is skipped
                        continue
                    if np.isfinite(res.aicc) and (best is None or res.aicc < best.aicc):
                        best, best_config = res, (trend, damped, seasonal)
        self.scale_ = scale
        if best is None:
            self.constant_, self.fit_, self.config_ = float(arr[-1]), None, "naive (no ETS configuration fitted)"
            return self
        self.fit_, self.constant_ = best, None
        trend, damped, seasonal = best_config
        self.config_ = f"ETS(A,{'Ad' if damped else 'A' if trend else 'N'},{ {'add': 'A', 'mul': 'M'}.get(seasonal, 'N')})"
        return self

    def predict(self, h: int, future_flags=None) -> np.ndarray:
        return self._forecast(h, self.scale_)


class Theta(Base):
    """The Theta method (statsmodels ``ThetaModel``): a drift line and simple exponential
    smoothing, on the seasonally adjusted series when the history holds two seasons or more
    (multiplicative adjustment for a positive series, additive otherwise)."""

    def __init__(self, season_length: int = 12, theta: float = 2.0) -> None:
        self.season_length = season_length
        self.theta = theta

    def fit(self, y, ds=None, flags=None) -> "Theta":
        from statsmodels.tsa.forecasting.theta import ThetaModel

        arr = self._start(y)
        if self.fit_ is None:
            return self
        m = int(self.season_length)
        seasonal = m > 1 and len(arr) >= 2 * m
        if m > 1 and not seasonal:
            self.note_ = notes.note(notes.THETA_SHORT, n=2 * m)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                self.fit_ = ThetaModel(arr, period=m if seasonal else 1, deseasonalize=seasonal,
                                       method="multiplicative" if arr.min() > 0 else "additive").fit()
                self.constant_ = None
            except Exception:  # noqa: BLE001 - e.g. a degenerate series: fall back to its last value
                self.fit_, self.constant_ = None, float(arr[-1])
                self.note_ = notes.note(notes.THETA_FAILED)
        return self

    def predict(self, h: int, future_flags=None) -> np.ndarray:
        return self._forecast(h, 1.0, theta=self.theta)


class ETSTheta(Base):
    """The mean of the ETS and Theta forecasts (a fixed, untuned combination: combining the
    two is a strong benchmark in forecasting competitions)."""

    def __init__(self, season_length: int = 12) -> None:
        self.season_length = season_length

    def fit(self, y, ds=None, flags=None) -> "ETSTheta":
        long_season = self.season_length > LONG_SEASON
        self.ets_ = make_model("ets", self.season_length, 1).fit(y) if long_season else ETS(self.season_length).fit(y)
        self.theta_ = make_model("theta", self.season_length, 1).fit(y) if long_season else Theta(self.season_length).fit(y)
        self.note_ = self.ets_.note_ or self.theta_.note_
        self.n_obs_ = self.ets_.n_obs_
        return self

    def predict(self, h: int, future_flags=None) -> np.ndarray:
        self._check_fitted()
        return (self.ets_.predict(h) + self.theta_.predict(h)) / 2.0


class NeuralForecaster(Base):
    """A Keras MLP that maps the last ``lags`` values to the next ``horizon`` values at once.

    Inputs per window: the lags divided by their mean absolute value (so one network fits
    any level), the position of the first target period in the season as sine and cosine,
    and, when the series has a holiday/promotion flag, the flags of the ``horizon`` target
    periods. Outputs are the target values on the same scale. TensorFlow is imported in
    :meth:`fit` only.
    """

    def __init__(self, horizon: int = 12, season_length: int = 12, lags: int | None = None,
                 hidden: tuple[int, ...] = (32, 16), epochs: int = 200, learning_rate: float = 0.005,
                 seed: int = 0) -> None:
        self.horizon = horizon
        self.season_length = season_length
        self.lags = lags
        self.hidden = hidden
        self.epochs = epochs
        self.learning_rate = learning_rate
        self.seed = seed

    def _lags(self, n: int) -> int:
        if self.lags:
            return int(self.lags)
        return int(max(2, min(max(self.season_length, 2 * self.horizon), (n - self.horizon) // 2)))

    def _inputs(self, windows: np.ndarray, positions: np.ndarray, flags: np.ndarray | None):
        scale = np.abs(windows).mean(axis=1, keepdims=True)
        scale[scale == 0] = 1.0
        m = max(1, int(self.season_length))
        angle = 2 * np.pi * (positions % m) / m
        parts = [windows / scale, np.sin(angle)[:, None], np.cos(angle)[:, None]]
        if flags is not None:
            parts.append(flags)
        return np.hstack(parts).astype("float32"), scale

    def fit(self, y, ds=None, flags=None) -> "NeuralForecaster":
        import keras

        arr = self._as_array(y)
        h, n = int(self.horizon), len(arr)
        lags = self._lags(n)
        count = n - lags - h + 1
        if count < 8:
            raise NoteError(notes.note(notes.NEURAL_SHORT, needed=lags + h + 7, horizon=h, n=n))
        idx = np.arange(count)[:, None]
        windows = arr[idx + np.arange(lags)]
        targets = arr[idx + lags + np.arange(h)]
        use_flags = flags is not None and np.asarray(flags).sum() > 0
        fl = np.asarray(flags, dtype="float64")[idx + lags + np.arange(h)] if use_flags else None
        x, scale = self._inputs(windows, np.arange(count) + lags, fl)
        t = (targets / scale).astype("float32")
        keras.utils.set_random_seed(int(self.seed))
        layers = [keras.Input(shape=(x.shape[1],))]
        layers += [keras.layers.Dense(u, activation="relu") for u in self.hidden]
        layers.append(keras.layers.Dense(h))
        model = keras.Sequential(layers)
        model.compile(optimizer=keras.optimizers.Adam(self.learning_rate), loss="mae")
        # the same number of passes over the windows, in 10 Keras epochs over a tiled copy: a series
        # has a few hundred windows, so Keras' per-epoch overhead, not the arithmetic, was most of the time
        repeat = max(1, int(self.epochs) // 10)
        model.fit(np.tile(x, (repeat, 1)), np.tile(t, (repeat, 1)), epochs=max(1, round(int(self.epochs) / repeat)),
                  batch_size=min(32, len(x)), verbose=0, shuffle=True)
        self.model_, self.lags_, self.uses_flags_ = model, lags, use_flags
        self.last_window_, self.n_obs_ = arr[-lags:].copy(), n
        return self

    def predict(self, h: int, future_flags=None) -> np.ndarray:
        self._check_fitted()
        h = self._check_h(h)
        if h > self.horizon:
            raise InputError("This neural forecaster was trained for {trained} periods ahead, not {horizon}.",
                             trained=self.horizon, horizon=h)
        fl = None
        if self.uses_flags_:
            fl = np.zeros((1, self.horizon))
            if future_flags is not None:
                given = np.asarray(future_flags, dtype="float64")[: self.horizon]
                fl[0, : len(given)] = given
        x, scale = self._inputs(self.last_window_[None, :], np.array([self.n_obs_]), fl)
        out = np.asarray(self.model_(x, training=False))[0] * scale[0, 0]  # a direct call: no retracing per window
        return np.asarray(out[:h], dtype="float64")


def make_model(name: str, season_length: int, horizon: int, neural_params: dict | None = None,
               freq: str | None = None):
    """A fresh, unfitted model called ``name`` (one of :data:`ALL_MODELS` but auto, which is a
    choice among the others)."""
    long_season = season_length > LONG_SEASON
    if name == "naive":
        return Naive()
    if name == "seasonal_naive":
        return SeasonalNaive(season_length)
    if name == "snaive_level":
        return retail.SeasonalNaiveLevel(season_length)
    if name in ("stl_ets", "stl_theta") or (long_season and name in ("ets", "theta")):
        # daily data: the weekly season by STL, the yearly one by Fourier terms once two years are there
        return retail.DecomposedES(season_length, "theta" if name.endswith("theta") else "ets",
                                   yearly=365.25 if freq == "D" else None)
    if name == "ets":
        return ETS(season_length)
    if name == "theta":
        return Theta(season_length)
    if name == "ets_theta":
        return ETSTheta(season_length)
    if name == "fourier":
        periods = {"D": (7.0, 365.25), "W": (365.25 / 7,), "M": (12.0,)}.get(freq or "", (float(season_length),))
        return retail.FourierRegression(periods=periods, k={"D": 3, "W": 8, "M": 5}.get(freq or "", 4))
    if name in INTERMITTENT_MODELS:
        return retail.Croston(name)
    if name == "neural":
        return NeuralForecaster(horizon=horizon, season_length=season_length, **(neural_params or {}))
    if name == "gbm":
        raise InputError("The gradient-boosting model is trained across series: use run_forecast.")
    raise InputError("Unknown model '{name}'; choose from {choices}.", name=name, choices=', '.join(ALL_MODELS))


def future_dates(last: pd.Timestamp, h: int, freq: str) -> pd.DatetimeIndex:
    """The ``h`` period starts after ``last``."""
    from ecom_analytics.forecasting.series import OFFSETS

    return pd.date_range(last, periods=h + 1, freq=OFFSETS[freq])[1:]
