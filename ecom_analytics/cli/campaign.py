"""The ``campaign`` command's work: read the campaign (and the orders), run the campaign analysis,
print a summary (see ecom_analytics.cli and ecom_analytics.campaign.run)."""

from __future__ import annotations

import argparse
import sys

from ecom_analytics.campaign.run import CampaignSettings, read_campaign, run
from ecom_analytics.cli.arguments import write_json
from ecom_analytics.errors import InputError
from ecom_analytics.names import uplift_code


def number(value, decimals: int | None = None, *, sign: bool = False) -> str:
    """A figure of the summary with the app's number formatter: ``decimals`` when given, else 4
    significant digits below 1,000 and whole numbers with grouping above (581,026, 58.10, 0.2283,
    -0.008201); "n/a" for a missing value."""
    import math

    from ecom_analytics.i18n import format_number

    if value is None or not math.isfinite(float(value)):
        return "n/a"
    value = float(value)
    if decimals is None:
        size = abs(value)
        decimals = 0 if size >= 1000 or size == 0 else min(8, max(0, 3 - math.floor(math.log10(size))))
    text = format_number(value, decimals=decimals)
    return f"+{text}" if sign and value > 0 else text


def p_text(p) -> str:
    """A p-value with 3 significant digits (0.00155, 0.121), "< 0.0001" below 0.0001; "n/a" when missing."""
    import math

    if p is None or not math.isfinite(float(p)):
        return "n/a"
    if p < 0.0001:
        return "< 0.0001"
    return number(p, min(6, max(0, 2 - math.floor(math.log10(p)))))


def check_models(names: list[str]) -> None:
    """``--models`` of ``campaign``: known uplift models (none = effects only; an old code such as
    ``keras`` is read as today's ``neural``), checked before any work."""
    from ecom_analytics.campaign.uplift import MODEL_LABELS

    unknown = [m for m in names if uplift_code(m) not in MODEL_LABELS]
    if unknown:
        raise InputError("Unknown uplift model {unknown} in --models; choose from {model_labels} (or an empty list "
                         "for none).", unknown=', '.join(unknown), model_labels=', '.join(MODEL_LABELS))


def run_campaign_command(file: str, *, orders: str | None, customer_col: str | None, arm_col: str | None,
                         control: str | None, outcome: str | None, window: int, models: str, salt: str = "",
                         workspace=None) -> dict:
    """Analyse the campaign in ``file`` (a campaign list joined with ``orders`` when given: a file or
    the id of an orders dataset stored in ``workspace``); print a summary to stdout and progress to
    stderr; return the JSON summary."""
    frame = read_campaign(file)
    overrides = {k: v for k, v in {"customer_id": customer_col, "arm": arm_col}.items() if v}
    for role, col in overrides.items():
        if col not in frame.columns:
            raise InputError("--{replace}-col '{col}' is not a column of {file}; columns: {columns}.",
                             replace=role.replace('_id', '').replace('_', '-'), col=col, file=file,
                             columns=', '.join(map(str, frame.columns[:15])))
    order_rows, orders_id = None, None
    if orders:
        from ecom_analytics.ingest.inputs import read_inputs

        inputs = read_inputs({"orders": orders}, salt=salt, workspace=workspace)
        order_rows, orders_id = inputs.orders, inputs.datasets["orders"]
    settings = CampaignSettings(customer_col=customer_col, arm_col=arm_col, control=control,
                                outcome=outcome, window=window,
                                models=tuple(dict.fromkeys(uplift_code(m.strip()) for m in models.split(",") if m.strip())))
    found = run(workspace, {"orders": orders_id}, settings,
                on_progress=lambda share, msg: print(f"- {msg}", file=sys.stderr), file=frame, orders=order_rows)
    result, data = found.result.analysis, found.result.data
    who = (f"{number(len(data.table), 0)} rows ({number(data.unit[1], 0)} units of {data.unit[0]})" if data.unit
           else f"{number(len(data.table), 0)} customers")
    print(f"{who}, outcome '{result.outcome}', control '{result.control}' "
          f"(n = {number(int((data.table['arm'] == result.control).sum()), 0)}, "
          f"mean {number(result.effects['control_mean'].iloc[0])})")
    for r in result.effects.itertuples():
        print(f"  {r.arm:<20} n {number(r.n, 0):>8}  mean {number(r.mean):>10}  lift {number(r.lift, sign=True):>10}  "
              f"95% CI [{number(r.ci_low, sign=True)}, {number(r.ci_high, sign=True)}]  p {p_text(r.p_value)}  "
              f"({r.method})")
    srm = result.srm
    print(f"sample ratio: chi-square {number(srm['chi2'], 2)}, p {p_text(srm['p_value'])}"
          + ("  MISMATCH" if srm["mismatch"] else "  no mismatch")
          + f" (a mismatch is flagged below p {number(srm.get('threshold', 0.001), 3)})")
    if result.segments is not None and len(result.segments):
        print(f"segments by {result.segment_column} (p Holm-adjusted over {len(result.segments)} tests):")
        for r in result.segments.itertuples():
            print(f"  {str(r.segment):<14} {r.arm:<14} n {number(r.n, 0):>8}  lift {number(r.lift, sign=True):>10}  "
                  f"95% CI [{number(r.ci_low, sign=True)}, {number(r.ci_high, sign=True)}]  p {p_text(r.p_value)}  "
                  f"p Holm {p_text(r.p_holm)}")
    for arm, res in result.uplift.items():
        for m in res.metrics.itertuples():
            chosen = "  (chosen by cross-validation)" if m.model == res.best_model else ""
            cv = (f"  CV Qini {number(m.cv_qini, 3):>6}" if "cv_qini" in res.metrics.columns and m.cv_qini == m.cv_qini
                  else "")
            print(f"  uplift {arm:<14} {m.model:<22} Qini AUC {number(m.qini_auc, 3):>6}{cv}  "
                  f"uplift@30% {number(m.uplift_at_30, sign=True)}{chosen}")
    for note in found.notes:
        print(f"note: {note.english()}")
    return found.summary


def cmd_campaign(args: argparse.Namespace) -> int:
    from ecom_analytics.cli.campaign import run_campaign_command
    from ecom_analytics.store import Workspace

    workspace = Workspace(args.home) if getattr(args, "home", None) else Workspace()
    summary = run_campaign_command(args.file, orders=args.orders, customer_col=args.customer_col,
                                   arm_col=args.arm_col, control=args.control, outcome=args.outcome,
                                   window=args.window, models=args.models, salt=workspace.salt(),
                                   workspace=workspace)
    if args.json:
        write_json(summary, args.json)
    return 0
