"""``report``: the Report page's report (HTML with interactive charts, or PDF) from the command line."""

from __future__ import annotations

import argparse
import sys

from ecom_analytics.errors import InputError

DEFAULT_TITLE = "Sales and customer report"


def cmd_report(args: argparse.Namespace) -> int:
    from ecom_analytics import i18n
    from ecom_analytics.exports import write_bytes
    from ecom_analytics.ingest.inputs import read_inputs
    from ecom_analytics.report import sections
    from ecom_analytics.store import Workspace

    unknown = [s for s in args.without if s not in sections.SECTIONS]
    if unknown:
        raise InputError("--without takes {sections} (got {unknown}).", sections=', '.join(sections.SECTIONS),
                         unknown=', '.join(unknown))
    fmt = args.format or ("pdf" if str(args.out).lower().endswith(".pdf") else "html")
    workspace = Workspace(args.home) if args.home else Workspace()
    lang = i18n.normalise_language(args.lang)
    inputs = read_inputs({"orders": args.orders, "events": args.events}, salt=workspace.salt(), workspace=workspace)
    info, orders, orders_id = inputs.entries["orders"], inputs.orders, inputs.datasets["orders"]
    if orders.empty:
        raise InputError("Every row of the orders was set aside by the cleaning rules; there is nothing to report.")
    events, events_id = inputs.events, inputs.datasets["events"]
    model = None
    if orders_id is not None:  # the latest model trained on exactly these datasets, as the page includes it
        from ecom_analytics.predict.registry import list_runs, load_run

        runs = list_runs(workspace)
        if not runs.empty:
            want = {"orders": orders_id, "events": events_id, "customers": None}
            mine = runs[runs["datasets"].map(lambda d: all(d.get(k) == v for k, v in want.items()))]
            if not mine.empty:
                model = load_run(workspace, mine.sort_values("created", ascending=False).iloc[0]["run_id"])
    include = tuple(s for s in sections.SECTIONS if s not in args.without)
    period = None
    if getattr(args, "period_from", None) is not None or getattr(args, "period_to", None) is not None:
        period = ((args.period_from if args.period_from is not None else orders["timestamp"].min()).date(),
                  (args.period_to if args.period_to is not None else orders["timestamp"].max()).date())
    content = sections.report_content(
        title=args.title or i18n.translate(DEFAULT_TITLE, lang), dataset=info, orders=orders, lang=lang, model=model,
        sections=sections.default_sections(orders, events, lang, include), period=period)
    for name, reason in content.skipped.items():
        print(f"note: the {name} section is left out: {' '.join(reason.split())}", file=sys.stderr)
    if fmt == "pdf":
        from ecom_analytics.report.pdf import build_pdf_report

        data = build_pdf_report(**content.arguments)
    else:
        from ecom_analytics.report.html import build_report

        data = build_report(**content.arguments).encode("utf-8")
    write_bytes(data, args.out)
    made = [s[0] for s in content.arguments["sections"]]
    print(f"{fmt.upper()} report of {info['name']} ({len(orders):,} order lines"
          + (", with the latest model" if model is not None else "") + (f"; {', '.join(made)}" if made else "")
          + f") -> {args.out} ({len(data) / 2**20:.1f} MB)")
    return 0
