"""The readings of the Forecast page's charts and tables, as coded notes: the figures are computed
here from a run's result, the page only words each note (``forecasting.notes.words(note, t)``) and
draws it. Every code is the English template (a catalogue message id); counts of periods are notes
of their own (``4 weeks``), model names are notes (their label, translated where shown).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ecom_analytics.forecasting import notes
from ecom_analytics.forecasting.explain import training_lengths, why_best
from ecom_analytics.names import FORECAST_MODELS, FORECAST_MODELS_SHORT
from ecom_analytics.runs import Note

#: the ways to make the levels coherent, as the page names them
COHERENT = {"off": "Off", "bottom_up": "Bottom-up", "mint": "MinT"}

HISTORY = ("Note: the history has {history}; the backtest fits each model on the first {shortest} to {longest} of "
           "them (one window after another), and the forecast ahead on all {n}. A model that needs more history than "
           "a window has is left out of that window.")
NOTE = "Note: {note}"
SAME_FOR_OTHERS = "{note} (the same for the other {n} series)"
SAME_FOR = "{note} (the same for {names})"
LAST_YEAR = "the dotted grey line is the same {units} one year earlier"
HOLIDAY_MARKS = "triangles mark {units} with a public holiday ({country} calendar)"
FLAG_MARKS = "squares mark the export's holiday or promotion {units}"
PARTIAL_MARKS = "hollow circles are partial {units} left out of the models: {days}"
PARTIAL_MARKS_PLAIN = "hollow circles are partial {units} left out of the models (the data covers only part of them)"
BEFORE_RECONCILING = "the thin dashed line is {model}'s own forecast before the levels were made coherent"
FORECAST = ("Reading: {model} expects {total:,.0f} over the next {horizon} ({change:+.0%} on the last {horizon}); "
            "the shaded bands are where the actuals fell 80 % and 95 % of the time in the backtest, widened by "
            "√(periods ahead).")
FORECAST_NO_CHANGE = ("Reading: {model} expects {total:,.0f} over the next {horizon}; the shaded bands are where the "
                      "actuals fell 80 % and 95 % of the time in the backtest, widened by √(periods ahead).")
MADE_COHERENT = "{model}, made coherent with {method},"
COHERENT_READING = ("Reading: {model}'s forecasts of the total and of the {n} series below it (the rest as 'other') are "
                    "made to add up with {method}: the series sum to the total in every {unit} ahead. On the backtest "
                    "windows the total's sMAPE goes from {a:.1f} % as forecast to {b:.1f} %, the series' from {c:.1f} "
                    "% to {d:.1f} %.")
MINT_HOW = "{reading} MinT weighs each level by its backtest errors, estimated on the other windows only."
BOTTOM_UP_HOW = "{reading} Bottom-up keeps the series' forecasts and sums them into the total."
AUTO_GUARD = ("Auto uses **{model}** for this series: on the table's earlier forecasts ({origins} of them, each made "
              "with the models ranked best on the forecasts before it only), its choices erred {ratio:.0%} as much as "
              "{model}; it keeps them only below {margin:.0%}, so it falls back to {model}.")
AUTO_GUARD_LEVEL = ("Auto uses **{model}** for this series: on the table's earlier forecasts ({origins} of them, each "
                    "made with the models ranked best on the forecasts before it only), its choices erred {ratio:.0%} as "
                    "much as {baseline}; it keeps them only below {margin:.0%}, so it falls back to {model}, which did "
                    "better than {baseline} on the same forecasts.")
AUTO_GUARD_BARE = ("Auto uses **{model}** for this series: the choices ranked on the earlier windows did not beat "
                   "{model} there, so it falls back to {model}.")
AUTO_DEFAULT = "Auto uses **{model}** for this series: there was no earlier window to rank the models on."
AUTO_ONE = ("Auto uses **{model}** for this series: the lowest mean error on its earlier forecasts ({n} of them, each "
            "model fitted on the data before that forecast's origin only).")
AUTO_MEAN = ("Auto averages **{models}** for this series: the lowest mean error on its earlier forecasts ({n} of them, "
             "each model fitted on the data before that forecast's origin only).")
AUTO_KEPT = ("{reading} On the table's earlier forecasts ({origins} of them), the choices auto made this way erred "
             "{ratio:.0%} as much as {baseline}, below the {margin:.0%} they must beat, so auto keeps them.")
ALONE = ("Reading: over {windows} windows of {horizon}, **{model}** has a mean scaled error (MASE) of {mase:.2f} and "
         "an sMAPE of {smape:.1f} %; add models to compare it with.")
VERSUS_NAIVE = "; the naive forecast (repeat the last {unit}) {smape:.1f} %"
WHY_FIRST = ("Why **{model}** is first: on the {windows} backtest windows of {horizon} its forecasts came closest to "
             "what happened, with the lowest mean scaled error (MASE {mase:.2f} against {mase2:.2f} for the runner-up, "
             "{runner}); in percent (sMAPE) it was off by {smape:.1f} % against {smape2:.1f} %{versus}. It was the "
             "most accurate on {won} of the {windows} windows.")
COVERAGE = ("Reading: {model}'s 80 % band held {coverage:.0%} of the actuals, each window checked with a band "
            "calibrated on the others.")
BY_STEP = "Reading: the best model's sMAPE goes from {first:.1f} % one {unit} ahead to {last:.1f} % {horizon} ahead."
BACKTEST = ("Reading: each dashed line was forecast from the data left of its dotted line only; where it leaves the "
            "actuals is where {name} surprised the models.")
STOCK = "Reading: {stock:,.0f} on hand is {verdict}{also}."
REORDER_NOW = "at or below the reorder point: reorder now"
ABOVE_REORDER = "above the reorder point"
STOCK_NOTES = " ({notes})"
LIST = "{first}; {rest}"


def _label(model: str) -> Note:
    return notes.word(FORECAST_MODELS.get(model, model))


def _short(model: str) -> Note:
    return notes.word(FORECAST_MODELS_SHORT.get(model, model))


def joined(items: list) -> Note | str:
    """``items`` (notes or text) as one note, separated by semicolons ("" for none)."""
    if not items:
        return ""
    out = items[-1]
    for item in reversed(items[:-1]):
        out = Note(LIST, {"first": item, "rest": out})
    return out


def history_note(result, unique_id: str) -> Note | None:
    """How long the history is and which part each backtest window was fitted on (None without a
    backtest of ``unique_id``), so a model's "fitted on 12" reads against the whole history."""
    spans = training_lengths(result, unique_id)
    if spans is None:
        return None
    return Note(HISTORY, {"history": notes.span(spans.history, result.series.freq), "shortest": spans.shortest,
                          "longest": spans.longest, "n": spans.history})


def run_notes(result, labels: dict[str, str]) -> list[Note]:
    """The run's notes, those that hold for several series given once, each as ``Note: ...`` naming the
    other series (``labels``: a series id's shown name, used in the notes too)."""
    shown = [u for u in result.series.ids if u in set(result.forecast["unique_id"])]
    out = []
    for item, others in notes.group_by_series(result.notes, result.series.ids):
        if item.params.get("series") in labels:  # the series by its shown name ("Total" in the page's language)
            item = Note(item.code, {**item.params, "series": labels[item.params["series"]]}, item.severity)
        if others and len(others) == len(shown) - 1 > 1:
            item = Note(SAME_FOR_OTHERS, {"note": item, "n": len(others)})
        elif others:
            item = Note(SAME_FOR, {"note": item, "names": ", ".join(labels.get(u, u) for u in others)})
        out.append(Note(NOTE, {"note": item}, item.severity))
    return out


def chart_items(history: pd.DataFrame, last_season: pd.DataFrame, freq: str, country: str | None,
                holidays: pd.Series | None, partial: pd.DataFrame, partial_days: str | None,
                model_before: str | None) -> Note | str:
    """What the forecast chart's marks mean, as one note ("" when nothing needs saying):
    ``partial_days`` the partial edges worded and listed (None when not known); ``model_before`` the model whose own
    forecast is drawn dashed under the coherent one."""
    units = notes.unit(freq, 2)
    items: list = []
    if last_season["y"].notna().any():
        items.append(Note(LAST_YEAR, {"units": units}))
    if holidays is not None and holidays.ne("").any():
        items.append(Note(HOLIDAY_MARKS, {"units": units, "country": country}))
    if "flag" in history.columns and history["flag"].gt(0).any():
        items.append(Note(FLAG_MARKS, {"units": units}))
    if not partial.empty:
        items.append(Note(PARTIAL_MARKS, {"units": units, "days": partial_days}) if partial_days
                     else Note(PARTIAL_MARKS_PLAIN, {"units": units}))
    if model_before is not None:
        items.append(Note(BEFORE_RECONCILING, {"model": _short(model_before)}))
    return Note("On the chart: {items}.", {"items": joined(items)}) if items else ""


def forecast_reading(history: pd.DataFrame, future: pd.DataFrame, model: str, horizon: int, freq: str,
                     method: str | None = None) -> Note | None:
    """What ``model`` expects over the horizon against the same number of periods just before it
    (``method``: the coherent forecast's reconciliation, None for the model's own)."""
    if future.empty:
        return None
    total = float(future["yhat"].sum())
    last = float(history["y"].tail(horizon).sum())
    who = _label(model) if method is None else Note(MADE_COHERENT, {"model": _short(model),
                                                                    "method": notes.word(COHERENT[method])})
    span = notes.span(horizon, freq)
    if not last:
        return Note(FORECAST_NO_CHANGE, {"model": who, "total": total, "horizon": span})
    return Note(FORECAST, {"model": who, "total": total, "horizon": span, "change": total / last - 1})


def coherent_reading(reconciled, model: str, method: str, freq: str) -> Note:
    """How much making the levels coherent changed the total's and the series' backtest sMAPE."""
    acc = reconciled.accuracy.set_index("level")
    tot, bot = acc.loc["total"], acc.loc["bottom"]
    reading = Note(COHERENT_READING, {"model": _short(model), "n": reconciled.bottom, "method": notes.word(COHERENT[method]),
                                      "unit": notes.unit(freq), "a": tot["smape_base"], "b": tot["smape"],
                                      "c": bot["smape_base"], "d": bot["smape"]})
    return Note(MINT_HOW if method == "mint" else BOTTOM_UP_HOW, {"reading": reading})


#: what auto used in the scored backtest windows, when that differs from its choice for the future
AUTO_WINDOWS = ("{reading} In the backtest windows, each decided on the forecasts before it, auto used {used}; its "
                "errors in the table are those.")
AUTO_WINDOW_COUNT = "{model} in {n} of {windows}"


def auto_reading(result, unique_id: str) -> Note | None:
    """Which model auto uses for ``unique_id`` and why (None when auto chose nothing for it): its evidence, and
    the table's comparison with seasonal naive that decides whether auto keeps its choice or falls back; and,
    where the scored backtest windows used other models (decided on less evidence), which, so that auto's row in
    the backtest is not read as its future choice's."""
    reading = _auto_choice_reading(result, unique_id)
    if reading is None:
        return None
    rows = getattr(getattr(result, "auto", None), "rows", None)
    if rows is None or not len(rows) or "picked" not in rows:
        return reading
    mine = rows[(rows["unique_id"] == unique_id) & (rows["window"] >= 0)]
    per_window = mine.drop_duplicates("window")["picked"].astype(str)
    if per_window.empty or (per_window == result.chosen[unique_id]).all():
        return reading
    counts = per_window.value_counts(sort=True)
    used = [Note(AUTO_WINDOW_COUNT, {"model": joined_names(code.split("+")), "n": int(n), "windows": len(per_window)})
            for code, n in counts.items()]
    out: Note = used[-1]
    for item in reversed(used[:-1]):
        out = Note("{first}, {rest}", {"first": item, "rest": out})
    return Note(AUTO_WINDOWS, {"reading": reading, "used": out})


def _auto_choice_reading(result, unique_id: str) -> Note | None:
    """The reading of auto's choice for the future of ``unique_id`` (see :func:`auto_reading`)."""
    if unique_id not in result.chosen:
        return None
    picked = result.chosen[unique_id].split("+")
    why = result.chosen_reason.get(unique_id, "best")
    facts = getattr(getattr(result, "auto", None), "per_series", {}).get(unique_id, {})
    margin = float(getattr(result.auto, "margin", float("nan"))) if getattr(result, "auto", None) is not None \
        else float("nan")
    if why == "guard" and not (facts.get("origins") and np.isfinite(facts.get("ratio", float("nan")))):
        return Note(AUTO_GUARD_BARE, {"model": _short(picked[0])})
    if why == "guard":
        params = {"model": _short(picked[0]), "origins": facts.get("origins", 0),
                  "ratio": facts.get("ratio", float("nan")), "margin": margin}
        baseline = facts.get("baseline", picked[0])
        if baseline != picked[0]:
            return Note(AUTO_GUARD_LEVEL, {**params, "baseline": _short(baseline)})
        return Note(AUTO_GUARD, params)
    if why == "default":
        return Note(AUTO_DEFAULT, {"model": _short(picked[0])})
    n = facts.get("evidence", 0)
    reading = Note(AUTO_ONE, {"model": _short(picked[0]), "n": n}) if len(picked) == 1 else \
        Note(AUTO_MEAN, {"models": joined_names(picked), "n": n})
    ratio = facts.get("ratio", float("nan"))
    if facts.get("origins") and np.isfinite(ratio):
        return Note(AUTO_KEPT, {"reading": reading, "ratio": ratio, "baseline": _short(facts["baseline"]),
                                "origins": facts["origins"], "margin": margin})
    return reading


def joined_names(models: list[str]) -> Note:
    """Model names separated by commas, each translated where shown."""
    out: Note | str = _short(models[-1])
    for name in reversed(models[:-1]):
        out = Note("{first}, {rest}", {"first": _short(name), "rest": out})
    return out


def leaderboard_readings(result) -> list[Note]:
    """Why the best model is first (or its figures alone), and how well its 80 % band held."""
    won = why_best(result)
    freq, best = result.series.freq, result.best_model
    horizon = notes.span(result.horizon, freq)
    if won.runner_up is None:
        first = Note(ALONE, {"windows": won.windows, "horizon": horizon, "model": _label(best), "mase": won.mase,
                             "smape": won.smape})
    else:
        versus = Note(VERSUS_NAIVE, {"unit": notes.unit(freq), "smape": won.naive_smape}) \
            if np.isfinite(won.naive_smape) and won.runner_up != "naive" else ""
        first = Note(WHY_FIRST, {"model": _label(best), "windows": won.windows, "horizon": horizon, "mase": won.mase,
                                 "mase2": won.runner_up_mase, "runner": _short(won.runner_up), "smape": won.smape,
                                 "smape2": won.runner_up_smape, "versus": versus, "won": won.won})
    top = result.leaderboard.iloc[0]
    return [first, Note(COVERAGE, {"model": _short(best), "coverage": float(top["coverage80"])})]


def by_step_reading(result) -> Note:
    """How the best model's sMAPE grows from one period ahead to the horizon."""
    steps = result.by_step[result.by_step["model"] == result.best_model]
    return Note(BY_STEP, {"first": float(steps["smape"].iloc[0]), "last": float(steps["smape"].iloc[-1]),
                          "unit": notes.unit(result.series.freq),
                          "horizon": notes.span(result.horizon, result.series.freq)})


def backtest_reading(name: str) -> Note:
    """How to read the backtest chart of the series called ``name``."""
    return Note(BACKTEST, {"name": name})


def one_period_error(result, unique_id: str, model: str, reconciled=None) -> float:
    """The spread of one period's forecast error of ``model`` on ``unique_id`` (its backtest errors;
    the coherent forecast's own when ``reconciled``), NaN when unknown: the stock hints' sigma."""
    if reconciled is not None:
        return float(reconciled.sigma1.get(unique_id, float("nan")))
    resid = result.residual_scale
    sigma = resid[(resid["unique_id"] == unique_id) & (resid["model"] == model)]["sigma1"]
    return float(sigma.iloc[0]) if len(sigma) else float("nan")


def stock_reading(hints, stock: float) -> Note:
    """Whether ``stock`` on hand calls for a reorder now, with the stock hints' own notes."""
    verdict = notes.word(REORDER_NOW if hints.reorder_now else ABOVE_REORDER)
    also = Note(STOCK_NOTES, {"notes": joined(list(hints.notes))}) if hints.notes else ""
    return Note(STOCK, {"stock": stock, "verdict": verdict, "also": also})
