"""The ``campaign`` command's work: read the campaign (and the orders), run the campaign analysis,
print a summary (see ecom_analytics.cli and ecom_analytics.campaign.run)."""

from __future__ import annotations

import argparse
import sys

from ecom_analytics.campaign.run import CampaignSettings, read_campaign, run
from ecom_analytics.cli.arguments import write_json
from ecom_analytics.errors import InputError
from ecom_analytics.names import uplift_code


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
    print(f"{len(data.table):,} customers, outcome '{result.outcome}', control '{result.control}' "
          f"(n = {int((data.table['arm'] == result.control).sum()):,}, mean {result.effects['control_mean'].iloc[0]:.4g})")
    for r in result.effects.itertuples():
        print(f"  {r.arm:<20} n {r.n:>8,}  mean {r.mean:10.4g}  lift {r.lift:+10.4g}  95% CI [{r.ci_low:+.4g}, "
              f"{r.ci_high:+.4g}]  p {r.p_value:.3g}  ({r.method})")
    print(f"sample ratio: chi-square {result.srm['chi2']:.2f}, p {result.srm['p_value']:.3g}"
          + ("  MISMATCH" if result.srm["mismatch"] else ""))
    for arm, res in result.uplift.items():
        for m in res.metrics.itertuples():
            chosen = "  (chosen by cross-validation)" if m.model == res.best_model else ""
            cv = f"  CV Qini {m.cv_qini:6.3f}" if "cv_qini" in res.metrics.columns and m.cv_qini == m.cv_qini else ""
            print(f"  uplift {arm:<14} {m.model:<22} Qini AUC {m.qini_auc:6.3f}{cv}  uplift@30% {m.uplift_at_30:+.4g}"
                  f"{chosen}")
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
