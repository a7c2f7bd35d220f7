"""Rolling-origin backtests, error metrics, conformal intervals and the final forecast.

A backtest of ``windows`` windows of ``horizon`` periods cuts each series at
``n - horizon * (windows - k)`` for window ``k``: every model is fitted on the periods
before the cut only and forecasts the ``horizon`` periods after it. ``selection_windows``
more windows before the scored ones are computed too: they are never scored, and serve
"auto", which for each window and series uses, from the **earlier** windows only, the model
with the lowest mean scaled error (MAE / MASE scale) or the mean of the best three, whichever
of the two rules would itself have done better on those earlier windows (a nested backtest),
and falls back to seasonal naive for every series of the table when, over the earlier
windows, its own errors were not below seasonal naive's (see :func:`_auto`); the future uses
all windows.

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
from ecom_analytics.runs import Note
from ecom_analytics.forecasting.models import (ALL_MODELS, DEFAULT_MODELS, INTERMITTENT_MODELS, MODEL_LABELS, STAT_MODELS, future_dates,
                                               make_model)
from ecom_analytics.forecasting.retail import year_ago_holiday_factors
from ecom_analytics.forecasting.series import SeriesSet

LEVELS = (80, 95)
#: "auto" uses this model where no earlier window exists yet
AUTO_DEFAULT = ("ets_theta", "snaive_level", "stl_theta", "ets", "theta", "seasonal_naive", "naive")
#: "auto" compares, per series, the mean of the best k models for each k here (the first is its fallback).
#: Chosen on the validation windows before the reported ones (benchmarks/forecast_quality.py: Online Retail
#: weekly total, by country and by product, synthetic stores seed 1, US retail monthly), by auto's sMAPE
#: relative to the best rule of each table, averaged over the five tables: 1.016 for (1, 3) with the nested
#: choice; 1.023 the single best model (the rule before); 1.041 and 1.063 the mean of the best 2 and 3;
#: 1.037 and 1.061 with inverse-error weights; 1.031 shrinking from the best towards the mean of two by how
#: often the best model won the earlier windows; 1.11 a fixed ETS + Theta (+ seasonal naive + level)
AUTO_SIZES: tuple[int, ...] = (1, 3)
#: how auto ranks the models on the earlier windows: "mean" scaled error, or "relative" to each window's
#: median model (on the same validation windows: 1.07 to 1.17, much worse on US retail, whose 2008 window
#: has every error tripled; so "mean")
AUTO_RANKING = "mean"


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
        return None, str(exc)


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
                ) -> tuple[list[pd.DataFrame], dict[str, np.ndarray], list[Note]]:
    """Backtest rows (every base model on every cut) and the future forecasts of one series."""
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
        notes.append(codes.by_count(shut_ahead, codes.CLOSED_ONE, codes.CLOSED_MANY, series=plan.uid,
                                    unit=codes.unit(freq), units=codes.unit(freq, shut_ahead)))
    moved = int(np.sum(factors.get(n, np.ones(0)) != 1.0))
    if moved and any(name in YEAR_AGO_MODELS for name in future):
        notes.append(codes.by_count(moved, codes.YEAR_AGO_ONE, codes.YEAR_AGO_MANY, series=plan.uid,
                                    unit=codes.unit(freq), units=codes.unit(freq, moved)))
    return rows, future, notes


def closed_positions(y: np.ndarray, m: int, horizon: int, seasons: int = 4) -> np.ndarray:
    """For each of the ``horizon`` periods after ``y``: whether its position in the season (a weekday for
    daily data) had a value of exactly 0 in each of the last ``seasons`` seasons (a shop closed on
    Saturdays); all False with a season of 1 or fewer than ``seasons`` seasons of history."""
    y = np.asarray(y, dtype="float64")
    n = len(y)
    if m < 2 or n < seasons * m:
        return np.zeros(horizon, dtype=bool)
    last = y[n - seasons * m:].reshape(seasons, m)
    shut = (last == 0).all(axis=0)  # by position (n - seasons * m + j) % m, i.e. j for the periods n + j, n + m + j
    return shut[np.arange(horizon) % m]


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
                on_progress(0.1 + 0.85 * done / len(plans), f"Backtested {done} of {len(plans)} series")
        order = {p.uid: i for i, p in enumerate(plans)}
        return [r for _, r in sorted(out, key=lambda item: order[item[0]])]
    for i, p in enumerate(plans):
        out.append(_one_series(p, horizon, m, freq, neural_params, gbm.get(p.uid, {})))
        if on_progress:
            on_progress(0.1 + 0.85 * (i + 1) / len(plans), f"Backtested {i + 1} of {len(plans)} series")
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
                 on_progress: Callable[[float, str], None] | None = None, country: str | None = None,
                 n_jobs: int | None = None, auto_sizes: tuple[int, ...] = None, auto_ranking: str | None = None
                 ) -> ForecastResult:
    """Backtest ``models`` on every series of ``series`` and forecast ``horizon`` periods ahead.

    ``country``: the holiday calendar (an ISO code; ``series.country`` when None; "" for none) whose holidays
    feed the models that take regressors (Fourier regression, gradient boosting) with the
    export's flag. ``n_jobs``: processes for the per-series fits (2 by default, 1 with the
    neural model). Raises :class:`InputError` for a horizon longer than a series' history or an
    unknown model. A model that cannot fit a (short) series is left out for that series with a
    note saying the minimum history it needs; the other models go on.
    """
    import os

    from ecom_analytics.forecasting.calendar import calendar_features
    from ecom_analytics.forecasting.global_model import PanelSeries, gbm_forecasts
    from ecom_analytics.forecasting.calendar import holiday_table
    from ecom_analytics.forecasting.retail import is_intermittent

    models = list(dict.fromkeys(models))
    unknown = [m for m in models if m not in ALL_MODELS]
    if unknown or not models:
        raise InputError(f"Unknown model(s) {', '.join(unknown) or '(none chosen)'}; choose from {', '.join(ALL_MODELS)}.")
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
            reason = (codes.note(codes.HORIZON_TOO_LONG, "warning", horizon=codes.span(horizon, freq), series=uid,
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
        plans.append(_Plan(uid, y, ds, exog, flags, [n - horizon * (total - k) for k in range(total)], e, mine,
                           np.asarray(ds.isin(list(holiday_periods))) if holiday_periods else None))
    if not plans:
        raise InputError("No model could be backtested on these series; choose a shorter horizon.")
    if on_progress:
        on_progress(0.0, f"Backtesting {len(plans)} series")
    gbm: dict[str, dict[int, np.ndarray]] = {p.uid: {} for p in plans}
    if "gbm" in base:
        panel = [PanelSeries(p.uid, p.y, p.ds, p.exog, calendar_features(p.ds, series.freq)) for p in plans]
        by_date: dict[pd.Timestamp, dict[str, int]] = {}
        for p in plans:
            for cut in p.cuts + [len(p.y)]:
                by_date.setdefault(p.ds[cut - 1], {})[p.uid] = cut
        model = None
        dates = sorted(by_date)
        for j, date in enumerate(dates):
            if on_progress:
                on_progress(0.1 * j / len(by_date), f"Training gradient boosting across the series: cut {j + 1} of "
                            f"{len(by_date)}")
            # a model serves its own cut date and the next one (trained on less than it could see, never more);
            # the future always gets its own
            fresh = j % 2 == 0 or j == len(dates) - 1
            preds, model = gbm_forecasts(panel, by_date[date], horizon, m, model=None if fresh else model)
            for uid, yhat in preds.items():
                gbm[uid][by_date[date][uid]] = yhat
    jobs = n_jobs if n_jobs is not None else (1 if "neural" in base else min(2, os.cpu_count() or 1))
    results = _run_plans(plans, horizon, m, series.freq, neural_params, gbm, jobs, on_progress)
    rows, fc_rows = [], []
    for plan, (bt_rows, future, more) in zip(plans, results):
        notes += more
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
    if "auto" in models:
        auto_bt, chosen, reasons = _auto(backtest, tuple(auto_sizes or AUTO_SIZES), auto_ranking or AUTO_RANKING)
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
        on_progress(1.0, "Forecast done")
    result = ForecastResult(series, horizon, windows, models, backtest, _leaderboard(scored, coverage),
                            _by_step(scored), forecast, chosen, resid, _distinct(notes))
    result.chosen_reason = reasons
    result.holidays = holiday_cols
    result.country = country if holiday_cols else None
    return result


def _scaled_errors(bt: pd.DataFrame) -> pd.DataFrame:
    """Per series, model and window: MAE divided by the window's MASE scale (by the mean absolute
    actual when the scale is undefined), so windows and series weigh alike."""
    err = (bt["y"] - bt["yhat"]).abs()
    g = bt.assign(err=err, size=bt["y"].abs()).groupby(["unique_id", "window", "model"], sort=False)
    out = g.agg(mae=("err", "mean"), scale=("scale", "first"), size=("size", "mean")).reset_index()
    fallback = out["size"].where(out["size"] > 0, 1.0)
    out["score"] = out["mae"] / out["scale"].where(out["scale"] > 0).fillna(fallback)
    return out[["unique_id", "window", "model", "score"]]


def _baseline(models_here: set[str]) -> str:
    return "seasonal_naive" if "seasonal_naive" in models_here else "naive"


def _order(errors: np.ndarray, ranking: str) -> np.ndarray:
    """Column positions of ``errors`` (rows: earlier windows, columns: models) from best to worst (see
    :func:`_ranked`); ties keep the column order."""
    if ranking == "relative":
        med = np.median(errors, axis=1)
        med = np.where(med > 0, med, 1.0)
        key = np.log(np.clip(errors / med[:, None], 1e-6, None)).mean(axis=0)
    else:
        key = errors.mean(axis=0)
    return np.argsort(key, kind="stable")


def _ranked(earlier: pd.DataFrame, ranking: str) -> pd.Series:
    """The models (columns of ``earlier``: scaled errors, one row per earlier window) from best to worst,
    with their key: by their mean (``"mean"``), or by the mean log of their error relative to the window's
    median model (``"relative"``: a crisis window with every error tripled weighs as much as a calm one)."""
    order = _order(earlier.to_numpy(dtype="float64"), ranking)
    return pd.Series(np.arange(len(order)), index=earlier.columns[order])


def _rule(uid_scores: pd.DataFrame, window, cols: list[str], yhats: dict, sizes: tuple[int, ...], ranking: str
          ) -> list[str] | None:
    """The models auto averages for one series at ``window`` (None: the future), from the earlier
    windows only: per size k in ``sizes``, the k best models; then the size whose own choices would
    have done best on the earlier windows (each of those windows forecast from the windows before
    it: a nested backtest; ties and too few windows keep the first size). None without an earlier
    window. ``yhats``: per window, ``(y, forecasts as an array steps x models, {model: column}, scale)``."""
    earlier = uid_scores[uid_scores.index < window] if window is not None else uid_scores
    earlier = earlier[[c for c in earlier.columns if c in cols]].dropna(axis=1, how="any")
    if earlier.empty or earlier.shape[1] == 0:
        return None
    names = list(earlier.columns)
    errors = earlier.to_numpy(dtype="float64")
    order = _order(errors, ranking)
    now = {k: order[:k] for k in sizes if k <= len(order) or k == sizes[0]}
    first = next(iter(now))
    if len(now) > 1 and len(errors) > 1:
        past = {k: [] for k in now}
        wins = list(earlier.index)
        for i in range(1, len(wins)):
            before = _order(errors[:i], ranking)
            y, fc, position, scale = yhats[wins[i]]
            at = np.array([position[m] for m in names])
            for k in now:
                guess = fc[:, at[before[:k]]].mean(axis=1)
                past[k].append(float(np.mean(np.abs(y - guess))) / scale)
        best = min(now, key=lambda k: (np.mean(past[k]), k != first))
    else:
        best = first
    return [names[j] for j in now[best]]


def _auto(bt: pd.DataFrame, sizes: tuple[int, ...] = AUTO_SIZES, ranking: str = AUTO_RANKING
          ) -> tuple[pd.DataFrame, dict[str, str], dict[str, str]]:
    """Auto's backtest rows, and its choice for the future of each series with the reason.

    For each window in turn, per series, from the **earlier** windows only (never the one scored):
    the models ranked by their scaled errors (see :func:`_ranked`); the best one, or the mean of
    the best few, whichever would have done better on the earlier windows themselves (see
    :func:`_rule`); the first of :data:`AUTO_DEFAULT` where no earlier window exists. A table guard:
    when the rule's errors on the earlier windows (those where it had earlier windows to rank
    on), over all series, were above those of seasonal naive (naive where a series is shorter
    than a season) by their geometric mean ratio, seasonal naive is used for every series on
    this window. The future uses every window the same way.
    """
    scores = _scaled_errors(bt)
    table = scores.pivot_table(index=["unique_id", "window"], columns="model", values="score")
    wide = bt.pivot_table(index=["unique_id", "window", "step"], columns="model", values="yhat")
    info = bt.drop_duplicates(["unique_id", "window", "step"]).set_index(["unique_id", "window", "step"])[
        ["ds", "y", "cutoff", "scale"]].reindex(wide.index)
    windows = sorted(bt["window"].unique())
    rule_scores: dict[tuple[str, int], float] = {}  # what the rule (unguarded) would have scored
    base_scores: dict[tuple[str, int], float] = {}
    picks: dict[tuple[str, int | None], tuple[list[str], str]] = {}
    uids = list(dict.fromkeys(bt["unique_id"]))
    per_uid = {uid: frame.droplevel(0) for uid, frame in table.groupby(level=0, sort=False)}
    yhats: dict[str, dict] = {}
    position = {m: j for j, m in enumerate(wide.columns)}
    facts_of: dict[tuple, pd.DataFrame] = {}
    for (uid, window), frame in wide.groupby(level=[0, 1], sort=False):
        facts = info.loc[(uid, window)]
        facts_of[(uid, window)] = facts
        scale = float(facts["scale"].iloc[0])
        if not np.isfinite(scale) or scale <= 0:
            scale = float(facts["y"].abs().mean()) or 1.0
        yhats.setdefault(uid, {})[window] = (facts["y"].to_numpy(dtype="float64"), frame.to_numpy(dtype="float64"),
                                             position, scale)
    for window in windows + [None]:  # None: the future
        seen = [k for k in rule_scores if window is None or k[1] < window]
        # the geometric mean of the rule's error relative to seasonal naive's (one big window does not decide alone)
        ratios = [np.log(rule_scores[k] / base_scores[k]) for k in seen if rule_scores[k] > 0 and base_scores[k] > 0]
        guard = bool(ratios) and float(np.mean(ratios)) > 0
        for uid in uids:
            here = per_uid.get(uid)
            if here is None or (window is not None and window not in here.index):
                continue
            current = here.loc[window].dropna() if window is not None else here.iloc[-1].dropna()
            available = set(current.index)
            baseline = _baseline(available)
            rule = _rule(here, window, sorted(available), yhats[uid], sizes, ranking)
            reason = "best"
            if rule is None:
                rule, reason = [next((d for d in AUTO_DEFAULT if d in available), sorted(available)[0])], "default"
            picks[(uid, window)] = ([baseline] if guard else rule, "guard" if guard else reason)
            if window is not None and reason == "best":  # the guard judges the rule, not the no-evidence default
                key = (uid, window)
                y, fc, _, scale = yhats[uid][window]
                rule_scores[key] = float(np.mean(np.abs(y - fc[:, [position[r] for r in rule]].mean(axis=1)))) / scale
                base_scores[key] = float(table.loc[key, baseline])
    parts = []
    for (uid, window), (chosen, _) in picks.items():
        if window is None:
            continue
        key = (uid, window)
        facts = facts_of[key]
        fc = yhats[uid][window][1]
        parts.append(pd.DataFrame({"unique_id": uid, "model": "auto", "window": window,
                                   "cutoff": facts["cutoff"].to_numpy(), "step": facts.index.to_numpy(),
                                   "ds": facts["ds"].to_numpy(), "y": facts["y"].to_numpy(),
                                   "yhat": fc[:, [position[c] for c in chosen]].mean(axis=1),
                                   "scale": facts["scale"].to_numpy(), "picked": "+".join(chosen)}))
    auto_bt = pd.concat(parts, ignore_index=True) if parts else bt.iloc[:0].assign(picked=pd.Series(dtype="string"))
    chosen_future = {u: "+".join(picks[(u, None)][0]) for u in uids if (u, None) in picks}
    reasons = {u: picks[(u, None)][1] for u in uids if (u, None) in picks}
    return auto_bt[bt.columns.tolist() + ["picked"]], chosen_future, reasons


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
