"""What changed: the last complete period of a KPI, or of the funnel's step rates, against its backtested
forecast interval, and who drove the change.

The expected value is the forecasting package's ``auto`` forecast for the last complete week,
month or day, fitted on the periods before it, with its 95 % conformal interval from a
rolling-origin backtest on those earlier periods only (:func:`ecom_analytics.forecasting.run_forecast`).
A value outside the interval is flagged. The drivers are the countries and products whose value
in that period moved most from their own mean over the :data:`BASELINE` periods before it, in the
direction of the change; each gets its share of the whole KPI's move over the same baseline.

The funnel (:func:`funnel_changed`) is judged the same way, step by step: the view -> cart and
cart -> purchase rates of the closed funnel per period (distinct users) form one series each, the last
complete period against the 95 % interval of the forecast (of :data:`FUNNEL_MODELS`) with the lowest backtest error; a step outside it names the products,
categories, countries and segments whose own rate fell (or rose) most, in users against their rate over
the :data:`BASELINE` periods before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ecom_analytics.errors import InputError
from ecom_analytics.forecasting.notes import NoteError
from ecom_analytics.runs import Note

FREQ_CODES = {"day": "D", "week": "W", "month": "M"}
BASELINE = 4  # periods before the last one that a driver is compared with
WINDOWS = 6  # backtest windows of one period for the interval
#: the note of a history too short to judge its last period (a :class:`~ecom_analytics.runs.Note` code)
TOO_SHORT = ("What changed needs at least {MIN_PERIODS} complete periods to judge the last one; these orders have "
             "{n}. Choose a shorter period.")
MIN_PERIODS = WINDOWS + 6  # shorter histories get no verdict


@dataclass
class Driver:
    """One group's move: ``dimension`` ("country" or "product"), ``name``, ``value`` in the period,
    ``baseline`` (its mean over the periods before), ``change`` (value - baseline) and ``share``
    of the whole KPI's move over the same baseline (None when that move is zero)."""

    dimension: str
    name: str
    value: float
    baseline: float
    change: float
    share: float | None


@dataclass
class Change:
    """The verdict on the last complete period of ``measure``: ``status`` is "above", "below" or
    "within" the 95 % interval [``low``, ``high``] around ``expected``; ``drivers`` the groups that
    moved most in the direction of the change."""

    measure: str
    freq: str
    period: pd.Timestamp
    actual: float
    expected: float
    low: float
    high: float
    status: str
    model: str
    windows: int
    drivers: list[Driver] = field(default_factory=list)


def _period_values(orders: pd.DataFrame, measure: str, freq: str, column: str | None) -> pd.DataFrame:
    """``measure`` per period start (and per ``column`` value), from cleaned order lines."""
    from ecom_analytics.forecasting.calendar import period_start

    frame = orders.assign(_period=period_start(orders["timestamp"], FREQ_CODES[freq]))
    keys = ["_period"] + ([column] if column else [])
    grouped = frame.groupby(keys, observed=True, dropna=True)
    if measure == "revenue":
        values = grouped["amount"].sum()
    elif measure == "orders":
        values = grouped["order_id"].nunique()
    else:
        values = grouped["customer_id"].nunique()
    return values.rename("value").reset_index()


def _drivers(orders: pd.DataFrame, measure: str, freq: str, period: pd.Timestamp, before: list[pd.Timestamp],
             direction: float, total_move: float, n: int = 3) -> list[Driver]:
    out: list[Driver] = []
    for dimension, column in (("country", "country"), ("product", "product_name")):
        if column not in orders.columns or orders[column].notna().sum() == 0:
            continue
        values = _period_values(orders, measure, freq, column)
        table = values.pivot(index=column, columns="_period", values="value").fillna(0.0)
        if period not in table.columns:
            continue
        baseline = table.reindex(columns=before, fill_value=0.0).mean(axis=1)
        change = table[period] - baseline
        moved = change[change * direction > 0].sort_values(ascending=direction < 0).head(n)
        for name, delta in moved.items():
            out.append(Driver(dimension, str(name), float(table.loc[name, period]), float(baseline[name]),
                              float(delta), float(delta / total_move) if total_move else None))
    return out


def what_changed(orders: pd.DataFrame, measure: str = "revenue", freq: str = "week") -> Change:
    """The last complete ``freq`` period of ``measure`` (revenue, orders or customers) against its
    backtested forecast interval, with its drivers. Raises InputError (one sentence) when the
    history is too short for a backtest."""
    from ecom_analytics.forecasting import DEFAULT_MODELS, build_series, run_forecast

    if freq not in FREQ_CODES:
        raise InputError("The period must be one of {periods}.", periods=', '.join(FREQ_CODES))
    series_measure = {"revenue": "revenue", "orders": "orders"}.get(measure)
    if series_measure is None:
        raise InputError("What changed is computed for revenue and orders.")
    series = build_series(orders, series_measure, "total", FREQ_CODES[freq], top_n=None)
    frame = series.one(series.ids[0])
    if len(frame) < MIN_PERIODS:
        raise NoteError(Note(TOO_SHORT, {"MIN_PERIODS": MIN_PERIODS, "n": len(frame)}, "info"))
    history = series.subset(series.ids)
    history.frame = history.frame.iloc[:-1].reset_index(drop=True)
    result = run_forecast(history, list(DEFAULT_MODELS), 1, WINDOWS)
    row = result.forecast[result.forecast["model"] == "auto"].iloc[0]
    last = frame.iloc[-1]
    actual, expected = float(last["y"]), float(row["yhat"])
    low, high = float(row["lo95"]), float(row["hi95"])
    status = "above" if actual > high else "below" if actual < low else "within"
    period = pd.Timestamp(last["ds"])
    before = list(pd.to_datetime(frame["ds"].iloc[-1 - BASELINE:-1]))
    total_move = actual - float(frame["y"].iloc[-1 - BASELINE:-1].mean())
    direction = 1.0 if actual >= expected else -1.0
    drivers = _drivers(orders, measure, freq, period, before, direction, total_move) if status != "within" else []
    return Change(measure, freq, period, actual, expected, low, high, status, result.chosen.get(series.ids[0], "auto"),
                  WINDOWS, drivers)


# --- the funnel (issue #21): view -> cart -> purchase step rates of the last complete period ----------------
#: the funnel's steps judged: (code, from step, to step); a step's rate is the closed funnel's, by distinct
#: users in the period (see :func:`ecom_analytics.insights.cohorts.funnel`): users who reached ``to`` / users
#: who reached ``from``
FUNNEL_STEPS = (("view_to_cart", "view", "cart"), ("cart_to_purchase", "cart", "purchase"))
#: the step names as the analyst reads them (each a catalogue message id)
STEP_WORDS = {"view_to_cart": "view → cart", "cart_to_purchase": "cart → purchase"}
#: dimensions a funnel move is looked for in: events columns, or user attributes passed in (country, segment)
FUNNEL_DIMENSIONS = ("product", "category", "country", "segment")
_EVENT_COLUMNS = {"product": "product_id", "category": "category"}
#: the models a step rate's forecast is chosen from, by their error on the backtest windows: the KPI's
#: ``auto`` pool without ETS and the gradient boosting, whose fits took a minute for two 30-day rate series on
#: 2 cores (ETS: 9 configurations x 7 fits per series) for a rate that moves around a level
FUNNEL_MODELS = ("naive", "seasonal_naive", "snaive_level", "theta", "fourier")
#: most one-period backtest windows the funnel's interval is taken from: a conformal 95 % interval from n
#: windows covers n / (n + 1) of the time at best (6 windows: 86 %), 19 windows are the fewest for 95 %
#: (chosen on simulated shops, seeds 1-2 of benchmarks/funnel_alarms.py)
FUNNEL_WINDOWS = 19
DRIVERS_PER_DIMENSION = 2  # groups named per dimension for a step outside its interval
#: the note codes of the funnel's verdicts (the UI words them; :func:`funnel_words` fills in the numbers)
FUNNEL_BELOW = ("{period}, {step} was {rate} ({passed} of {users} users), below the expected {low} – {high} "
                "(95 % interval of a forecast backtested on the {windows} {units} before it).")
FUNNEL_ABOVE = ("{period}, {step} was {rate} ({passed} of {users} users), above the expected {low} – {high} "
                "(95 % interval of a forecast backtested on the {windows} {units} before it).")
FUNNEL_WITHIN = "{period}, {step} was {rate} ({passed} of {users} users), within the expected {low} – {high}."
FUNNEL_NO_USERS = "{period}, no user reached the first step of {step}, so its rate is not judged."
FUNNEL_DRIVER_DOWN = ("{name} ({dimension}): {rate} of its {users} users went on, against {baseline} over the {n} "
                      "{units} before ({points} pts, {gap} users fewer than at that rate).")
FUNNEL_DRIVER_UP = ("{name} ({dimension}): {rate} of its {users} users went on, against {baseline} over the {n} "
                    "{units} before ({points} pts, {gap} users more than at that rate).")
FUNNEL_TOO_SHORT = ("The funnel check needs at least {MIN_PERIODS} complete periods to judge the last one; these "
                    "events have {n}. Choose a shorter period.")
FUNNEL_NO_STEPS = "The funnel check needs view, cart and purchase events; these events have no {steps} events."
#: how :func:`funnel_words` formats each parameter (shares as percentages, counts with grouping, days)
_SHARES = ("rate", "low", "high", "baseline")
_COUNTS = ("passed", "users", "gap")


@dataclass
class FunnelDriver:
    """One group's step rate in the judged period against its own before: ``rate`` (share 0-1) of its
    ``users`` who reached the step's first stage that went on (``passed``), ``baseline`` its pooled rate over
    the :data:`BASELINE` periods before, and ``gap`` = passed - baseline x users (users more or fewer than at
    the baseline rate: the group's part in the move, in users)."""

    dimension: str
    name: str
    rate: float
    users: int
    passed: int
    baseline: float
    gap: float


@dataclass
class FunnelStepChange:
    """The verdict on one step of the last complete period: ``status`` "above", "below", "within" or
    "no users" (nobody reached its first stage), ``rate`` against the 95 % interval [``low``, ``high``]
    (clipped to 0-1) around ``expected``, and the groups that moved it (outside the interval only)."""

    step: str
    rate: float
    users: int
    passed: int
    expected: float
    low: float
    high: float
    status: str
    model: str
    drivers: list[FunnelDriver] = field(default_factory=list)


@dataclass
class FunnelChange:
    """The funnel's last complete ``freq`` period (its start: ``period``), one verdict per step, and the
    verdicts as coded notes (a sentence each; the drivers' under the step they moved)."""

    freq: str
    period: pd.Timestamp
    windows: int
    steps: list[FunnelStepChange]

    def notes(self) -> list[Note]:
        """One note per step (warning when outside its interval) followed by one per driver."""
        out = []
        for s in self.steps:
            base = {"period": _period_note(self.freq, self.period), "step": Note(STEP_WORDS[s.step])}
            if s.status == "no users":
                out.append(Note(FUNNEL_NO_USERS, base, "info"))
                continue
            params = {**base, "rate": s.rate, "passed": s.passed, "users": s.users, "low": s.low, "high": s.high}
            if s.status == "within":
                out.append(Note(FUNNEL_WITHIN, params, "info"))
                continue
            out.append(Note(FUNNEL_BELOW if s.status == "below" else FUNNEL_ABOVE,
                            {**params, "windows": self.windows, "units": _units(self.freq, self.windows)}, "warning"))
            for d in s.drivers:
                out.append(Note(FUNNEL_DRIVER_DOWN if d.gap < 0 else FUNNEL_DRIVER_UP, {
                    # a segment's name is translated where it is shown
                    "name": Note(d.name) if d.dimension == "segment" else d.name,
                    "dimension": Note(d.dimension), "rate": d.rate, "users": d.users,
                    "baseline": d.baseline, "n": BASELINE, "units": _units(self.freq, BASELINE),
                    "points": (d.rate - d.baseline) * 100, "gap": round(abs(d.gap))}, "warning"))
        return out


def _units(freq: str, n: int) -> Note:
    from ecom_analytics.forecasting import notes

    return notes.unit(FREQ_CODES[freq], n)


#: how a period is named in a sentence (each a catalogue message id with the period's first day)
PERIOD_WORDS = {"day": "On {date}", "week": "In the week of {date}", "month": "In the month of {date}"}


def _period_note(freq: str, period: pd.Timestamp) -> Note:
    return Note(PERIOD_WORDS[freq], {"date": pd.Timestamp(period).date()})


def funnel_words(note: Note, lang: str = "en") -> Note:
    """``note`` with its numbers and days formatted for ``lang`` (shares as percentages, counts with the
    language's grouping, points with a sign and one decimal, dates as the language writes them), nested
    notes included, ready to be worded (``translate(funnel_words(note, lang), lang)``)."""
    import datetime as dt

    from ecom_analytics import i18n

    params = {}
    for key, value in note.params.items():
        if isinstance(value, Note):
            value = funnel_words(value, lang)
        elif key in _SHARES:
            value = i18n.format_percent(float(value), lang)
        elif key in _COUNTS:
            value = i18n.format_number(float(value), lang)
        elif key == "points":
            value = ("+" if value > 0 else "−" if value < 0 else "") + i18n.format_number(abs(float(value)), lang, 1)
        elif isinstance(value, dt.date):
            value = i18n.format_day(value, lang)
        params[key] = value
    return Note(note.code, params, note.severity)


def _period_grid(ts: pd.Series, freq: str) -> list[pd.Timestamp]:
    """The complete periods the timestamps ``ts`` cover (the partial first and last left out, as the KPI's)."""
    from ecom_analytics.forecasting.series import OFFSETS, _complete_periods

    code = FREQ_CODES[freq]
    first, last, _ = _complete_periods(ts, code)
    return list(pd.date_range(first, last, freq=OFFSETS[code])) if last >= first else []


def _step_counts(events: pd.DataFrame, group: pd.Series | None) -> pd.DataFrame:
    """Per period (``_period``) and group (``grp``; "all" without one): users who reached view, view and
    cart, and view, cart and purchase within the group's events of that period (the closed funnel)."""
    from ecom_analytics.engine import sql

    frame = pd.DataFrame({"_period": events["_period"], "user_id": events["user_id"].astype("string"),
                          "event_type": events["event_type"].astype("string"),
                          "grp": group.astype("string") if group is not None else "all"})
    return sql("""
        WITH per_user AS (
            SELECT _period, grp, user_id,
                   bool_or(event_type = 'view') AS v, bool_or(event_type = 'cart') AS c,
                   bool_or(event_type = 'purchase') AS p
            FROM frame WHERE user_id IS NOT NULL AND grp IS NOT NULL GROUP BY 1, 2, 3)
        SELECT _period, grp, count(*) FILTER (WHERE v) AS view,
               count(*) FILTER (WHERE v AND c) AS cart, count(*) FILTER (WHERE v AND c AND p) AS purchase
        FROM per_user GROUP BY 1, 2
    """, frame=frame)


def _funnel_drivers(events: pd.DataFrame, attributes: dict[str, pd.Series], step: tuple[str, str, str],
                    period: pd.Timestamp, before: list[pd.Timestamp], direction: float,
                    names: pd.Series | None) -> list[FunnelDriver]:
    code, start, end = step
    out: list[FunnelDriver] = []
    for dimension in FUNNEL_DIMENSIONS:
        if dimension in _EVENT_COLUMNS:
            column = _EVENT_COLUMNS[dimension]
            if column not in events.columns or events[column].notna().sum() == 0:
                continue
            group = events[column]
        elif dimension in attributes:
            group = events["user_id"].astype("string").map(attributes[dimension])
            if group.notna().sum() == 0:
                continue
        else:
            continue
        counts = _step_counts(events, group)
        now = counts[counts["_period"] == period].set_index("grp")
        then = counts[counts["_period"].isin(before)].groupby("grp")[[start, end]].sum()
        table = now[[start, end]].join(then.add_suffix("_before"), how="inner")
        table = table[(table[start] > 0) & (table[f"{start}_before"] > 0)]
        baseline = table[f"{end}_before"] / table[f"{start}_before"]
        gap = table[end] - baseline * table[start]
        # at least one user (rounded) more or fewer than at the rate before, largest first
        moved = gap[gap * direction >= 0.5].sort_values(ascending=direction < 0).head(DRIVERS_PER_DIMENSION)
        for name, g in moved.items():
            label = str(name)
            if dimension == "product" and names is not None and name in names.index and pd.notna(names[name]):
                label = f"{names[name]} ({name})"
            out.append(FunnelDriver(dimension, label, float(table.loc[name, end] / table.loc[name, start]),
                                    int(table.loc[name, start]), int(table.loc[name, end]), float(baseline[name]),
                                    float(g)))
    return sorted(out, key=lambda d: -abs(d.gap))  # the largest part in the move first, whatever its dimension


def funnel_changed(events: pd.DataFrame, freq: str = "week", attributes: dict[str, pd.Series] | None = None,
                   product_names: pd.Series | None = None, max_windows: int | None = None) -> FunnelChange:
    """The last complete ``freq`` period's funnel step rates (view -> cart, cart -> purchase) against the
    95 % interval of their forecast backtested on the periods before it (as :func:`what_changed` judges a
    KPI; the model of :data:`FUNNEL_MODELS` with the lowest backtest error), with, for a step outside its interval, the products, categories, countries or segments
    whose own rate moved it most (largest gap in users against their rate over the :data:`BASELINE`
    periods before). ``attributes`` maps a dimension (``country``, ``segment``) to each user's value
    (a Series indexed by user id, e.g. from the orders); ``product_names`` product id -> name. The interval
    is backtested on as many one-period windows as the history allows, from :data:`WINDOWS` up to
    ``max_windows`` (:data:`FUNNEL_WINDOWS` by default).
    Raises a NoteError (one sentence) for a history too short or events without funnel steps."""
    from ecom_analytics.forecasting import run_forecast
    from ecom_analytics.forecasting.series import SeriesSet

    if freq not in FREQ_CODES:
        raise InputError("The period must be one of {periods}.", periods=', '.join(FREQ_CODES))
    rows = events[events["timestamp"].notna() & events["user_id"].notna()]
    kinds = set(rows["event_type"].dropna().astype("string").unique())
    missing = [k for k in ("view", "cart", "purchase") if k not in kinds]
    if missing:
        raise NoteError(Note(FUNNEL_NO_STEPS, {"steps": ", ".join(missing)}, "info"))
    grid = _period_grid(rows["timestamp"], freq)
    if len(grid) < MIN_PERIODS:
        raise NoteError(Note(FUNNEL_TOO_SHORT, {"MIN_PERIODS": MIN_PERIODS, "n": len(grid)}, "info"))
    from ecom_analytics.forecasting.calendar import period_start

    rows = rows.assign(_period=period_start(rows["timestamp"], FREQ_CODES[freq]))
    rows = rows[rows["_period"].isin(grid)]
    counts = _step_counts(rows, None).set_index("_period").reindex(grid).fillna(0)
    period, before = grid[-1], grid[-1 - BASELINE:-1]
    frames = []
    for code, start, end in FUNNEL_STEPS:
        rate = (counts[end] / counts[start].where(counts[start] > 0)).iloc[:-1]
        rate = rate.ffill().bfill().fillna(0.0)  # a period nobody reached the step takes the rate before it
        frames.append(pd.DataFrame({"unique_id": code, "ds": rate.index, "y": rate.to_numpy(dtype="float64")}))
    history = SeriesSet(pd.concat(frames, ignore_index=True).astype({"unique_id": "string"}), FREQ_CODES[freq],
                        "rate", "total")
    windows = max(WINDOWS, min(int(max_windows or FUNNEL_WINDOWS), len(grid) - (MIN_PERIODS - WINDOWS)))
    result = run_forecast(history, list(FUNNEL_MODELS), 1, windows, country="")
    errors = result.backtest.assign(error=(result.backtest["y"] - result.backtest["yhat"]).abs())
    errors = errors.groupby(["unique_id", "model"], observed=True)["error"].mean().dropna()
    steps = []
    for step in FUNNEL_STEPS:
        code, start, end = step
        model = str(errors.loc[code].idxmin())  # the lowest error on the backtest windows (earlier periods only)
        row = result.forecast[(result.forecast["model"] == model) & (result.forecast["unique_id"] == code)].iloc[0]
        users, passed = int(counts.loc[period, start]), int(counts.loc[period, end])
        expected = float(row["yhat"])
        low, high = max(0.0, float(row["lo95"])), min(1.0, float(row["hi95"]))
        if users == 0:
            steps.append(FunnelStepChange(code, float("nan"), 0, 0, expected, low, high, "no users", model))
            continue
        rate = passed / users
        status = "above" if rate > high + 1e-12 else "below" if rate < low - 1e-12 else "within"
        drivers = [] if status == "within" else _funnel_drivers(
            rows, attributes or {}, step, period, before, 1.0 if status == "above" else -1.0, product_names)
        steps.append(FunnelStepChange(code, rate, users, passed, expected, low, high, status, model, drivers))
    return FunnelChange(freq, period, windows, steps)
