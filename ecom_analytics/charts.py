"""Charts: functions that take results and return a Plotly figure. No computing, no Streamlit."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

PALETTE = px.colors.qualitative.Safe
_LAYOUT = dict(margin=dict(l=10, r=10, t=40, b=10), template="plotly_white", hovermode="x unified",
               legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="right", x=1))


def _finish(fig: go.Figure, title: str, height: int = 360) -> go.Figure:
    fig.update_layout(title=dict(text=title, x=0, xanchor="left"), height=height, **_LAYOUT)
    return fig


def sales_over_time_chart(series: pd.DataFrame, measure: str = "revenue", freq: str = "week",
                          currency: str = "") -> go.Figure:
    """Line of ``measure`` (revenue, orders or customers) per period from :func:`overview.sales_over_time`."""
    label = {"revenue": f"Revenue {currency}".strip(), "orders": "Orders", "customers": "Customers"}[measure]
    fig = px.area(series, x="period", y=measure, labels={"period": freq.capitalize(), measure: label},
                  color_discrete_sequence=PALETTE)
    fig.update_traces(line_shape="linear", hovertemplate="%{x|%Y-%m-%d}: %{y:,.0f}<extra></extra>")
    return _finish(fig, f"{label} per {freq}")


def top_products_chart(products: pd.DataFrame, currency: str = "") -> go.Figure:
    """Horizontal bars of revenue for the products of :func:`overview.top_products`."""
    frame = products.copy()
    names = frame["product_name"].fillna(frame["product_id"]).astype(str)
    frame["label"] = names.str.slice(0, 40) + " (" + frame["product_id"].astype(str) + ")"
    frame = frame.iloc[::-1]
    fig = px.bar(frame, x="revenue", y="label", orientation="h", color_discrete_sequence=PALETTE,
                 labels={"revenue": f"Revenue {currency}".strip(), "label": ""},
                 hover_data={"units": ":,.0f", "orders": ":,", "customers": ":,"})
    return _finish(fig, "Top products by revenue", height=max(300, 28 * len(frame) + 80))


def country_chart(countries: pd.DataFrame, n: int = 15, currency: str = "") -> go.Figure:
    """Bars of revenue for the ``n`` largest countries of :func:`overview.by_country`."""
    frame = countries.head(n).iloc[::-1]
    fig = px.bar(frame, x="revenue", y="country", orientation="h", color_discrete_sequence=PALETTE[1:],
                 labels={"revenue": f"Revenue {currency}".strip(), "country": ""},
                 hover_data={"orders": ":,", "customers": ":,"})
    return _finish(fig, f"Revenue by country (top {min(n, len(countries))})", height=max(300, 26 * len(frame) + 80))


def quarantine_chart(rules: pd.DataFrame) -> go.Figure:
    """Bars of quarantined rows per cleaning rule, from the cleaning report's ``rules`` list."""
    frame = rules[rules["quarantined"] > 0].iloc[::-1]
    fig = px.bar(frame, x="quarantined", y="rule", orientation="h", color_discrete_sequence=[PALETTE[2]],
                 labels={"quarantined": "Rows set aside", "rule": ""},
                 hover_data={"revenue_quarantined": ":,.2f", "matched": ":,"})
    return _finish(fig, "Rows set aside, by first rule failed", height=max(240, 40 * len(frame) + 100))


def event_types_chart(by_type: dict) -> go.Figure:
    """Bars of event counts per event type."""
    frame = pd.DataFrame({"event_type": list(by_type), "events": list(by_type.values())})
    fig = px.bar(frame, x="event_type", y="events", color_discrete_sequence=PALETTE,
                 labels={"event_type": "", "events": "Events"})
    return _finish(fig, "Events by type", height=300)
