"""The campaign run: read the campaign, compare each arm with the control, check the split, fit
uplift models, price the effects and build the targeting list, as one :class:`~ecom_analytics.runs.Run`.

:func:`run` is what the Campaigns page and the ``campaign`` command call. It is the chain of four
stages, each usable on its own so the page can cache the expensive one:

1. :func:`read_campaign` / :func:`prepare`: the campaign table (a file, a stored campaign or the
   sample), joined with the orders when the file is a campaign list (outcomes over ``window`` days).
2. :func:`analyse`: effects, CUPED, sample ratio, balance, segments and uplift models (the slow part;
   keyed by :meth:`CampaignSettings.analysis_key`).
3. :func:`assemble`: everything a choice of money or targeting changes (value per unit, cost, margin,
   intended split, targeted arm, model and threshold), computed from the analysis without refitting.

``Run.summary`` is the ``campaign`` command's JSON (unchanged); ``Run.result`` a
:class:`CampaignReport` with every table the page draws and the readings of its charts as notes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ecom_analytics.campaign import CampaignResult, analyse_campaign, readings
from ecom_analytics.campaign.data import CampaignData, campaign_from_orders, prepare_campaign, sample_path
from ecom_analytics.campaign.effects import MoneyBasis, money, money_basis, srm_check, suggested_value
from ecom_analytics.campaign.uplift import assign_audiences, profit_by_target_size, response_model
from ecom_analytics.errors import InputError
from ecom_analytics.names import UPLIFT_MODELS
from ecom_analytics.runs import Note, Progress, Run, no_progress

#: every uplift model, as the Campaigns page proposes them: the best by cross-validated Qini on the training part
DEFAULT_MODELS = tuple(UPLIFT_MODELS)
#: the columns of the targeting list, in this order (those the model gives)
TARGETING_COLUMNS = ("customer_id", "arm", "predicted_uplift", "without_campaign", "with_campaign", "audience",
                     "target")


@dataclass(frozen=True)
class CampaignSettings:
    """What a campaign run is asked to do. Frozen and hashable: the UI caches runs by it.

    ``customer_col``/``arm_col``: source columns overriding the recognised ones; ``control``: the
    control arm's label (recognised when None); ``outcome``: the outcome column (the first
    recognised when None); ``window``: days after each send date over which a campaign list's
    outcomes are counted (with orders); ``method``: "auto", "welch" or "bootstrap"; ``segment``: the
    column to split effects by (None: the first text column, "": none); ``models``: uplift model
    codes (see ``names.UPLIFT_MODELS``; empty: effects only); ``seed``: of the split, the
    bootstrap and the models.

    Money and targeting, changed without refitting: ``value_per_unit`` (revenue of one extra unit of
    a non-revenue outcome, in the file's currency; None: no money), ``cost_per_contact`` (currency),
    ``margin`` (share of revenue kept, 0-1), ``intended_split`` (one share per arm, control first,
    then the treated arms in order; None: equal shares), ``targeting_arm`` and ``targeting_model``
    (None: the first arm with uplift models and its model chosen by cross-validation),
    ``threshold`` (persuadable at a predicted uplift at or above it, in outcome units per customer:
    a share for a 0/1 outcome; None: half the arm's measured lift, at least 1 point or 1 % of the
    control's mean).
    """

    customer_col: str | None = None
    arm_col: str | None = None
    control: str | None = None
    outcome: str | None = None
    window: int = 14
    method: str = "auto"
    segment: str | None = None
    models: tuple[str, ...] = DEFAULT_MODELS
    seed: int = 0
    value_per_unit: float | None = None
    cost_per_contact: float = 0.10
    margin: float = 0.30
    intended_split: tuple[float, ...] | None = None
    targeting_arm: str | None = None
    targeting_model: str | None = None
    threshold: float | None = None

    @property
    def overrides(self) -> dict[str, str]:
        """The column overrides by role (customer_id, arm)."""
        return {k: v for k, v in (("customer_id", self.customer_col), ("arm", self.arm_col)) if v}

    def analysis_key(self) -> tuple:
        """The settings the slow stage depends on (money and targeting excluded)."""
        return (self.customer_col, self.arm_col, self.control, self.outcome, self.window, self.method, self.segment,
                tuple(self.models), self.seed)


@dataclass
class Targeting:
    """Whom to contact for one treated arm, by one uplift model.

    ``threshold``: in outcome units per customer (a share for a 0/1 outcome); ``counts``: customers
    per audience code; ``profit``: expected profit by share contacted (None without money);
    ``best_share``: the most profitable share (0-1, None without money); ``table``: every customer
    of the arm and the control, highest predicted uplift first (columns :data:`TARGETING_COLUMNS`;
    ``target`` only with money: True for the most profitable top share)."""

    arm: str
    model: str
    threshold: float
    default_threshold: float
    counts: pd.Series
    profit: pd.DataFrame | None
    best_share: float | None
    table: pd.DataFrame


@dataclass
class CampaignReport:
    """Everything the Campaigns page draws, decided by the library.

    ``rate``: True when the outcome is 0/1 (effects in percentage points); ``outcome_choices``: the
    columns an analyst may choose as the outcome; ``basis``: where money comes from (its ``source``
    is "outcome", "entered" or "missing"); ``money``: incremental outcome, revenue, cost, profit and
    ROI per arm (None without money); ``srm``: the sample-ratio check against the intended split;
    ``split_problem``: a note when the intended split given cannot be read (the check then uses
    equal shares); ``targeting``: for ``settings.targeting_arm`` (None without uplift models);
    ``readings``: the one-sentence readings of the charts, by chart."""

    data: CampaignData
    analysis: CampaignResult
    rate: bool
    outcome_choices: list[str]
    basis: MoneyBasis
    suggested_value: float | None
    money: pd.DataFrame | None
    srm: dict
    split_problem: Note | None
    targeting: Targeting | None
    readings: dict[str, list[Note]] = field(default_factory=dict)

    @property
    def arms(self) -> list[str]:
        """Control first, then the treated arms in the order of the effects table."""
        return [self.analysis.control, *map(str, self.analysis.effects["arm"])]


# ----------------------------------------------------------------------------- stage 1: the campaign table

def read_campaign(source: str | Path | tuple[bytes, str] | pd.DataFrame | None = None, *, workspace=None,
                  campaign_id: str | None = None) -> pd.DataFrame:
    """The campaign file's table as read: a stored campaign (``campaign_id`` in ``workspace``), a
    frame, (bytes, file name), a path, or the sample campaign when nothing is given."""
    from ecom_analytics.ingest.readers import read_file_bytes, read_table

    if campaign_id:
        if workspace is None or not workspace.has_dataset(campaign_id):
            raise InputError("No saved campaign with the id '{id}' in the workspace; open it from the Data page or "
                             "save the file again.", id=campaign_id)
        return workspace.load_clean(campaign_id).drop(columns="source_line", errors="ignore")
    if isinstance(source, pd.DataFrame):
        return source
    if isinstance(source, tuple):
        data, name = source
        return read_table(data, name).frame
    path = Path(source) if source is not None else sample_path()
    return read_table(read_file_bytes(path), path.name).frame


def prepare(frame: pd.DataFrame, settings: CampaignSettings, orders: pd.DataFrame | None = None) -> CampaignData:
    """The campaign table ready for analysis; a campaign list joined with ``orders`` when given."""
    if orders is not None:
        return campaign_from_orders(frame, orders, window_days=settings.window, overrides=settings.overrides,
                                    control=settings.control)
    return prepare_campaign(frame, overrides=settings.overrides, control=settings.control, outcome=settings.outcome)


def outcome_choices(data: CampaignData) -> list[str]:
    """The columns an analyst may choose as the outcome: the recognised outcomes first, then the
    other numeric columns."""
    return [*data.outcomes, *[c for c in data.attributes if c not in data.outcomes]]


def is_rate(table: pd.DataFrame, outcome: str) -> bool:
    """True when every known value of ``outcome`` is 0 or 1 (a conversion or visit flag)."""
    return bool(pd.to_numeric(table[outcome], errors="coerce").dropna().isin([0, 1]).all())


# ----------------------------------------------------------------------------- stage 2: the analysis

def analyse(data: CampaignData, settings: CampaignSettings, on_progress: Progress = no_progress) -> CampaignResult:
    """Effects, checks and uplift models of ``data`` for ``settings`` (the slow stage)."""
    return analyse_campaign(data, settings.outcome, method=settings.method, segment=settings.segment,
                            uplift_models=tuple(settings.models), seed=settings.seed, on_progress=on_progress)


# ----------------------------------------------------------------------------- stage 3: money and targeting

def parse_split(text: str, arms: list[str]) -> tuple[tuple[float, ...] | None, Note | None]:
    """An intended split typed as shares ("1:1:2" or "1,1,2", in the order of ``arms``): the shares,
    or None and a note saying what to type."""
    example = ":".join("1" for _ in arms)
    problem = Note("Give one share per arm ({n}), e.g. {example}.", {"n": len(arms), "example": example}, "error")
    try:
        shares = tuple(float(x) for x in str(text).replace(",", ":").split(":") if x.strip())
    except ValueError:
        return None, problem
    if len(shares) != len(arms):
        return None, problem
    if any(not np.isfinite(s) or s <= 0 for s in shares):
        return None, Note("Every arm's intended share must be above 0.", {}, "error")
    return shares, None


def default_threshold(effects: pd.DataFrame, arm: str, rate: bool) -> float:
    """Half the arm's measured lift, at least 1 point (a rate) or 1 % of the control's mean (an
    amount), rounded to 2 decimals in the unit shown (points for a rate)."""
    lift = abs(float(effects.set_index("arm").loc[arm, "lift"]))
    floor = 0.01 if rate else 0.01 * abs(float(effects["control_mean"].iloc[0]))
    scale = 100 if rate else 1
    return float(round(max(floor, lift / 2) * scale, 2)) / scale


def targeting(analysis: CampaignResult, arm: str, model: str | None, *, rate: bool, threshold: float | None,
              basis: MoneyBasis, margin: float, cost_per_contact: float) -> Targeting:
    """The audiences and the targeting list of ``arm`` by ``model`` (its best model when None)."""
    res = analysis.uplift[arm]
    model = model if model in set(res.metrics["model"]) else res.best_model
    default = default_threshold(analysis.effects, arm, rate)
    threshold = default if threshold is None else float(threshold)
    scores = res.scores.copy()
    base = float(analysis.effects["control_mean"].iloc[0])
    scores["audience"] = assign_audiences(scores, model, threshold=threshold, base_rate=base)
    counts = scores["audience"].value_counts()
    ranked = scores.sort_values(model, ascending=False, kind="stable").reset_index(drop=True)
    profit = best_share = None
    if basis.ready:
        profit = profit_by_target_size(res, model, population=int(len(scores)), value_per_unit=basis.value_per_unit,
                                       margin=margin, cost_per_contact=cost_per_contact)
        best_share = float(profit.loc[profit["profit"].idxmax(), "share"])
        ranked["target"] = ranked.index < int(round(best_share * len(ranked)))
    source = model if f"{model}_p_control" in ranked else "t_learner"
    ranked = ranked.rename(columns={model: "predicted_uplift", f"{source}_p_control": "without_campaign",
                                    f"{source}_p_treated": "with_campaign"})
    table = ranked[[c for c in TARGETING_COLUMNS if c in ranked]]
    return Targeting(arm, model, threshold, default, counts, profit, best_share, table)


def assemble(data: CampaignData, analysis: CampaignResult, settings: CampaignSettings) -> Run:
    """The run of ``analysis`` with the money and targeting ``settings`` (fast: nothing is refitted)."""
    outcome = analysis.outcome
    rate = is_rate(data.table, outcome)
    basis = money_basis(outcome, data.columns.get("spend"), settings.value_per_unit)
    cash = (money(analysis.effects, cost_per_contact=settings.cost_per_contact, margin=settings.margin,
                  value_per_unit=basis.value_per_unit) if basis.ready else None)
    arms = [analysis.control, *map(str, analysis.effects["arm"])]
    srm, split_problem = analysis.srm, None
    if settings.intended_split is not None:
        if len(settings.intended_split) != len(arms) or any(s <= 0 for s in settings.intended_split):
            split_problem = parse_split(":".join(map(str, settings.intended_split)), arms)[1]
        else:
            counts = data.table["arm"].value_counts()
            srm = srm_check({a: int(counts.get(a, 0)) for a in arms}, dict(zip(arms, settings.intended_split)))
    chosen = None
    if analysis.uplift:
        arm = settings.targeting_arm if settings.targeting_arm in analysis.uplift else next(iter(analysis.uplift))
        chosen = targeting(analysis, arm, settings.targeting_model, rate=rate, threshold=settings.threshold,
                           basis=basis, margin=settings.margin, cost_per_contact=settings.cost_per_contact)
    found = {"effects": readings.effects_reading(analysis.effects, outcome), "srm": [readings.srm_reading(srm)],
             "balance": [readings.balance_reading(analysis.balance)]}
    if analysis.cuped is not None:
        found["cuped"] = [readings.cuped_reading(analysis.cuped, data.pre_revenue)]
    if cash is not None:
        found["money"] = [readings.money_reading(cash, settings.margin)]
    if analysis.segments is not None and not analysis.segments.empty:
        found["segments"] = [readings.segment_reading(analysis.segments)]
    if chosen is not None:
        res = analysis.uplift[chosen.arm]
        found["qini"] = [readings.qini_reading(res)]
        found["deciles"] = [readings.decile_reading(res.deciles[chosen.model], outcome, rate)]
        found["audiences"] = [readings.audience_reading(chosen.counts), readings.audience_rule(chosen.threshold, rate)]
        if chosen.profit is not None:
            found["profit"] = [readings.profit_reading(chosen.profit)]
    report = CampaignReport(data, analysis, rate, outcome_choices(data), basis,
                            suggested_value(data.table, outcome, data.columns), cash, srm, split_problem, chosen, found)
    board = leaderboard(analysis)
    best = board["model"].iloc[0] if len(board) else None
    return Run("campaign", {}, settings, board, best, list(analysis.notes), analysis.summary(), report)


def leaderboard(analysis: CampaignResult) -> pd.DataFrame:
    """One row per treated arm and uplift model: cross-validated Qini AUC on the 70 % (chooses the
    model), Qini AUC and uplift in the top 30 % on the held-out 30 %, and ``chosen``; arms in the
    order of the effects, the chosen model first within each arm, then by cross-validated Qini."""
    parts = []
    for arm, res in analysis.uplift.items():
        part = res.metrics.assign(arm=arm, chosen=res.metrics["model"] == res.best_model)
        parts.append(part.sort_values(["chosen", "cv_qini", "qini_auc"], ascending=False, na_position="last"))
    columns = ["arm", "model", "cv_qini", "qini_auc", "uplift_at_30", "chosen"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def response_features(data: CampaignData, outcome: str) -> list[str]:
    """The pre-campaign columns a response model learns from: every attribute but the outcome and the
    columns that alone nearly determine it (see :func:`ecom_analytics.campaign.data.post_treatment_columns`)."""
    from ecom_analytics.campaign.data import post_treatment_columns

    numeric = [c for c in data.attributes if c != outcome]
    leaks = set(post_treatment_columns(data.table, outcome, numeric))
    return [c for c in data.attributes + data.categorical if c != outcome and c not in leaks]


def response(data: CampaignData, outcome: str, arm: str, seed: int = 0) -> dict:
    """Who takes part in ``arm``: the response model's held-out metrics and every customer's score
    (see :func:`ecom_analytics.campaign.uplift.response_model`), scores highest first."""
    found = response_model(data.table, outcome, arm, response_features(data, outcome), seed=seed)
    found["scores"] = found["scores"].sort_values("score", ascending=False, kind="stable").reset_index(drop=True)
    return found


# ----------------------------------------------------------------------------- the run

def run(workspace, datasets: Mapping[str, str | None] | None, settings: CampaignSettings,
        on_progress: Progress = no_progress, *, file: Any = None, orders: pd.DataFrame | None = None) -> Run:
    """The campaign run.

    ``datasets``: ``{"campaign": id, "orders": id}`` of ``workspace`` (each may be None); ``file``:
    the campaign table when it is not stored (a path, (bytes, name) or a frame; the sample campaign
    when neither is given); ``orders``: cleaned orders already read (the command line), which
    makes the campaign file a campaign list whose outcomes are counted over ``settings.window`` days.
    """
    datasets = dict(datasets or {})
    unknown = set(datasets) - {"campaign", "orders"}
    if unknown:
        raise InputError("Unknown input role {roles} of a campaign run; use campaign or orders.",
                         roles=sorted(unknown))
    frame = read_campaign(file, workspace=workspace, campaign_id=datasets.get("campaign"))
    if orders is None and datasets.get("orders"):
        from ecom_analytics.ingest.inputs import load_inputs

        orders = load_inputs(workspace, {"orders": datasets["orders"]}).orders
    data = prepare(frame, settings, orders)
    found = assemble(data, analyse(data, settings, on_progress), settings)
    found.datasets = {"campaign": datasets.get("campaign"), "orders": datasets.get("orders")}
    return found

