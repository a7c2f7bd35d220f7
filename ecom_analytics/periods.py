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
