"""The forecasting notes as data: every code (an English template, the catalogue's message id) and
the helpers that build and word them.

A note is a :class:`ecom_analytics.runs.Note`. A parameter may itself be a note (a unit such as
``weeks``, a count of periods such as ``4 weeks``, a model's own reason, a model's label), so each
part is worded in the analyst's language: :func:`words` fills a note in, translating nested notes
first. Plurals are chosen by count in code (``"{n} week"`` / ``"{n} weeks"``), so English never says
"1 weeks"; a language without plurals gives both codes the same text.

Nothing here parses English: notes that hold for several series carry the series id in
``params["series"]`` and are grouped by their code and other parameters (:func:`group_by_series`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ecom_analytics.errors import InputError
from ecom_analytics.runs import Note

#: one and several of each period, as notes (translated as words)
UNITS = {"D": ("day", "days"), "W": ("week", "weeks"), "M": ("month", "months")}
#: ``{n} <unit>`` by count: the codes of a number of periods
SPANS = {"D": ("{n} day", "{n} days"), "W": ("{n} week", "{n} weeks"), "M": ("{n} month", "{n} months")}

# --- the series --------------------------------------------------------------------------------
PARTIAL_FIRST = "the first {unit} ({date}) is only partly covered by the data and was left out"
PARTIAL_LAST = "the last {unit} ({date}) is only partly covered by the data and was left out"
SPARSE_FIRST = "the first {unit} ({date}) holds fewer of the table's dates than the others and was left out"
SPARSE_LAST = "the last {unit} ({date}) holds fewer of the table's dates than the others and was left out"
LONG_GAP_CUT = ("'{series}': no rows for {n} {units} ({start} to {end}) in a series that writes its empty periods as 0; "
                "the history before that gap was left out, so it is not read as {n} {units} without sales")
FILLED_ONE = "{n:,} missing {unit} was filled with zero (in {count} series)"
FILLED_MANY = "{n:,} missing {units} were filled with zero (in {count} series)"
INTERPOLATED_ONE = ("{n:,} missing {unit} between two reported ones was filled from the periods around it (in "
                    "{count} series that never sold less than a quarter of their usual; add it with 0 if nothing sold)")
INTERPOLATED_MANY = ("{n:,} missing {units} between reported ones were filled from the periods around them (in "
                     "{count} series that never sold less than a quarter of their usual; add them with 0 if nothing "
                     "sold)")
NEGATIVE_ONE = "{n:,} {unit} has a negative {measure} (kept, flagged: more returns than sales)"
NEGATIVE_MANY = "{n:,} {units} have a negative {measure} (kept, flagged: more returns than sales)"
LARGEST_VALUES = "the {n} {level} values with the largest {measure} of {total:,} are forecast"
LARGEST_SERIES = "the {n} series with the largest total of {total:,} are forecast"
HIERARCHY = "the hierarchy: the total, the {n} series below it ({level})"

# --- the backtest ------------------------------------------------------------------------------
HOLIDAYS = "holidays of the {country} calendar used as regressors: {n}"
LEFT_OUT = "left out: {note}"
HORIZON_TOO_LONG = ("The horizon ({horizon}) is not shorter than the history of '{series}' ({history}). Choose a "
                    "horizon below {n} or a finer frequency.")
#: a history of one period leaves no horizon to choose: only a finer frequency (or more data) helps
HISTORY_ONE_PERIOD = ("'{series}' has {history} of history: nothing can be backtested. Choose a finer frequency "
                      "(days instead of weeks, weeks instead of months) or upload a longer export.")
HISTORY_TOO_SHORT = "'{series}' has {history}: a backtest of {horizon} ahead needs at least {needed}. Choose a shorter horizon."
FEW_WINDOWS_ONE = "'{series}': {history} of history allow only 1 backtest window of {horizon}"
FEW_WINDOWS_MANY = "'{series}': {history} of history allow only {windows} backtest windows of {horizon}"
SEASONAL_SHORT = ("'{series}': seasonal models need at least one season plus the horizon ({needed}); the history has "
                  "{history}, so the models that can fit are used")
MODEL_LEFT_OUT = "'{series}', {model}: left out where the history is too short ({note})"
MODEL_NOTE = "'{series}', {model}: {note}"
CLOSED_ONE = ("'{series}': 1 {unit} ahead is forecast at 0: the same position in the season had nothing in each of "
              "the last 4 seasons (closed)")
CLOSED_MANY = ("'{series}': {n} {units} ahead are forecast at 0: the same position in the season had nothing in each "
               "of the last 4 seasons (closed)")
EMPTY_ONE = ("'{series}': 1 {unit} ahead is forecast at 0: the same position in the season had nothing in each of "
             "the last 4 seasons (the series often has nothing)")
EMPTY_MANY = ("'{series}': {n} {units} ahead are forecast at 0: the same position in the season had nothing in each "
              "of the last 4 seasons (the series often has nothing)")
YEAR_AGO_ONE = ("'{series}': 1 holiday {unit} ahead follows the same period a year earlier, relative to the periods "
                "around it (models without a yearly season)")
YEAR_AGO_MANY = ("'{series}': {n} holiday {units} ahead follow the same periods a year earlier, relative to the "
                 "periods around them (models without a yearly season)")

# --- progress steps (``on_progress``: the page words them, the command line prints their English) ----------
BACKTESTING = "Backtesting {n} series"
BACKTESTED = "Backtested {done} of {total} series"
GBM_CUT = "Training gradient boosting across the series: cut {j} of {n}"
FORECAST_DONE = "Forecast done"

# --- the models' own reasons (the history a model is given is the part of the series it is fitted on:
# in the backtest, the periods before a window's cut, shorter than the whole history) ----------------
SNAIVE_SHORT = ("Seasonal naive needs at least one season ({season} periods); the part of the history it was fitted "
                "on has {n}.")
ETS_SHORT = "less than two seasons plus 2 periods ({n}) of history: fitted without seasonality"
THETA_SHORT = "less than two seasons ({n} periods) of history: fitted without seasonality"
THETA_FAILED = "Theta could not fit this series: its last value is used"
RETAIL_SHORT = "less than one season plus 4 periods ({n}) of history: fitted without seasonality"
NEURAL_SHORT = ("The neural forecaster needs at least {needed} periods of history for a horizon of {horizon}; the part "
                "of the history it was fitted on has {n}.")
GBM_FAILED = "it could not be trained on these series: too little history or nothing to learn"

# --- stock hints -------------------------------------------------------------------------------
LEAD_BEYOND = ("the lead time is longer than the forecast horizon: demand beyond it is taken at the forecast's "
               "average per period")
NO_STOCK = "there is no stock left"
STOCK_LASTS = "the stock lasts beyond the forecast horizon"


def note(code: str, severity: str = "info", **params: Any) -> Note:
    """A note with ``code`` and ``params`` (a parameter may be a note itself)."""
    return Note(code, params, severity)


def word(text: str) -> Note:
    """A word or label as a note of its own, so it is translated where it is shown."""
    return Note(text)


def unit(freq: str, n: int = 1) -> Note:
    """The period's name for ``n`` of them: ``week`` or ``weeks``."""
    one, many = UNITS[freq]
    return Note(one if n == 1 else many)


def span(n: int, freq: str) -> Note:
    """``n`` periods with their unit: ``1 week``, ``4 weeks``."""
    one, many = SPANS[freq]
    return Note(one if n == 1 else many, {"n": int(n)})


def by_count(n: int, one: str, many: str, **params: Any) -> Note:
    """The note ``one`` when ``n`` is 1, else ``many``, with ``n`` among its parameters."""
    return Note(one if n == 1 else many, {"n": n, **params})


def words(item: Any, translate: Callable[..., str] | None = None) -> Any:
    """``item`` worded: a note filled in (nested notes first), anything else as it is.

    ``translate(code, **params)`` looks the code up in a catalogue and fills it in (the UI's ``t``,
    or ``lambda c, **p: i18n.translate(c, lang, **p)``); without it, English."""
    if not isinstance(item, Note):
        return item
    params = {k: words(v, translate) for k, v in item.params.items()}
    if translate is not None:
        return translate(item.code, **params)
    return item.code.format(**params) if params else item.code


def english(item: Any) -> str:
    """A note in English (the command line's language and the JSON's)."""
    return str(words(item))


class NoteError(InputError):
    """An :class:`InputError` whose sentence is a note: the command line prints its English, the page
    words it in the analyst's language, the backtest keeps it as a model's reason."""

    def __init__(self, reason: Note) -> None:
        super().__init__(reason)


def group_by_series(notes: list[Note], ids: list[str]) -> list[tuple[Note, list[str]]]:
    """``notes`` with those that differ only in their series (``params["series"]``, an id of ``ids``)
    given once: ``(the first such note, the ids of the other series it also holds for)``, in the
    order the notes came; every other note as ``(note, [])``."""
    known = set(ids)
    out: list[tuple[Note, list[str]]] = []
    where: dict[tuple, int] = {}
    for item in notes:
        series = item.params.get("series")
        if series not in known:
            out.append((item, []))
            continue
        key = (item.code, repr(sorted((k, v) for k, v in item.params.items() if k != "series")))
        if key in where:
            out[where[key]][1].append(series)
        else:
            where[key] = len(out)
            out.append((item, []))
    return out
