"""Cached customer lifetime value runs for the Predictions page and the report."""

from __future__ import annotations

import streamlit as st

from ecom_analytics.predict.clv import ClvRun, default_calibration_end, run_clv
from ecom_analytics.ui import loaders


@st.cache_data(show_spinner=False, max_entries=4)
def clv_value(orders_id: str, months: int, discount_rate: float, unit: str = "weeks") -> ClvRun:
    """Every customer's value over the next ``months``, the models fitted on all the orders
    (calibration end = the last order's day)."""
    return run_clv(loaders.clean_rows(orders_id), None, unit, months, discount_rate)


@st.cache_data(show_spinner=False, max_entries=4)
def clv_check(orders_id: str, months: int, discount_rate: float, unit: str = "weeks") -> ClvRun:
    """The same models fitted up to :func:`ecom_analytics.predict.clv.default_calibration_end` and
    checked on the orders after it (``evaluation``)."""
    orders = loaders.clean_rows(orders_id)
    return run_clv(orders, default_calibration_end(orders, months), unit, months, discount_rate)
