"""Rolling-origin backtests, error metrics, conformal intervals and the final forecast.

A backtest of ``windows`` windows of ``horizon`` periods cuts each series at
``n - horizon * (windows - k)`` for window ``k``: every model is fitted on the periods
before the cut only and forecasts the ``horizon`` periods after it. ``selection_windows``
more windows before the scored ones are computed too: they are never scored, and serve
"auto", which for each window uses the model with the lowest MAE on the window just before
it (so it never looks at the window it is scored on), and for the future the model best on
the latest window.

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
from ecom_analytics.forecasting.models import ALL_MODELS, MODEL_LABELS, STAT_MODELS, future_dates, make_model
from ecom_analytics.forecasting.series import FREQ_LABELS, SeriesSet

LEVELS = (80, 95)
#: "auto" uses this model where no earlier window exists yet
AUTO_DEFAULT = ("ets_theta", "ets", "theta", "seasonal_naive", "naive")


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
    notes: list[str] = field(default_factory=list)

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
                "models": models, "best_model": self.best_model, "auto_choice": self.chosen, "notes": self.notes}


def _r(x: float) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), 4)


def _fit_predict(name: str, train: np.ndarray, h: int, m: int, flags_train, flags_future, neural_params,
                 ds_train=None) -> tuple[np.ndarray | None, str | None]:
    """Forecast of one model, or ``(None, reason)`` when it cannot fit this history."""
    try:
        model = make_model(name, m, h, neural_params).fit(train, ds_train, flags_train)
        return model.predict(h, flags_future), getattr(model, "note_", None)
    except InputError as exc:
        return None, str(exc)


def run_forecast(series: SeriesSet, models: list[str], horizon: int, windows: int = 4, *,
                 selection_windows: int = 2, neural_params: dict | None = None,
                 on_progress: Callable[[float, str], None] | None = None) -> ForecastResult:
    """Backtest ``models`` on every series of ``series`` and forecast ``horizon`` periods ahead.

    Raises :class:`InputError` for a horizon longer than a series' history or an unknown
    model. A model that cannot fit a (short) series is left out for that series with a note
    saying the minimum history it needs; the other models go on.
    """
    models = list(dict.fromkeys(models))
    unknown = [m for m in models if m not in ALL_MODELS]
    if unknown or not models:
        raise InputError(f"Unknown model(s) {', '.join(unknown) or '(none chosen)'}; choose from {', '.join(ALL_MODELS)}.")
    horizon, windows = int(horizon), int(windows)
    if horizon < 1 or windows < 1:
        raise InputError("The horizon and the number of backtest windows must be at least 1.")
    base = [m for m in models if m != "auto"]
    if "auto" in models:
        base = list(dict.fromkeys(base + [m for m in STAT_MODELS if m not in ("ets_theta",)] + ["ets_theta"]))
    if "ets_theta" in base:  # fit ETS and Theta first: the combination reuses their forecasts
        base = [b for b in base if b != "ets_theta"] + ["ets_theta"]
    m = series.season_length
    unit = FREQ_LABELS[series.freq]
    notes = list(series.notes)
    rows, fc_rows, chosen = [], [], {}
    ids = series.ids
    min_train = max(3, min(horizon, 2 * m))
    for i, uid in enumerate(ids):
        one = series.one(uid)
        y = one["y"].to_numpy(dtype="float64")
        ds = pd.DatetimeIndex(one["ds"])
        flags = one["flag"].to_numpy(dtype="float64") if "flag" in one.columns else None
        n = len(y)
        possible = (n - min_train) // horizon
        if horizon >= n or possible < 1:
            reason = (f"The horizon ({horizon} {unit}s) is not shorter than the history of '{uid}' ({n} {unit}s). "
                      f"Choose a horizon below {n} or a finer frequency." if horizon >= n else
                      f"'{uid}' has {n} {unit}s: a backtest of {horizon} {unit}s ahead needs at least "
                      f"{horizon + min_train}. Choose a shorter horizon.")
            if len(ids) == 1:
                raise InputError(reason)
            notes.append(f"left out: {reason}")
            continue
        w = min(windows, possible)
        if w < windows:
            notes.append(f"'{uid}': {n} {unit}s of history allow only {w} backtest window(s) of {horizon}")
        e = min(selection_windows, possible - w) if "auto" in models else 0
        if n < m + horizon:
            notes.append(f"'{uid}': seasonal models need at least one season plus the horizon ({m + horizon} "
                         f"{unit}s); the history has {n}, so the models that can fit are used")
        total = e + w
        mine: list[pd.DataFrame] = []
        failed: set[str] = set()
        for k in range(total):
            cut = n - horizon * (total - k)
            train, test = y[:cut], y[cut:cut + horizon]
            ftrain = flags[:cut] if flags is not None else None
            ffut = flags[cut:cut + horizon] if flags is not None else None
            scale = mase_scale(train, m)
            done: dict[str, np.ndarray] = {}
            for name in base:
                if name == "ets_theta" and "ets" in done and "theta" in done:
                    yhat, note = (done["ets"] + done["theta"]) / 2.0, None  # the same fits, not refitted
                else:
                    yhat, note = _fit_predict(name, train, horizon, m, ftrain, ffut, neural_params, ds[:cut])
                if yhat is None:
                    if name not in failed:
                        notes.append(f"'{uid}', {MODEL_LABELS[name]}: left out where the history is too short ({note})")
                    failed.add(name)
                    continue
                done[name] = yhat
                mine.append(pd.DataFrame({"unique_id": uid, "model": name, "window": k - e, "cutoff": ds[cut - 1],
                                          "step": np.arange(1, horizon + 1), "ds": ds[cut:cut + horizon],
                                          "y": test, "yhat": yhat, "scale": scale}))
            if on_progress:
                on_progress((i + (k + 1) / (total + 1)) / len(ids), f"Backtesting {uid}: window {k + 1} of {total}")
        bt = pd.concat(mine, ignore_index=True) if mine else None
        if bt is not None and "auto" in models:
            bt = pd.concat([bt, _auto_backtest(bt, base)], ignore_index=True)
        if bt is not None:
            rows.append(bt)
        # the future
        fut = future_dates(ds[-1], horizon, series.freq)
        future: dict[str, pd.DataFrame] = {}
        for name in base:
            if name == "ets_theta" and "ets" in future and "theta" in future:
                yhat, note = (future["ets"]["yhat"].to_numpy() + future["theta"]["yhat"].to_numpy()) / 2.0, None
            else:
                yhat, note = _fit_predict(name, y, horizon, m, flags, np.zeros(horizon) if flags is not None else None,
                                          neural_params, ds)
            if yhat is None:
                continue
            if note:
                notes.append(f"'{uid}', {MODEL_LABELS[name]}: {note}")
            future[name] = pd.DataFrame({"unique_id": uid, "model": name, "step": np.arange(1, horizon + 1),
                                         "ds": fut, "yhat": yhat})
        if "auto" in models and bt is not None:
            pick = _best(_latest(bt[bt["model"] != "auto"]), base)
            chosen[uid] = pick
            if pick in future:
                future["auto"] = future[pick].assign(model="auto")
        fc_rows += list(future.values())
        if on_progress:
            on_progress((i + 1) / len(ids), f"Forecast {uid} ({i + 1} of {len(ids)})")
    if not rows:
        raise InputError("No model could be backtested on these series; choose a shorter horizon.")
    backtest = pd.concat(rows, ignore_index=True)
    backtest = backtest[backtest["model"].isin(models)].reset_index(drop=True)
    scored = backtest[backtest["window"] >= 0]
    resid = _residual_scale(backtest)
    coverage = _coverage(scored, backtest)
    forecast = _with_intervals(pd.concat(fc_rows, ignore_index=True), resid, series)
    forecast = forecast[forecast["model"].isin(models)].reset_index(drop=True)
    return ForecastResult(series, horizon, windows, models, backtest, _leaderboard(scored, coverage),
                          _by_step(scored), forecast, chosen, resid, list(dict.fromkeys(notes)))


def _best(bt: pd.DataFrame, base: list[str]) -> str:
    """The model with the lowest MAE over the windows in ``bt`` (the first default when empty)."""
    if bt.empty:
        return next((d for d in AUTO_DEFAULT if d in base), base[0])
    err = (bt["y"] - bt["yhat"]).abs().groupby(bt["model"]).mean()
    # a model missing on some windows is only compared on full coverage
    counts = bt.groupby("model").size()
    err = err[counts == counts.max()]
    return str(err.idxmin())


def _latest(bt: pd.DataFrame) -> pd.DataFrame:
    """The rows of the latest window in ``bt`` (empty stays empty)."""
    return bt[bt["window"] == bt["window"].max()] if len(bt) else bt


def _auto_backtest(bt: pd.DataFrame, base: list[str]) -> pd.DataFrame:
    """Auto's backtest rows: for each window, the forecast of the model best on the window just
    before it (sales series drift: the latest window says more than an average over older ones)."""
    parts = []
    for window in sorted(bt["window"].unique()):
        earlier = bt[(bt["window"] < window) & (bt["model"] != "auto")]
        pick = _best(_latest(earlier), base)
        here = bt[(bt["window"] == window) & (bt["model"] == pick)]
        if here.empty:
            here = bt[(bt["window"] == window)]
            here = here[here["model"] == here["model"].iloc[0]]
        parts.append(here.assign(model="auto", picked=pick))
    return pd.concat(parts, ignore_index=True)


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
    bt = backtest.assign(score=(backtest["y"] - backtest["yhat"]).abs() / np.sqrt(backtest["step"]))
    hits = []
    for (uid, model), group in bt.groupby(["unique_id", "model"], sort=False):
        for window in group.loc[group["window"] >= 0, "window"].unique():
            rest = group.loc[group["window"] != window, "score"].to_numpy()
            here = group[group["window"] == window]
            if len(rest) == 0:
                continue
            row = {"model": model}
            for lv in LEVELS:
                q = conformal_quantile(rest, lv / 100)
                row[f"coverage{lv}"] = float((here["score"] <= q).mean())
            row["n"] = len(here)
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
