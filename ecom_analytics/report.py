"""A self-contained HTML report to send to someone without access to the server.

One file: the KPIs, the cleaning summary, sales over time, top products and countries, RFM
segments and, when a model is trained, its leaderboard and gain chart. Plotly's JavaScript is
embedded once, so the charts stay interactive offline. The report holds aggregates only: no
customer ids, e-mails or other row-level data.
"""

from __future__ import annotations

import html
from datetime import datetime, timezone

import pandas as pd
import plotly.graph_objects as go

_CSS = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2rem auto;max-width:1100px;color:#222;
     padding:0 1rem}
h1{margin-bottom:.2rem} h2{margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
.muted{color:#666;font-size:.9rem} .kpis{display:flex;gap:1rem;flex-wrap:wrap}
.kpi{border:1px solid #e3e3e3;border-radius:8px;padding:.7rem 1rem;min-width:150px}
.kpi b{display:block;font-size:1.5rem} table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}
td,th{border:1px solid #e3e3e3;padding:.3rem .6rem;text-align:right} th{background:#f6f6f6}
td:first-child,th:first-child,td:last-child,th:last-child{text-align:left}
"""


def _table(frame: pd.DataFrame, formats: dict[str, str] | None = None) -> str:
    formats = formats or {}
    shown = frame.copy()
    for col, fmt in formats.items():
        if col in shown.columns:
            shown[col] = shown[col].map(lambda v, f=fmt: "" if pd.isna(v) else f.format(v))
    return shown.to_html(index=False, escape=True, border=0)


def _kpis(items: list[tuple[str, str]]) -> str:
    cells = "".join(f'<div class="kpi">{html.escape(k)}<b>{html.escape(v)}</b></div>' for k, v in items)
    return f'<div class="kpis">{cells}</div>'


def build_report(*, title: str, dataset: dict, kpis: dict | None = None, charts: list[go.Figure] | None = None,
                 segments: pd.DataFrame | None = None, leaderboard: pd.DataFrame | None = None,
                 model_charts: list[go.Figure] | None = None, model_note: str = "",
                 sections: list[tuple[str, list[go.Figure], pd.DataFrame | None, str]] | None = None) -> str:
    """The report as one HTML string.

    ``dataset`` is a workspace catalogue entry (name, kind, report...); ``kpis`` from
    :func:`ecom_analytics.overview.kpis`; ``segments`` from
    :func:`ecom_analytics.segments.segment_summary`; ``leaderboard`` from a training run;
    ``sections`` adds further (heading, figures, optional table, note) blocks, e.g. a forecast.
    """
    parts = [f"<h1>{html.escape(title)}</h1>",
             f'<p class="muted">Generated {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by Ecom Analytics from '
             f"<b>{html.escape(str(dataset['name']))}</b> ({html.escape(str(dataset['kind']))}, dataset id "
             f"{html.escape(str(dataset['dataset_id']))}). Amounts in the export's currency.</p>"]
    if kpis:
        parts.append("<h2>Key figures</h2>")
        parts.append(_kpis([("Revenue", f"{kpis['revenue']:,.2f}"), ("Orders", f"{kpis['orders']:,}"),
                            ("Customers", f"{kpis['customers']:,}"), ("Average order value", f"{kpis['aov']:,.2f}"),
                            ("Repeat customers", f"{kpis['repeat_rate']:.1%}")]))
    rep = dataset["report"]["cleaning"]
    parts.append("<h2>Data cleaning</h2>")
    parts.append(f"<p>{rep['rows_in']:,} rows in = {rep['rows_clean']:,} kept + {rep['rows_quarantined']:,} set aside; "
                 f"revenue {rep['revenue_in']:,.2f} in, {rep['revenue_clean']:,.2f} kept. "
                 f"{'Reconciled.' if rep.get('reconciles') else 'Does NOT reconcile.'}</p>")
    if rep.get("rules"):
        rules = pd.DataFrame(rep["rules"])[["rule", "quarantined", "matched", "revenue_quarantined", "description"]]
        parts.append(_table(rules, {"quarantined": "{:,}", "matched": "{:,}", "revenue_quarantined": "{:,.2f}"}))
    figures = list(charts or [])
    if figures:
        parts.append("<h2>Sales</h2>")
    first = True
    for fig in figures:
        parts.append(fig.to_html(full_html=False, include_plotlyjs="inline" if first else False))
        first = False
    if segments is not None and len(segments):
        parts.append("<h2>RFM segments</h2>")
        cols = ["segment", "customers", "customer_share", "revenue", "revenue_share", "median_recency_days",
                "median_orders"]
        parts.append(_table(segments[cols], {"customers": "{:,}", "customer_share": "{:.1%}", "revenue": "{:,.0f}",
                                             "revenue_share": "{:.1%}", "median_recency_days": "{:.0f}",
                                             "median_orders": "{:.0f}"}))
    if leaderboard is not None and len(leaderboard):
        parts.append("<h2>Prediction model</h2>")
        if model_note:
            parts.append(f"<p>{html.escape(model_note)}</p>")
        metrics = [c for c in leaderboard.columns if c not in ("model", "label")]
        parts.append(_table(leaderboard[["label", *metrics]].rename(columns={"label": "model"}),
                            {m: "{:.4f}" for m in metrics}))
        for fig in model_charts or []:
            parts.append(fig.to_html(full_html=False, include_plotlyjs="inline" if first else False))
            first = False
    for heading, figs, table, note in sections or []:
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        if note:
            parts.append(f"<p>{html.escape(note)}</p>")
        if table is not None and len(table):
            parts.append(_table(table))
        for fig in figs:
            parts.append(fig.to_html(full_html=False, include_plotlyjs="inline" if first else False))
            first = False
    body = "\n".join(parts)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{_CSS}</style></head><body>{body}</body></html>")
