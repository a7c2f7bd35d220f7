"""Models for weekly and daily retail with one season of history or a little more.

All follow the interface of :mod:`ecom_analytics.forecasting.models` (``fit(y, ds=None,
flags=None)`` then ``predict(h, future_flags=None)``), with ``flags`` a 1-D flag or a 2-D
matrix of regressors (holidays, promotions) for :class:`FourierRegression`.

* :class:`SeasonalNaiveLevel`: the last season, shifted to the current level (the ratio, or
  the difference, between the mean of the last ``window`` periods and the mean of the same
  periods one season earlier).
* :class:`DecomposedES` (``stl_ets`` and ``stl_theta``): the seasonal part taken out (STL or
  MSTL with two seasons or more, else the last season's deviations from a short centred
  mean, shrunk), the adjusted series forecast by damped-trend exponential smoothing or the
  Theta method (vectorised numpy: a grid of smoothing parameters, the lowest in-sample
  one-step squared error), the seasonal part added back.
* :class:`FourierRegression`: dynamic harmonic regression: ridge on Fourier terms of the
  season and the holiday/promotion regressors, with a local level (damped trend) for the errors.
* :class:`Croston` (``croston``, ``sba``, ``tsb``): intermittent demand.
"""

from __future__ import annotations

import warnings

import numpy as np

from ecom_analytics.forecasting import notes
from ecom_analytics.forecasting.base import Base
from ecom_analytics.forecasting.notes import NoteError

#: smoothing parameters tried by the exponential smoothing grid
_ALPHAS = np.array([0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 0.9])
_BETAS = np.array([0.02, 0.05, 0.1, 0.2])  # as a share of alpha
_PHIS = np.array([0.8, 0.9, 0.98])


def ses_grid(y: np.ndarray, alphas: np.ndarray = _ALPHAS) -> tuple[float, float, float]:
    """Simple exponential smoothing over a grid of ``alphas``: ``(alpha, final level, sse)`` of
    the alpha with the lowest in-sample one-step squared error (level starts at ``y[0]``)."""
    level = np.full(len(alphas), float(y[0]))
    sse = np.zeros(len(alphas))
    for v in y[1:]:
        e = v - level
        sse += e * e
        level = level + alphas * e
    i = int(np.argmin(sse))
    return float(alphas[i]), float(level[i]), float(sse[i])


def holt_damped_forecast(y: np.ndarray, h: int) -> tuple[np.ndarray, str]:
    """ETS(A,N,N) or ETS(A,Ad,N) by a grid of parameters, the one with the lowest AIC on the
    in-sample one-step errors; returns the ``h`` forecasts and the configuration's name."""
    n = len(y)
    a, level_ses, sse_ses = ses_grid(y)
    grid = np.array([(al, be * al, ph) for al in _ALPHAS for be in _BETAS for ph in _PHIS])
    al, be, ph = grid[:, 0], grid[:, 1], grid[:, 2]
    level = np.full(len(grid), float(y[0]))
    trend = np.full(len(grid), float(np.mean(np.diff(y[: min(n, 5)]))) if n > 1 else 0.0)
    sse = np.zeros(len(grid))
    for v in y[1:]:
        fit = level + ph * trend
        e = v - fit
        sse += e * e
        level = fit + al * e
        trend = ph * trend + be * e
    aic_ses = n * np.log(max(sse_ses, 1e-12) / n) + 2 * 2
    aic = n * np.log(np.maximum(sse, 1e-12) / n) + 2 * 4
    i = int(np.argmin(aic))
    if aic[i] < aic_ses:
        damp = np.cumsum(ph[i] ** np.arange(1, h + 1))
        return level[i] + damp * trend[i], "ETS(A,Ad,N)"
    return np.full(h, level_ses), "ETS(A,N,N)"


def theta_forecast(y: np.ndarray, h: int, theta: float = 2.0) -> np.ndarray:
    """The Theta method (Assimakopoulos and Nikolopoulos; Hyndman and Billah's form): simple
    exponential smoothing plus half the slope of the linear trend, ``(1 - 1/theta) * b0 *
    (h - 1 + 1/alpha - (1 - alpha)^n / alpha)``."""
    n = len(y)
    alpha, level, _ = ses_grid(y)
    t = np.arange(n, dtype="float64")
    b0 = float(np.polyfit(t, y, 1)[0]) if n > 2 else 0.0
    steps = np.arange(1, h + 1)
    return level + (1 - 1 / theta) * b0 * (steps - 1 + 1 / alpha - (1 - alpha) ** n / alpha)


def seasonal_component(y: np.ndarray, m: int, shrink: float = 0.7, short_window: int | None = None
                       ) -> tuple[np.ndarray, np.ndarray, str] | None:
    key = (np.asarray(y, dtype="float64").tobytes(), int(m), float(shrink), short_window)
    found = _SEASON_CACHE.get(key)
    if found is None:
        found = _seasonal_component(np.asarray(y, dtype="float64"), m, shrink, short_window)
        if len(_SEASON_CACHE) > 64:
            _SEASON_CACHE.clear()
        _SEASON_CACHE[key] = found
    return found


#: the last decompositions (ETS and Theta on the same window share one)
_SEASON_CACHE: dict = {}


def _seasonal_component(y: np.ndarray, m: int, shrink: float, short_window: int | None
                        ) -> tuple[np.ndarray, np.ndarray, str] | None:
    """The seasonal part of ``y`` (length n) and its next season (length m), or None when the
    history is shorter than a season and a bit (m + 4 periods) or ``m`` < 2.

    With two seasons or more: STL. With one: the last season's deviations from a
    centred mean of ``short_window`` periods (m / 4 by default: holiday peaks and dips, not the
    slow yearly swing, which cannot be told from a trend with one year), times ``shrink``.
    """
    n = len(y)
    if m < 2 or n < m + 4:
        return None
    if n >= 2 * m:
        from statsmodels.tsa.seasonal import STL

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = STL(y, period=m).fit()
        season = np.asarray(res.seasonal, dtype="float64")
        return season, season[-m:].copy(), "STL"
    w = short_window or max(3, (m // 4) | 1)
    last = y[-m:]
    kernel = np.ones(w) / w
    pad = w // 2
    padded = np.concatenate([np.full(pad, last[:pad].mean()), last, np.full(pad, last[-pad:].mean())])
    trend = np.convolve(padded, kernel, mode="valid")[:m]
    profile = shrink * (last - trend)
    profile -= profile.mean()
    idx = (np.arange(n) - (n - m)) % m
    return profile[idx], profile.copy(), "one-season profile"


class SeasonalNaiveLevel(Base):
    """Seasonal naive shifted to the current level.

    ``yhat[T+s] = y[T+s-m] * r`` with ``r`` = (mean of the last ``window`` periods) / (mean of
    the same periods one season earlier), clipped to [0.5, 2], when both means are positive;
    otherwise ``y[T+s-m] + d`` with ``d`` the difference of the two means. Needs one season
    plus ``window`` periods; with exactly one season it is the plain seasonal naive.
    """

    def __init__(self, season_length: int = 52, window: int = 8, mode: str = "ratio") -> None:
        self.season_length = season_length
        self.window = window
        self.mode = mode

    def fit(self, y, ds=None, flags=None) -> "SeasonalNaiveLevel":
        arr = self._as_array(y)
        m = int(self.season_length)
        if len(arr) < m:
            raise NoteError(notes.note(notes.SNAIVE_SHORT, season=m, n=len(arr)))
        w = int(min(self.window, len(arr) - m))
        self.n_obs_, self.note_ = len(arr), None
        self.last_season_ = arr[-m:].copy()
        self.ratio_, self.shift_ = 1.0, 0.0
        if w >= 1:
            recent, before = arr[-w:].mean(), arr[-w - m:-m].mean()
            if self.mode == "ratio" and recent > 0 and before > 0:
                self.ratio_ = float(np.clip(recent / before, 0.5, 2.0))
            else:
                self.shift_ = float(recent - before)
        return self

    def predict(self, h: int, future_flags=None) -> np.ndarray:
        self._check_fitted()
        h = self._check_h(h)
        return self.last_season_[np.arange(h) % len(self.last_season_)] * self.ratio_ + self.shift_


class DecomposedES(Base):
    """Seasonal adjustment (see :func:`seasonal_component`), then damped-trend exponential
    smoothing (``method="ets"``) or the Theta method (``"theta"``) on the adjusted series; the
    seasonal part is added back. A history too short for a season is forecast without one
    (said in ``note_``)."""

    def __init__(self, season_length: int = 52, method: str = "ets", shrink: float = 0.7,
                 yearly: float | None = None, yearly_terms: int = 4) -> None:
        self.season_length = season_length
        self.method = method
        self.shrink = shrink
        self.yearly = yearly
        self.yearly_terms = yearly_terms

    def fit(self, y, ds=None, flags=None) -> "DecomposedES":
        arr = self._start(y)
        self.config_ = "constant"
        if self.fit_ is None:
            return self
        m = int(self.season_length)
        found = seasonal_component(arr, m, self.shrink)
        if found is None:
            season, self.next_season_, how = np.zeros(len(arr)), np.zeros(max(m, 1)), None
            if m > 1:
                self.note_ = notes.note(notes.RETAIL_SHORT, n=m + 4)
        else:
            season, self.next_season_, how = found
        self.adjusted_ = arr - season
        self.config_ = how or "no season"
        self.yearly_coef_ = None
        if self.yearly and len(arr) >= 2 * self.yearly:
            # a second, yearly cycle (daily data): Fourier terms with a straight line, by least squares on the
            # weekly-adjusted series; only the Fourier part is taken out (the level stays for ETS / Theta)
            t = np.arange(len(arr), dtype="float64")
            terms = fourier_terms(t, float(self.yearly), int(self.yearly_terms))
            x = np.column_stack([np.ones(len(t)), t, terms])
            coef = np.linalg.lstsq(x, self.adjusted_, rcond=None)[0]
            self.yearly_coef_ = coef[2:]
            self.adjusted_ = self.adjusted_ - terms @ self.yearly_coef_
            self.config_ += " + yearly Fourier"
        return self

    def predict(self, h: int, future_flags=None) -> np.ndarray:
        self._check_fitted()
        h = self._check_h(h)
        if self.fit_ is None:
            return np.full(h, self.constant_)
        if self.method == "theta":
            base = theta_forecast(self.adjusted_, h)
        else:
            base, _ = holt_damped_forecast(self.adjusted_, h)
        season = self.next_season_[np.arange(h) % len(self.next_season_)]
        if self.yearly_coef_ is not None:
            t = np.arange(self.n_obs_, self.n_obs_ + h, dtype="float64")
            season = season + fourier_terms(t, float(self.yearly), int(self.yearly_terms)) @ self.yearly_coef_
        return base + season


def fourier_terms(t: np.ndarray, period: float, k: int) -> np.ndarray:
    """``2k`` columns sin(2 pi j t / period), cos(2 pi j t / period) for j = 1..k."""
    j = np.arange(1, k + 1)
    angle = 2 * np.pi * np.outer(t, j) / period
    return np.hstack([np.sin(angle), np.cos(angle)])


class FourierRegression(Base):
    """Dynamic harmonic regression: ridge regression of ``y`` on ``k`` Fourier pairs of each
    period in ``periods`` (a period is used only when the history covers it and 4 periods more)
    and the regressors in ``flags`` (2-D: one column per holiday or promotion regressor), with
    a local level (and damped trend, when it earns its keep by AIC) for the errors: the
    residuals are forecast by :func:`holt_damped_forecast`. Retail levels drift; a straight
    trend line fitted on a year extrapolates badly, a local level does not."""

    uses_exog = True

    def __init__(self, periods: tuple[float, ...] = (52.18,), k: int = 8, ridge: float = 1.0) -> None:
        self.periods = periods
        self.k = k
        self.ridge = ridge

    def _design(self, t: np.ndarray, exog: np.ndarray | None) -> np.ndarray:
        cols = [np.ones((len(t), 1))]
        for p, k in self.terms_:
            cols.append(fourier_terms(t, p, k))
        if exog is not None and exog.shape[1]:
            cols.append(exog)
        return np.hstack(cols)

    def fit(self, y, ds=None, flags=None) -> "FourierRegression":
        arr = self._start(y)
        if self.fit_ is None:
            return self
        n = len(arr)
        self.terms_ = [(float(p), int(min(self.k, max(1, int(p) // 2 - 1)))) for p in self.periods if n >= p + 4]
        exog = None if flags is None else np.asarray(flags, dtype="float64").reshape(n, -1)
        self.exog_keep_ = None
        if exog is not None:
            self.exog_keep_ = exog.std(axis=0) > 0
            exog = exog[:, self.exog_keep_]
        x = self._design(np.arange(n, dtype="float64"), exog)
        scale = float(np.abs(arr).mean()) or 1.0
        penalty = self.ridge * np.eye(x.shape[1])
        penalty[0, 0] = 0.0
        self.coef_ = np.linalg.solve(x.T @ x + penalty, x.T @ (arr / scale)) * scale
        self.resid_ = arr - x @ self.coef_
        return self

    def predict(self, h: int, future_flags=None) -> np.ndarray:
        self._check_fitted()
        h = self._check_h(h)
        if self.fit_ is None:
            return np.full(h, self.constant_)
        exog = None
        if self.exog_keep_ is not None:
            given = np.zeros((h, len(self.exog_keep_))) if future_flags is None else \
                np.asarray(future_flags, dtype="float64").reshape(h, -1)
            exog = given[:, self.exog_keep_]
        t = np.arange(self.n_obs_, self.n_obs_ + h, dtype="float64")
        errors, _ = holt_damped_forecast(self.resid_, h)
        return self._design(t, exog) @ self.coef_ + errors


class Croston(Base):
    """Intermittent demand: Croston's method (``kind="croston"``), its Syntetos-Boylan
    approximation (``"sba"``, times 1 - alpha/2) or Teunter-Syntetos-Babai (``"tsb"``: the
    demand probability is smoothed every period with ``beta``). A flat forecast per period.

    Croston: the non-zero demand sizes ``z`` and the intervals between them ``p`` are smoothed
    with ``alpha`` (each starting at its first value); the forecast is ``z / p``.
    """

    def __init__(self, kind: str = "croston", alpha: float = 0.1, beta: float = 0.1) -> None:
        self.kind = kind
        self.alpha = alpha
        self.beta = beta

    def fit(self, y, ds=None, flags=None) -> "Croston":
        arr = self._as_array(y)
        self.n_obs_, self.note_ = len(arr), None
        nz = np.flatnonzero(arr != 0)
        if len(nz) == 0:
            self.level_ = 0.0
            return self
        a = float(self.alpha)
        if self.kind == "tsb":
            z, prob = float(arr[nz[0]]), 1.0 / (nz[0] + 1)
            for v in arr[nz[0] + 1:]:
                occurred = v != 0
                prob += self.beta * (float(occurred) - prob)
                if occurred:
                    z += a * (v - z)
            self.level_ = float(prob * z)
            return self
        sizes = arr[nz]
        intervals = np.diff(np.concatenate([[-1], nz])).astype("float64")
        z, p = sizes[0], intervals[0]
        for s, q in zip(sizes[1:], intervals[1:]):
            z += a * (s - z)
            p += a * (q - p)
        level = z / p
        self.level_ = float(level * (1 - a / 2) if self.kind == "sba" else level)
        return self

    def predict(self, h: int, future_flags=None) -> np.ndarray:
        self._check_fitted()
        return np.full(self._check_h(h), self.level_)


def is_intermittent(y: np.ndarray, threshold: float = 1.32) -> bool:
    """Whether the average interval between non-zero periods (ADI) is above ``threshold``
    (Syntetos and Boylan's cut-off of 1.32) with at least two non-zero periods."""
    nz = np.count_nonzero(np.asarray(y) != 0)
    return nz >= 2 and len(y) / nz > threshold


#: periods back to the same period a year earlier, and the spacing of its comparable neighbours
#: (daily: the same weekday, so 364 days back and neighbours a week apart)
YEAR_BACK = {"W": (52, 1), "D": (364, 7)}


def year_ago_holiday_factors(y: np.ndarray, holiday: np.ndarray, freq: str, neighbours: int = 4,
                             bounds: tuple[float, float] = (0.0, 2.0)) -> np.ndarray:
    """Multipliers for the periods after the history ``y`` (``len(holiday) - len(y)`` of them):
    for a period holding a public holiday whose same period a year earlier (52 weeks, or 364 days
    so the weekday matches) is in the history and holds a holiday too, that period's value divided
    by the mean of its comparable neighbours without a holiday (up to ``neighbours`` on each side,
    one period apart for weekly data, one week apart for daily; at least two, with a positive
    mean), clipped to ``bounds``; 1 elsewhere (no holiday, no year-ago period, monthly data).

    ``holiday``: one flag per period, history then horizon. A model with no yearly season
    (a level, trend or intermittent model on less than a season of history) times these
    multipliers follows last year's holiday weeks: Online Retail's shop was closed from
    23 December 2010 to 4 January 2011, so its Christmas weeks fell to near zero.
    """
    y = np.asarray(y, dtype="float64")
    holiday = np.asarray(holiday, dtype=bool)
    n, total = len(y), len(holiday)
    out = np.ones(total - n)
    if freq not in YEAR_BACK:
        return out
    back, step = YEAR_BACK[freq]
    for t in range(n, total):
        q = t - back
        if not holiday[t] or q < 0 or not holiday[q]:
            continue
        near = [q + s * k * step for k in range(1, neighbours + 1) for s in (-1, 1)]
        near = [j for j in near if 0 <= j < n and not holiday[j]]
        if len(near) < 2:
            continue
        ref = float(np.mean(y[near]))
        if ref > 0 and y[q] >= 0:
            out[t - n] = float(np.clip(y[q] / ref, *bounds))
    return out
