"""The report as a PDF: the same sections and charts as the HTML report, drawn with matplotlib.

The HTML report's charts are Plotly figures; a PDF of them would need a headless browser
(kaleido drives Chrome), which a self-hosted server may not have. Instead each Plotly figure is
redrawn from its own traces with matplotlib (lines, filled bands, markers, bars, heatmaps,
treemaps as bars), so the PDF needs nothing beyond the stack and shows the very numbers the
interactive charts show. Like the HTML report it holds aggregates only.
"""

from __future__ import annotations

import io
import re
import textwrap
from datetime import datetime, timezone

import numpy as np
import pandas as pd

PAGE = (11.69, 8.27)  # A4 landscape, inches
_COLOURS = ["#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#B279A2", "#FF9DA6", "#9D755D"]


def _values(v) -> list:
    if v is None:
        return []
    arr = np.asarray(v)
    if arr.dtype.kind == "M":  # datetime64 axis values: keep them dates, not nanosecond integers
        return list(pd.to_datetime(arr.ravel()))
    return list(arr.astype(object).ravel())


def _colour(value, fallback: str):
    """A Plotly colour ('#hex', 'rgb(...)', 'rgba(...)' or a name) as matplotlib understands it."""
    if not isinstance(value, str) or not value:
        return fallback
    match = re.fullmatch(r"rgba?\(([^)]*)\)", value.replace(" ", ""))
    if match:
        parts = [float(x) for x in match.group(1).split(",")]
        return tuple([c / 255 for c in parts[:3]] + parts[3:4])
    return value


def _text(value) -> str:
    text = getattr(value, "text", value)
    return "" if text is None else str(text)


def _as_dates_or_values(values: list) -> list:
    """Plotly accepts date strings on an axis; matplotlib wants datetimes."""
    if values and all(isinstance(v, str) for v in values):
        parsed = pd.to_datetime(pd.Series(values), errors="coerce")
        if parsed.notna().all():
            return list(parsed)
    return values


def _plain_number(value: float, _pos=None) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"


def draw_figure(fig, ax) -> None:
    """Redraw a Plotly figure's traces on a matplotlib axis (title and axis titles included).

    Scatter traces become lines and/or markers; ``fill='tonexty'`` bands are filled against the
    previous trace; bars keep their orientation; a heatmap becomes an image with its labels; a
    treemap becomes horizontal bars of its values. Other trace types are listed in the axis as
    "not drawn" rather than silently omitted.
    """
    previous: tuple[list, list] | None = None
    skipped = []
    bar_traces = [t for t in fig.data if t.type == "bar"]
    width = 0.8 / max(len(bar_traces), 1)
    for i, trace in enumerate(fig.data):
        colour = _COLOURS[i % len(_COLOURS)]
        if trace.type == "scatter":
            colour = _colour(trace.fillcolor if trace.fill else (trace.line.color or trace.marker.color), colour)
        elif trace.type == "bar":
            colour = _colour(trace.marker.color, colour)
        name = trace.name or None
        if trace.type == "scatter":
            x, y = _as_dates_or_values(_values(trace.x)), _values(trace.y)
            y = [np.nan if v is None else float(v) for v in y]
            if not x:
                x = list(range(len(y)))
            mode = trace.mode or "lines"
            if trace.fill in ("tonexty", "tozeroy") and len(x) == len(y):
                lower = previous[1] if trace.fill == "tonexty" and previous and len(previous[1]) == len(y) else [0.0] * len(y)
                ax.fill_between(x, lower, y, alpha=None if isinstance(colour, tuple) and len(colour) == 4 else 0.25, color=colour, label=name,
                                linewidth=0)
            elif trace.fill == "toself":
                ax.fill(x, y, alpha=0.2, color=colour, label=name)
            elif trace.line and trace.line.width == 0:
                pass  # an invisible edge of a band: only the fill drawn against it shows
            else:
                style = "--" if trace.line and trace.line.dash in ("dash", "dot") else "-"
                if "lines" in mode:
                    ax.plot(x, y, style, color=colour, label=name, marker="o" if "markers" in mode else None,
                            markersize=3)
                else:
                    ax.scatter(x, y, s=10, color=colour, label=name)
            previous = (x, y)
        elif trace.type == "bar":
            x, y = _values(trace.x), _values(trace.y)
            k = bar_traces.index(trace)
            if trace.orientation == "h":
                labels = [str(v) for v in y]
                pos = np.arange(len(labels)) + (k - (len(bar_traces) - 1) / 2) * width
                ax.barh(pos, [float(v) for v in x], height=width, color=colour, label=name)
                ax.set_yticks(np.arange(len(labels)), [textwrap.shorten(s, 40) for s in labels], fontsize=7)
            else:
                labels = [str(v) for v in x]
                pos = np.arange(len(labels)) + (k - (len(bar_traces) - 1) / 2) * width
                ax.bar(pos, [float(v) for v in y], width=width, color=colour, label=name)
                ax.set_xticks(np.arange(len(labels)), [textwrap.shorten(s, 20) for s in labels], fontsize=7,
                              rotation=30 if len(labels) > 8 else 0)
        elif trace.type == "heatmap":
            z = np.array(trace.z, dtype=float)
            image = ax.imshow(z, aspect="auto", cmap="Blues")
            ax.figure.colorbar(image, ax=ax, fraction=0.03)
            if trace.x is not None:
                ax.set_xticks(range(len(trace.x)), [str(v) for v in trace.x], fontsize=7, rotation=45)
            if trace.y is not None:
                ax.set_yticks(range(len(trace.y)), [str(v) for v in trace.y], fontsize=7)
        elif trace.type == "treemap":
            frame = pd.DataFrame({"label": _values(trace.labels), "value": [float(v) for v in _values(trace.values)]})
            frame = frame.sort_values("value", ascending=False).head(15)
            ax.barh(frame["label"].astype(str), frame["value"], color=colour)
            ax.invert_yaxis()
            ax.tick_params(axis="y", labelsize=7)
        else:
            skipped.append(trace.type)
    from matplotlib.ticker import FuncFormatter

    horizontal = any(t.type == "treemap" or (t.type == "bar" and t.orientation == "h") for t in fig.data)
    if not any(t.type == "heatmap" for t in fig.data):  # the value axis reads 2,000,000, not 2 with 1e6
        (ax.xaxis if horizontal else ax.yaxis).set_major_formatter(FuncFormatter(_plain_number))
    if fig.layout.yaxis.autorange == "reversed" and not ax.yaxis_inverted():
        ax.invert_yaxis()  # as Plotly shows it: first category on top
    ax.set_title(_text(fig.layout.title), fontsize=11, loc="left")
    ax.set_xlabel(_text(fig.layout.xaxis.title), fontsize=9)
    ax.set_ylabel(_text(fig.layout.yaxis.title), fontsize=9)
    ax.tick_params(labelsize=8)
    ax.grid(alpha=0.3)
    if any(t.name for t in fig.data) and len(fig.data) > 1:
        ax.legend(fontsize=7, loc="best")
    if skipped:
        ax.text(0.01, 0.01, "not drawn: " + ", ".join(sorted(set(skipped))), transform=ax.transAxes, fontsize=7,
                color="#888")


def _table_page(pdf, plt, title: str, frame: pd.DataFrame, note: str = "") -> None:
    fig = plt.figure(figsize=PAGE)
    fig.text(0.05, 0.93, title, fontsize=15, weight="bold")
    if note:
        fig.text(0.05, 0.885, textwrap.fill(note, 150), fontsize=9, va="top", color="#444")
    ax = fig.add_axes((0.05, 0.05, 0.9, 0.78))
    ax.axis("off")
    shown = frame.head(25).astype(str).map(lambda s: textwrap.shorten(s, 60))
    table = ax.table(cellText=shown.to_numpy(), colLabels=list(shown.columns), loc="upper left", cellLoc="left")
    table.auto_set_font_size(False)
    table.set_fontsize(8)
    table.scale(1, 1.3)
    table.auto_set_column_width(list(range(len(shown.columns))))
    pdf.savefig(fig)
    plt.close(fig)


def _chart_pages(pdf, plt, heading: str, figures: list) -> None:
    for start in range(0, len(figures), 2):
        pair = figures[start:start + 2]
        fig, axes = plt.subplots(len(pair), 1, figsize=PAGE, squeeze=False)
        fig.suptitle(heading, x=0.05, ha="left", fontsize=14, weight="bold")
        for plotly_fig, ax in zip(pair, axes[:, 0]):
            draw_figure(plotly_fig, ax)
        fig.tight_layout(rect=(0, 0, 1, 0.95))
        pdf.savefig(fig)
        plt.close(fig)


def build_pdf_report(*, title: str, dataset: dict, kpis: dict | None = None, charts: list | None = None,
                     segments: pd.DataFrame | None = None, leaderboard: pd.DataFrame | None = None,
                     model_charts: list | None = None, model_note: str = "",
                     sections: list[tuple[str, list, pd.DataFrame | None, str]] | None = None) -> bytes:
    """The report as PDF bytes (A4 landscape): a summary page, then charts and tables.

    Takes the same arguments as :func:`ecom_analytics.report.build_report`; ``sections`` adds
    further (heading, Plotly figures, optional table, note) blocks such as a forecast.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Title": title, "Creator": "Ecom Analytics"}) as pdf:
        page = plt.figure(figsize=PAGE)
        page.text(0.05, 0.92, title, fontsize=20, weight="bold")
        page.text(0.05, 0.875, f"Generated {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC by Ecom Analytics from "
                               f"{dataset['name']} ({dataset['kind']}, dataset id {dataset['dataset_id']}). "
                               "Amounts in the export's currency.", fontsize=9, color="#555")
        y = 0.78
        if kpis:
            items = [("Revenue", f"{kpis['revenue']:,.2f}"), ("Orders", f"{kpis['orders']:,}"),
                     ("Customers", f"{kpis['customers']:,}"), ("Average order value", f"{kpis['aov']:,.2f}"),
                     ("Repeat customers", f"{kpis['repeat_rate']:.1%}")]
            for i, (label, value) in enumerate(items):
                page.text(0.05 + i * 0.185, y, label, fontsize=9, color="#555")
                page.text(0.05 + i * 0.185, y - 0.05, value, fontsize=16, weight="bold")
            y -= 0.15
        rep = dataset["report"]["cleaning"]
        page.text(0.05, y, "Data cleaning", fontsize=13, weight="bold")
        page.text(0.05, y - 0.045, f"{rep['rows_in']:,} rows in = {rep['rows_clean']:,} kept + "
                                   f"{rep['rows_quarantined']:,} set aside; revenue {rep['revenue_in']:,.2f} in, "
                                   f"{rep['revenue_clean']:,.2f} kept. "
                                   f"{'Reconciled.' if rep.get('reconciles') else 'Does NOT reconcile.'}", fontsize=10)
        y -= 0.1
        for rule in rep.get("rules") or []:
            if y < 0.05:
                break
            page.text(0.07, y, f"{rule['rule']}: {rule['quarantined']:,} rows set aside "
                               f"({rule.get('revenue_quarantined', 0):,.2f} revenue). "
                               + textwrap.shorten(str(rule.get('description', '')), 110), fontsize=8.5)
            y -= 0.035
        pdf.savefig(page)
        plt.close(page)

        if charts:
            _chart_pages(pdf, plt, "Sales", list(charts))
        if segments is not None and len(segments):
            cols = ["segment", "customers", "customer_share", "revenue", "revenue_share", "median_recency_days",
                    "median_orders"]
            seg = segments[cols].copy()
            for col, fmt in {"customers": "{:,.0f}", "customer_share": "{:.1%}", "revenue": "{:,.0f}",
                             "revenue_share": "{:.1%}", "median_recency_days": "{:.0f}", "median_orders": "{:.0f}"}.items():
                seg[col] = seg[col].map(lambda v, f=fmt: "" if pd.isna(v) else f.format(v))
            _table_page(pdf, plt, "RFM segments", seg)
        if leaderboard is not None and len(leaderboard):
            metrics = [c for c in leaderboard.columns if c not in ("model", "label")]
            board = leaderboard[["label", *metrics]].rename(columns={"label": "model"}).copy()
            for m in metrics:
                board[m] = board[m].map(lambda v: "" if pd.isna(v) else f"{v:.4f}")
            _table_page(pdf, plt, "Prediction model", board, model_note)
            if model_charts:
                _chart_pages(pdf, plt, "Prediction model", list(model_charts))
        for heading, figures, table, note in sections or []:
            if table is not None and len(table):
                _table_page(pdf, plt, heading, table, note)
            if figures:
                _chart_pages(pdf, plt, heading, list(figures))
    return buffer.getvalue()
