"""Whether two datasets cover the same time: the rule that keeps orders and events of different
periods from being combined silently.

A dataset's period is the calendar days from its first to its last timestamp, both included. Two
periods are compared on the days they share, as a share of the *shorter* period's days:

* ``"full"``: the shorter period lies (at least ``FULL_SHARE`` = 90 % of its days) inside the longer
  one, e.g. a month of events within a year of orders. Used together without a word.
* ``"partial"``: they share at least one day but less than that. Used together, with a warning
  naming both periods and the days they share.
* ``"none"``: not one day in common (e.g. 2009-10 orders and 2011 events). The UI detaches the
  events by default and says so; the analyst may attach them anyway.

The result is a structured value with a coded note ``(code, params, severity)``; the UI words it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

FULL_SHARE = 0.9  # share of the shorter period's days that must be shared to count as "full"


@dataclass(frozen=True)
class Period:
    """Calendar days from ``start`` to ``end``, both included."""

    start: dt.date
    end: dt.date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError(f"A period cannot end ({self.end}) before it starts ({self.start}).")

    @property
    def days(self) -> int:
        """Number of calendar days, both ends included (a single day is 1)."""
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class PeriodOverlap:
    """How two periods overlap: ``level`` "full", "partial" or "none", the shared days (None when
    there are none), and ``share`` = shared days / days of the shorter period (0-1)."""

    first: Period
    second: Period
    level: str
    shared: Period | None
    share: float

    @property
    def shared_days(self) -> int:
        """Calendar days in both periods (0 when none)."""
        return self.shared.days if self.shared else 0

    @property
    def combine_by_default(self) -> bool:
        """False when the periods share no day: the second dataset should not be used with the first."""
        return self.level != "none"

    @property
    def severity(self) -> str:
        """"ok" for a full overlap, "warning" for a partial one or none."""
        return "ok" if self.level == "full" else "warning"

    def note(self) -> tuple[str, dict, str] | None:
        """``(code, params, severity)`` for the UI to word, or None for a full overlap. Codes:
        "periods_disjoint" and "periods_partial"; params hold ISO dates (``first_start``,
        ``first_end``, ``second_start``, ``second_end``, ``shared_start``, ``shared_end``) and
        ``shared_days``."""
        if self.level == "full":
            return None
        params = {"first_start": self.first.start.isoformat(), "first_end": self.first.end.isoformat(),
                  "second_start": self.second.start.isoformat(), "second_end": self.second.end.isoformat(),
                  "shared_days": self.shared_days,
                  "shared_start": self.shared.start.isoformat() if self.shared else None,
                  "shared_end": self.shared.end.isoformat() if self.shared else None}
        return ("periods_disjoint" if self.level == "none" else "periods_partial"), params, self.severity


def compare_periods(first: Period, second: Period, *, full_share: float = FULL_SHARE) -> PeriodOverlap:
    """Compare two periods (see the module docstring for the three levels)."""
    start, end = max(first.start, second.start), min(first.end, second.end)
    if end < start:
        return PeriodOverlap(first, second, "none", None, 0.0)
    shared = Period(start, end)
    share = shared.days / min(first.days, second.days)
    return PeriodOverlap(first, second, "full" if share >= full_share else "partial", shared, share)


def period_of(timestamps: pd.Series) -> Period | None:
    """The period of a dataset from its ``timestamp`` column (first to last day); None without a
    readable timestamp."""
    stamps = pd.to_datetime(timestamps, errors="coerce").dropna()
    if stamps.empty:
        return None
    return Period(stamps.min().date(), stamps.max().date())


# --- partial periods at the edges of a dataset ----------------------------------------------------
#
# A chart of sales per week or month ends in the week or month holding the last order. When the
# data stops part-way through it (the Online Retail sample ends on Friday 2011-12-09), that period
# holds 9 of December's 31 days of sales and looks like a collapse. The first period can be cut the
# same way. Weeks start on Monday (ISO, as DuckDB's date_trunc('week') and the forecast series);
# months on the 1st. A day is the finest grain of the data's period, so a day is never partial.

#: the period names this module understands, with their one-letter forecast codes
GRAINS = {"day": "day", "week": "week", "month": "month", "D": "day", "W": "week", "M": "month"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # English names whatever the server's locale


@dataclass(frozen=True)
class PartialPeriod:
    """A period at the ``edge`` ("first" or "last") of the data that the data covers only in part:
    it starts on ``start``, has ``days`` calendar days and the data covers ``covered`` of them
    (the days from the data's first day, or up to its last day, that fall in it)."""

    edge: str
    grain: str
    start: dt.date
    days: int
    covered: int

    def note(self) -> tuple[str, dict, str]:
        """``("partial_period", params, "info")`` for the UI to word; params: ``edge``, ``grain``,
        ``start`` (ISO date), ``days``, ``covered``."""
        return "partial_period", {"edge": self.edge, "grain": self.grain, "start": self.start.isoformat(),
                                  "days": self.days, "covered": self.covered}, "info"


def period_bounds(day: dt.date, grain: str) -> tuple[dt.date, dt.date]:
    """First and last calendar day of the ``grain`` (day, week, month, or D/W/M) holding ``day``."""
    grain = GRAINS[grain]
    if grain == "day":
        return day, day
    if grain == "week":
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6)
    start = day.replace(day=1)
    following = (start.replace(year=start.year + 1, month=1) if start.month == 12
                 else start.replace(month=start.month + 1))
    return start, following - dt.timedelta(days=1)


def partial_periods(period: Period | None, grain: str) -> list[PartialPeriod]:
    """The first and/or last ``grain`` period of the data's ``period`` (first to last day, see
    :func:`period_of`) when the data covers only part of it, first one first. A dataset inside one
    period gives that period once (as "last"). Days are never partial."""
    if period is None or GRAINS[grain] == "day":
        return []
    grain = GRAINS[grain]
    found = []
    first_start, first_end = period_bounds(period.start, grain)
    last_start, last_end = period_bounds(period.end, grain)
    if first_start == last_start:
        covered = (period.end - period.start).days + 1
        days = (last_end - last_start).days + 1
        return [PartialPeriod("last", grain, last_start, days, covered)] if covered < days else []
    if period.start > first_start:
        found.append(PartialPeriod("first", grain, first_start, (first_end - first_start).days + 1,
                                   (first_end - period.start).days + 1))
    if period.end < last_end:
        found.append(PartialPeriod("last", grain, last_start, (last_end - last_start).days + 1,
                                   (period.end - last_start).days + 1))
    return found


def describe_partial(partial: PartialPeriod, lang: str = "en", *, first_word: bool = True) -> str:
    """One sentence for an analyst: "December 2011 has 9 of 31 days in the data" / "The week of
    2011-12-05 has 5 of 7 days in the data" (in ``lang``; "the week of ..." inside a sentence, with
    ``first_word`` False)."""
    from ecom_analytics.i18n import translate

    start = partial.start
    if partial.grain == "month":
        name = f"{start.year}年{start.month}月" if lang == "zh" else f"{MONTHS[start.month - 1]} {start.year}"
        return translate("{period} has {covered} of {days} days in the data", lang, period=name,
                         covered=partial.covered, days=partial.days)
    name = f"{start.year}年{start.month}月{start.day}日" if lang == "zh" else start.isoformat()
    template = "The week of {start} has {covered} of {days} days in the data" if first_word else \
        "the week of {start} has {covered} of {days} days in the data"
    return translate(template, lang, start=name, covered=partial.covered, days=partial.days)


#: what a period is compared with: nothing, the as-long period just before it, the same dates a year earlier
COMPARISONS = ("none", "previous", "last_year")


def comparison_period(start: dt.date, end: dt.date, mode: str) -> tuple[dt.date, dt.date] | None:
    """The days ``[start, end]`` (both included) are compared with: "previous" the same number of
    days ending the day before ``start``; "last_year" the same dates one year earlier (29 February
    becomes 28 February); "none" gives None."""
    if mode == "none":
        return None
    if mode == "previous":
        days = (end - start).days + 1
        return start - dt.timedelta(days=days), start - dt.timedelta(days=1)
    if mode == "last_year":
        def back(day: dt.date) -> dt.date:
            try:
                return day.replace(year=day.year - 1)
            except ValueError:  # 29 February
                return day.replace(year=day.year - 1, day=28)
        return back(start), back(end)
    raise ValueError(f"comparison must be one of {COMPARISONS}")


def rows_in(frame: pd.DataFrame, start: dt.date | None, end: dt.date | None) -> pd.DataFrame:
    """The rows of ``frame`` whose ``timestamp`` falls on the days ``[start, end]`` (None: open)."""
    keep = pd.Series(True, index=frame.index)
    if start is not None:
        keep &= frame["timestamp"] >= pd.Timestamp(start)
    if end is not None:
        keep &= frame["timestamp"] < pd.Timestamp(end) + pd.Timedelta(days=1)
    return frame[keep]
