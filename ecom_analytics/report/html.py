"""A self-contained HTML report to send to someone without access to the server.

One file: the KPIs, the cleaning summary, sales over time, top products and countries, RFM
segments and, when a model is trained, its leaderboard and gain chart. Plotly's JavaScript is
embedded once, so the charts stay interactive offline. The report holds aggregates only: no
customer ids, e-mails or other row-level data.

The report's own words (headings, KPI names, the cleaning summary, table headers, segment and
model names) are in the report's language (``lang``, English or Simplified Chinese), through
:func:`ecom_analytics.i18n.translate`; the texts shared with the PDF are built here.
"""

from __future__ import annotations

import html
from datetime import datetime, timezone

import pandas as pd
import plotly.graph_objects as go

from ecom_analytics.i18n import format_date, format_number, format_percent, normalise_language, translate, translate_in

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
#: Chinese first in the font list where the system has one (the Latin fonts above lack the glyphs)
_CSS_ZH = """
body{font-family:-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",
     "Source Han Sans SC","WenQuanYi Micro Hei",Segoe UI,Helvetica,Arial,sans-serif}
"""
#: the ``<html lang>`` attribute of each interface language
HTML_LANG = {"en": "en", "zh": "zh-CN"}

SEGMENT_COLUMNS = ["segment", "customers", "customer_share", "revenue", "revenue_share", "median_recency_days",
                   "median_orders"]
SEGMENT_FORMATS = {"customers": "{:,}", "customer_share": "{:.1%}", "revenue": "{:,.0f}", "revenue_share": "{:.1%}",
                   "median_recency_days": "{:.0f}", "median_orders": "{:.0f}"}
RULE_COLUMNS = ["rule", "quarantined", "matched", "revenue_quarantined", "description"]


def heading(text: str, lang: str) -> str:
    """A section heading of the report (HTML and PDF) in ``lang`` (msgctxt "report heading": "Sales" is
    a kind of table on the Data page, a section heading here)."""
    return translate_in("report heading", text, lang)


#: what a reader sees as the header of a column the library names for code (both languages)
COLUMN_LABELS = {
    "rule": "Rule", "quarantined": "Set aside", "matched": "Rows matching", "revenue_quarantined": "Revenue set aside",
    "description": "What it catches", "segment": "Segment", "customers": "Customers",
    "customer_share": "Share of customers", "revenue": "Revenue", "revenue_share": "Share of revenue",
    "median_recency_days": "Median days since the last order", "median_orders": "Median orders",
    "model": "Model", "roc_auc": "ROC AUC", "pr_auc": "PR AUC", "log_loss": "Log loss", "brier": "Brier score",
    "mae": "MAE", "rmse": "RMSE", "r2": "R²", "spearman": "Spearman correlation",
}


def translate_columns(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with its column headers as a reader should see them, in ``lang``: code names
    (``revenue_quarantined``, ``roc_auc``) become :data:`COLUMN_LABELS`; the values are left as they are."""
    def shown(column: str) -> str:
        own = translate(column, lang)  # a catalogue entry for the code name itself (Chinese had these) wins
        return own if own != column else translate(COLUMN_LABELS.get(column, column), lang)

    return frame.rename(columns={c: shown(str(c)) for c in frame.columns})


GENERATED = ("Generated {when} UTC by Ecom Analytics from {name} ({kind}, dataset id {dataset_id}). "
             "Amounts in the export's currency.")


def generated_line(dataset: dict, lang: str, when: datetime | None = None, markup: bool = False) -> str:
    """"Generated <when> UTC by Ecom Analytics from <dataset> (...)" in ``lang``; with ``markup``,
    HTML: the values escaped and the dataset's name in bold."""
    values = {"name": str(dataset["name"]), "kind": translate(str(dataset["kind"]), lang),
              "dataset_id": str(dataset["dataset_id"])}
    template = translate(GENERATED, lang)
    if markup:
        template = html.escape(template, quote=False)
        values = {k: html.escape(v) for k, v in values.items()}
        values["name"] = f"<b>{values['name']}</b>"
    return template.format(when=format_date(when or datetime.now(timezone.utc), lang, with_time=True), **values)


def period_line(dataset: dict, lang: str) -> str:
    """"Data from <first day> to <last day>." in ``lang`` (empty when the caller gave no ``period``);
    with ``focus`` (the days the sales and segments look at, within the data), both."""
    period = dataset.get("period")
    if not period:
        return ""
    start, end = period
    if dataset.get("focus"):
        since, until = dataset["focus"]
        return translate("Sales and segments from {since} to {until}; the data runs from {start} to {end}, and the "
                         "model, forecast, recommendations and lifetime value use all of it.", lang,
                         since=format_date(since, lang), until=format_date(until, lang),
                         start=format_date(start, lang), end=format_date(end, lang))
    return translate("Data from {start} to {end}.", lang, start=format_date(start, lang), end=format_date(end, lang))


def report_file_name(dataset: dict, when: datetime, extension: str) -> str:
    """``ecom_analytics_report_<dataset name>_<YYYY-MM-DD>.<extension>``: the dataset's name cut to
    letters, digits and dashes, so the file says what it covers and when it was made."""
    import re

    name = re.sub(r"[^\w-]+", "-", str(dataset.get("name", "")).rsplit(".", 1)[0], flags=re.UNICODE).strip("-")[:40]
    focus = dataset.get("focus")
    days = f"_{pd.Timestamp(focus[0]):%Y-%m-%d}_to_{pd.Timestamp(focus[1]):%Y-%m-%d}" if focus else ""
    return f"ecom_analytics_report_{name or dataset.get('dataset_id', 'data')}{days}_{when:%Y-%m-%d}.{extension}"


def cleaning_line(rep: dict, lang: str) -> str:
    """The cleaning summary in one sentence: rows in = kept + set aside, revenue, reconciled or not."""
    status = translate("Reconciled." if rep.get("reconciles") else "Does NOT reconcile.", lang)
    return translate("{rows_in:,} rows in = {rows_clean:,} kept + {rows_quarantined:,} set aside; revenue "
                     "{revenue_in:,.2f} in, {revenue_clean:,.2f} kept. {status}", lang, rows_in=rep["rows_in"],
                     rows_clean=rep["rows_clean"], rows_quarantined=rep["rows_quarantined"],
                     revenue_in=rep["revenue_in"], revenue_clean=rep["revenue_clean"], status=status)


def kpi_items(kpis: dict, lang: str) -> list[tuple[str, str]]:
    """(name, value) of the key figures in ``lang``."""
    return [(translate("Revenue", lang), format_number(kpis["revenue"], lang, 2)),
            (translate("Orders", lang), format_number(kpis["orders"], lang)),
            (translate("Customers", lang), format_number(kpis["customers"], lang)),
            (translate("Average order value", lang), format_number(kpis["aov"], lang, 2)),
            (translate("Repeat customers", lang), format_percent(kpis["repeat_rate"], lang))]


def segment_table(segments: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The RFM segments to show: segment names in ``lang``, numbers as they are (not yet formatted)."""
    frame = segments[SEGMENT_COLUMNS].copy()
    frame["segment"] = frame["segment"].map(lambda s: translate(str(s), lang))
    return frame


def rules_table(rules: list[dict], lang: str) -> pd.DataFrame:
    """The cleaning rules to show: rule ids as they are, descriptions in ``lang``."""
    frame = pd.DataFrame(rules)
    frame = frame[[c for c in RULE_COLUMNS if c in frame.columns]].copy()
    frame["description"] = frame["description"].map(lambda s: translate(str(s), lang))
    return frame


def leaderboard_table(leaderboard: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, list[str]]:
    """(the leaderboard to show with a ``model`` column of labels in ``lang``, its metric columns)."""
    metrics = [c for c in leaderboard.columns if c not in ("model", "label")]
    board = leaderboard[["label", *metrics]].rename(columns={"label": "model"}).copy()
    board["model"] = board["model"].map(lambda s: translate(str(s), lang))
    return board, metrics


def _table(frame: pd.DataFrame, formats: dict[str, str] | None = None, lang: str = "en") -> str:
    formats = formats or {}
    shown = frame.copy()
    for col, fmt in formats.items():
        if col in shown.columns:
            shown[col] = shown[col].map(lambda v, f=fmt: "" if pd.isna(v) else f.format(v))
    return translate_columns(shown, lang).to_html(index=False, escape=True, border=0)


def _kpis(items: list[tuple[str, str]]) -> str:
    cells = "".join(f'<div class="kpi">{html.escape(k)}<b>{html.escape(v)}</b></div>' for k, v in items)
    return f'<div class="kpis">{cells}</div>'


def build_report(*, title: str, dataset: dict, kpis: dict | None = None, charts: list[go.Figure] | None = None,
                 segments: pd.DataFrame | None = None, leaderboard: pd.DataFrame | None = None,
                 model_charts: list[go.Figure] | None = None, model_note: str = "",
                 sections: list[tuple[str, list[go.Figure], pd.DataFrame | None, str]] | None = None,
                 lang: str = "en") -> str:
    """The report as one HTML string, its own words in ``lang`` ("en" or "zh").

    ``dataset`` is a workspace catalogue entry (name, kind, report...; with ``period``, the first
    and last day of the data, the header says it); ``kpis`` from
    :func:`ecom_analytics.overview.kpis`; ``segments`` from
    :func:`ecom_analytics.segments.segment_summary`; ``leaderboard`` from a training run;
    ``sections`` adds further (heading, figures, optional table, note) blocks, e.g. a forecast.
    ``title``, ``model_note``, the sections and the charts are shown as given: make them in ``lang``
    (the report sections and chart functions take ``lang`` too); table headers of ``sections`` are
    translated when the catalogue knows them.
    """
    lang = normalise_language(lang)
    parts = [f"<h1>{html.escape(title)}</h1>"]
    if period_line(dataset, lang):
        parts.append(f"<p><b>{html.escape(period_line(dataset, lang))}</b></p>")
    parts.append(f'<p class="muted">{generated_line(dataset, lang, markup=True)}</p>')
    if kpis:
        parts.append(f"<h2>{html.escape(heading('Key figures', lang))}</h2>")
        parts.append(_kpis(kpi_items(kpis, lang)))
    rep = dataset["report"]["cleaning"]
    parts.append(f"<h2>{html.escape(heading('Data cleaning', lang))}</h2>")
    parts.append(f"<p>{html.escape(cleaning_line(rep, lang), quote=False)}</p>")
    if rep.get("rules"):
        parts.append(_table(rules_table(rep["rules"], lang),
                            {"quarantined": "{:,}", "matched": "{:,}", "revenue_quarantined": "{:,.2f}"}, lang))
    figures = list(charts or [])
    if figures:
        parts.append(f"<h2>{html.escape(heading('Sales', lang))}</h2>")
    first = True
    for fig in figures:
        parts.append(fig.to_html(full_html=False, include_plotlyjs="inline" if first else False))
        first = False
    if segments is not None and len(segments):
        parts.append(f"<h2>{html.escape(heading('RFM segments', lang))}</h2>")
        parts.append(_table(segment_table(segments, lang), SEGMENT_FORMATS, lang))
    if leaderboard is not None and len(leaderboard):
        parts.append(f"<h2>{html.escape(heading('Prediction model', lang))}</h2>")
        if model_note:
            parts.append(f"<p>{html.escape(model_note)}</p>")
        board, metrics = leaderboard_table(leaderboard, lang)
        parts.append(_table(board, {m: "{:.4f}" for m in metrics}, lang))
        for fig in model_charts or []:
            parts.append(fig.to_html(full_html=False, include_plotlyjs="inline" if first else False))
            first = False
    for section_heading, figs, table, note in sections or []:
        parts.append(f"<h2>{html.escape(section_heading)}</h2>")
        if note:
            parts.append(f"<p>{html.escape(note)}</p>")
        if table is not None and len(table):
            parts.append(_table(table, lang=lang))
        for fig in figs:
            parts.append(fig.to_html(full_html=False, include_plotlyjs="inline" if first else False))
            first = False
    body = "\n".join(parts)
    css = _CSS + (_CSS_ZH if lang == "zh" else "")
    return (f"<!doctype html><html lang=\"{HTML_LANG[lang]}\"><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title>"
            f"<style>{css}</style></head><body>{body}</body></html>")
