"""Charts of the descriptive views: sales over time, products, countries, quarantine, events,
features, RFM, cohorts and the funnel. Functions take results and return a Plotly figure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from ecom_analytics.charts.common import PALETTE, finish
from ecom_analytics.i18n import format_number, format_percent, translate


def _partial_starts(partial) -> dict[pd.Timestamp, object]:
    """Period start -> :class:`~ecom_analytics.periods.PartialPeriod` of the partial edge periods."""
    return {pd.Timestamp(p.start): p for p in (partial or [])}


def sales_over_time_chart(series: pd.DataFrame, measure: str = "revenue", freq: str = "week",
                          currency: str = "", lang: str = "en", partial=None, comparison: pd.DataFrame | None = None,
                          comparison_label: str = "") -> go.Figure:
    """Line of ``measure`` (revenue, orders or customers) per period from :func:`overview.sales_over_time`.

    ``partial``: the data's partial first/last periods (:func:`ecom_analytics.periods.partial_periods`):
    each is drawn as a dashed segment with a hollow marker over a lighter fill, so a period holding
    9 of its 31 days does not read as a collapse. ``comparison``: the same columns for the period
    compared with, its ``period`` already moved onto this one's dates, drawn as a dashed grey line
    named ``comparison_label``."""
    label = {"revenue": f"{translate('Revenue', lang)} {currency}".strip(), "orders": translate("Orders", lang),
             "customers": translate("Customers", lang)}[measure]
    period = translate(freq.capitalize(), lang)
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
        note = translate("{covered} of {days} days", lang, covered=part.covered, days=part.days)
        fig.add_scatter(x=segment["period"], y=segment[measure], mode="lines+markers+text", fill="tozeroy",
                        fillcolor="rgba(136,204,238,0.15)", line=dict(color="#555", dash="dash", width=1.5),
                        marker=dict(symbol="circle-open", size=[10 if d == start else 0 for d in segment["period"]],
                                    color="#555", line=dict(width=2)), cliponaxis=False,
                        text=[note if d == start else "" for d in segment["period"]],
                        textposition="top left" if part.edge == "last" else "top right",
                        textfont=dict(color="#555", size=11),
                        name=translate("Partial period (part of its days)", lang), legendgroup="partial",
                        showlegend=not shown, customdata=[note if d == start else "" for d in segment["period"]],
                        hovertemplate="%{x|%Y-%m-%d}: " + money + "%{y:,.0f} %{customdata}<extra></extra>")
        shown = True
    if comparison is not None and len(comparison):
        fig.add_scatter(x=comparison["period"], y=comparison[measure], mode="lines", name=comparison_label,
                        line=dict(color="#888", dash="dash", width=1.5),
                        hovertemplate=f"{comparison_label}: {money}%{{y:,.0f}}<extra></extra>")
        fig.update_layout(showlegend=True)
    return finish(fig, translate("{measure} per {period}", lang, measure=label, period=translate(freq, lang)), lang=lang)


def top_products_chart(products: pd.DataFrame, currency: str = "", lang: str = "en") -> go.Figure:
    """Horizontal bars of revenue for the products of :func:`overview.top_products`."""
    frame = products.copy()
    names = frame["product_name"].fillna(frame["product_id"]).astype(str)
    frame["label"] = names.str.slice(0, 40) + " (" + frame["product_id"].astype(str) + ")"
    frame = frame.iloc[::-1]
    fig = px.bar(frame, x="revenue", y="label", orientation="h", color_discrete_sequence=PALETTE,
                 labels={"revenue": f"{translate('Revenue', lang)} {currency}".strip(), "label": "",
                         "units": translate("Units", lang), "orders": translate("Orders", lang),
                         "customers": translate("Customers", lang)},
                 hover_data={"units": ":,.0f", "orders": ":,", "customers": ":,"})
    return finish(fig, translate("Top products by revenue", lang), height=max(300, 28 * len(frame) + 80), lang=lang)


def country_chart(countries: pd.DataFrame, n: int = 15, currency: str = "", lang: str = "en") -> go.Figure:
    """Bars of revenue for the ``n`` largest countries of :func:`overview.by_country`."""
    frame = countries.head(n).iloc[::-1]
    fig = px.bar(frame, x="revenue", y="country", orientation="h", color_discrete_sequence=PALETTE[1:],
                 labels={"revenue": f"{translate('Revenue', lang)} {currency}".strip(), "country": "",
                         "orders": translate("Orders", lang), "customers": translate("Customers", lang)},
                 hover_data={"orders": ":,", "customers": ":,"})
    return finish(fig, translate("Revenue by country (top {n})", lang, n=min(n, len(countries))), height=max(300, 26 * len(frame) + 80), lang=lang)


def quarantine_chart(rules: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Bars of quarantined rows per cleaning rule, from the cleaning report's ``rules`` list."""
    frame = rules[rules["quarantined"] > 0].iloc[::-1]
    fig = px.bar(frame, x="quarantined", y="rule", orientation="h", color_discrete_sequence=[PALETTE[2]],
                 labels={"quarantined": translate("Rows set aside", lang), "rule": "",
                         "revenue_quarantined": translate("Revenue set aside", lang),
                         "matched": translate("Rows matching", lang)},
                 hover_data={"revenue_quarantined": ":,.2f", "matched": ":,"})
    return finish(fig, translate("Rows set aside, by first rule failed", lang), height=max(240, 40 * len(frame) + 100), lang=lang)


def event_types_chart(by_type: dict, lang: str = "en") -> go.Figure:
    """Bars of event counts per event type."""
    frame = pd.DataFrame({"event_type": [translate(str(k), lang) for k in by_type], "events": list(by_type.values())})
    fig = px.bar(frame, x="event_type", y="events", color_discrete_sequence=PALETTE,
                 labels={"event_type": "", "events": translate("Events", lang)})
    return finish(fig, translate("Events by type", lang), height=300, lang=lang)


def feature_histogram_chart(values: pd.Series, feature: str, unit: str, log_y: bool = False,
                            lang: str = "en") -> go.Figure:
    """Histogram of one feature across customers."""
    frame = pd.DataFrame({feature: pd.to_numeric(values, errors="coerce")}).dropna()
    fig = px.histogram(frame, x=feature, nbins=50, log_y=log_y, color_discrete_sequence=PALETTE,
                       labels={feature: f"{feature} ({unit})"})
    fig.update_layout(yaxis_title=translate("Customers (log scale)" if log_y else "Customers", lang), bargap=0.02)
    return finish(fig, translate("Distribution of {feature} over {n:,} customers", lang, feature=feature,
                                  n=len(frame)), height=330, lang=lang)


def label_rate_chart(deciles: pd.DataFrame, feature: str, task: str, lang: str = "en") -> go.Figure:
    """Bars of the label rate (or mean revenue) per decile of a feature."""
    frame = deciles.copy()
    frame["range"] = [f"{lo:,.4g} – {hi:,.4g}" for lo, hi in zip(frame["low"], frame["high"])]
    is_rate = task != "revenue"
    y_label = {"purchase": translate("Share who buy in the window", lang), "churn": translate("Share who churn", lang),
               "revenue": translate("Mean revenue in the window", lang)}[task]
    fig = px.bar(frame, x="range", y="label_mean", color_discrete_sequence=[PALETTE[3]],
                 labels={"range": translate("{feature} (decile range)", lang, feature=feature), "label_mean": y_label,
                         "customers": translate("Customers", lang), "decile": translate("Decile", lang)},
                 hover_data={"customers": ":,", "decile": True})
    if is_rate:
        fig.update_yaxes(tickformat=".0%")
    return finish(fig, translate("{measure} by decile of {feature}", lang, measure=y_label, feature=feature), height=340, lang=lang)


def correlation_heatmap(features: pd.DataFrame, columns: list[str], lang: str = "en"):
    """Seaborn heatmap of Spearman correlations between features (a matplotlib Figure)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns

    corr = features[columns].corr(method="spearman")
    size = max(6.0, 0.38 * len(columns) + 2)
    fig, ax = plt.subplots(figsize=(size * 1.15, size))
    sns.heatmap(corr, ax=ax, cmap="RdBu_r", vmin=-1, vmax=1, center=0, square=True, linewidths=0.4,
                cbar_kws={"shrink": 0.6, "label": translate("Spearman correlation", lang)}, annot=len(columns) <= 14, fmt=".1f",
                annot_kws={"size": 7})
    ax.set_title(translate("How features move together (Spearman rank correlation)", lang), loc="left", fontsize=11)
    ax.tick_params(labelsize=8)
    fig.tight_layout()
    plt.close(fig)
    return fig


def rfm_treemap_chart(summary: pd.DataFrame, currency: str = "", lang: str = "en") -> go.Figure:
    """Treemap of segments sized by customers and coloured by revenue share."""
    summary = summary.assign(segment=summary["segment"].map(lambda s: translate(s, lang)))
    fig = px.treemap(summary, path=["segment"], values="customers", color="revenue_share",
                     color_continuous_scale="Blues", custom_data=["revenue_share", "median_recency_days"])
    fig.update_traces(texttemplate=translate("<b>%{label}</b><br>%{value:,} customers<br>%{customdata[0]:.1%} of revenue",
                                             lang),
                      hovertemplate=translate("%{label}: %{value:,} customers, %{customdata[0]:.1%} of revenue, "
                                              "typical recency %{customdata[1]:.0f} days", lang) + "<extra></extra>",
                      marker=dict(line=dict(width=1, color="white")), root_color="white")
    fig.update_layout(coloraxis_colorbar=dict(title=translate("Revenue share", lang), tickformat=".0%"))
    return finish(fig, translate("RFM segments: area = customers, colour = share of revenue", lang), height=460, lang=lang)


def rfm_grid_chart(scores: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Heatmap of customers per (R, F) score pair, the grid segments are named on."""
    grid = scores.groupby(["r", "f"]).size().unstack(fill_value=0).reindex(index=range(1, 6), columns=range(1, 6),
                                                                           fill_value=0)
    fig = go.Figure(go.Heatmap(z=grid.to_numpy(), x=[f"F{f}" for f in grid.columns], y=[f"R{r}" for r in grid.index],
                               colorscale="Blues", text=grid.to_numpy(), texttemplate="%{text:,}",
                               hovertemplate=translate("%{y} %{x}: %{z:,} customers", lang) + "<extra></extra>",
                               colorbar=dict(title=translate("Customers", lang))))
    fig.update_layout(xaxis_title=translate("Frequency score (5 = most orders)", lang),
                      yaxis_title=translate("Recency score (5 = most recent)", lang))
    return finish(fig, translate("Customers per recency x frequency score", lang), height=400, lang=lang)


def cohort_heatmap_chart(matrix: pd.DataFrame, value: str = "retention", lang: str = "en", partial=None,
                         currency: str = "") -> go.Figure:
    """Heatmap of cohorts x months since first order (retention as %, or revenue, whose colour bar and hover
    carry ``currency``, the dataset's symbol).

    ``partial``: the data's partial first/last months (:func:`ecom_analytics.periods.partial_periods`):
    the cells that fall in one (cohort month + months since = that month) are drawn lighter, their
    figure marked with *, as they count only the days the data covers."""
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
                               hovertemplate=translate("cohort %{y}, month %{x}: %{text}", lang).replace(
                                   "%{text}", money + "%{text}") + "<extra></extra>",
                               colorbar=dict(title=f"{translate('Retention' if is_rate else 'Revenue', lang)} {money}"
                                             .strip(),
                                             tickformat=".0%" if is_rate else ",.0f")))
    if in_partial.any():  # a white veil over the cells of a partial month, their figure marked *
        veil = np.where(in_partial & ~np.isnan(z), 1.0, np.nan)
        marked = [[(f"{v}*" if in_partial[i][j] and v else "") for j, v in enumerate(row)] for i, row in enumerate(text)]
        fig.add_trace(go.Heatmap(z=veil, x=[str(c) for c in matrix.columns], y=list(matrix.index), text=marked,
                                 texttemplate="%{text}", textfont=dict(color="#555"), showscale=False,
                                 colorscale=[[0, "rgba(255,255,255,0.6)"], [1, "rgba(255,255,255,0.6)"]],
                                 hovertemplate=translate("cohort %{y}, month %{x}: %{text} (a partial month)", lang)
                                 + "<extra></extra>", xgap=0, ygap=0))
    fig.update_yaxes(autorange="reversed", title=translate("Cohort (month of first order)", lang), type="category")
    fig.update_xaxes(title=translate("Months since first order", lang), type="category")
    title = "Share of each cohort ordering again, by month" if is_rate else "Revenue of each cohort, by month"
    return finish(fig, translate(title, lang), height=max(380, 26 * len(matrix) + 140), lang=lang)


def funnel_chart(funnel_table: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Funnel of users from view to cart to purchase with step conversion."""
    fig = go.Figure(go.Funnel(y=[translate(s.capitalize(), lang) for s in funnel_table["step"]], x=funnel_table["users"],
                              texttemplate=translate("%{value:,}<br>%{percentInitial:.0%} of initial<br>"
                                                     "%{percentPrevious:.0%} of previous", lang),
                              marker=dict(color=PALETTE[:3])))
    return finish(fig, translate("Users reaching each step (closed funnel)", lang), height=320, lang=lang)


def funnel_by_group_chart(table: pd.DataFrame, top: int = 12, lang: str = "en") -> go.Figure:
    """Bars of view->cart and cart->purchase conversion for the largest groups."""
    views = table[table["step"] == "view"].nlargest(top, "users")["group"]
    frame = table[table["group"].isin(views) & (table["step"] != "view")].copy()
    frame["transition"] = frame["step"].map({"cart": translate("view → cart", lang),
                                             "purchase": translate("cart → purchase", lang)})
    fig = px.bar(frame, x="conversion", y="group", color="transition", barmode="group", orientation="h",
                 color_discrete_sequence=PALETTE[1:], labels={"conversion": translate("Conversion", lang), "group": "",
                                                              "transition": translate("Step", lang),
                                                              "users": translate("Users", lang)},
                 hover_data={"users": ":,"})
    fig.update_xaxes(tickformat=".0%")
    return finish(fig, translate("Conversion by category (top {n} by users who viewed)", lang, n=len(views)),
                   height=max(320, 44 * len(views) + 120), lang=lang)
