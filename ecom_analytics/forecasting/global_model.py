"""A global gradient-boosting forecaster: one model trained across every series of a table.

The approach that won the M5 competition, in a small form: scikit-learn's
``HistGradientBoostingRegressor`` learns the value ``s`` periods after an origin, divided by
the series' recent level (the mean absolute value of the 8 periods up to the origin), from

* the last 8 values and the means of the last 4, 13 and 26 periods (same scale; where the 8
  periods sold nothing, the level is the mean of the last 26);
* the value one season before the target period, and the ratio of the recent level to the
  level one season earlier (the year-on-year growth);
* the step ``s``, the target period's week of the year (or month; day of the week for daily
  data), its holiday and promotion regressors.

Direct multi-step: one model per cutoff date forecasts every step, so there is no recursion.
The model for a cutoff date learns from the periods up to that date only, in every series
(a store's later weeks never teach the forecast of another store's earlier window).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

LAGS = 8
ROLLS = (4, 13, 26)
MAX_ROWS = 60_000
#: fewer (origin, step) rows than this: no model (one short series is not a panel to learn from)
MIN_ROWS = 400


@dataclass
class PanelSeries:
    """One series of the panel: values, period starts of history and horizon, regressors
    (rows: history then horizon) and calendar features (same rows)."""

    uid: str
    y: np.ndarray
    ds: pd.DatetimeIndex
    exog: np.ndarray
    calendar: np.ndarray


def _features(s: PanelSeries, origins: np.ndarray, steps: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows for (origin, step) pairs of one series and the scale of each row."""
    pad = m + max(ROLLS) + LAGS + 2
    y = np.concatenate([np.full(pad, np.nan), s.y, np.full(int(steps.max(initial=0)) + 1, np.nan)])
    o = origins + pad
    recent = y[o[:, None] - np.arange(LAGS)[None, :]]
    counts = np.isfinite(recent).sum(axis=1)
    scale = np.nansum(np.abs(recent), axis=1) / np.maximum(counts, 1)
    # no sale in the last LAGS periods (a closed shop, a sparse product): the mean over the longest rolling
    # window instead, so a scale of 1 never turns the targets into raw units (one such row ruined daily models)
    longer = y[o[:, None] - np.arange(max(ROLLS))[None, :]]
    wide = np.nansum(np.abs(longer), axis=1) / np.maximum(np.isfinite(longer).sum(axis=1), 1)
    scale = np.where(np.isfinite(scale) & (scale > 0), scale, wide)
    scale = np.where(np.isfinite(scale) & (scale > 0), scale, 1.0)
    cols = [recent / scale[:, None]]
    csum = np.concatenate([[0.0], np.cumsum(np.nan_to_num(y))])
    ccount = np.concatenate([[0], np.cumsum(np.isfinite(y))])
    for r in ROLLS:
        total = csum[o + 1] - csum[o + 1 - r]
        count = ccount[o + 1] - ccount[o + 1 - r]
        cols.append(np.where(count > 0, total / np.maximum(count, 1), np.nan)[:, None] / scale[:, None])
    target = o + steps
    cols.append((y[target - m] / scale)[:, None])
    if m > 1:
        past = np.abs(y[(o - m)[:, None] - np.arange(LAGS)[None, :]])
        counts = np.isfinite(past).sum(axis=1)
        before = np.where(counts > 0, np.nansum(past, axis=1) / np.maximum(counts, 1), np.nan)
    else:
        before = np.full(len(o), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = np.where(before > 0, scale / before, np.nan)
    cols.append(growth[:, None])
    cols.append(steps[:, None].astype("float64"))
    t = origins + steps
    cols.append(s.calendar[t])
    if s.exog.shape[1]:
        cols.append(s.exog[t])
    return np.hstack(cols), scale


def gbm_forecasts(panel: list[PanelSeries], cuts: dict[str, int], horizon: int, m: int,
                  random_state: int = 0, max_iter: int = 100, train_until: pd.Timestamp | None = None,
                  model=None) -> tuple[dict[str, np.ndarray], object]:
    """Forecasts of ``horizon`` periods after ``cuts[uid]`` (the number of periods of the series
    that may be seen) for each series in ``cuts``, and the model that made them.

    The model learns from the periods up to ``train_until`` (by default the latest period any
    of ``cuts`` may see, which must not be later than any series' own cut date: one call per cut
    date), every series contributing its periods up to that date and its own cut. ``model``: a
    model from an earlier call (trained on earlier periods) to reuse instead of training. Empty
    when the panel has fewer than :data:`MIN_ROWS` training rows."""
    from sklearn.ensemble import HistGradientBoostingRegressor
    from threadpoolctl import threadpool_limits

    if not cuts:
        return {}, None
    if model is None:
        model = _train(panel, cuts, horizon, m, random_state, max_iter, train_until)
    if model is None:
        return {}, None
    out = {}
    for s in panel:
        if s.uid not in cuts:
            continue
        cut = cuts[s.uid]
        steps = np.arange(1, horizon + 1)
        xf, scale = _features(PanelSeries(s.uid, s.y[:cut], s.ds, s.exog, s.calendar), np.full(horizon, cut - 1),
                              steps, m)
        with threadpool_limits(limits=1, user_api="openmp"):
            out[s.uid] = model.predict(xf[:, model.kept_columns_]) * scale
    return out, model


def _train(panel, cuts, horizon, m, random_state, max_iter, train_until):
    from sklearn.ensemble import HistGradientBoostingRegressor
    from threadpoolctl import threadpool_limits

    limit = train_until if train_until is not None else max(s.ds[cuts[s.uid] - 1] for s in panel if s.uid in cuts)
    xs, ys = [], []
    rng = np.random.default_rng(random_state)
    for s in panel:
        seen = int(np.searchsorted(s.ds[: len(s.y)], limit, side="right"))
        if s.uid in cuts:
            seen = min(seen, cuts[s.uid])
        if seen < 6:
            continue
        s = PanelSeries(s.uid, s.y[:seen], s.ds, s.exog, s.calendar)
        o, st = np.meshgrid(np.arange(3, seen - 1), np.arange(1, horizon + 1), indexing="ij")
        o, st = o.ravel(), st.ravel()
        ok = o + st < seen
        o, st = o[ok], st[ok]
        if len(o) == 0:
            continue
        x, scale = _features(s, o, st, m)
        xs.append(x)
        ys.append(s.y[o + st] / scale)
    if not xs or sum(len(v) for v in ys) < MIN_ROWS:
        return None
    x, target = np.vstack(xs), np.concatenate(ys)
    if len(target) > MAX_ROWS:  # the most recent rows matter most: keep them all, sample the older ones
        keep = rng.choice(len(target), MAX_ROWS, replace=False)
        x, target = x[keep], target[keep]
    model = HistGradientBoostingRegressor(loss="squared_error", max_iter=max_iter, learning_rate=0.1,
                                          max_leaf_nodes=31, min_samples_leaf=20, l2_regularization=1.0,
                                          random_state=random_state)
    if np.ptp(target) == 0:  # nothing to learn (every series constant)
        return None
    # columns without two distinct values (e.g. last season's value when no series has a season yet) are dropped:
    # scikit-learn's binning fails on an all-missing column
    keep = np.array([len(np.unique(col[np.isfinite(col)])) > 1 for col in x.T])
    x = x[:, keep]
    with threadpool_limits(limits=1, user_api="openmp"):  # OpenMP threads crawl on a busy machine: one is steadier
        try:
            model.fit(x, target)
        except ValueError:  # a degenerate panel: the model is left out
            return None
    model.kept_columns_ = keep
    return model
