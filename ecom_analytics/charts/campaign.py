"""Campaign charts: Plotly figures from the campaign results. Each takes its title, axis titles and
trace names as arguments (the page passes them in the analyst's language); the one-sentence
readings under them are made from the same numbers in :mod:`ecom_analytics.campaign.readings`.
A chart never builds prose and never computes a model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ecom_analytics.charts.common import localise_numbers

if TYPE_CHECKING:  # a type only: charts never import the modules that fit models
    from ecom_analytics.campaign.uplift import UpliftResult

_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"]
_AUDIENCE_COLOURS = {"persuadables": "#2ca02c", "sure_things": "#1f77b4", "lost_causes": "#7f7f7f",
                     "do_not_disturb": "#d62728"}
#: the English label of each audience code (the page passes them translated to :func:`audience_chart`)
AUDIENCE_LABELS = {"persuadables": "persuadables", "sure_things": "sure things", "lost_causes": "lost causes",
                   "do_not_disturb": "do not disturb"}


def _titles(fig: go.Figure, title: str, **axes) -> None:
    fig.update_layout(title=title or None, height=fig.layout.height or 340, margin=dict(t=50 if title else 20, b=40),
                      **{f"{axis}_title": text for axis, text in axes.items() if text is not None})


def effects_chart(effects: pd.DataFrame, *, title: str = "", y_title: str = "", lang: str = "en") -> go.Figure:
    """Lift of each arm vs control with its 95 % interval (points for rates, units for amounts)."""
    binary = bool(effects["binary"].iloc[0]) if len(effects) else True
    scale = 100 if binary else 1
    fig = go.Figure(go.Bar(
        x=effects["arm"], y=effects["lift"] * scale, marker_color=_COLOURS[: len(effects)],
        error_y=dict(type="data", symmetric=False, array=(effects["ci_high"] - effects["lift"]) * scale,
                     arrayminus=(effects["lift"] - effects["ci_low"]) * scale),
        hovertemplate="%{x}: %{y:.2f}<extra></extra>", width=0.5 if len(effects) < 3 else None))
    fig.add_hline(y=0, line_color="#888")
    fig.update_layout(height=360)
    _titles(fig, title, yaxis=y_title)
    return localise_numbers(fig, lang)


def means_chart(effects: pd.DataFrame, *, control_label: str, title: str = "", y_title: str = "",
                lang: str = "en") -> go.Figure:
    """Outcome mean (rate in %) per arm, the control (named ``control_label``) first."""
    binary = bool(effects["binary"].iloc[0]) if len(effects) else True
    scale = 100 if binary else 1
    names = [control_label] + list(effects["arm"])
    values = [effects["control_mean"].iloc[0] * scale] + list(effects["mean"] * scale)
    fig = go.Figure(go.Bar(x=names, y=values, marker_color=["#7f7f7f"] + _COLOURS[: len(effects)],
                           text=[f"{v:.1f}{' %' if binary else ''}" for v in values], textposition="outside"))
    _titles(fig, title, yaxis=y_title)
    return localise_numbers(fig, lang)


def qini_chart(result: UpliftResult, *, names: Mapping[str, str], title: str = "", x_title: str = "",
               y_title: str = "", lang: str = "en") -> go.Figure:
    """Qini curves of the models on the held-out 30 %, with the random line and the perfect curve;
    ``names`` maps each model code (and "perfect", "random") to its label."""
    fig = go.Figure()
    for i, (name, (x, v)) in enumerate(result.curves.items()):
        if name in ("perfect", "random"):
            continue
        fig.add_scatter(x=x / x[-1] * 100, y=v, mode="lines", name=names.get(name, name),
                        line=dict(color=_COLOURS[i % len(_COLOURS)]))
    for name, dash, colour in (("perfect", "dot", "#bbb"), ("random", "dash", "#888")):
        x, v = result.curves[name]
        fig.add_scatter(x=x / x[-1] * 100, y=v, mode="lines", name=names.get(name, name),
                        line=dict(color=colour, dash=dash))
    fig.update_layout(height=380, legend=dict(orientation="h", y=-0.25))
    _titles(fig, title, xaxis=x_title, yaxis=y_title)
    return localise_numbers(fig, lang)


def decile_chart(deciles: pd.DataFrame, binary: bool, *, title: str = "", x_title: str = "", y_title: str = "",
                 lang: str = "en") -> go.Figure:
    """Observed uplift (treated - control) per decile of predicted uplift, 1 = highest."""
    scale = 100 if binary else 1
    fig = go.Figure(go.Bar(x=deciles["decile"], y=deciles["uplift"] * scale,
                           marker_color=np.where(deciles["uplift"] >= 0, "#2ca02c", "#d62728")))
    fig.update_layout(xaxis=dict(dtick=1))
    _titles(fig, title, xaxis=x_title, yaxis=y_title)
    return localise_numbers(fig, lang)


def profit_chart(profit: pd.DataFrame, best_share: float, *, title: str = "", x_title: str = "", y_title: str = "",
                 lang: str = "en") -> go.Figure:
    """Expected profit by share of customers contacted (top by predicted uplift); a dashed line at
    ``best_share`` (0-1)."""
    fig = go.Figure(go.Scatter(x=profit["share"] * 100, y=profit["profit"], mode="lines", line=dict(color="#2ca02c"),
                               hovertemplate="%{x:.0f} %: %{y:,.0f}<extra></extra>"))
    fig.add_vline(x=best_share * 100, line_dash="dash", line_color="#888")
    fig.add_hline(y=0, line_color="#bbb")
    _titles(fig, title, xaxis=x_title, yaxis=y_title)
    return localise_numbers(fig, lang)


def balance_chart(balance: pd.DataFrame, *, title: str = "", x_title: str = "", lang: str = "en") -> go.Figure:
    """Standardised mean difference of each pre-campaign attribute per arm; |SMD| <= 0.1 is shaded."""
    fig = go.Figure()
    for i, (arm, part) in enumerate(balance.groupby("arm", sort=False)):
        fig.add_scatter(x=part["smd"], y=part["attribute"], mode="markers", name=str(arm),
                        marker=dict(size=10, color=_COLOURS[i % len(_COLOURS)]))
    fig.add_vrect(x0=-0.1, x1=0.1, fillcolor="#2ca02c", opacity=0.08, line_width=0)
    fig.update_layout(height=320)
    _titles(fig, title, xaxis=x_title)
    return localise_numbers(fig, lang)


def segment_chart(segments: pd.DataFrame, *, title: str = "", y_title: str = "", lang: str = "en") -> go.Figure:
    """Lift per segment and arm with 95 % intervals, segments in the order of the table."""
    binary = bool(segments["binary"].iloc[0]) if len(segments) else True
    scale = 100 if binary else 1
    fig = go.Figure()
    order = list(dict.fromkeys(segments["segment"].astype(str)))
    for i, (arm, part) in enumerate(segments.groupby("arm", sort=False)):
        fig.add_bar(x=part["segment"].astype(str), y=part["lift"] * scale, name=str(arm),
                    marker_color=_COLOURS[i % len(_COLOURS)],
                    error_y=dict(type="data", symmetric=False, array=(part["ci_high"] - part["lift"]) * scale,
                                 arrayminus=(part["lift"] - part["ci_low"]) * scale))
    fig.update_layout(barmode="group", height=360, xaxis=dict(categoryorder="array", categoryarray=order))
    _titles(fig, title, yaxis=y_title)
    return localise_numbers(fig, lang)


def audience_chart(counts: pd.Series, *, labels: Mapping[str, str], title: str = "", y_title: str = "",
                   lang: str = "en") -> go.Figure:
    """Customers per audience (persuadables, sure things, lost causes, do-not-disturb); ``labels``
    maps each audience code to its label."""
    names = [n for n in _AUDIENCE_COLOURS if n in counts.index]
    fig = go.Figure(go.Bar(x=[labels.get(n, n) for n in names], y=[int(counts[n]) for n in names],
                           marker_color=[_AUDIENCE_COLOURS[n] for n in names]))
    fig.update_layout(height=320)
    _titles(fig, title, yaxis=y_title)
    return localise_numbers(fig, lang)
