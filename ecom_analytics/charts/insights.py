"""Charts of the descriptive views: sales over time, products, countries, quarantine, events,
features, RFM, cohorts and the funnel. Functions take results and their words and return a Plotly figure.

Each chart takes its words as ``text`` (those of :data:`INSIGHTS_TEXT`, which the page passes in the
analyst's language) and the labels of codes known only with the data (event types, segments) as a
mapping; without them a chart shows the English defaults through the catalogue of ``lang`` (the
report's sections). ``lang`` also writes the numbers and dates.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from ecom_analytics.charts.common import PALETTE, chart_words, finish, names_for
from ecom_analytics.i18n import fill, format_number, format_percent

#: the words on the descriptive charts, in English ({measure}, {period}, {covered}, {days}, {n}, {feature}
#: are filled in by the chart; ``%{...}`` are Plotly's hover fields)
INSIGHTS_TEXT = {
    "revenue": "Revenue", "orders": "Orders", "customers": "Customers", "units": "Units", "users": "Users",
    "period_day": "Day", "period_week": "Week", "period_month": "Month",
    "per_day": "day", "per_week": "week", "per_month": "month",
    "partial_days": "{covered} of {days} days", "partial": "Partial period (part of its days)",
    "sales_title": "{measure} per {period}",
    "top_products_title": "Top products by revenue", "country_title": "Revenue by country (top {n})",
    "set_aside": "Rows set aside", "revenue_set_aside": "Revenue set aside", "matching": "Rows matching",
    "quarantine_title": "Rows set aside, by first rule failed",
    "events": "Events", "events_title": "Events by type",
    "customers_log": "Customers (log scale)", "histogram_title": "Distribution of {feature} over {n:,} customers",
    "rate_purchase": "Share who buy in the window", "rate_churn": "Share who churn",
    "rate_revenue": "Mean revenue in the window", "decile_range": "{feature} (decile range)", "decile": "Decile",
    "rate_title": "{measure} by decile of {feature}",
    "spearman": "Spearman correlation", "correlation_title": "How features move together (Spearman rank correlation)",
    "treemap_text": "<b>%{label}</b><br>%{value:,} customers<br>%{customdata[0]:.1%} of revenue",
    "treemap_hover": "%{label}: %{value:,} customers, %{customdata[0]:.1%} of revenue, "
                     "typical recency %{customdata[1]:.0f} days",
    "revenue_share": "Revenue share", "treemap_title": "RFM segments: area = customers, colour = share of revenue",
    "grid_hover": "%{y} %{x}: %{z:,} customers", "frequency_score": "Frequency score (5 = most orders)",
    "recency_score": "Recency score (5 = most recent)", "grid_title": "Customers per recency x frequency score",
    "cohort_hover": "cohort %{y}, month %{x}: %{text}",
    "cohort_hover_partial": "cohort %{y}, month %{x}: %{text} (a partial month)", "retention": "Retention",
    "cohort_y": "Cohort (month of first order)", "cohort_x": "Months since first order",
    "cohort_title_retention": "Share of each cohort ordering again, by month",
    "cohort_title_revenue": "Revenue of each cohort, by month",
    "step_view": "View", "step_cart": "Cart", "step_purchase": "Purchase",
    "funnel_text": "%{value:,}<br>%{percentInitial:.0%} of initial<br>%{percentPrevious:.0%} of previous",
    "funnel_title": "Users reaching each step (closed funnel)",
    "view_cart": "view → cart", "cart_purchase": "cart → purchase", "conversion": "Conversion", "step": "Step",
    "funnel_group_title": "Conversion by category (top {n} by users who viewed)",
}


def _words(text: Mapping[str, str] | None, lang: str) -> dict[str, str]:
    return chart_words(INSIGHTS_TEXT, text, lang)


def _partial_starts(partial) -> dict[pd.Timestamp, object]:
    """Period start -> :class:`~ecom_analytics.periods.PartialPeriod` of the partial edge periods."""
    return {pd.Timestamp(p.start): p for p in (partial or [])}


def sales_over_time_chart(series: pd.DataFrame, measure: str = "revenue", freq: str = "week",
                          currency: str = "", lang: str = "en", partial=None, comparison: pd.DataFrame | None = None,
                          comparison_label: str = "", text: Mapping[str, str] | None = None) -> go.Figure:
    """Line of ``measure`` (revenue, orders or customers) per period from :func:`overview.sales_over_time`.

    ``partial``: the data's partial first/last periods (:func:`ecom_analytics.periods.partial_periods`):
    each is drawn as a dashed segment with a hollow marker over a lighter fill, so a period holding
    9 of its 31 days does not read as a collapse. ``comparison``: the same columns for the period
    compared with, its ``period`` already moved onto this one's dates, drawn as a dashed grey line
    named ``comparison_label``."""
    words = _words(text, lang)
    label = {"revenue": f"{words['revenue']} {currency}".strip(), "orders": words["orders"],
             "customers": words["customers"]}[measure]
    period = words.get(f"period_{freq}", freq.capitalize())
    money = currency if measure == "revenue" else ""  # the hover's amounts carry the currency
    starts = _partial_starts(partial)
    cut = series["period"].isin(list(starts))
    whole = series[~cut]
    fig = px.area(whole, x="period", y=measure, labels={"period": period, measure: label},
                  color_discrete_sequence=PALETTE)
    fig.update_traces(line_shape="linear", hovertemplate="%{x|%Y-%m-%d}: " + money + "%{y:,.0f}<extra></extra>")
    shown = False
    for start, part in starts.items():
        row = series[series["period"] == start]
        if row.empty:
            continue
        neighbour = whole[whole["period"] < start].tail(1) if part.edge == "last" else \
            whole[whole["period"] > start].head(1)
        segment = pd.concat([neighbour, row]).sort_values("period")
        note = fill(words["partial_days"], lang, covered=part.covered, days=part.days)
        fig.add_scatter(x=segment["period"], y=segment[measure], mode="lines+markers+text", fill="tozeroy",
                        fillcolor="rgba(136,204,238,0.15)", line=dict(color="#555", dash="dash", width=1.5),
                        marker=dict(symbol="circle-open", size=[10 if d == start else 0 for d in segment["period"]],
                                    color="#555", line=dict(width=2)), cliponaxis=False,
                        text=[note if d == start else "" for d in segment["period"]],
                        textposition="top left" if part.edge == "last" else "top right",
                        textfont=dict(color="#555", size=11),
                        name=words["partial"], legendgroup="partial",
                        showlegend=not shown, customdata=[note if d == start else "" for d in segment["period"]],
                        hovertemplate="%{x|%Y-%m-%d}: " + money + "%{y:,.0f} %{customdata}<extra></extra>")
        shown = True
    if comparison is not None and len(comparison):
        fig.add_scatter(x=comparison["period"], y=comparison[measure], mode="lines", name=comparison_label,
                        line=dict(color="#888", dash="dash", width=1.5),
                        hovertemplate=f"{comparison_label}: {money}%{{y:,.0f}}<extra></extra>")
        fig.update_layout(showlegend=True)
    return finish(fig, fill(words["sales_title"], lang, measure=label, period=words.get(f"per_{freq}", freq)),
                  lang=lang)


def top_products_chart(products: pd.DataFrame, currency: str = "", lang: str = "en",
                       text: Mapping[str, str] | None = None) -> go.Figure:
    """Horizontal bars of revenue for the products of :func:`overview.top_products`."""
    words = _words(text, lang)
    frame = products.copy()
    names = frame["product_name"].fillna(frame["product_id"]).astype(str)
    frame["label"] = names.str.slice(0, 40) + " (" + frame["product_id"].astype(str) + ")"
    frame = frame.iloc[::-1]
    fig = px.bar(frame, x="revenue", y="label", orientation="h", color_discrete_sequence=PALETTE,
                 labels={"revenue": f"{words['revenue']} {currency}".strip(), "label": "",
                         "units": words["units"], "orders": words["orders"], "customers": words["customers"]},
                 hover_data={"units": ":,.0f", "orders": ":,", "customers": ":,"})
    return finish(fig, words["top_products_title"], height=max(300, 28 * len(frame) + 80), lang=lang)


def country_chart(countries: pd.DataFrame, n: int = 15, currency: str = "", lang: str = "en",
                  text: Mapping[str, str] | None = None) -> go.Figure:
    """Bars of revenue for the ``n`` largest countries of :func:`overview.by_country`."""
    words = _words(text, lang)
    frame = countries.head(n).iloc[::-1]
    fig = px.bar(frame, x="revenue", y="country", orientation="h", color_discrete_sequence=PALETTE[1:],
                 labels={"revenue": f"{words['revenue']} {currency}".strip(), "country": "",
                         "orders": words["orders"], "customers": words["customers"]},
                 hover_data={"orders": ":,", "customers": ":,"})
    return finish(fig, fill(words["country_title"], lang, n=min(n, len(countries))),
                  height=max(300, 26 * len(frame) + 80), lang=lang)


def quarantine_chart(rules: pd.DataFrame, lang: str = "en", text: Mapping[str, str] | None = None) -> go.Figure:
    """Bars of quarantined rows per cleaning rule, from the cleaning report's ``rules`` list."""
    words = _words(text, lang)
    frame = rules[rules["quarantined"] > 0].iloc[::-1]
    fig = px.bar(frame, x="quarantined", y="rule", orientation="h", color_discrete_sequence=[PALETTE[2]],
                 labels={"quarantined": words["set_aside"], "rule": "", "revenue_quarantined": words["revenue_set_aside"],
                         "matched": words["matching"]},
                 hover_data={"revenue_quarantined": ":,.2f", "matched": ":,"})
    return finish(fig, words["quarantine_title"], height=max(240, 40 * len(frame) + 100), lang=lang)


def event_types_chart(by_type: dict, lang: str = "en", text: Mapping[str, str] | None = None,
                      type_names: Mapping[str, str] | None = None) -> go.Figure:
    """Bars of event counts per event type (``type_names``: a type's label, the type itself when missing)."""
    words, names = _words(text, lang), names_for(type_names, by_type, lang)
    frame = pd.DataFrame({"event_type": [names.get(k, str(k)) for k in by_type], "events": list(by_type.values())})
    fig = px.bar(frame, x="event_type", y="events", color_discrete_sequence=PALETTE,
                 labels={"event_type": "", "events": words["events"]})
    return finish(fig, words["events_title"], height=300, lang=lang)


def feature_histogram_chart(values: pd.Series, feature: str, unit: str, log_y: bool = False,
                            lang: str = "en", text: Mapping[str, str] | None = None) -> go.Figure:
    """Histogram of one feature across customers."""
    words = _words(text, lang)
    frame = pd.DataFrame({feature: pd.to_numeric(values, errors="coerce")}).dropna()
    fig = px.histogram(frame, x=feature, nbins=50, log_y=log_y, color_discrete_sequence=PALETTE,
                       labels={feature: f"{feature} ({unit})"})
    fig.update_layout(yaxis_title=words["customers_log" if log_y else "customers"], bargap=0.02)
    return finish(fig, fill(words["histogram_title"], lang, feature=feature, n=len(frame)), height=330, lang=lang)


def label_rate_chart(deciles: pd.DataFrame, feature: str, task: str, lang: str = "en",
                     text: Mapping[str, str] | None = None) -> go.Figure:
    """Bars of the label rate (or mean revenue) per decile of a feature."""
    words = _words(text, lang)
    frame = deciles.copy()
    frame["range"] = [f"{lo:,.4g} – {hi:,.4g}" for lo, hi in zip(frame["low"], frame["high"])]
    is_rate = task != "revenue"
    y_label = words[f"rate_{task}"]
    fig = px.bar(frame, x="range", y="label_mean", color_discrete_sequence=[PALETTE[3]],
                 labels={"range": fill(words["decile_range"], lang, feature=feature), "label_mean": y_label,
                         "customers": words["customers"], "decile": words["decile"]},
                 hover_data={"customers": ":,", "decile": True})
    if is_rate:
        fig.update_yaxes(tickformat=".0%")
    return finish(fig, fill(words["rate_title"], lang, measure=y_label, feature=feature), height=340, lang=lang)


def correlation_heatmap(features: pd.DataFrame, columns: list[str], lang: str = "en",
                        text: Mapping[str, str] | None = None):
    """Seaborn heatmap of Spearman correlations between features (a matplotlib Figure)."""
    words = _words(text, lang)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns

    corr = features[columns].corr(method="spearman")
    size = max(6.0, 0.38 * len(columns) + 2)
    fig, ax = plt.subplots(figsize=(size * 1.15, size))
    sns.heatmap(corr, ax=ax, cmap="RdBu_r", vmin=-1, vmax=1, center=0, square=True, linewidths=0.4,
                cbar_kws={"shrink": 0.6, "label": words["spearman"]}, annot=len(columns) <= 14, fmt=".1f",
                annot_kws={"size": 7})
    ax.set_title(words["correlation_title"], loc="left", fontsize=11)
    ax.tick_params(labelsize=8)
    fig.tight_layout()
    plt.close(fig)
    return fig


def rfm_treemap_chart(summary: pd.DataFrame, currency: str = "", lang: str = "en",
                      text: Mapping[str, str] | None = None,
                      segment_names: Mapping[str, str] | None = None) -> go.Figure:
    """Treemap of segments sized by customers and coloured by revenue share (``segment_names``: a
    segment's label, the segment itself when missing)."""
    words, names = _words(text, lang), names_for(segment_names, summary["segment"], lang)
    summary = summary.assign(segment=summary["segment"].map(lambda s: names.get(s, s)))
    fig = px.treemap(summary, path=["segment"], values="customers", color="revenue_share",
                     color_continuous_scale="Blues", custom_data=["revenue_share", "median_recency_days"])
    fig.update_traces(texttemplate=words["treemap_text"], hovertemplate=words["treemap_hover"] + "<extra></extra>",
                      marker=dict(line=dict(width=1, color="white")), root_color="white")
    fig.update_layout(coloraxis_colorbar=dict(title=words["revenue_share"], tickformat=".0%"))
    return finish(fig, words["treemap_title"], height=460, lang=lang)


def rfm_grid_chart(scores: pd.DataFrame, lang: str = "en", text: Mapping[str, str] | None = None) -> go.Figure:
    """Heatmap of customers per (R, F) score pair, the grid segments are named on."""
    words = _words(text, lang)
    grid = scores.groupby(["r", "f"]).size().unstack(fill_value=0).reindex(index=range(1, 6), columns=range(1, 6),
                                                                           fill_value=0)
    fig = go.Figure(go.Heatmap(z=grid.to_numpy(), x=[f"F{f}" for f in grid.columns], y=[f"R{r}" for r in grid.index],
                               colorscale="Blues", text=grid.to_numpy(), texttemplate="%{text:,}",
                               hovertemplate=words["grid_hover"] + "<extra></extra>",
                               colorbar=dict(title=words["customers"])))
    fig.update_layout(xaxis_title=words["frequency_score"], yaxis_title=words["recency_score"])
    return finish(fig, words["grid_title"], height=400, lang=lang)


def cohort_heatmap_chart(matrix: pd.DataFrame, value: str = "retention", lang: str = "en", partial=None,
                         currency: str = "", text: Mapping[str, str] | None = None) -> go.Figure:
    """Heatmap of cohorts x months since first order (retention as %, or revenue, whose colour bar and hover
    carry ``currency``, the dataset's symbol).

    ``partial``: the data's partial first/last months (:func:`ecom_analytics.periods.partial_periods`):
    the cells that fall in one (cohort month + months since = that month) are drawn lighter, their
    figure marked with *, as they count only the days the data covers."""
    words = _words(text, lang)
    is_rate = value == "retention"
    z = matrix.to_numpy(dtype=float)
    text = [[("" if pd.isna(v) else (format_percent(v, lang, 0) if is_rate else format_number(v, lang)))
             for v in row] for row in z]
    money = "" if is_rate else currency
    months = {pd.Timestamp(p.start).strftime("%Y-%m") for p in (partial or []) if p.grain == "month"}
    cohorts = pd.PeriodIndex(list(matrix.index), freq="M")
    in_partial = np.array([[(c + int(m)).strftime("%Y-%m") in months for m in matrix.columns] for c in cohorts],
                          dtype=bool).reshape(z.shape)
    main_text = [[("" if in_partial[i][j] else v) for j, v in enumerate(row)] for i, row in enumerate(text)]
    # the veil drawn over a partial month's cells carries (and hovers) their figure
    fig = go.Figure(go.Heatmap(z=z, x=[str(c) for c in matrix.columns], y=list(matrix.index), text=main_text,
                               texttemplate="%{text}", colorscale="Blues", zmin=0,
                               zmax=(0.6 if is_rate else None),
                               hovertemplate=words["cohort_hover"].replace("%{text}", money + "%{text}")
                               + "<extra></extra>",
                               colorbar=dict(title=f"{words['retention' if is_rate else 'revenue']} {money}".strip(),
                                             tickformat=".0%" if is_rate else ",.0f")))
    if in_partial.any():  # a white veil over the cells of a partial month, their figure marked *
        veil = np.where(in_partial & ~np.isnan(z), 1.0, np.nan)
        marked = [[(f"{v}*" if in_partial[i][j] and v else "") for j, v in enumerate(row)] for i, row in enumerate(text)]
        fig.add_trace(go.Heatmap(z=veil, x=[str(c) for c in matrix.columns], y=list(matrix.index), text=marked,
                                 texttemplate="%{text}", textfont=dict(color="#555"), showscale=False,
                                 colorscale=[[0, "rgba(255,255,255,0.6)"], [1, "rgba(255,255,255,0.6)"]],
                                 hovertemplate=words["cohort_hover_partial"] + "<extra></extra>", xgap=0, ygap=0))
    fig.update_yaxes(autorange="reversed", title=words["cohort_y"], type="category")
    fig.update_xaxes(title=words["cohort_x"], type="category")
    title = words["cohort_title_retention" if is_rate else "cohort_title_revenue"]
    return finish(fig, title, height=max(380, 26 * len(matrix) + 140), lang=lang)


def funnel_chart(funnel_table: pd.DataFrame, lang: str = "en", text: Mapping[str, str] | None = None) -> go.Figure:
    """Funnel of users from view to cart to purchase with step conversion."""
    words = _words(text, lang)
    fig = go.Figure(go.Funnel(y=[words.get(f"step_{s}", s.capitalize()) for s in funnel_table["step"]],
                              x=funnel_table["users"], texttemplate=words["funnel_text"], marker=dict(color=PALETTE[:3])))
    return finish(fig, words["funnel_title"], height=320, lang=lang)


def funnel_by_group_chart(table: pd.DataFrame, top: int = 12, lang: str = "en",
                          text: Mapping[str, str] | None = None) -> go.Figure:
    """Bars of view->cart and cart->purchase conversion for the largest groups."""
    words = _words(text, lang)
    views = table[table["step"] == "view"].nlargest(top, "users")["group"]
    frame = table[table["group"].isin(views) & (table["step"] != "view")].copy()
    frame["transition"] = frame["step"].map({"cart": words["view_cart"], "purchase": words["cart_purchase"]})
    fig = px.bar(frame, x="conversion", y="group", color="transition", barmode="group", orientation="h",
                 color_discrete_sequence=PALETTE[1:], labels={"conversion": words["conversion"], "group": "",
                                                              "transition": words["step"], "users": words["users"]},
                 hover_data={"users": ":,"})
    fig.update_xaxes(tickformat=".0%")
    return finish(fig, fill(words["funnel_group_title"], lang, n=len(views)),
                   height=max(320, 44 * len(views) + 120), lang=lang)
