"""Coherent forecasts for a two-level hierarchy: a total and the series that add up to it.

``coherent_series`` builds the hierarchy from order lines (the total, then the ``top_n``
largest products / categories / countries and an ``other`` series holding the rest, so the
bottom series add up to the total exactly). ``reconcile`` makes base forecasts coherent:

* ``bottom_up``: the total is the sum of the bottom forecasts;
* ``mint``: MinT (Wickramasuriya, Athanasopoulos and Hyndman, 2019) with a shrunk covariance
  of the base forecasts' backtest errors: ``S (S' W^-1 S)^-1 S' W^-1 yhat``; W is shrunk
  towards its diagonal by the Schäfer-Strimmer intensity.

``reconciled_accuracy`` does both on every backtest window of a :class:`ForecastResult` run
on such a hierarchy (W from the other windows' errors only) and reports MAE and sMAPE per
level (total, bottom) for the base, bottom-up and MinT forecasts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ecom_analytics.errors import InputError
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
        raise InputError(f"Unknown reconciliation '{method}'; choose bottom_up or mint.")
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
    notes = list(total.notes) + [f"the hierarchy: the total, the {len(keep)} series below it ({level})"]
    return SeriesSet(frame, freq, measure, f"{level}+total", {}, {}, notes, every.labels, total.country, total.partial)


def reconciled_accuracy(result, model: str = "auto") -> pd.DataFrame:
    """MAE and sMAPE per level (``total``, ``bottom``) and method (base, bottom_up, mint) of
    ``model`` over the scored backtest windows of a run on :func:`coherent_series`. MinT's
    covariance for a window comes from the other windows' errors only."""
    from ecom_analytics.forecasting.backtest import _smape_terms

    bt = result.backtest[result.backtest["model"] == model]
    ids = result.series.ids
    total_id, bottom = ids[0], ids[1:]
    rows = []
    windows = sorted(w for w in bt["window"].unique() if w >= 0)
    wide_yhat = bt.pivot_table(index=["window", "step"], columns="unique_id", values="yhat")[ids]
    wide_y = bt.pivot_table(index=["window", "step"], columns="unique_id", values="y")[ids]
    for window in windows:
        base = wide_yhat.loc[window].to_numpy().T
        actual = wide_y.loc[window].to_numpy().T
        others = [w for w in wide_yhat.index.get_level_values(0).unique() if w != window]
        errors = (wide_y.loc[others] - wide_yhat.loc[others]).to_numpy() if others else None
        for method, values in (("base", base), ("bottom_up", reconcile(base, "bottom_up")),
                               ("mint", reconcile(base, "mint", errors))):
            for name, idx in (("total", [0]), ("bottom", list(range(1, len(ids))))):
                a, f = actual[idx].ravel(), values[idx].ravel()
                rows.append({"method": method, "level": name, "window": window, "mae": float(np.mean(np.abs(a - f))),
                             "smape": float(np.mean(_smape_terms(a, f)))})
    out = pd.DataFrame(rows).groupby(["level", "method"], sort=False)[["mae", "smape"]].mean().reset_index()
    out.attrs["total"], out.attrs["bottom"] = total_id, bottom
    return out
