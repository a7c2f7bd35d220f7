"""Campaign charts: Plotly figures from the campaign results, each with a one-sentence reading
generated from the same numbers ("the E-Mail raised converted by 5.2 points, 95 % CI 3.2-7.2")."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ecom_analytics.charts.common import localise_numbers
from ecom_analytics.i18n import translate
from ecom_analytics.names import UPLIFT_MODELS as MODEL_LABELS

if TYPE_CHECKING:  # a type only: charts never import the modules that fit models
    from ecom_analytics.campaign.uplift import UpliftResult

_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"]
_AUDIENCE_COLOURS = {"persuadables": "#2ca02c", "sure_things": "#1f77b4", "lost_causes": "#7f7f7f",
                     "do_not_disturb": "#d62728"}


def _amount(value: float, binary: bool) -> str:
    """A lift in points (rates) or in outcome units per customer (amounts)."""
    return f"{value * 100:.1f}" if binary else f"{value:,.2f}"


def _points(binary: bool, lang: str) -> str:
    """The unit after a lift: " points" for rates, "" for amounts."""
    return translate(" points", lang) if binary else ""


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def effect_sentence(row, outcome: str, lang: str = "en") -> str:
    """One arm's effect as a sentence."""
    binary = bool(row["binary"])
    unit = translate(" points", lang) if binary else translate(" per customer", lang)
    fields = dict(arm=row["arm"], outcome=outcome, amount=_amount(abs(row["lift"]), binary), unit=unit,
                  low=_amount(row["ci_low"], binary), high=_amount(row["ci_high"], binary), p=_p(row["p_value"]))
    sentence = (translate("{arm} raised {outcome} by {amount}{unit}, 95 % CI {low} to {high} ({p})", lang, **fields)
                if row["lift"] >= 0 else
                translate("{arm} lowered {outcome} by {amount}{unit}, 95 % CI {low} to {high} ({p})", lang, **fields))
    if row["ci_low"] <= 0 <= row["ci_high"]:
        sentence += translate("; the interval includes no effect", lang)
    return sentence + translate(".", lang)


def effects_chart(effects: pd.DataFrame, outcome: str, lang: str = "en") -> go.Figure:
    """Lift of each arm vs control with its 95 % interval (points for rates, units for amounts)."""
    binary = bool(effects["binary"].iloc[0]) if len(effects) else True
    scale = 100 if binary else 1
    fig = go.Figure(go.Bar(
        x=effects["arm"], y=effects["lift"] * scale, marker_color=_COLOURS[: len(effects)],
        error_y=dict(type="data", symmetric=False, array=(effects["ci_high"] - effects["lift"]) * scale,
                     arrayminus=(effects["lift"] - effects["ci_low"]) * scale),
        hovertemplate="%{x}: %{y:.2f}<extra></extra>", width=0.5 if len(effects) < 3 else None))
    fig.add_hline(y=0, line_color="#888")
    fig.update_layout(title=translate("Lift in {outcome} vs control (95 % CI)", lang, outcome=outcome), height=360,
                      margin=dict(t=50, b=40), yaxis_title=_y_title(binary, outcome, lang))
    return localise_numbers(fig, lang)


def _y_title(binary: bool, outcome: str, lang: str) -> str:
    """The lift axis: points for rates, the outcome per customer for amounts."""
    return translate("points", lang) if binary else translate("{outcome} per customer", lang, outcome=outcome)


def effects_reading(effects: pd.DataFrame, outcome: str, lang: str = "en") -> str:
    """The effect of each arm in one sentence each (joined)."""
    return " ".join(effect_sentence(r, outcome, lang) for _, r in effects.iterrows())


def means_chart(effects: pd.DataFrame, outcome: str, lang: str = "en") -> go.Figure:
    """Outcome mean (rate) per arm, control first."""
    binary = bool(effects["binary"].iloc[0]) if len(effects) else True
    scale = 100 if binary else 1
    names = [translate("control", lang)] + list(effects["arm"])
    values = [effects["control_mean"].iloc[0] * scale] + list(effects["mean"] * scale)
    fig = go.Figure(go.Bar(x=names, y=values, marker_color=["#7f7f7f"] + _COLOURS[: len(effects)],
                           text=[f"{v:.1f}{' %' if binary else ''}" for v in values], textposition="outside"))
    fig.update_layout(title=translate("{outcome} per arm", lang, outcome=outcome), height=340, margin=dict(t=50, b=40),
                      yaxis_title="%" if binary else translate("{outcome} per customer", lang, outcome=outcome))
    return localise_numbers(fig, lang)


def qini_chart(result: UpliftResult, lang: str = "en") -> go.Figure:
    """Qini curves of the models on the held-out 30 %, with the random line and the perfect curve."""
    fig = go.Figure()
    for i, (name, (x, v)) in enumerate(result.curves.items()):
        if name in ("perfect", "random"):
            continue
        fig.add_scatter(x=x / x[-1] * 100, y=v, mode="lines", name=translate(MODEL_LABELS.get(name, name), lang),
                        line=dict(color=_COLOURS[i % len(_COLOURS)]))
    x, v = result.curves["perfect"]
    fig.add_scatter(x=x / x[-1] * 100, y=v, mode="lines", name=translate("perfect", lang), line=dict(color="#bbb", dash="dot"))
    x, v = result.curves["random"]
    fig.add_scatter(x=x / x[-1] * 100, y=v, mode="lines", name=translate("random", lang), line=dict(color="#888", dash="dash"))
    fig.update_layout(title=translate("Qini curves, {arm} (held-out 30 %)", lang, arm=result.arm), height=380,
                      margin=dict(t=50, b=40),
                      xaxis_title=translate("customers targeted, by predicted uplift (%)", lang),
                      yaxis_title=translate("incremental {outcome}", lang, outcome=result.outcome),
                      legend=dict(orientation="h", y=-0.25))
    return localise_numbers(fig, lang)


def qini_reading(result: UpliftResult, lang: str = "en") -> str:
    """The model chosen by cross-validation on the training part, how it ranks the held-out 30 %,
    and what targeting its top 30 % gains."""
    best = result.metrics.set_index("model").loc[result.best_model]
    binary = set(np.unique(result.test["y"])) <= {0.0, 1.0}
    gain = (f"{best['uplift_at_30'] * 100:.1f}" + translate(" points", lang) if binary
            else f"{best['uplift_at_30']:,.2f}" + translate(" per customer", lang))
    quality = translate("better than random", lang) if best["qini_auc"] > 0.05 else \
        translate("hardly better than random", lang)
    return translate("{model}, chosen by cross-validation on the 70 % training part, ranks the held-out customers "
                     "of {arm} with Qini AUC {auc} ({quality}); among its top 30 % the campaign raised {outcome} by "
                     "{gain}.", lang,
                     model=translate(MODEL_LABELS.get(result.best_model, result.best_model), lang), arm=result.arm,
                     auc=f"{best['qini_auc']:.2f}", quality=quality, outcome=result.outcome, gain=gain)


def decile_chart(deciles: pd.DataFrame, outcome: str, binary: bool, lang: str = "en") -> go.Figure:
    """Observed uplift (treated - control) per decile of predicted uplift, 1 = highest."""
    scale = 100 if binary else 1
    fig = go.Figure(go.Bar(x=deciles["decile"], y=deciles["uplift"] * scale,
                           marker_color=np.where(deciles["uplift"] >= 0, "#2ca02c", "#d62728")))
    fig.update_layout(title=translate("Observed uplift by decile of predicted uplift", lang), height=340,
                      margin=dict(t=50, b=40), xaxis_title=translate("decile (1 = highest predicted uplift)", lang),
                      yaxis_title=_y_title(binary, outcome, lang), xaxis=dict(dtick=1))
    return localise_numbers(fig, lang)


def decile_reading(deciles: pd.DataFrame, outcome: str, binary: bool, lang: str = "en") -> str:
    """Top decile vs bottom decile."""
    top, bottom = deciles.iloc[0], deciles.iloc[-1]
    unit = _points(binary, lang)
    return translate("Customers in the top decile gained {top} of {outcome} from the campaign, the bottom decile "
                     "{bottom}.", lang, top=_amount(top["uplift"], binary) + unit, outcome=outcome,
                     bottom=_amount(bottom["uplift"], binary) + unit)


def profit_chart(profit: pd.DataFrame, best_share: float, lang: str = "en") -> go.Figure:
    """Expected profit by share of customers contacted (top by predicted uplift)."""
    fig = go.Figure(go.Scatter(x=profit["share"] * 100, y=profit["profit"], mode="lines", line=dict(color="#2ca02c"),
                               hovertemplate="%{x:.0f} %: %{y:,.0f}<extra></extra>"))
    fig.add_vline(x=best_share * 100, line_dash="dash", line_color="#888")
    fig.add_hline(y=0, line_color="#bbb")
    fig.update_layout(title=translate("Expected profit by targeting size", lang), height=340, margin=dict(t=50, b=40),
                      xaxis_title=translate("customers contacted (%)", lang),
                      yaxis_title=translate("expected profit", lang))
    return localise_numbers(fig, lang)


def profit_reading(profit: pd.DataFrame, lang: str = "en") -> str:
    """The best targeting size and its profit, against contacting everyone."""
    best = profit.loc[profit["profit"].idxmax()]
    everyone = profit.iloc[-1]
    if best["profit"] <= 0:
        return translate("No targeting size is expected to make a profit at this cost and margin: contacting anyone "
                         "costs more than the extra sales bring in.", lang)
    return translate("Contacting the top {share:.0%} ({n:,} customers) is expected to make {profit:,.0f}, against "
                     "{everyone:,.0f} for contacting everyone.", lang, share=best["share"], n=int(best["contacts"]),
                     profit=best["profit"], everyone=everyone["profit"])


def balance_chart(balance: pd.DataFrame, lang: str = "en") -> go.Figure:
    """Standardised mean difference of each pre-campaign attribute per arm; |SMD| > 0.1 is shaded."""
    fig = go.Figure()
    for i, (arm, part) in enumerate(balance.groupby("arm", sort=False)):
        fig.add_scatter(x=part["smd"], y=part["attribute"], mode="markers", name=str(arm),
                        marker=dict(size=10, color=_COLOURS[i % len(_COLOURS)]))
    fig.add_vrect(x0=-0.1, x1=0.1, fillcolor="#2ca02c", opacity=0.08, line_width=0)
    fig.update_layout(title=translate("Balance before the campaign (standardised mean difference)", lang), height=320,
                      margin=dict(t=50, b=40), xaxis_title=translate("SMD (arm - control) / pooled SD", lang))
    return localise_numbers(fig, lang)


def balance_reading(balance: pd.DataFrame, lang: str = "en") -> str:
    """Whether the arms looked alike before the campaign."""
    if balance.empty:
        return translate("No pre-campaign attribute to check balance on.", lang)
    worst = balance.loc[balance["smd"].abs().idxmax()]
    if not balance["imbalanced"].any():
        return translate("The arms looked alike before the campaign: the largest standardised difference is "
                         "{smd:+.2f} ({attribute}, {arm}), within ±0.1.", lang, smd=worst["smd"],
                         attribute=worst["attribute"], arm=worst["arm"])
    return translate("The arms differed before the campaign: {attribute} in {arm} is {smd:+.2f} standard deviations "
                     "from the control; compare with CUPED or within segments.", lang, smd=worst["smd"],
                     attribute=worst["attribute"], arm=worst["arm"])


def segment_chart(segments: pd.DataFrame, outcome: str, lang: str = "en") -> go.Figure:
    """Lift per segment and arm with 95 % intervals."""
    binary = bool(segments["binary"].iloc[0]) if len(segments) else True
    scale = 100 if binary else 1
    fig = go.Figure()
    for i, (arm, part) in enumerate(segments.groupby("arm", sort=False)):
        fig.add_bar(x=part["segment"].astype(str), y=part["lift"] * scale, name=str(arm),
                    marker_color=_COLOURS[i % len(_COLOURS)],
                    error_y=dict(type="data", symmetric=False, array=(part["ci_high"] - part["lift"]) * scale,
                                 arrayminus=(part["lift"] - part["ci_low"]) * scale))
    fig.update_layout(title=translate("Lift in {outcome} per segment (95 % CI)", lang, outcome=outcome),
                      barmode="group", height=360, margin=dict(t=50, b=40), yaxis_title=_y_title(binary, outcome, lang))
    return localise_numbers(fig, lang)


def segment_reading(segments: pd.DataFrame, outcome: str, lang: str = "en") -> str:
    """The segment with the largest lift, and how many survive Holm's correction."""
    binary = bool(segments["binary"].iloc[0])
    top = segments.loc[segments["lift"].idxmax()]
    low = segments.loc[segments["lift"].idxmin()]
    significant = int((segments["p_holm"] < 0.05).sum())
    return translate("{arm} worked best in {best} ({best_lift}) and least in {worst} ({worst_lift}); {significant} of "
                     "{n} segment effects stay significant after Holm's correction.", lang, arm=top["arm"],
                     best=top["segment"], best_lift=_amount(top["lift"], binary) + _points(binary, lang),
                     worst=low["segment"], worst_lift=_amount(low["lift"], binary), significant=significant,
                     n=len(segments))


AUDIENCE_LABELS = {"persuadables": "persuadables", "sure_things": "sure things", "lost_causes": "lost causes",
                   "do_not_disturb": "do not disturb"}


def audience_chart(counts: pd.Series, lang: str = "en") -> go.Figure:
    """Customers per audience (persuadables, sure things, lost causes, do-not-disturb)."""
    names = [n for n in _AUDIENCE_COLOURS if n in counts.index]
    fig = go.Figure(go.Bar(x=[translate(AUDIENCE_LABELS[n], lang) for n in names], y=[int(counts[n]) for n in names],
                           marker_color=[_AUDIENCE_COLOURS[n] for n in names]))
    fig.update_layout(title=translate("Customers per audience", lang), height=320, margin=dict(t=50, b=40),
                      yaxis_title=translate("customers", lang))
    return localise_numbers(fig, lang)


def audience_reading(counts: pd.Series, lang: str = "en") -> str:
    """Shares of persuadables and do-not-disturb."""
    total = max(1, int(counts.sum()))
    return translate("{persuadables:.0%} of customers are persuadables (the campaign should change them) and "
                     "{dnd:.0%} are do-not-disturb (it may put them off).", lang,
                     persuadables=counts.get("persuadables", 0) / total, dnd=counts.get("do_not_disturb", 0) / total)
