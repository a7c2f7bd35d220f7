"""Plain facts about a forecast run for the Forecast page's notes and readings.

* :func:`training_lengths`: how many periods each backtest window was fitted on, so a note
  saying a model needs more history than "the history has 12" reads against the whole history
  (52) without contradicting it: 12 is the earliest window's training part.
* :func:`why_best`: why the leaderboard's best model won, as figures the page words: its mean
  MASE and sMAPE against the runner-up's and the naive forecast's, and on how many scored
  windows it had the lowest mean MASE.

Both take a :class:`~ecom_analytics.forecasting.backtest.ForecastResult` and compute nothing
new: they read its backtest rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class TrainingLengths:
    """Periods of history the backtest windows were fitted on, for one series: ``shortest`` (the
    earliest window, a selection window for auto when there is one), ``longest`` (the last scored
    window), ``history`` (the whole series, which the future forecast is fitted on), ``windows``
    (scored windows) and ``selection`` (earlier windows that only rank models for auto)."""

    shortest: int
    longest: int
    history: int
    windows: int
    selection: int


def training_lengths(result, unique_id: str) -> TrainingLengths | None:
    """The training lengths of ``unique_id``'s backtest windows (None when it has none)."""
    history = result.series.one(unique_id)
    bt = result.backtest[result.backtest["unique_id"] == unique_id]
    if bt.empty:
        return None
    cuts = bt.drop_duplicates("window").set_index("window")["cutoff"].sort_index()
    position = pd.Series(np.arange(1, len(history) + 1), index=pd.DatetimeIndex(history["ds"]))
    lengths = position.reindex(pd.DatetimeIndex(cuts.to_numpy())).to_numpy()
    return TrainingLengths(int(np.nanmin(lengths)), int(np.nanmax(lengths)), len(history),
                           int((cuts.index >= 0).sum()), int((cuts.index < 0).sum()))


@dataclass(frozen=True)
class WhyBest:
    """Why ``best`` tops the leaderboard: mean MASE and sMAPE (%) over the scored windows and
    series for it, the ``runner_up`` (None with one model) and the naive forecast (NaN when it
    was not run or is the best); ``won`` of ``windows`` scored windows had it lowest by mean MASE
    (sMAPE when MASE is undefined)."""

    best: str
    mase: float
    smape: float
    runner_up: str | None
    runner_up_mase: float
    runner_up_smape: float
    naive_smape: float
    won: int
    windows: int


def why_best(result) -> WhyBest:
    """The figures behind the leaderboard's first row (see :class:`WhyBest`)."""
    board = result.leaderboard
    best = result.best_model
    top = board[board["model"] == best].iloc[0]
    others = board[board["model"] != best]
    second = others.iloc[0] if len(others) else None
    naive = board[board["model"] == "naive"]
    scored = result.backtest[result.backtest["window"] >= 0]
    err = (scored["y"] - scored["yhat"]).abs()
    per = scored.assign(err=err).groupby(["window", "model", "unique_id"], sort=False).agg(
        mae=("err", "mean"), scale=("scale", "first"))
    key = "mase" if board["mase"].notna().any() else "smape"
    if key == "mase":
        per["score"] = per["mae"] / per["scale"].where(per["scale"] > 0)
    else:
        from ecom_analytics.forecasting.backtest import _smape_terms

        terms = scored.assign(s=_smape_terms(scored["y"].to_numpy(), scored["yhat"].to_numpy()))
        per["score"] = terms.groupby(["window", "model", "unique_id"], sort=False)["s"].mean()
    by_window = per.groupby(["window", "model"])["score"].mean().unstack("model").dropna(how="all")
    winners = by_window.idxmin(axis=1, skipna=True) if not by_window.empty else pd.Series(dtype="object")
    return WhyBest(best, float(top["mase"]), float(top["smape"]),
                   None if second is None else str(second["model"]),
                   float("nan") if second is None else float(second["mase"]),
                   float("nan") if second is None else float(second["smape"]),
                   float(naive["smape"].iloc[0]) if len(naive) and best != "naive" else float("nan"),
                   int((winners == best).sum()), int(len(by_window)))
