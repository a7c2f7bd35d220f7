"""Inventory hints for one product from its forecast: safety stock, reorder point, stock-out date.

Units: the forecast's measure per period (units sold per week, say); lead time in days;
service level as a probability (0.95 = no stock-out in 95 % of lead times).
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from ecom_analytics.errors import InputError
from ecom_analytics.forecasting import notes
from ecom_analytics.runs import Note
from ecom_analytics.forecasting.series import PERIOD_DAYS


@dataclass
class InventoryHints:
    """What to keep in stock and when it runs out, in the forecast's unit (units)."""

    lead_time_periods: float
    demand_during_lead_time: float
    safety_stock: float
    reorder_point: float
    current_stock: float
    reorder_now: bool
    stockout_date: pd.Timestamp | None
    note: str
    #: the same as coded notes (see :mod:`ecom_analytics.forecasting.notes`), for the page to word
    notes: tuple[Note, ...] = ()

    def as_dict(self) -> dict:
        """The hints as plain values (dates as ISO text)."""
        out = dict(self.__dict__)
        out.pop("notes")
        out["stockout_date"] = None if self.stockout_date is None else f"{self.stockout_date:%Y-%m-%d}"
        return out


def inventory_hints(forecast: pd.DataFrame, sigma1: float, freq: str, *, lead_time_days: float,
                    service_level: float, current_stock: float) -> InventoryHints:
    """Safety stock, reorder point and expected stock-out date from a forecast.

    ``forecast``: ``ds`` (period start) and ``yhat`` (demand per period), oldest first.
    ``sigma1``: the spread of one period's forecast error (root mean square of backtest
    errors / sqrt(step)). Safety stock = z(service level) x sigma1 x sqrt(lead time in
    periods); reorder point = forecast demand during the lead time + safety stock. The
    stock-out date is where the cumulative forecast demand reaches the current stock,
    demand spread evenly within a period.
    """
    if lead_time_days < 0:
        raise InputError("The lead time cannot be negative.")
    if not 0.5 <= service_level < 1:
        raise InputError("The service level must be at least 50 % and below 100 % (e.g. 95 %).")
    if forecast.empty:
        raise InputError("There is no forecast to plan stock from.")
    days = PERIOD_DAYS[freq]
    demand = np.clip(forecast["yhat"].to_numpy(dtype="float64"), 0, None)
    lead = float(lead_time_days) / days
    whole = int(np.floor(lead))
    found: list[Note] = []
    if lead > len(demand):
        found.append(notes.note(notes.LEAD_BEYOND))
    extended = np.concatenate([demand, np.full(max(0, whole + 1 - len(demand)), demand.mean())])
    during = float(extended[:whole].sum() + (lead - whole) * extended[whole])
    z = NormalDist().inv_cdf(service_level)
    sigma = float(sigma1) if np.isfinite(sigma1) else 0.0
    safety = float(z * sigma * np.sqrt(lead))
    rop = during + safety
    stockout = None
    stock = float(current_stock)
    if stock <= 0:
        stockout = pd.Timestamp(forecast["ds"].iloc[0])
        found.append(notes.note(notes.NO_STOCK))
    else:
        cum = np.cumsum(demand)
        k = int(np.searchsorted(cum, stock, side="left"))
        if k < len(demand):
            before = cum[k - 1] if k else 0.0
            frac = (stock - before) / demand[k] if demand[k] > 0 else 0.0
            stockout = (pd.Timestamp(forecast["ds"].iloc[k]) + pd.Timedelta(days=frac * days)).normalize()
        else:
            found.append(notes.note(notes.STOCK_LASTS))
    return InventoryHints(lead, during, safety, rop, stock, stock <= rop, stockout,
                         "; ".join(notes.english(n) for n in found), tuple(found))
