"""Holiday and calendar regressors per period, from the ``holidays`` package's country calendars.

``holiday_table(ds, freq, country)`` lists, per period start in ``ds``, the public holidays
of ``country`` (an ISO code such as GB or US) that fall in the period; ``regressors`` turns
them into columns for the models: one 0/1 column per holiday seen at least twice in a
calendar of the whole span (history and horizon) plus, where the calendar has Christmas,
the two periods before the one holding it (the shopping peak). The export's own
holiday/promotion ``flag`` is added by the caller.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from ecom_analytics.errors import InputError

#: a country name in an export -> the calendar's ISO code, for names the package spells differently
_ALIASES = {"uk": "GB", "united kingdom": "GB", "great britain": "GB", "england": "GB", "usa": "US",
            "united states": "US", "united states of america": "US", "eire": "IE", "rsa": "ZA",
            "czech republic": "CZ", "korea": "KR", "south korea": "KR", "china": "CN", "中国": "CN"}


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    try:
        from holidays.registry import COUNTRIES
    except ImportError:  # the package is optional: no calendar
        return {}
    out = {}
    for module, entry in COUNTRIES.items():
        out[module.replace("_", " ")] = entry[1]
        out[entry[0].lower()] = entry[1]
        out[entry[1].lower()] = entry[1]
        if len(entry) > 2:
            out[entry[2].lower()] = entry[1]
    return out


def country_code(name: str | None) -> str | None:
    """The calendar code of a country name or code (``"United Kingdom"`` -> ``GB``), or None."""
    if name is None or not str(name).strip():
        return None
    key = str(name).strip().lower()
    return _ALIASES.get(key) or _names().get(key) or _names().get(key.replace(" ", ""))


def period_start(ts: pd.Series, freq: str) -> pd.Series:
    """The start of the period holding each timestamp (a day, a Monday-started week, the first of
    the month): the ``ds`` of every series and the ``period`` of the holiday table."""
    if freq == "D":
        return ts.dt.normalize()
    return ts.dt.to_period("W-SUN" if freq == "W" else "M").dt.start_time


def check_country(code: str | None) -> str | None:
    """``code`` as a calendar code (None or ``none`` for no calendar), else an :class:`InputError`."""
    if code is None or str(code).lower() in ("", "none", "no"):
        return None
    found = country_code(code)
    if found is None:
        raise InputError("No holiday calendar for '{code}'; give a country code such as GB, US, DE or CN, or none.",
                         code=code)
    return found


@lru_cache(maxsize=32)
def _calendar(country: str, years: tuple[int, ...]) -> tuple[tuple[pd.Timestamp, str], ...]:
    import holidays

    cal = holidays.country_holidays(country, years=list(years))
    return tuple(sorted((pd.Timestamp(d), str(n)) for d, n in cal.items()))


def holiday_table(ds: pd.DatetimeIndex, freq: str, country: str | None) -> pd.DataFrame:
    """One row per holiday day falling in a period of ``ds``: ``period`` (the period start),
    ``date`` and ``name``; empty without a country or without the ``holidays`` package."""
    empty = pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]"), "date": pd.Series(dtype="datetime64[ns]"),
                          "name": pd.Series(dtype="string")})
    if country is None or len(ds) == 0 or not _names():
        return empty
    ds = pd.DatetimeIndex(ds)
    years = tuple(range(ds.min().year, ds.max().year + 2))
    days = _calendar(country, years)
    if not days:
        return empty
    dates = pd.DatetimeIndex([d for d, _ in days])
    names = [n for _, n in days]
    periods = period_start(pd.Series(dates), freq)
    out = pd.DataFrame({"period": periods.to_numpy(), "date": dates, "name": pd.Series(names, dtype="string")})
    return out[out["period"].isin(ds)].reset_index(drop=True)


def regressors(ds: pd.DatetimeIndex, freq: str, country: str | None) -> pd.DataFrame:
    """Holiday columns indexed by ``ds`` (history and horizon together): a 0/1 column per
    holiday name occurring in at least two periods of ``ds`` ("(observed)" days count as the
    holiday itself), and, with
    Christmas in the calendar, ``before_christmas_1`` and ``_2`` (the periods just before it;
    weekly data only)."""
    ds = pd.DatetimeIndex(ds)
    out = pd.DataFrame(index=ds)
    table = holiday_table(ds, freq, country)
    if table.empty:
        return out
    base_names = table["name"].str.replace(r"\s*\(.*\)$", "", regex=True)  # "Christmas Day (observed)" -> one name
    table = table.assign(name=base_names)
    counts = table.drop_duplicates(["period", "name"]).groupby("name").size()
    for name in counts[counts >= 2].index:
        hit = table.loc[table["name"] == name, "period"].unique()
        out[f"holiday: {name}"] = ds.isin(hit).astype("float64")
    xmas = table.loc[table["name"].str.contains("Christmas", case=False) & ~table["name"].str.contains("Eve", case=False),
                     "period"].unique()
    if freq == "W" and len(xmas):
        for lag in (1, 2):
            before = pd.DatetimeIndex(xmas) - pd.Timedelta(weeks=lag)
            out[f"before_christmas_{lag}"] = ds.isin(before).astype("float64")
    return out.loc[:, out.sum(axis=0) > 0]


def holiday_names(ds: pd.DatetimeIndex, freq: str, country: str | None) -> pd.Series:
    """Per period start in ``ds``, the holidays in it joined by ", " (empty text when none): for
    the chart's markers."""
    table = holiday_table(ds, freq, country)
    joined = table.drop_duplicates(["period", "name"]).groupby("period")["name"].agg(", ".join)
    return pd.Series(pd.DatetimeIndex(ds).map(lambda d: joined.get(d, "")), index=pd.DatetimeIndex(ds), dtype="string")


def calendar_features(ds: pd.DatetimeIndex, freq: str) -> np.ndarray:
    """Position in the year (week of year or month, 1-based) and, for daily data, the day of the
    week (0 = Monday): for the gradient-boosting model."""
    ds = pd.DatetimeIndex(ds)
    if freq == "M":
        return np.column_stack([ds.month.to_numpy()])
    week = ds.isocalendar().week.to_numpy(dtype="float64")
    if freq == "W":
        return np.column_stack([week])
    return np.column_stack([week, ds.dayofweek.to_numpy()])
