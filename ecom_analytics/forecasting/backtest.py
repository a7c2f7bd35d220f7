"""Rolling-origin backtests, error metrics, conformal intervals and the final forecast.

A backtest of ``windows`` windows of ``horizon`` periods cuts each series at
``n - horizon * (windows - k)`` for window ``k``: every model is fitted on the periods
before the cut only and forecasts the ``horizon`` periods after it. ``selection_windows``
more windows before the scored ones are computed too: they are never scored, and serve
"auto". With "auto", every model also forecasts from extra origins (one horizon before the
earliest window by default: never scored, never shown); auto ranks the models per series on
every forecast whose actuals lie before the cut it decides at, picks the best model, and
falls back to seasonal naive for every series of the table when
its choices were not better than seasonal naive on that evidence (see
:mod:`ecom_analytics.forecasting.selection`); the future uses all of it.

Holiday periods ahead: a model without a yearly season (naive, ETS, Theta and the
intermittent models on less than a year and 4 weeks of weekly history, or on daily data)
multiplies its forecast for a period holding a public holiday by the same period a year
earlier relative to its neighbours (see
:func:`~ecom_analytics.forecasting.retail.year_ago_holiday_factors`), in the backtest and the
future alike.

Metrics, per model, averaged over series and windows:

* MAE and RMSE, in the unit of the measure;
* MASE: MAE divided by the in-sample MAE of the seasonal naive forecast on the training
  part of that window (one-step naive when the training part is shorter than a season);
* sMAPE, in %: ``200 * |y - yhat| / (|y| + |yhat|)`` (0 when both are 0).

Prediction intervals (80 % and 95 %) are conformal: per series and model, the absolute
backtest errors divided by ``sqrt(step)`` give a quantile ``q``; the interval at step ``s``
is ``yhat +/- q * sqrt(s)``. The achieved coverage is measured on each scored window with
``q`` taken from the other windows only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from ecom_analytics.errors import InputError
from ecom_analytics.forecasting import notes as codes
from ecom_analytics.runs import Note, Progress
from ecom_analytics.forecasting.models import (ALL_MODELS, DEFAULT_MODELS, INTERMITTENT_MODELS, MODEL_LABELS, STAT_MODELS, future_dates,
                                               make_model)
from ecom_analytics.forecasting.retail import year_ago_holiday_factors
from ecom_analytics.forecasting.series import SeriesSet

LEVELS = (80, 95)
from ecom_analytics.forecasting.selection import (AUTO_DEFAULT, AUTO_RANKING, AUTO_SIZES, AutoSettings,  # noqa: F401
                                                  _auto, _order, _ranked, choose, evidence_cuts)


def smape(y, yhat) -> float:
    """Symmetric MAPE in %: mean of 200 |y - yhat| / (|y| + |yhat|), a term being 0 when both are 0."""
    y, yhat = np.asarray(y, dtype="float64"), np.asarray(yhat, dtype="float64")
    return float(np.mean(_smape_terms(y, yhat)))


def _smape_terms(y: np.ndarray, yhat: np.ndarray) -> np.ndarray:
    den = np.abs(y) + np.abs(yhat)
    return np.where(den > 0, 200.0 * np.abs(y - yhat) / np.where(den > 0, den, 1.0), 0.0)


def mase_scale(train, season_length: int) -> float:
    """In-sample MAE of the seasonal naive forecast (lag ``season_length``, or 1 when the
    history is not longer than a season); NaN when it is 0 (a constant series)."""
    train = np.asarray(train, dtype="float64")
    m = season_length if len(train) > season_length else 1
    if len(train) <= m:
        return float("nan")
    scale = float(np.mean(np.abs(train[m:] - train[:-m])))
    return scale if scale > 0 else float("nan")


def mase(y, yhat, train, season_length: int) -> float:
    """MAE of ``yhat`` divided by :func:`mase_scale` of ``train``."""
    return float(np.mean(np.abs(np.asarray(y, float) - np.asarray(yhat, float)))) / mase_scale(train, season_length)


def conformal_quantile(scores: np.ndarray, level: float) -> float:
    """The split-conformal quantile of ``scores`` for coverage ``level`` (0..1): the
    ceil((n + 1) level)-th smallest score, or the largest when n is too small."""
    scores = np.sort(np.asarray(scores, dtype="float64")[np.isfinite(scores)])
    if len(scores) == 0:
        return float("nan")
    k = math.ceil((len(scores) + 1) * level)
    return float(scores[min(k, len(scores)) - 1])


@dataclass
class ForecastResult:
    """Everything a forecast run produced.

    ``backtest``: one row per series, model, window and step with ``y``, ``yhat`` and the
    training cut; ``leaderboard``: one row per model (mae, rmse, mase, smape averaged over
    series and windows; coverage80/95); ``by_step``: the same per step ahead; ``forecast``:
    the future ``yhat`` with ``lo80, hi80, lo95, hi95`` per series and model; ``chosen``:
    the model auto uses for each series' future.
    """

    series: SeriesSet
    horizon: int
    windows: int
    models: list[str]
    backtest: pd.DataFrame
    leaderboard: pd.DataFrame
    by_step: pd.DataFrame
    forecast: pd.DataFrame
    chosen: dict[str, str]
    residual_scale: pd.DataFrame
    #: what the analyst should know, as coded notes (see :mod:`ecom_analytics.forecasting.notes`)
    notes: list[Note] = field(default_factory=list)
    #: per series, why auto chose what it did: "best" (lowest error on the earlier windows),
    #: "guard" (auto had not beaten seasonal naive on the earlier windows: seasonal naive is used)
    #: or "default" (no earlier window)
    chosen_reason: dict[str, str] = field(default_factory=dict)
    #: the holiday regressors used (column names) and the calendar's country code
    holidays: list[str] = field(default_factory=list)
    country: str | None = None
    #: auto's choice with the figures behind its guard (:class:`~ecom_analytics.forecasting.selection.AutoChoice`;
    #: None without auto) and the extra origins' forecasts it ranked on (per series)
    auto: object | None = None
    evidence: dict = field(default_factory=dict)

    @property
    def best_model(self) -> str:
        """The model with the lowest mean MASE (sMAPE when MASE is undefined)."""
        board = self.leaderboard
        key = "mase" if board["mase"].notna().any() else "smape"
        return str(board.sort_values([key, "smape"]).iloc[0]["model"])

    def summary(self) -> dict:
        """Figures for the CLI's JSON: freq, horizon, windows, n_series, models, best_model."""
        models = {r.model: {"mae": _r(r.mae), "rmse": _r(r.rmse), "mase": _r(r.mase), "smape": _r(r.smape),
                            "coverage80": _r(r.coverage80), "coverage95": _r(r.coverage95)}
                  for r in self.leaderboard.itertuples()}
        return {"freq": self.series.freq, "horizon": self.horizon, "windows": self.windows,
                "n_series": len(self.series.ids), "measure": self.series.measure, "level": self.series.level,
                "models": models, "best_model": self.best_model, "auto_choice": self.chosen,
                "notes": [codes.english(n) for n in self.notes]}


def _distinct(notes: list[Note]) -> list[Note]:
    """``notes`` without repeats (by their English), first one kept."""
    seen: dict[str, Note] = {}
    for item in notes:
        seen.setdefault(codes.english(item), item)
    return list(seen.values())


def _r(x: float) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), 4)


def _fit_predict(name: str, train: np.ndarray, h: int, m: int, flags_train, flags_future, neural_params,
                 ds_train=None, freq: str | None = None, exog_train=None, exog_future=None
                 ) -> tuple[np.ndarray | None, Note | str | None]:
    """Forecast of one model, or ``(None, reason)`` when it cannot fit this history."""
    try:
        model = make_model(name, m, h, neural_params, freq)
        if getattr(model, "uses_exog", False):
            return model.fit(train, ds_train, exog_train).predict(h, exog_future), getattr(model, "note_", None)
        model = model.fit(train, ds_train, flags_train)
        return model.predict(h, flags_future), getattr(model, "note_", None)
    except codes.NoteError as exc:
        return None, exc.note
    except InputError as exc:
        return None, exc.note


@dataclass
class _Plan:
    """One series' backtest plan: values, period starts (history then horizon), regressors
    (same rows), the export's flag (history, or None) and the training cuts (selection windows
    first, then the scored ones)."""

    uid: str
    y: np.ndarray
    ds: pd.DatetimeIndex
    exog: np.ndarray
    flags: np.ndarray | None
    cuts: list[int]
    selection: int
    base: list[str]
    holiday: np.ndarray | None = None
    #: training lengths of the extra origins auto ranks on (see :mod:`ecom_analytics.forecasting.selection`)
    extra: list[int] = field(default_factory=list)


def _projected_flags(flags: np.ndarray | None, m: int, total: int) -> np.ndarray | None:
    """The export's flag for ``total`` periods: the history as it is, later periods taken from the
    same period one season earlier (a holiday flag recurs; a promotion not yet planned reads 0)."""
    if flags is None:
        return None
    out = np.zeros(total)
    out[: len(flags)] = flags
    for t in range(len(flags), total):
        out[t] = out[t - m] if t - m >= 0 and m > 1 else 0.0
    return out


def _one_series(plan: _Plan, horizon: int, m: int, freq: str, neural_params, gbm: dict[int, np.ndarray]
                ) -> tuple[list[pd.DataFrame], dict[str, np.ndarray], list[Note], dict]:
    """Backtest rows (every base model on every cut), the future forecasts of one series, its notes and
    the forecasts from its extra origins (``cut`` and ``ds`` dates, ``y``, ``yhat`` per model as origins x
    steps, ``scale``; never scored, for auto only)."""
    y, ds, n = plan.y, plan.ds, len(plan.y)
    notes: list[Note] = []
    rows: list[pd.DataFrame] = []
    failed: set[str] = set()
    exog = plan.exog
    flags_all = _projected_flags(plan.flags, m, n + horizon)

    factors: dict[int, np.ndarray] = {}

    def year_ago(name, cut, yhat):
        """``yhat`` times last year's holiday multipliers, for a model without a yearly season here."""
        if plan.holiday is None or yhat is None or name not in YEAR_AGO_MODELS or not _no_yearly_season(freq, cut, m):
            return yhat
        if cut not in factors:
            factors[cut] = year_ago_holiday_factors(y[:cut], plan.holiday[:cut + horizon], freq)
        return yhat * factors[cut]

    closed: dict[int, np.ndarray] = {}

    def shut(name, cut, yhat):
        """``yhat`` at 0 on the positions of the season that sold nothing in each of the last 4 seasons."""
        if yhat is None or name in ("naive", "seasonal_naive") or name in INTERMITTENT_MODELS:
            return yhat
        if cut not in closed:
            closed[cut] = closed_positions(y[:cut], m, horizon)
        return np.where(closed[cut], 0.0, yhat)

    def forecast(name, cut, done):
        if name == "ets_theta" and "ets" in done and "theta" in done:
            return (done["ets"] + done["theta"]) / 2.0, None  # the same fits (already adjusted), not refitted
        yhat, note = _forecast_raw(name, cut)
        return shut(name, cut, year_ago(name, cut, yhat)), note

    def _forecast_raw(name, cut):
        if name == "gbm":
            got = gbm.get(cut)
            return (got, None) if got is not None else (None, codes.note(codes.GBM_FAILED))
        # the flag of the periods ahead is known from the season before (a holiday), never from the actuals
        fut_flags = None
        if flags_all is not None:
            fut_flags = _projected_flags(plan.flags[:cut], m, cut + horizon)[cut:]
        exog_future = exog[cut:cut + horizon].copy()
        if flags_all is not None and exog.shape[1]:
            exog_future[:, -1] = fut_flags
        return _fit_predict(name, y[:cut], horizon, m, None if plan.flags is None else plan.flags[:cut], fut_flags,
                            neural_params, ds[:cut], freq, exog[:cut], exog_future)

    for k, cut in enumerate(plan.cuts):
        scale = mase_scale(y[:cut], m)
        done: dict[str, np.ndarray] = {}
        for name in plan.base:
            yhat, note = forecast(name, cut, done)
            if yhat is None:
                if name not in failed:
                    notes.append(codes.note(codes.MODEL_LEFT_OUT, series=plan.uid, model=codes.word(MODEL_LABELS[name]),
                                            note=note))
                failed.add(name)
                continue
            done[name] = yhat
            rows.append(pd.DataFrame({"unique_id": plan.uid, "model": name, "window": k - plan.selection,
                                      "cutoff": ds[cut - 1], "step": np.arange(1, horizon + 1),
                                      "ds": ds[cut:cut + horizon], "y": y[cut:cut + horizon], "yhat": yhat,
                                      "scale": scale}))
    extra = {"cut": np.array([ds[c - 1] for c in plan.extra], dtype="datetime64[ns]"),
             "ds": np.array([ds[c:c + horizon] for c in plan.extra], dtype="datetime64[ns]").reshape(-1, horizon),
             "y": np.array([y[c:c + horizon] for c in plan.extra], dtype="float64").reshape(-1, horizon),
             "scale": np.array([mase_scale(y[:c], m) for c in plan.extra], dtype="float64"), "yhat": {},
             "pos": np.array(plan.extra, dtype=int), "first": plan.cuts[0], "last": plan.cuts[-1]}
    for i, cut in enumerate(plan.extra):  # a model that cannot fit here is simply missing (no note: never shown)
        done = {}
        for name in plan.base:
            yhat, _ = forecast(name, cut, done)
            if yhat is not None:
                done[name] = yhat
                extra["yhat"].setdefault(name, np.full((len(plan.extra), horizon), np.nan))[i] = yhat
    future: dict[str, np.ndarray] = {}
    for name in plan.base:
        yhat, note = forecast(name, n, future)
        if yhat is None:
            continue
        if note:
            notes.append(codes.note(codes.MODEL_NOTE, series=plan.uid, model=codes.word(MODEL_LABELS[name]), note=note))
        future[name] = yhat
    shut_ahead = int(closed.get(n, np.zeros(0, dtype=bool)).sum())
    if shut_ahead:
        closing = closing_day(y, m)
        notes.append(codes.by_count(shut_ahead, codes.CLOSED_ONE if closing else codes.EMPTY_ONE,
                                    codes.CLOSED_MANY if closing else codes.EMPTY_MANY, series=plan.uid,
                                    unit=codes.unit(freq), units=codes.unit(freq, shut_ahead)))
    moved = int(np.sum(factors.get(n, np.ones(0)) != 1.0))
    if moved and any(name in YEAR_AGO_MODELS for name in future):
        notes.append(codes.by_count(moved, codes.YEAR_AGO_ONE, codes.YEAR_AGO_MANY, series=plan.uid,
                                    unit=codes.unit(freq), units=codes.unit(freq, moved)))
    return rows, future, notes, extra


#: the other positions of the season sold on at least this share of their periods: a closing day, not a sparse series
OPEN_SHARE = 0.9


def _last_seasons(y: np.ndarray, m: int, seasons: int) -> tuple[np.ndarray, np.ndarray] | None:
    """The last ``seasons`` seasons of ``y`` (seasons x m) and, per position of the season, whether it was exactly 0
    in each of them; None with a season of 1 or fewer than ``seasons`` seasons of history."""
    y = np.asarray(y, dtype="float64")
    if m < 2 or len(y) < seasons * m:
        return None
    last = y[len(y) - seasons * m:].reshape(seasons, m)
    return last, (last == 0).all(axis=0)  # position j is that of the periods n + j, n + m + j ahead


def closing_day(y: np.ndarray, m: int, seasons: int = 4) -> bool:
    """Whether the positions :func:`closed_positions` forecast at 0 look like a closing day (the other positions
    sold on at least :data:`OPEN_SHARE` of their periods in the last ``seasons`` seasons: a shop closed on
    Saturdays) rather than a series that often sells nothing (a sparse product, whose empty weekdays are also
    forecast at 0: on simulated sparse daily products, Poisson at 0.1-2 a day with a weekday profile, 40 products
    x 240 days, seeds 1-2, that beat the models' own forecasts, ETS MASE 0.80 against 0.83; only the note's words
    differ)."""
    got = _last_seasons(y, m, seasons)
    if got is None:
        return False
    last, shut = got
    return bool(shut.any() and not shut.all() and (last[:, ~shut] != 0).mean() >= OPEN_SHARE)


def closed_positions(y: np.ndarray, m: int, horizon: int, seasons: int = 4) -> np.ndarray:
    """For each of the ``horizon`` periods after ``y``: whether its position in the season (a weekday for
    daily data) had a value of exactly 0 in each of the last ``seasons`` seasons (a shop closed on
    Saturdays); all False with a season of 1 or fewer than ``seasons`` seasons of history."""
    got = _last_seasons(y, m, seasons)
    return np.zeros(horizon, dtype=bool) if got is None else got[1][np.arange(horizon) % m]


#: the models whose forecast, without a yearly season, follows last year's holiday periods
#: (:func:`~ecom_analytics.forecasting.retail.year_ago_holiday_factors`)
YEAR_AGO_MODELS = ("naive", "ets", "theta", "ets_theta", "stl_ets", "stl_theta", "croston", "sba", "tsb")


def _no_yearly_season(freq: str, n_train: int, m: int) -> bool:
    """Whether ETS / Theta fitted on ``n_train`` periods have no yearly season: daily data (their
    season is the week), or weekly data shorter than a season plus 4 weeks (see
    :func:`~ecom_analytics.forecasting.retail.seasonal_component`)."""
    return freq == "D" or (freq == "W" and n_train < m + 4)


def _run_plans(plans: list[_Plan], horizon: int, m: int, freq: str, neural_params, gbm: dict, n_jobs: int,
               on_progress) -> list[tuple]:
    """:func:`_one_series` for every plan, across ``n_jobs`` processes when it is worth it."""
    out = []
    if n_jobs > 1 and len(plans) >= 8:
        from joblib import Parallel, delayed

        chunks = [plans[i::n_jobs * 4] for i in range(n_jobs * 4)]
        chunks = [c for c in chunks if c]

        def work(chunk):
            return [_one_series(p, horizon, m, freq, neural_params, gbm.get(p.uid, {})) for p in chunk]

        done = 0
        for chunk, result in zip(chunks, Parallel(n_jobs=n_jobs, return_as="generator")(
                delayed(work)(c) for c in chunks)):
            out += list(zip([p.uid for p in chunk], result))
            done += len(chunk)
            if on_progress:
                on_progress(0.1 + 0.85 * done / len(plans), codes.note(codes.BACKTESTED, done=done, total=len(plans)))
        order = {p.uid: i for i, p in enumerate(plans)}
        return [r for _, r in sorted(out, key=lambda item: order[item[0]])]
    for i, p in enumerate(plans):
        out.append(_one_series(p, horizon, m, freq, neural_params, gbm.get(p.uid, {})))
        if on_progress:
            on_progress(0.1 + 0.85 * (i + 1) / len(plans), codes.note(codes.BACKTESTED, done=i + 1, total=len(plans)))
    return out


def _regressor_matrix(series: SeriesSet, horizon: int, country: str | None) -> tuple[pd.DataFrame, list[str]]:
    """Holiday columns over every period of the set and its horizon (one row per period start)."""
    from ecom_analytics.forecasting.calendar import regressors

    last = series.frame["ds"].max()
    grid = pd.DatetimeIndex(sorted(set(series.frame["ds"]) | set(future_dates(last, horizon, series.freq))))
    table = regressors(grid, series.freq, country)
    return table, list(table.columns)


def run_forecast(series: SeriesSet, models: list[str], horizon: int, windows: int = 4, *,
                 selection_windows: int = 2, neural_params: dict | None = None,
                 on_progress: Progress | None = None, country: str | None = None,
                 n_jobs: int | None = None, auto_sizes: tuple[int, ...] = None, auto_ranking: str | None = None,
                 auto_step: float | None = None, auto_back: float | None = None,
                 auto_settings: AutoSettings | None = None) -> ForecastResult:
    """Backtest ``models`` on every series of ``series`` and forecast ``horizon`` periods ahead.

    ``country``: the holiday calendar (an ISO code; ``series.country`` when None; "" for none) whose holidays
    feed the models that take regressors (Fourier regression, gradient boosting) with the
    export's flag. ``n_jobs``: processes for the per-series fits (2 by default, 1 with the
    neural model). Raises :class:`InputError` for a horizon longer than a series' history or an
    unknown model. A model that cannot fit a (short) series is left out for that series with a
    note saying the minimum history it needs; the other models go on. With "auto", the models also
    forecast from extra origins ``auto_step`` horizons apart, reaching ``auto_back`` horizons before the
    earliest window (see :mod:`ecom_analytics.forecasting.selection`), which auto alone ranks on.
    """
    from ecom_analytics.forecasting.selection import AUTO_BACK, AUTO_STEP

    import os

    from ecom_analytics.forecasting.calendar import calendar_features
    from ecom_analytics.forecasting.global_model import PanelSeries, gbm_forecasts
    from ecom_analytics.forecasting.calendar import holiday_table
    from ecom_analytics.forecasting.retail import is_intermittent

    models = list(dict.fromkeys(models))
    unknown = [m for m in models if m not in ALL_MODELS]
    if unknown or not models:
        raise InputError("Unknown model(s) {models}; choose from {choices}.",
                         models=', '.join(unknown) or Note('(none chosen)'), choices=', '.join(ALL_MODELS))
    horizon, windows = int(horizon), int(windows)
    if horizon < 1 or windows < 1:
        raise InputError("The horizon and the number of backtest windows must be at least 1.")
    base = [m for m in models if m != "auto"]
    if "auto" in models:
        pool = [m for m in DEFAULT_MODELS if m not in ("auto", "ets_theta")] + ["ets_theta"]
        base = list(dict.fromkeys(base + pool))
    if "ets_theta" in base:  # fit ETS and Theta first: the combination reuses their forecasts
        base = [b for b in base if b != "ets_theta"] + ["ets_theta"]
    m = series.season_length
    freq = series.freq
    country = (country if country is not None else getattr(series, "country", None)) or None  # "": no calendar
    notes = list(series.notes)
    holiday_frame, holiday_cols = _regressor_matrix(series, horizon, country)
    holiday_periods = set(holiday_table(holiday_frame.index, series.freq, country)["period"]) if country else set()
    if holiday_cols:
        notes.append(codes.note(codes.HOLIDAYS, country=country, n=len(holiday_cols)))
    ids = series.ids
    min_train = max(3, min(horizon, 2 * m))
    plans: list[_Plan] = []
    for uid in ids:
        one = series.one(uid)
        y = one["y"].to_numpy(dtype="float64")
        n = len(y)
        ds = pd.DatetimeIndex(one["ds"]).append(future_dates(one["ds"].iloc[-1], horizon, series.freq))
        flags = one["flag"].to_numpy(dtype="float64") if "flag" in one.columns and series.has_flag else None
        possible = (n - min_train) // horizon
        if horizon >= n or possible < 1:
            reason = (codes.note(codes.HISTORY_ONE_PERIOD, "warning", series=uid, history=codes.span(n, freq))
                      if n <= 1 else
                      codes.note(codes.HORIZON_TOO_LONG, "warning", horizon=codes.span(horizon, freq), series=uid,
                                 history=codes.span(n, freq), n=n) if horizon >= n else
                      codes.note(codes.HISTORY_TOO_SHORT, "warning", series=uid, history=codes.span(n, freq),
                                 horizon=codes.span(horizon, freq), needed=horizon + min_train))
            if len(ids) == 1:
                raise codes.NoteError(reason)
            notes.append(codes.note(codes.LEFT_OUT, "warning", note=reason))
            continue
        w = min(windows, possible)
        if w < windows:
            notes.append(codes.note(codes.FEW_WINDOWS_ONE if w == 1 else codes.FEW_WINDOWS_MANY, series=uid,
                                    history=codes.span(n, freq), windows=w, horizon=codes.span(horizon, freq)))
        e = min(selection_windows, possible - w) if "auto" in models else 0
        if n < m + horizon and any(b in base for b in ("seasonal_naive", "snaive_level")):
            notes.append(codes.note(codes.SEASONAL_SHORT, series=uid, needed=codes.span(m + horizon, freq),
                                    history=codes.span(n, freq)))
        total = e + w
        exog = holiday_frame.reindex(ds).fillna(0.0).to_numpy(dtype="float64")
        if flags is not None:
            exog = np.column_stack([exog, _projected_flags(flags, m, n + horizon)])
        mine = list(base)
        if "auto" in models and is_intermittent(y):
            mine += [x for x in INTERMITTENT_MODELS if x not in mine]
        cuts = [n - horizon * (total - k) for k in range(total)]
        extra = evidence_cuts(cuts[0], cuts[-1], horizon, cuts, min_train,
                              AUTO_STEP if auto_step is None else auto_step,
                              AUTO_BACK if auto_back is None else auto_back) if "auto" in models else []
        plans.append(_Plan(uid, y, ds, exog, flags, cuts, e, mine,
                           np.asarray(ds.isin(list(holiday_periods))) if holiday_periods else None, extra))
    if not plans:
        raise InputError("No model could be backtested on these series; choose a shorter horizon.")
    if on_progress:
        on_progress(0.0, codes.note(codes.BACKTESTING, n=len(plans)))
    gbm: dict[str, dict[int, np.ndarray]] = {p.uid: {} for p in plans}
    if "gbm" in base:
        panel = [PanelSeries(p.uid, p.y, p.ds, p.exog, calendar_features(p.ds, series.freq)) for p in plans]
        by_date: dict[pd.Timestamp, dict[str, int]] = {}
        for p in plans:
            for cut in p.cuts + [len(p.y)] + p.extra:
                by_date.setdefault(p.ds[cut - 1], {})[p.uid] = cut
        classic = sorted({p.ds[cut - 1] for p in plans for cut in p.cuts + [len(p.y)]})
        rank = {date: j for j, date in enumerate(classic)}
        model = None
        dates = sorted(by_date)
        for j, date in enumerate(dates):
            if on_progress:
                on_progress(0.1 * j / len(by_date), codes.note(codes.GBM_CUT, j=j + 1, n=len(by_date)))
            # a model serves its own cut date and the next one (trained on less than it could see, never more);
            # the future always gets its own; an extra origin (auto's evidence) uses the latest model before it
            k = rank.get(date)
            fresh = model is None if k is None else (k % 2 == 0 or k == len(classic) - 1)
            preds, model = gbm_forecasts(panel, by_date[date], horizon, m, model=None if fresh else model)
            for uid, yhat in preds.items():
                gbm[uid][by_date[date][uid]] = yhat
    jobs = n_jobs if n_jobs is not None else (1 if "neural" in base else min(2, os.cpu_count() or 1))
    results = _run_plans(plans, horizon, m, series.freq, neural_params, gbm, jobs, on_progress)
    rows, fc_rows, evidence = [], [], {}
    for plan, (bt_rows, future, more, extra) in zip(plans, results):
        notes += more
        evidence[plan.uid] = extra
        if bt_rows:
            rows.append(pd.concat(bt_rows, ignore_index=True))
        fut = plan.ds[len(plan.y):]
        for name, yhat in future.items():
            fc_rows.append(pd.DataFrame({"unique_id": plan.uid, "model": name, "step": np.arange(1, horizon + 1),
                                         "ds": fut, "yhat": yhat}))
    if not rows:
        raise InputError("No model could be backtested on these series; choose a shorter horizon.")
    backtest = pd.concat(rows, ignore_index=True)
    forecast = pd.concat(fc_rows, ignore_index=True)
    chosen: dict[str, str] = {}
    reasons: dict[str, str] = {}
    picked = None
    if "auto" in models:
        settings = auto_settings or AutoSettings()
        if auto_sizes or auto_ranking:
            settings = AutoSettings(**{**settings.__dict__, "sizes": tuple(auto_sizes or settings.sizes),
                                       "ranking": auto_ranking or settings.ranking})
        picked = choose(backtest, evidence, settings)
        auto_bt, chosen, reasons = picked.rows, picked.chosen, picked.reason
        backtest = pd.concat([backtest, auto_bt], ignore_index=True)
        picks = forecast[forecast["unique_id"].isin(list(chosen))].copy()
        picks = picks[[name in chosen[u].split("+") for u, name in zip(picks["unique_id"], picks["model"])]]
        auto_fc = picks.groupby(["unique_id", "step"], sort=False).agg(ds=("ds", "first"), yhat=("yhat", "mean"))
        forecast = pd.concat([forecast, auto_fc.reset_index().assign(model="auto")], ignore_index=True)
    backtest = backtest[backtest["model"].isin(models)].reset_index(drop=True)
    scored = backtest[backtest["window"] >= 0]
    resid = _residual_scale(backtest)
    coverage = _coverage(scored, backtest)
    forecast = _with_intervals(forecast, resid, series)
    forecast = forecast[forecast["model"].isin(models)].reset_index(drop=True)
    if on_progress:
        on_progress(1.0, codes.note(codes.FORECAST_DONE))
    result = ForecastResult(series, horizon, windows, models, backtest, _leaderboard(scored, coverage),
                            _by_step(scored), forecast, chosen, resid, _distinct(notes))
    result.chosen_reason = reasons
    result.auto = picked
    result.evidence = evidence if "auto" in models else {}
    result.holidays = holiday_cols
    result.country = country if holiday_cols else None
    return result


def _points(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["err"] = out["y"] - out["yhat"]
    out["abs_err"] = out["err"].abs()
    out["sq_err"] = out["err"] ** 2
    out["smape"] = _smape_terms(out["y"].to_numpy(), out["yhat"].to_numpy())
    return out


def _leaderboard(scored: pd.DataFrame, coverage: pd.DataFrame) -> pd.DataFrame:
    """Per model: metrics per series and window, then averaged."""
    p = _points(scored)
    per = p.groupby(["model", "unique_id", "window"], sort=False).agg(
        mae=("abs_err", "mean"), mse=("sq_err", "mean"), smape=("smape", "mean"), scale=("scale", "first"))
    per["rmse"] = np.sqrt(per["mse"])
    per["mase"] = per["mae"] / per["scale"]
    board = per.groupby("model", sort=False)[["mae", "rmse", "mase", "smape"]].mean().reset_index()
    board["series"] = per.reset_index().groupby("model", sort=False)["unique_id"].nunique().to_numpy()
    board = board.merge(coverage, on="model", how="left")
    board["label"] = board["model"].map(MODEL_LABELS)
    key = "mase" if board["mase"].notna().any() else "smape"
    return board.sort_values([key, "smape"]).reset_index(drop=True)


def _by_step(scored: pd.DataFrame) -> pd.DataFrame:
    """Per model and step ahead: MAE, RMSE, MASE (mean of |e| / scale) and sMAPE."""
    p = _points(scored)
    p["scaled"] = p["abs_err"] / p["scale"]
    out = p.groupby(["model", "step"]).agg(mae=("abs_err", "mean"), mse=("sq_err", "mean"),
                                          mase=("scaled", "mean"), smape=("smape", "mean")).reset_index()
    out["rmse"] = np.sqrt(out.pop("mse"))
    return out[["model", "step", "mae", "rmse", "mase", "smape"]]


def _residual_scale(backtest: pd.DataFrame) -> pd.DataFrame:
    """Per series and model: conformal quantiles q80, q95 of |e| / sqrt(step) over all
    backtest windows, and ``sigma1``, the root mean square of e / sqrt(step) (one period's
    error spread, for safety stock)."""
    p = backtest.assign(score=(backtest["y"] - backtest["yhat"]).abs() / np.sqrt(backtest["step"]))
    g = p.groupby(["unique_id", "model"], sort=False)["score"]
    out = pd.DataFrame({f"q{lv}": g.apply(lambda s, lv=lv: conformal_quantile(s.to_numpy(), lv / 100)) for lv in LEVELS})
    out["sigma1"] = g.apply(lambda s: float(np.sqrt(np.mean(s.to_numpy() ** 2))))
    out["n_errors"] = g.size()
    return out.reset_index()


def _coverage(scored: pd.DataFrame, backtest: pd.DataFrame) -> pd.DataFrame:
    """Per model: share of scored actuals inside the 80/95 % intervals, each window's
    intervals calibrated on the other windows of the same series and model."""
    score = ((backtest["y"] - backtest["yhat"]).abs() / np.sqrt(backtest["step"])).to_numpy(dtype="float64")
    win = backtest["window"].to_numpy()
    hits = []
    for (uid, model), rows in backtest.groupby(["unique_id", "model"], sort=False).indices.items():
        sc, wn = score[rows], win[rows]
        for window in pd.unique(wn[wn >= 0]):
            mine = wn == window
            rest = sc[~mine]
            if len(rest) == 0:
                continue
            row = {"model": model}
            for lv in LEVELS:
                q = conformal_quantile(rest, lv / 100)
                row[f"coverage{lv}"] = float((sc[mine] <= q).mean())
            row["n"] = int(mine.sum())
            hits.append(row)
    if not hits:
        return pd.DataFrame({"model": scored["model"].unique(), "coverage80": np.nan, "coverage95": np.nan})
    h = pd.DataFrame(hits)
    out = h.groupby("model").apply(lambda g: pd.Series({f"coverage{lv}": np.average(g[f"coverage{lv}"], weights=g["n"])
                                                         for lv in LEVELS}), include_groups=False)
    return out.reset_index()


def _with_intervals(forecast: pd.DataFrame, resid: pd.DataFrame, series: SeriesSet) -> pd.DataFrame:
    out = forecast.merge(resid[["unique_id", "model", "q80", "q95"]], on=["unique_id", "model"], how="left")
    nonneg = series.frame.groupby("unique_id")["y"].min().ge(0)
    floor = np.where(out["unique_id"].map(nonneg).fillna(False).to_numpy(dtype=bool), 0.0, -np.inf)
    root = np.sqrt(out["step"].to_numpy(dtype="float64"))
    for lv in LEVELS:
        half = out.pop(f"q{lv}").to_numpy(dtype="float64") * root
        out[f"lo{lv}"] = np.maximum(out["yhat"] - half, floor)
        out[f"hi{lv}"] = out["yhat"] + half
    return out
