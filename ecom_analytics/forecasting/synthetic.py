"""A SYNTHETIC multi-store weekly retail table, for benchmarks and tests (no real data).

No public multi-store weekly sales table ships with an installable package here, so this
generator imitates the layout and the difficulties of one (a chain's stores, about three
years of weekly sales and a holiday flag, as in the public Walmart store sales table): it
draws **daily** sales per store and sums them into weeks, so holidays fall in different weeks
from year to year as they do in real data.

Per store: a level (log-normal across stores), a yearly growth and sometimes a lasting level
shift (a remodel, a competitor); a yearly pattern shared by the chain with a store-specific
strength (summer, back to school, the December ramp to Christmas, the January slump);
day-of-week effects; holiday days (Super Bowl Sunday, Easter, Memorial Day, Independence
Day, Labor Day, Thanksgiving and Black Friday, the days before Christmas, Christmas Day
closed, New Year); promotion weeks now and then; multiplicative AR(1) noise. The holiday flag
marks, as in the public table, the weeks of the Super Bowl, Labor Day, Thanksgiving and
Christmas.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> pd.Timestamp:
    first = pd.Timestamp(year, month, 1)
    return first + pd.Timedelta(days=(weekday - first.dayofweek) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> pd.Timestamp:
    last = pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)
    return last - pd.Timedelta(days=(last.dayofweek - weekday) % 7)


def _easter(year: int) -> pd.Timestamp:
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return pd.Timestamp(year, month, day)


def _holiday_effects(days: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    """Per day: the multiplicative holiday effect and whether the day makes its week a
    flagged holiday week (Super Bowl, Labor Day, Thanksgiving, Christmas)."""
    effect = np.ones(len(days))
    flagged = np.zeros(len(days), dtype=bool)
    pos = {d: i for i, d in enumerate(days)}

    def put(day, mult, flag=False):
        if day in pos:
            effect[pos[day]] *= mult
            flagged[pos[day]] |= flag

    for year in range(days.min().year, days.max().year + 1):
        put(_nth_weekday(year, 2, 6, 1), 1.25, True)                       # Super Bowl Sunday
        easter = _easter(year)
        for k, mult in ((-2, 1.15), (-1, 1.3), (0, 0.6)):
            put(easter + pd.Timedelta(days=k), mult)
        put(_last_weekday(year, 5, 0), 1.2)                                 # Memorial Day
        put(pd.Timestamp(year, 7, 3), 1.2)
        put(pd.Timestamp(year, 7, 4), 0.8)                                  # Independence Day
        put(_nth_weekday(year, 9, 0, 1), 1.2, True)                         # Labor Day
        thanks = _nth_weekday(year, 11, 3, 4)
        put(thanks - pd.Timedelta(days=1), 1.3, True)
        put(thanks, 0.45, True)
        put(thanks + pd.Timedelta(days=1), 2.6, True)                       # Black Friday
        put(thanks + pd.Timedelta(days=2), 1.5, True)
        for k in range(1, 12):                                              # the run-up to Christmas
            put(pd.Timestamp(year, 12, 24) - pd.Timedelta(days=k - 1), 1.0 + 0.09 * (12 - k), k <= 7)
        put(pd.Timestamp(year, 12, 25), 0.05, True)                         # closed
        put(pd.Timestamp(year, 12, 26), 1.25)
        put(pd.Timestamp(year, 12, 31), 1.2)
        put(pd.Timestamp(year, 1, 1), 0.5)
    return effect, flagged


def _draw_stores(n_stores: int, n_weeks: int, start: str, seed: int):
    """Per store in turn: ``(store, days, daily sales, flagged days)`` (the draw both tables share)."""
    rng = np.random.default_rng(seed)
    days = pd.date_range(start, periods=7 * n_weeks, freq="D")
    t_year = (days.dayofyear.to_numpy() - 1) / 365.25
    years = (days - days[0]).days.to_numpy() / 365.25
    holiday, flagged = _holiday_effects(days)
    dow = np.array([0.92, 0.88, 0.9, 0.95, 1.08, 1.25, 1.02])[days.dayofweek]
    # the chain's yearly pattern (log scale): summer, back to school, a late-year ramp, the January slump
    chain = (0.05 * np.sin(2 * np.pi * (t_year - 0.3)) + 0.04 * np.exp(-((t_year - 0.62) / 0.03) ** 2)
             + 0.10 * np.exp(-((t_year - 0.96) / 0.04) ** 2) - 0.06 * np.exp(-((t_year - 0.05) / 0.04) ** 2))
    week_of_day = np.arange(len(days)) // 7
    for store in range(1, n_stores + 1):
        level = np.exp(rng.normal(np.log(1.0e6), 0.6)) / 7
        growth = rng.normal(0.01, 0.05)
        strength = rng.uniform(0.5, 1.6)
        holiday_strength = rng.uniform(0.6, 1.3)
        log_level = np.log(level) + growth * years + strength * chain
        if rng.random() < 0.3:  # a lasting shift
            at = rng.uniform(0.8, 2.3)
            log_level += np.where(years > at, rng.normal(0, 0.12), 0.0)
        promo_weeks = rng.random(n_weeks) < 0.06
        promo = np.where(promo_weeks[week_of_day], 1.0 + rng.uniform(0.05, 0.2), 1.0)
        noise = np.zeros(len(days))
        e = rng.normal(0, rng.uniform(0.03, 0.08), len(days))
        for i in range(1, len(days)):
            noise[i] = 0.6 * noise[i - 1] + e[i]
        yield store, days, np.exp(log_level + noise) * dow * holiday ** holiday_strength * promo, flagged


def multi_store_weekly(n_stores: int = 45, n_weeks: int = 143, start: str = "2010-02-01", seed: int = 0
                       ) -> pd.DataFrame:
    """A synthetic weekly sales table: ``Store``, ``Date`` (the Monday starting the week),
    ``Weekly_Sales`` and ``IsHoliday`` (TRUE/FALSE), ``n_stores * n_weeks`` rows."""
    rows = []
    for store, days, sales, flagged in _draw_stores(n_stores, n_weeks, start, seed):
        week_of_day = np.arange(len(days)) // 7
        week_flag = np.bincount(week_of_day, weights=flagged.astype(float)) > 0
        weekly = np.bincount(week_of_day, weights=sales)
        rows.append(pd.DataFrame({"Store": store, "Date": days[::7], "Weekly_Sales": weekly.round(2),
                                  "IsHoliday": np.where(week_flag, "TRUE", "FALSE")}))
    out = pd.concat(rows, ignore_index=True)
    out["Date"] = out["Date"].dt.strftime("%Y-%m-%d")
    return out


def multi_store_daily(n_stores: int = 45, n_weeks: int = 143, start: str = "2010-02-01", seed: int = 0
                      ) -> pd.DataFrame:
    """The same draw as :func:`multi_store_weekly` (same ``seed``: the same stores) before it is summed
    into weeks: ``Store``, ``Date`` (each day), ``Sales`` and ``IsHoliday`` (the holiday days of the weekly
    flag: Super Bowl, Labor Day, Thanksgiving, Christmas), ``n_stores * 7 * n_weeks`` rows."""
    rows = []
    for store, days, sales, flagged in _draw_stores(n_stores, n_weeks, start, seed):
        rows.append(pd.DataFrame({"Store": store, "Date": days, "Sales": sales.round(2),
                                  "IsHoliday": np.where(flagged, "TRUE", "FALSE")}))
    out = pd.concat(rows, ignore_index=True)
    out["Date"] = out["Date"].dt.strftime("%Y-%m-%d")
    return out
