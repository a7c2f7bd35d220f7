"""Campaign charts: Plotly figures from the campaign results, each with a one-sentence reading
generated from the same numbers ("the E-Mail raised converted by 5.2 points, 95 % CI 3.2-7.2")."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ecom_analytics.campaign.uplift import MODEL_LABELS, UpliftResult

_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"]
_AUDIENCE_COLOURS = {"persuadables": "#2ca02c", "sure_things": "#1f77b4", "lost_causes": "#7f7f7f",
                     "do_not_disturb": "#d62728"}


def _amount(value: float, binary: bool) -> str:
    """A lift in points (rates) or in outcome units per customer (amounts)."""
    return f"{value * 100:.1f}" if binary else f"{value:,.2f}"


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def effect_sentence(row, outcome: str) -> str:
    """One arm's effect as a sentence."""
    binary = bool(row["binary"])
    unit = " points" if binary else " per customer"
    verb = "raised" if row["lift"] >= 0 else "lowered"
    sentence = (f"{row['arm']} {verb} {outcome} by {_amount(abs(row['lift']), binary)}{unit}, 95 % CI "
                f"{_amount(row['ci_low'], binary)} to {_amount(row['ci_high'], binary)} ({_p(row['p_value'])})")
    if row["ci_low"] <= 0 <= row["ci_high"]:
        sentence += "; the interval includes no effect"
    return sentence + "."


def effects_chart(effects: pd.DataFrame, outcome: str) -> go.Figure:
    """Lift of each arm vs control with its 95 % interval (points for rates, units for amounts)."""
    binary = bool(effects["binary"].iloc[0]) if len(effects) else True
    scale = 100 if binary else 1
    fig = go.Figure(go.Bar(
        x=effects["arm"], y=effects["lift"] * scale, marker_color=_COLOURS[: len(effects)],
        error_y=dict(type="data", symmetric=False, array=(effects["ci_high"] - effects["lift"]) * scale,
                     arrayminus=(effects["lift"] - effects["ci_low"]) * scale),
        hovertemplate="%{x}: %{y:.2f}<extra></extra>"))
    fig.add_hline(y=0, line_color="#888")
    fig.update_layout(title=f"Lift in {outcome} vs control (95 % CI)", height=360, margin=dict(t=50, b=40),
                      yaxis_title="points" if binary else f"{outcome} per customer")
    return fig


def effects_reading(effects: pd.DataFrame, outcome: str) -> str:
    """The effect of each arm in one sentence each (joined)."""
    return " ".join(effect_sentence(r, outcome) for _, r in effects.iterrows())


def means_chart(effects: pd.DataFrame, outcome: str) -> go.Figure:
    """Outcome mean (rate) per arm, control first."""
    binary = bool(effects["binary"].iloc[0]) if len(effects) else True
    scale = 100 if binary else 1
    names = ["control"] + list(effects["arm"])
    values = [effects["control_mean"].iloc[0] * scale] + list(effects["mean"] * scale)
    fig = go.Figure(go.Bar(x=names, y=values, marker_color=["#7f7f7f"] + _COLOURS[: len(effects)],
                           text=[f"{v:.1f}{' %' if binary else ''}" for v in values], textposition="outside"))
    fig.update_layout(title=f"{outcome} per arm", height=340, margin=dict(t=50, b=40),
                      yaxis_title="%" if binary else f"{outcome} per customer")
    return fig


def qini_chart(result: UpliftResult) -> go.Figure:
    """Qini curves of the models on the held-out 30 %, with the random line and the perfect curve."""
    fig = go.Figure()
    for i, (name, (x, v)) in enumerate(result.curves.items()):
        if name in ("perfect", "random"):
            continue
        fig.add_scatter(x=x / x[-1] * 100, y=v, mode="lines", name=MODEL_LABELS.get(name, name),
                        line=dict(color=_COLOURS[i % len(_COLOURS)]))
    x, v = result.curves["perfect"]
    fig.add_scatter(x=x / x[-1] * 100, y=v, mode="lines", name="perfect", line=dict(color="#bbb", dash="dot"))
    x, v = result.curves["random"]
    fig.add_scatter(x=x / x[-1] * 100, y=v, mode="lines", name="random", line=dict(color="#888", dash="dash"))
    fig.update_layout(title=f"Qini curves, {result.arm} (held-out 30 %)", height=380, margin=dict(t=50, b=40),
                      xaxis_title="customers targeted, by predicted uplift (%)",
                      yaxis_title=f"incremental {result.outcome}", legend=dict(orientation="h", y=-0.25))
    return fig


def qini_reading(result: UpliftResult) -> str:
    """Which model ranks best and what targeting its top 30 % gains."""
    best = result.metrics.set_index("model").loc[result.best_model]
    binary = set(np.unique(result.test["y"])) <= {0.0, 1.0}
    gain = f"{best['uplift_at_30'] * 100:.1f} points" if binary else f"{best['uplift_at_30']:,.2f} per customer"
    quality = "better than random" if best["qini_auc"] > 0.05 else "hardly better than random"
    return (f"{MODEL_LABELS.get(result.best_model, result.best_model)} ranks customers best for {result.arm} "
            f"(Qini AUC {best['qini_auc']:.2f}, {quality}); among its top 30 % the campaign raised "
            f"{result.outcome} by {gain}.")


def decile_chart(deciles: pd.DataFrame, outcome: str, binary: bool) -> go.Figure:
    """Observed uplift (treated - control) per decile of predicted uplift, 1 = highest."""
    scale = 100 if binary else 1
    fig = go.Figure(go.Bar(x=deciles["decile"], y=deciles["uplift"] * scale,
                           marker_color=np.where(deciles["uplift"] >= 0, "#2ca02c", "#d62728")))
    fig.update_layout(title="Observed uplift by decile of predicted uplift", height=340, margin=dict(t=50, b=40),
                      xaxis_title="decile (1 = highest predicted uplift)",
                      yaxis_title="points" if binary else f"{outcome} per customer", xaxis=dict(dtick=1))
    return fig


def decile_reading(deciles: pd.DataFrame, outcome: str, binary: bool) -> str:
    """Top decile vs bottom decile."""
    top, bottom = deciles.iloc[0], deciles.iloc[-1]
    return (f"Customers in the top decile gained {_amount(top['uplift'], binary)}{' points' if binary else ''} of "
            f"{outcome} from the campaign, the bottom decile {_amount(bottom['uplift'], binary)}"
            f"{' points' if binary else ''}.")


def profit_chart(profit: pd.DataFrame, best_share: float) -> go.Figure:
    """Expected profit by share of customers contacted (top by predicted uplift)."""
    fig = go.Figure(go.Scatter(x=profit["share"] * 100, y=profit["profit"], mode="lines", line=dict(color="#2ca02c"),
                               hovertemplate="top %{x:.0f} %: %{y:,.0f}<extra></extra>"))
    fig.add_vline(x=best_share * 100, line_dash="dash", line_color="#888")
    fig.add_hline(y=0, line_color="#bbb")
    fig.update_layout(title="Expected profit by targeting size", height=340, margin=dict(t=50, b=40),
                      xaxis_title="customers contacted (%)", yaxis_title="expected profit")
    return fig


def profit_reading(profit: pd.DataFrame) -> str:
    """The best targeting size and its profit, against contacting everyone."""
    best = profit.loc[profit["profit"].idxmax()]
    everyone = profit.iloc[-1]
    if best["profit"] <= 0:
        return ("No targeting size is expected to make a profit at this cost and margin: contacting anyone costs more "
                "than the extra sales bring in.")
    return (f"Contacting the top {best['share']:.0%} ({int(best['contacts']):,} customers) is expected to make "
            f"{best['profit']:,.0f}, against {everyone['profit']:,.0f} for contacting everyone.")


def balance_chart(balance: pd.DataFrame) -> go.Figure:
    """Standardised mean difference of each pre-campaign attribute per arm; |SMD| > 0.1 is shaded."""
    fig = go.Figure()
    for i, (arm, part) in enumerate(balance.groupby("arm", sort=False)):
        fig.add_scatter(x=part["smd"], y=part["attribute"], mode="markers", name=str(arm),
                        marker=dict(size=10, color=_COLOURS[i % len(_COLOURS)]))
    fig.add_vrect(x0=-0.1, x1=0.1, fillcolor="#2ca02c", opacity=0.08, line_width=0)
    fig.update_layout(title="Balance before the campaign (standardised mean difference)", height=320,
                      margin=dict(t=50, b=40), xaxis_title="SMD (arm - control) / pooled SD")
    return fig


def balance_reading(balance: pd.DataFrame) -> str:
    """Whether the arms looked alike before the campaign."""
    if balance.empty:
        return "No pre-campaign attribute to check balance on."
    worst = balance.loc[balance["smd"].abs().idxmax()]
    if not balance["imbalanced"].any():
        return (f"The arms looked alike before the campaign: the largest standardised difference is "
                f"{worst['smd']:+.2f} ({worst['attribute']}, {worst['arm']}), within ±0.1.")
    return (f"The arms differed before the campaign: {worst['attribute']} in {worst['arm']} is {worst['smd']:+.2f} "
            "standard deviations from the control; compare with CUPED or within segments.")


def segment_chart(segments: pd.DataFrame, outcome: str) -> go.Figure:
    """Lift per segment and arm with 95 % intervals."""
    binary = bool(segments["binary"].iloc[0]) if len(segments) else True
    scale = 100 if binary else 1
    fig = go.Figure()
    for i, (arm, part) in enumerate(segments.groupby("arm", sort=False)):
        fig.add_bar(x=part["segment"].astype(str), y=part["lift"] * scale, name=str(arm),
                    marker_color=_COLOURS[i % len(_COLOURS)],
                    error_y=dict(type="data", symmetric=False, array=(part["ci_high"] - part["lift"]) * scale,
                                 arrayminus=(part["lift"] - part["ci_low"]) * scale))
    fig.update_layout(title=f"Lift in {outcome} per segment (95 % CI)", barmode="group", height=360,
                      margin=dict(t=50, b=40), yaxis_title="points" if binary else f"{outcome} per customer")
    return fig


def segment_reading(segments: pd.DataFrame, outcome: str) -> str:
    """The segment with the largest lift, and how many survive Holm's correction."""
    binary = bool(segments["binary"].iloc[0])
    top = segments.loc[segments["lift"].idxmax()]
    low = segments.loc[segments["lift"].idxmin()]
    significant = int((segments["p_holm"] < 0.05).sum())
    return (f"{top['arm']} worked best in {top['segment']} ({_amount(top['lift'], binary)}"
            f"{' points' if binary else ''}) and least in {low['segment']} ({_amount(low['lift'], binary)}); "
            f"{significant} of {len(segments)} segment effects stay significant after Holm's correction.")


def audience_chart(counts: pd.Series) -> go.Figure:
    """Customers per audience (persuadables, sure things, lost causes, do-not-disturb)."""
    names = [n for n in _AUDIENCE_COLOURS if n in counts.index]
    fig = go.Figure(go.Bar(x=[n.replace("_", " ") for n in names], y=[int(counts[n]) for n in names],
                           marker_color=[_AUDIENCE_COLOURS[n] for n in names]))
    fig.update_layout(title="Customers per audience", height=320, margin=dict(t=50, b=40), yaxis_title="customers")
    return fig


def audience_reading(counts: pd.Series) -> str:
    """Shares of persuadables and do-not-disturb."""
    total = max(1, int(counts.sum()))
    return (f"{counts.get('persuadables', 0) / total:.0%} of customers are persuadables (the campaign should change "
            f"them) and {counts.get('do_not_disturb', 0) / total:.0%} are do-not-disturb (it may put them off).")
