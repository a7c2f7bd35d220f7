"""The one-sentence readings of the campaign charts, made from the numbers and returned as coded notes.

Each function returns a :class:`~ecom_analytics.runs.Note` (or a list of them, one sentence each)
whose ``code`` is the English template and catalogue message id. A parameter is a number, a name
from the data (an arm, an outcome, a column), or itself a ``Note`` (a phrase such as "better than
random" or "p < 0.001") that is translated before it is filled in; :func:`words` renders a reading
in a language. The charts in :mod:`ecom_analytics.charts.campaign` take these words as arguments
and build no prose themselves.

Units: a rate (0/1 outcome) is read in percentage points (the lift x 100, one decimal); an amount
in the outcome's units per customer (two decimals with thousands separators).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ecom_analytics.names import UPLIFT_MODELS
from ecom_analytics.runs import Note

def words(note: Note | str, lang: str = "en") -> str:
    """``note`` in ``lang``: its code looked up in the catalogue and filled with its parameters, a
    parameter that is a ``Note`` (or a list of them, joined with ", ") rendered first."""
    from ecom_analytics.i18n import translate

    if isinstance(note, str):
        return translate(note, lang)
    params = {}
    for key, value in note.params.items():
        if isinstance(value, Note):
            value = words(value, lang)
        elif isinstance(value, (list, tuple)) and value and all(isinstance(v, Note) for v in value):
            value = ", ".join(words(v, lang) for v in value)
        params[key] = value
    return translate(note.code, lang, **params)


def sentences(notes: Iterable[Note], lang: str = "en") -> str:
    """Several readings in ``lang`` joined into one paragraph."""
    return " ".join(words(n, lang) for n in notes)


def _p(p: float) -> Note:
    return Note("p < 0.001") if p < 0.001 else Note("p = {p:.3f}", {"p": float(p)})


def _gain(value: float, rate: bool) -> Note:
    """A lift as a phrase: points for a rate, outcome units per customer for an amount."""
    return (Note("{value:.1f} points", {"value": float(value) * 100}) if rate
            else Note("{value:,.2f} per customer", {"value": float(value)}))


def _amount(value: float, rate: bool) -> Note:
    """A lift as a phrase: points for a rate, the bare amount for an amount."""
    return (Note("{value:.1f} points", {"value": float(value) * 100}) if rate
            else Note("{value:,.2f}", {"value": float(value)}))


def effect_reading(row, outcome: str) -> Note:
    """One arm's effect (a row of ``campaign.effects.arm_effects``) as a sentence: the lift, its 95 %
    interval and p-value, and whether the interval includes no effect."""
    rate = bool(row["binary"])
    scale = 100 if rate else 1
    params = dict(arm=row["arm"], outcome=outcome, amount=abs(float(row["lift"])) * scale,
                  low=float(row["ci_low"]) * scale, high=float(row["ci_high"]) * scale, p=_p(float(row["p_value"])),
                  caveat=Note("; the interval includes no effect") if row["ci_low"] <= 0 <= row["ci_high"] else "")
    if rate and row["lift"] >= 0:
        return Note("{arm} raised {outcome} by {amount:.1f} points, 95 % CI {low:.1f} to {high:.1f} ({p}){caveat}.",
                    params)
    if rate:
        return Note("{arm} lowered {outcome} by {amount:.1f} points, 95 % CI {low:.1f} to {high:.1f} ({p}){caveat}.",
                    params)
    if row["lift"] >= 0:
        return Note("{arm} raised {outcome} by {amount:,.2f} per customer, 95 % CI {low:,.2f} to {high:,.2f} "
                    "({p}){caveat}.", params)
    return Note("{arm} lowered {outcome} by {amount:,.2f} per customer, 95 % CI {low:,.2f} to {high:,.2f} "
                "({p}){caveat}.", params)


def effects_reading(effects: pd.DataFrame, outcome: str) -> list[Note]:
    """The effect of each arm, one sentence each."""
    return [effect_reading(r, outcome) for _, r in effects.iterrows()]


def qini_reading(result) -> Note:
    """The model chosen by cross-validation on the training part (an ``UpliftResult``), how it ranks
    the held-out 30 % (Qini AUC; above 0.05 reads "better than random") and what its top 30 % gained."""
    best = result.metrics.set_index("model").loc[result.best_model]
    rate = bool(set(pd.unique(result.test["y"])) <= {0.0, 1.0})
    quality = Note("better than random") if best["qini_auc"] > 0.05 else Note("hardly better than random")
    return Note("{model}, chosen by cross-validation on the 70 % training part, ranks the held-out customers of {arm} "
                "with Qini AUC {auc:.2f} ({quality}); among its top 30 % the campaign raised {outcome} by {gain}.",
                {"model": Note(UPLIFT_MODELS.get(result.best_model, result.best_model)), "arm": result.arm,
                 "auc": float(best["qini_auc"]), "quality": quality, "outcome": result.outcome,
                 "gain": _gain(best["uplift_at_30"], rate)})


def decile_reading(deciles: pd.DataFrame, outcome: str, rate: bool) -> Note:
    """The observed uplift of the top decile of predicted uplift against the bottom decile."""
    top, bottom = deciles.iloc[0], deciles.iloc[-1]
    return Note("Customers in the top decile gained {top} of {outcome} from the campaign, the bottom decile "
                "{bottom}.", {"top": _amount(top["uplift"], rate), "outcome": outcome,
                              "bottom": _amount(bottom["uplift"], rate)})


def profit_reading(profit: pd.DataFrame) -> Note:
    """The most profitable targeting size and its profit, against contacting everyone."""
    best = profit.loc[profit["profit"].idxmax()]
    if best["profit"] <= 0:
        return Note("No targeting size is expected to make a profit at this cost and margin: contacting anyone costs "
                    "more than the extra sales bring in.")
    return Note("Contacting the top {share:.0%} ({n:,} customers) is expected to make {profit:,.0f}, against "
                "{everyone:,.0f} for contacting everyone.",
                {"share": float(best["share"]), "n": int(best["contacts"]), "profit": float(best["profit"]),
                 "everyone": float(profit["profit"].iloc[-1])})


def balance_reading(balance: pd.DataFrame) -> Note:
    """Whether the arms looked alike before the campaign (|standardised mean difference| <= 0.1)."""
    if balance.empty:
        return Note("No pre-campaign attribute to check balance on.")
    worst = balance.loc[balance["smd"].abs().idxmax()]
    params = {"smd": float(worst["smd"]), "attribute": worst["attribute"], "arm": worst["arm"]}
    if not balance["imbalanced"].any():
        return Note("The arms looked alike before the campaign: the largest standardised difference is {smd:+.2f} "
                    "({attribute}, {arm}), within ±0.1.", params)
    return Note("The arms differed before the campaign: {attribute} in {arm} is {smd:+.2f} standard deviations from "
                "the control; compare with CUPED or within segments.", params, "warning")


def segment_reading(segments: pd.DataFrame) -> Note:
    """The segment with the largest lift and the one with the smallest, and how many segment
    effects stay significant after Holm's correction."""
    rate = bool(segments["binary"].iloc[0])
    top = segments.loc[segments["lift"].idxmax()]
    low = segments.loc[segments["lift"].idxmin()]
    return Note("{arm} worked best in {best} ({best_lift}) and least in {worst} ({worst_lift}); {significant} of {n} "
                "segment effects stay significant after Holm's correction.",
                {"arm": top["arm"], "best": top["segment"], "best_lift": _amount(top["lift"], rate),
                 "worst": low["segment"], "worst_lift": _amount(low["lift"], rate),
                 "significant": int((segments["p_holm"] < 0.05).sum()), "n": len(segments)})


def audience_reading(counts: pd.Series) -> Note:
    """The shares of persuadables and of do-not-disturb among the scored customers."""
    total = max(1, int(counts.sum()))
    return Note("{persuadables:.0%} of customers are persuadables (the campaign should change them) and {dnd:.0%} "
                "are do-not-disturb (it may put them off).",
                {"persuadables": int(counts.get("persuadables", 0)) / total,
                 "dnd": int(counts.get("do_not_disturb", 0)) / total})


def audience_rule(threshold: float, rate: bool) -> Note:
    """How the audiences were drawn: the threshold in points for a rate, in outcome units otherwise."""
    shown = (Note("{value:.3g} points", {"value": threshold * 100}) if rate
             else Note("{value:.3g}", {"value": float(threshold)}))
    return Note("Persuadables: predicted uplift ≥ {threshold}; do-not-disturb: ≤ -{threshold}; sure things would "
                "respond without the campaign (predicted at or above the control's average), lost causes would not.",
                {"threshold": shown})


def money_reading(cash: pd.DataFrame, margin: float) -> Note:
    """The most profitable arm of the money table: extra revenue, its interval, contact costs and profit."""
    best = cash.loc[cash["profit"].idxmax()]
    return Note("{arm} brought an estimated {revenue:,.0f} of extra revenue (95 % CI {low:,.0f} to {high:,.0f}) for "
                "{cost:,.0f} of contact costs: a profit of {profit:,.0f} at a {margin:.0%} margin.",
                {"arm": best["arm"], "revenue": float(best["incremental_revenue"]),
                 "low": float(best["incremental_revenue_low"]), "high": float(best["incremental_revenue_high"]),
                 "cost": float(best["cost"]), "profit": float(best["profit"]), "margin": float(margin)})


def srm_reading(srm: dict) -> Note:
    """The sample-ratio check: a warning naming the observed and expected sizes when they do not
    fit the intended split (chi-square p < 0.001), a reading otherwise."""
    sizes = tuple(Note("{arm} {n:,} (expected {expected:,.0f})",
                       {"arm": arm, "n": int(n), "expected": float(srm["expected"][arm])})
                  for arm, n in srm["observed"].items())
    params = {"chi2": float(srm["chi2"]), "p": float(srm["p_value"]), "sizes": sizes,
              "threshold": float(srm.get("threshold", 0.001))}
    if srm["mismatch"]:
        return Note("Sample-ratio mismatch (chi-square {chi2:.1f}, p = {p:.2g}): {sizes}. Check how customers were "
                    "assigned before trusting the effects.", params, "warning")
    return Note("The arm sizes fit the intended split (chi-square {chi2:.2f}, p = {p:.2g}; a mismatch is flagged "
                "below p {threshold:g}): {sizes}.", params)


def cuped_reading(cuped: pd.DataFrame, column: str | None) -> Note:
    """How much of the outcome's variance the pre-campaign revenue ``column`` removes (CUPED)."""
    return Note("Adjusting for {column} removes {reduction:.1%} of the outcome's variance, so the intervals below are "
                "narrower for the same expected lift.",
                {"column": column, "reduction": float(cuped["variance_reduction"].iloc[0])})
