"""Coherent forecasts for a two-level hierarchy: a total and the series that add up to it.

``coherent_series`` builds the hierarchy from order lines (the total, then the ``top_n``
largest products / categories / countries and an ``other`` series holding the rest, so the
bottom series add up to the total exactly). ``reconcile`` makes base forecasts coherent:

* ``bottom_up``: the total is the sum of the bottom forecasts;
* ``mint``: MinT (Wickramasuriya, Athanasopoulos and Hyndman, 2019) with a shrunk covariance
  of the base forecasts' backtest errors: ``S (S' W^-1 S)^-1 S' W^-1 yhat``; W is shrunk
  towards its diagonal by the Schäfer-Strimmer intensity.

``reconciled_accuracy`` does both on every backtest window of a :class:`ForecastResult` run
on such a hierarchy (W from the other windows' errors only) and reports MAE, sMAPE and MASE per
level (total, bottom) for the base, bottom-up and MinT forecasts.

``reconcile_run`` is what the Forecast page shows: one model's future forecast made coherent
(W from every backtest window's errors), with 80 % / 95 % intervals calibrated on the
reconciled backtest errors, and the accuracy table of that model as forecast and as reconciled.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ecom_analytics.errors import InputError, Note
from ecom_analytics.forecasting import notes
from ecom_analytics.forecasting.models import MODEL_LABELS as MODEL_NAMES
from ecom_analytics.forecasting.series import LEVELS as SERIES_LEVELS
from ecom_analytics.forecasting.series import SeriesSet, build_series


def summing_matrix(n_bottom: int) -> np.ndarray:
    """S of a total over ``n_bottom`` series: a row of ones, then the identity."""
    return np.vstack([np.ones((1, n_bottom)), np.eye(n_bottom)])


def shrunk_covariance(errors: np.ndarray) -> np.ndarray:
    """Covariance of ``errors`` (observations x nodes) shrunk towards its diagonal with the
    Schäfer-Strimmer intensity (clipped to [0, 1])."""
    e = np.asarray(errors, dtype="float64")
    n = e.shape[0]
    if n < 2:
        return np.diag(np.maximum(np.mean(e ** 2, axis=0), 1e-9))
    centred = e - e.mean(axis=0)
    cov = centred.T @ centred / n
    sd = np.sqrt(np.maximum(np.diag(cov), 1e-12))
    corr = cov / np.outer(sd, sd)
    std = centred / sd
    w = np.einsum("ti,tj->tij", std, std)
    var_corr = n / (n - 1) ** 3 * ((w - w.mean(axis=0)) ** 2).sum(axis=0)
    off = ~np.eye(len(sd), dtype=bool)
    denom = float((corr[off] ** 2).sum())
    lam = float(np.clip(var_corr[off].sum() / denom, 0, 1)) if denom > 0 else 1.0
    shrunk = (1 - lam) * corr + lam * np.eye(len(sd))
    np.fill_diagonal(shrunk, 1.0)
    return shrunk * np.outer(sd, sd) + np.eye(len(sd)) * 1e-9


def reconcile(base: np.ndarray, method: str = "mint", errors: np.ndarray | None = None) -> np.ndarray:
    """Coherent forecasts from ``base`` (nodes x steps: the total first, then the bottom series).

    ``errors`` (observations x nodes): backtest errors of the base forecasts, for MinT; without
    them MinT uses equal variances (OLS reconciliation).
    """
    base = np.asarray(base, dtype="float64")
    k = base.shape[0] - 1
    if k < 1:
        raise InputError("Reconciliation needs a total and at least one series below it.")
    s = summing_matrix(k)
    if method == "bottom_up":
        return s @ base[1:]
    if method != "mint":
        raise InputError("Unknown reconciliation '{method}'; choose bottom_up or mint.", method=method)
    w = shrunk_covariance(errors) if errors is not None and len(errors) else np.eye(k + 1)
    w_inv = np.linalg.pinv(w)
    p = np.linalg.solve(s.T @ w_inv @ s, s.T @ w_inv)
    return s @ (p @ base)


def coherent_series(orders: pd.DataFrame, measure: str, level: str, freq: str, top_n: int = 10) -> SeriesSet:
    """The total and, below it, the ``top_n`` largest series of ``level`` plus ``other`` (the
    rest), on one grid of complete periods; the bottom series add up to the total exactly."""
    total = build_series(orders, measure, "total", freq)
    every = build_series(orders, measure, level, freq, top_n=None)
    grid = pd.DatetimeIndex(total.frame["ds"])
    wide = every.frame.pivot_table(index="ds", columns="unique_id", values="y", aggfunc="sum").reindex(grid).fillna(0.0)
    order = every.ids
    keep = order[:top_n]
    rest = [c for c in order if c not in keep]
    if measure == "orders":
        raise InputError("Distinct orders do not add up across products; reconcile revenue or units.")
    if rest:
        wide["other"] = wide[rest].sum(axis=1)
        keep = keep + ["other"]
    parts = [total.frame[["unique_id", "ds", "y"]]]
    for uid in keep:
        parts.append(pd.DataFrame({"unique_id": uid, "ds": grid, "y": wide[uid].to_numpy()}))
    frame = pd.concat(parts, ignore_index=True)
    frame["unique_id"] = frame["unique_id"].astype("string")
    shown = notes.word(level) if level in SERIES_LEVELS else level  # a column of the table stays as it is
    found = list(total.notes) + [notes.note(notes.HIERARCHY, n=len(keep), level=shown)]
    return SeriesSet(frame, freq, measure, f"{level}+total", {}, {}, found, every.labels, total.country, total.partial)


#: the ways to make the levels coherent, in the order the page offers them
METHODS = ("bottom_up", "mint")
#: prediction interval levels of the reconciled forecast (as in the backtest)
LEVELS = (80, 95)


def _hierarchy_frames(result, model: str) -> tuple[list[str], pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(node ids, total first), and ``yhat``, ``y``, ``scale`` of ``model`` as (window, step) x node
    tables over every backtest window (selection windows included); an :class:`InputError` when the
    model did not forecast every node on every window (the levels cannot be made coherent)."""
    ids = list(result.series.ids)
    if len(ids) < 2 or result.series.level.split("+")[-1] != "total":
        raise InputError("Coherent levels need a total and the series below it; forecast by product, category "
                         "or country with coherent levels on.")
    bt = result.backtest[result.backtest["model"] == model]
    if bt.empty:
        raise InputError("The model '{model}' was not backtested; choose one of the models of the run.", model=model)
    wide_yhat = bt.pivot_table(index=["window", "step"], columns="unique_id", values="yhat", aggfunc="first")
    missing = [u for u in ids if u not in wide_yhat.columns]
    if missing or wide_yhat[ids].isna().any().any():
        raise InputError("{model} could not forecast every series on every backtest window, so the levels cannot "
                         "be made coherent with it; choose another model.", model=Note(MODEL_NAMES.get(model, model)))
    wide_y = bt.pivot_table(index=["window", "step"], columns="unique_id", values="y", aggfunc="first")[ids]
    scale = bt.pivot_table(index=["window", "step"], columns="unique_id", values="scale", aggfunc="first",
                           dropna=False).reindex(columns=ids)
    return ids, wide_yhat[ids], wide_y, scale


def reconcile_backtest(result, model: str = "auto") -> pd.DataFrame:
    """Every backtest window of ``model`` reconciled both ways: one row per node, window and step
    with ``y``, ``base`` (the model's forecast), ``bottom_up``, ``mint`` (MinT's covariance from the
    other windows' errors only) and ``scale`` (the MASE scale of that window's training part)."""
    ids, wide_yhat, wide_y, scale = _hierarchy_frames(result, model)
    windows = list(wide_yhat.index.get_level_values(0).unique())
    parts = []
    for window in windows:
        base = wide_yhat.loc[window].to_numpy().T
        others = [w for w in windows if w != window]
        errors = (wide_y.loc[others] - wide_yhat.loc[others]).to_numpy() if others else None
        steps = wide_yhat.loc[window].index.to_numpy()
        values = {"base": base, "bottom_up": reconcile(base, "bottom_up"), "mint": reconcile(base, "mint", errors)}
        actual = wide_y.loc[window].to_numpy().T
        sc = scale.loc[window].to_numpy().T
        for i, uid in enumerate(ids):
            parts.append(pd.DataFrame({"unique_id": uid, "window": window, "step": steps, "y": actual[i],
                                       **{k: v[i] for k, v in values.items()}, "scale": sc[i]}))
    return pd.concat(parts, ignore_index=True)


def _accuracy(rows: pd.DataFrame, total_id: str) -> pd.DataFrame:
    """MAE, sMAPE (%) and MASE per level and method over the scored windows (``window >= 0``):
    per node and window first (MASE = MAE / that window's scale), then the mean over windows and,
    for the bottom level, over its series."""
    from ecom_analytics.forecasting.backtest import _smape_terms

    scored = rows[rows["window"] >= 0]
    out = []
    for method in ("base", *METHODS):
        err = (scored["y"] - scored[method]).abs()
        per = scored.assign(err=err, smape=_smape_terms(scored["y"].to_numpy(), scored[method].to_numpy())).groupby(
            ["unique_id", "window"], sort=False).agg(mae=("err", "mean"), smape=("smape", "mean"),
                                                     scale=("scale", "first")).reset_index()
        per["mase"] = per["mae"] / per["scale"].where(per["scale"] > 0)
        per["level"] = np.where(per["unique_id"] == total_id, "total", "bottom")
        agg = per.groupby("level", sort=False)[["mae", "smape", "mase"]].mean()
        for level in ("total", "bottom"):
            out.append({"level": level, "method": method, **agg.loc[level].to_dict()})
    return pd.DataFrame(out, columns=["level", "method", "mae", "smape", "mase"])


def reconciled_accuracy(result, model: str = "auto") -> pd.DataFrame:
    """MAE, sMAPE and MASE per level (``total``, ``bottom``) and method (base, bottom_up, mint) of
    ``model`` over the scored backtest windows of a run on :func:`coherent_series`, each a mean
    over windows (and the bottom series). MinT's covariance for a window comes from the other
    windows' errors only."""
    rows = reconcile_backtest(result, model)
    ids = result.series.ids
    out = _accuracy(rows, ids[0])
    out.attrs["total"], out.attrs["bottom"] = ids[0], ids[1:]
    return out


@dataclass
class Reconciled:
    """One model's forecast made coherent.

    ``forecast``: per node and step, ``ds``, ``yhat`` (coherent: the bottom series add up to the
    total), ``base`` (the model's own forecast) and ``lo80, hi80, lo95, hi95``; ``accuracy``: per
    level, sMAPE (%) and MASE as forecast (``smape_base``, ``mase_base``) and reconciled
    (``smape``, ``mase``) over the scored backtest windows; ``sigma1``: per node, the root mean
    square of the reconciled backtest errors / sqrt(step) (one period's error, for stock hints).
    """

    model: str
    method: str
    forecast: pd.DataFrame
    accuracy: pd.DataFrame
    sigma1: dict[str, float]
    bottom: int


def reconcile_run(result, model: str, method: str = "mint") -> Reconciled:
    """``model``'s future forecast of a run on :func:`coherent_series`, reconciled by ``method``
    (bottom_up, or mint with the covariance of every backtest window's errors).

    The intervals are conformal, as in the backtest: the reconciled backtest errors of a node
    divided by sqrt(step) give the 80 % / 95 % quantile ``q``; step ``s`` gets ``yhat +/- q sqrt(s)``
    (floored at 0 for a series that was never negative)."""
    from ecom_analytics.forecasting.backtest import conformal_quantile

    if method not in METHODS:
        raise InputError("Unknown reconciliation '{method}'; choose bottom_up or mint.", method=method)
    rows = reconcile_backtest(result, model)
    ids = list(result.series.ids)
    fc = result.forecast[result.forecast["model"] == model]
    wide = fc.pivot_table(index="step", columns="unique_id", values="yhat", aggfunc="first")
    if any(u not in wide.columns for u in ids) or wide[ids].isna().any().any():
        raise InputError("{model} could not forecast every series on every backtest window, so the levels cannot "
                         "be made coherent with it; choose another model.", model=Note(MODEL_NAMES.get(model, model)))
    base = wide[ids].to_numpy().T
    errors = None
    if method == "mint":
        errors = (rows.pivot_table(index=["window", "step"], columns="unique_id", values="y")[ids]
                  - rows.pivot_table(index=["window", "step"], columns="unique_id", values="base")[ids]).to_numpy()
    coherent = reconcile(base, method, errors)
    ds = fc.drop_duplicates("step").set_index("step")["ds"].reindex(wide.index)
    nonneg = result.series.frame.groupby("unique_id")["y"].min().ge(0)
    parts, sigma1 = [], {}
    for i, uid in enumerate(ids):
        mine = rows[rows["unique_id"] == uid]
        score = ((mine["y"] - mine[method]).abs() / np.sqrt(mine["step"])).to_numpy()
        sigma1[uid] = float(np.sqrt(np.mean(((mine["y"] - mine[method]) / np.sqrt(mine["step"])) ** 2)))
        root = np.sqrt(wide.index.to_numpy(dtype="float64"))
        floor = 0.0 if bool(nonneg.get(uid, False)) else -np.inf
        one = pd.DataFrame({"unique_id": uid, "model": model, "method": method, "step": wide.index.to_numpy(),
                            "ds": ds.to_numpy(), "yhat": coherent[i], "base": base[i]})
        for lv in LEVELS:
            half = conformal_quantile(score, lv / 100) * root
            one[f"lo{lv}"] = np.maximum(one["yhat"] - half, floor)
            one[f"hi{lv}"] = one["yhat"] + half
        parts.append(one)
    acc = _accuracy(rows, ids[0])
    base_acc = acc[acc["method"] == "base"].set_index("level")
    mine_acc = acc[acc["method"] == method].set_index("level")
    table = pd.DataFrame({"level": ["total", "bottom"],
                          "smape_base": [base_acc.loc[lv, "smape"] for lv in ("total", "bottom")],
                          "smape": [mine_acc.loc[lv, "smape"] for lv in ("total", "bottom")],
                          "mase_base": [base_acc.loc[lv, "mase"] for lv in ("total", "bottom")],
                          "mase": [mine_acc.loc[lv, "mase"] for lv in ("total", "bottom")]})
    return Reconciled(model, method, pd.concat(parts, ignore_index=True), table, sigma1, len(ids) - 1)

