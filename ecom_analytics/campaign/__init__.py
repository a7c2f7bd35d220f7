"""Campaign analysis: what a promotion did (effect per arm against the control) and whom to
target next (uplift models).

:func:`analyse_campaign` runs the whole analysis on a :class:`CampaignData` (from
:func:`prepare_campaign` for a campaign table, or :func:`campaign_from_orders` for a campaign
list joined with orders). The parts live in ``effects`` (tests, SRM, balance, CUPED, segments,
money), ``uplift`` (models and Qini metrics) and ``simulate`` (the seeded test-data simulator).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from ecom_analytics.campaign.data import (CampaignData, campaign_from_orders, find_control, is_control_label,
                                          post_treatment_columns, prepare_campaign, recognise_columns, sample_path)
from ecom_analytics.campaign.effects import (MoneyBasis, arm_effects, balance_table, check_arms, holm, money,
                                             money_basis, segment_effects, srm_check, suggested_value)
from ecom_analytics.campaign.simulate import simulate_campaign, true_effect
from ecom_analytics.campaign.uplift import MODEL_LABELS, UpliftResult, fit_uplift
from ecom_analytics.errors import InputError
from ecom_analytics.runs import Note

__all__ = ["CampaignData", "CampaignResult", "analyse_campaign", "campaign_from_orders", "find_control",
           "is_control_label", "prepare_campaign", "recognise_columns", "sample_path", "simulate_campaign",
           "true_effect", "arm_effects", "balance_table", "holm", "money", "money_basis", "MoneyBasis", "suggested_value",
           "segment_effects", "srm_check",
           "MODEL_LABELS", "fit_uplift", "read_campaign_file"]


@dataclass
class CampaignResult:
    """Everything the page and the CLI show for one outcome."""

    outcome: str
    control: str
    effects: pd.DataFrame
    cuped: pd.DataFrame | None
    srm: dict
    balance: pd.DataFrame
    segments: pd.DataFrame | None
    segment_column: str | None
    uplift: dict[str, UpliftResult]
    # what the analyst should know, as coded notes; ``severity`` "warning" for the notes that put the
    # effects in doubt (sample-ratio mismatch, arms unlike before the campaign)
    notes: list[Note] = field(default_factory=list)

    @property
    def warnings(self) -> list[Note]:
        """The notes that put the effects in doubt."""
        return [n for n in self.notes if n.severity == "warning"]

    def severity(self, note: Note) -> str:
        """The note's severity ("warning" or "info")."""
        return note.severity

    def summary(self) -> dict:
        """JSON: outcome, control, arms (arm -> n, mean, lift, ci_low, ci_high, p_value, ...), uplift
        (arm -> model -> qini_auc, uplift_at_30), srm, cuped."""
        arms = {r.arm: {"n": int(r.n), "mean": float(r.mean), "control_mean": float(r.control_mean),
                        "lift": float(r.lift), "ci_low": float(r.ci_low), "ci_high": float(r.ci_high),
                        "p_value": float(r.p_value), "rel_lift": float(r.rel_lift), "method": r.method}
                for r in self.effects.itertuples()}
        out = {"outcome": self.outcome, "control": self.control, "arms": arms,
               "uplift": {arm: res.summary() for arm, res in self.uplift.items()},
               "srm": {k: self.srm[k] for k in ("chi2", "p_value", "mismatch", "threshold", "observed")
                       if k in self.srm},
               "notes": [n.english() for n in self.notes]}
        if self.cuped is not None:
            out["cuped"] = {r.arm: {"lift": float(r.lift), "ci_low": float(r.ci_low), "ci_high": float(r.ci_high),
                                    "p_value": float(r.p_value), "variance_reduction": float(r.variance_reduction)}
                            for r in self.cuped.itertuples()}
        if self.segments is not None and len(self.segments):
            out["segments"] = {"column": str(self.segment_column), "tests": [
                {"segment": str(r.segment), "arm": str(r.arm), "n": int(r.n), "lift": float(r.lift),
                 "ci_low": float(r.ci_low), "ci_high": float(r.ci_high), "p_value": float(r.p_value),
                 "p_holm": float(r.p_holm)} for r in self.segments.itertuples()]}
        return strict_json(out)


def strict_json(value):
    """``value`` with every NaN or infinite number replaced by None (JSON null): strict JSON readers
    reject NaN."""
    if isinstance(value, dict):
        return {k: strict_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [strict_json(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


# The codes of the notes of the campaign analysis (each an English template and its catalogue message id).
NOTE_TEMPLATES = (
    "Sample-ratio mismatch: arm sizes differ from the intended split (chi-square p = {p:.2g}); check how customers "
    "were assigned before trusting the effects.",
    "Arms differ before the campaign on {attributes} (|standardised difference| > 0.1).",
    "{n} segment tests: p-values are Holm-adjusted for multiple comparisons; an unadjusted p < 0.05 in one segment is "
    "expected by chance.",
    "No pre-campaign attributes: uplift models were not trained.",
    "{n:,} rows without an arm were left out",
    "{n:,} repeated customer ids were left out (first row kept)",
    "{n:,} rows of the campaign list without a customer id, an arm or a readable send date were left out",
    "{n:,} customers without a value of {outcome} were left out of the comparison and the uplift models.",
    "{n:,} customers without a value of {outcome} were left out of the uplift models.",
    "{n:,} customers without a value of {outcome} were left out of the response model.",
    "outcomes over the {days} days after each send date; pre-campaign features as of the send date",
    "The average of the learners needs at least two gradient-boosting learners; it was left out.",
    "The outcome is an amount: Qini curves use amounts instead of 0/1 responses.",
    "{arm}: {reason}",
    "{outcome} is the outcome analysed: the first recognised one (a conversion flag before a visit and an amount, then "
    "the file's column order). The other outcomes ({others}) are left out of the features; choose one with --outcome.",
    "{outcome} is the outcome analysed, as chosen. The other outcomes ({others}) are left out of the features.",
    "{columns} left out of the balance check and the uplift features: each alone nearly determines {outcome}, so it is "
    "measured with it or after the campaign.",
    "{columns} left out of the balance check and the uplift features: row numbers or identifiers, not attributes of "
    "the customer.",
    "{column} repeats: the {rows:,} rows are {units:,} units observed about {times} times each. The intervals treat "
    "every row as an independent customer, so they are too narrow; give one row per {column} (e.g. its mean) for "
    "honest intervals.",
    "No arm is labelled as the control (control, holdout, No E-Mail, no...): {reference}, the first of {arms} in "
    "order, is the reference every other arm is compared with. Choose another with --control.",
)


def read_campaign_file(path) -> pd.DataFrame:
    """Read a campaign file (CSV, TSV, Excel, Parquet, gzip/zip) into a frame with the project's readers."""
    from pathlib import Path

    from ecom_analytics.ingest.readers import read_file_bytes, read_table

    path = Path(path)
    return read_table(read_file_bytes(path), path.name).frame


def analyse_campaign(data: CampaignData, outcome: str | None = None, *, method: str = "auto",
                     intended_split: dict[str, float] | None = None, segment: str | None = None,
                     uplift_models: tuple[str, ...] = ("t_learner", "class_transformation", "neural"),
                     seed: int = 0, on_progress: Callable[[float, str], None] | None = None) -> CampaignResult:
    """Effects of every arm on ``outcome`` (the first outcome column when None), with SRM, balance,
    CUPED (when pre-campaign revenue exists), per-segment effects and uplift models per arm."""
    say = on_progress or (lambda _s, _m: None)
    if not data.outcomes and outcome is None:
        raise InputError("The campaign table has no outcome column (visited, converted, spend...). Add the "
                         "outcomes, or upload the orders and compute them over a window after the send date.")
    chosen = data.outcomes[0] if outcome is None else None
    outcome = outcome or data.outcomes[0]
    if outcome not in data.table.columns:
        raise InputError("The outcome '{outcome}' is not in the campaign table; choose one of {outcomes}.",
                         outcome=outcome, outcomes=', '.join(data.outcomes) or Note('its numeric columns'))
    table = data.table
    check_arms(table, data.control)
    say(0.02, "Comparing arms")
    effects = arm_effects(table, outcome, data.control, method=method, seed=seed)
    cuped = None
    if data.pre_revenue is not None and data.pre_revenue != outcome:
        cuped = arm_effects(table, outcome, data.control, covariate=data.pre_revenue, seed=seed)
    counts = table["arm"].value_counts().to_dict()
    srm = srm_check({str(k): int(v) for k, v in counts.items()}, intended_split)
    numeric = [c for c in data.attributes if c != outcome]
    leaks = post_treatment_columns(table, outcome, numeric)
    numeric = [c for c in numeric if c not in leaks]
    balance = balance_table(table, data.control, numeric)
    # None: the first text column; "": no segments
    seg_col = segment if segment is not None else (data.categorical[0] if data.categorical else None)
    segments = segment_effects(table, outcome, data.control, seg_col) if seg_col else None
    notes = list(data.notes)
    others = [c for c in data.outcomes if c != outcome]
    if others and outcome == chosen:
        notes.append(Note("{outcome} is the outcome analysed: the first recognised one (a conversion flag before a visit "
                          "and an amount, then the file's column order). The other outcomes ({others}) are left out "
                          "of the features; choose one with --outcome.", {"outcome": outcome, "others": ", ".join(others)}))
    elif others:
        notes.append(Note("{outcome} is the outcome analysed, as chosen. The other outcomes ({others}) are left out of "
                          "the features.", {"outcome": outcome, "others": ", ".join(others)}))
    if leaks:
        notes.append(Note("{columns} left out of the balance check and the uplift features: each alone nearly "
                          "determines {outcome}, so it is measured with it or after the campaign.",
                          {"columns": ", ".join(map(str, leaks)), "outcome": outcome}))
    if srm["mismatch"]:
        notes.append(Note("Sample-ratio mismatch: arm sizes differ from the intended split (chi-square p = {p:.2g}); "
                          "check how customers were assigned before trusting the effects.", {"p": float(srm["p_value"])}, "warning"))
    if len(balance) and balance["imbalanced"].any():
        bad = balance[balance["imbalanced"]]
        notes.append(Note("Arms differ before the campaign on {attributes} (|standardised difference| > 0.1).", {"attributes": ", ".join(sorted(set(bad["attribute"])))}, "warning"))
    if segments is not None and len(segments) > 1:
        notes.append(Note("{n} segment tests: p-values are Holm-adjusted for multiple comparisons; an unadjusted p < 0.05 "
                          "in one segment is expected by chance.", {"n": len(segments)}))
    has_outcome = pd.to_numeric(table[outcome], errors="coerce").notna()
    if not has_outcome.all():
        notes.append(Note("{n:,} customers without a value of {outcome} were left out of the comparison and the uplift "
                          "models.", {"n": int((~has_outcome).sum()), "outcome": outcome}))
    uplift: dict[str, UpliftResult] = {}
    # a column with one value cannot tell customers apart (a funnel's first step that every row passed)
    features = [c for c in numeric + [c for c in data.categorical if c != outcome] if table[c].nunique(dropna=True) > 1]
    arms = [a for a in data.arms if a in set(table["arm"])]
    if uplift_models and features:
        for i, arm in enumerate(arms):
            def progress(share, message, i=i):
                say(0.05 + 0.95 * (i + share) / len(arms), f"{arm}: {message}")
            try:
                uplift[arm] = fit_uplift(table[has_outcome], outcome, data.control, arm, features,
                                         models=uplift_models, seed=seed, on_progress=progress)
            except InputError as exc:
                notes.append(Note("{arm}: {reason}", {"arm": arm, "reason": exc.note}))
                continue
            notes.extend(n for n in uplift[arm].notes if n not in notes)
    elif uplift_models:
        notes.append(Note("No pre-campaign attributes: uplift models were not trained."))
    say(1.0, "Done")
    return CampaignResult(outcome, data.control, effects, cuped, srm, balance, segments, seg_col, uplift, notes)
