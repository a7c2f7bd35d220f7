"""The Report page's optional sections from the cached loaders: the results the Forecast,
Recommendations and Predictions pages computed with the same settings (so the report shows the
numbers an analyst saw), turned into sections by :mod:`ecom_analytics.report.sections`, which the
``report`` command calls too."""

from __future__ import annotations

from ecom_analytics.report import sections
from ecom_analytics.report.sections import CLV, Section
from ecom_analytics.ui import forecast_cache


def forecast_section(orders_id: str, lang: str = "en") -> Section:
    """Total revenue per week forecast 8 weeks ahead, from the cached forecast run."""
    result = forecast_cache.forecast_run(orders_id, "orders", sections.forecast_settings()).result
    return sections.forecast_section(result, lang=lang)


def recommend_section(orders_id: str, events_id: str | None, lang: str = "en") -> Section:
    """The recommenders' leaderboard and the most recommended products, from the cached run."""
    run = forecast_cache.recommend_run(orders_id, events_id, sections.recommend_settings()).result
    return sections.recommend_section(run, lang=lang)


def clv_section(orders_id: str, lang: str = "en") -> Section:
    """Lifetime value by decile and its check on held-out orders, from the cached CLV runs."""
    from ecom_analytics.ui import clv as clv_ui

    value = clv_ui.clv_value(orders_id, CLV["months"], CLV["discount_rate"])
    check = clv_ui.clv_check(orders_id, CLV["months"], CLV["discount_rate"])
    return sections.clv_section(value, check, lang=lang)
