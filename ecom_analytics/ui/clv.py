"""Cached customer lifetime value runs for the Predictions page and the report."""

from __future__ import annotations

from ecom_analytics.predict.clv import ClvRun
from ecom_analytics.ui import predict_cache


def clv_value(orders_id: str, months: int, discount_rate: float, unit: str = "weeks") -> ClvRun:
    """Every customer's value over the next ``months``, the models fitted on all the orders
    (calibration end = the last order's day)."""
    return predict_cache.clv_run(orders_id, months, discount_rate, unit).result


def clv_check(orders_id: str, months: int, discount_rate: float, unit: str = "weeks") -> ClvRun:
    """The same models fitted up to :func:`ecom_analytics.predict.clv.default_calibration_end` and
    checked on the orders after it (``evaluation``)."""
    return predict_cache.clv_run(orders_id, months, discount_rate, unit, holdout=True).result
