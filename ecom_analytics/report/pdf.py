"""The report as a PDF: the same sections and charts as the HTML report, drawn with matplotlib.

The HTML report's charts are Plotly figures; a PDF of them would need a headless browser
(kaleido drives Chrome), which a self-hosted server may not have. Instead each Plotly figure is
redrawn from its own traces with matplotlib (lines, filled bands, markers, bars, heatmaps,
treemaps as bars), so the PDF needs nothing beyond the stack and shows the very numbers the
interactive charts show. Like the HTML report it holds aggregates only.

The report's words are in ``lang`` (English or Simplified Chinese, the same texts as the HTML
report). matplotlib's default font (DejaVu Sans) has no Chinese glyphs, so an installed CJK font
(Noto Sans CJK, Source Han Sans, WenQuanYi, Microsoft YaHei, PingFang...) is used first for a
Chinese report and as the fallback of an English one (a Chinese product name). Without any CJK font
(e.g. a bare CI machine) the PDF is still built, with the Chinese characters drawn as empty boxes;
install one (Debian/Ubuntu: ``fonts-noto-cjk``) to read them.
"""

from __future__ import annotations

import io
import logging
import os
import re
import textwrap
import threading
import unicodedata
import warnings
from functools import lru_cache

import numpy as np
import pandas as pd

from ecom_analytics.charts.common import is_dates
from ecom_analytics.i18n import normalise_language, translate
from ecom_analytics.report.html import (SEGMENT_FORMATS, cleaning_line, generated_line, heading, kpi_items,
                                   leaderboard_table, period_line, rules_table, segment_table, translate_columns)

log = logging.getLogger(__name__)
#: one PDF at a time: the fonts are set through matplotlib's process-wide rcParams (and warning
#: filters), which two reports in two languages built at once would otherwise swap under each other
_BUILDING = threading.Lock()

PAGE = (11.69, 8.27)  # A4 landscape, inches
_COLOURS = ["#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#B279A2", "#FF9DA6", "#9D755D"]
#: fonts with Simplified Chinese glyphs, by the family name matplotlib gives them, preferred first
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans SC", "WenQuanYi Zen Hei",
                "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "SimHei",
                "Droid Sans Fallback", "AR PL UMing CN", "Arial Unicode MS", "Noto Sans CJK JP", "Noto Sans CJK TC")
#: file names of such fonts, to find one installed after matplotlib built its font cache
_CJK_FILES = re.compile(r"notosanscjk|notosanssc|sourcehansans|wqy|wenquanyi|msyh|simhei|pingfang|"
                        r"hiragino|droidsansfallback|uming|arialuni", re.IGNORECASE)


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of an installed font with Chinese glyphs, or None when there is none.

    matplotlib knows the fonts of its font cache, which may predate a font installed later
    (``apt-get install fonts-noto-cjk``): then the system's font files are looked at and such a
    font is added for this process."""
    from matplotlib import font_manager

    def known() -> str | None:
        names = {f.name for f in font_manager.fontManager.ttflist}
        return next((name for name in CJK_FAMILIES if name in names), None)

    found = known()
    if found:
        return found
    try:
        paths = font_manager.findSystemFonts()
    except Exception:  # noqa: BLE001 - no font directory or no fc-list: no CJK font
        paths = []
    for path in sorted(p for p in paths if _CJK_FILES.search(os.path.basename(p))):
        try:
            font_manager.fontManager.addfont(path)
        except Exception:  # noqa: BLE001 - an unreadable font file: try the next one
            continue
    return known()


def _font_settings(lang: str) -> dict:
    """rcParams for the report's text: a CJK font first for Chinese, as the fallback otherwise."""
    import matplotlib

    cjk = cjk_font()
    if cjk is None:
        return {}
    default = [f for f in matplotlib.rcParams["font.sans-serif"] if f != cjk]
    families = [cjk, *default] if normalise_language(lang) == "zh" else [*default, cjk]
    return {"font.family": "sans-serif", "font.sans-serif": families}


def _width(text: str) -> int:
    """How many Latin letters wide ``text`` is: a Chinese character counts two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _shorten(text: str, width: int) -> str:
    """``text`` cut to about ``width`` Latin letters with "[...]" (English: as textwrap.shorten);
    text without spaces (Chinese) is cut by character rather than dropped whole."""
    if not any(_width(c) == 2 for c in text):
        short = textwrap.shorten(text, width)
        if short != "[...]" or not text.strip():
            return short
    elif _width(text) <= width:
        return text
    out, used = "", 0
    for c in text:
        if used + _width(c) > width - 1:
            break
        out += c
        used += _width(c)
    return out + "…"


_NO_LINE_START = set("，。、；：！？）》」』”’")  # Chinese punctuation that never starts a line


def _wrap(text: str, width: int) -> str:
    """``text`` on lines of about ``width`` Latin letters (English: as textwrap.fill); Chinese,
    written without spaces, breaks between any two Chinese characters, a Latin word stays whole."""
    if not any(_width(c) == 2 for c in text):
        return textwrap.fill(text, width)
    # a Chinese character, a run of other non-space characters (a word, a number) or a space
    tokens = re.findall(r"\s+|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+|\S", text)
    lines, line = [], ""
    for token in tokens:
        if line and _width(line + token.rstrip()) > width and token not in _NO_LINE_START:
            lines.append(line.rstrip())
            line = "" if token.isspace() else token
        else:
            line += " " if token.isspace() else token
    return "\n".join([*lines, line.rstrip()])


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


def draw_figure(fig, ax, lang: str = "en") -> None:
    """Redraw a Plotly figure's traces on a matplotlib axis (title and axis titles included).

    Scatter traces become lines and/or markers; ``fill='tonexty'`` bands are filled against the
    previous trace; bars keep their orientation; a heatmap becomes an image with its labels; a
    treemap becomes horizontal bars of its values. Other trace types are listed in the axis as
    "not drawn" (in ``lang``) rather than silently omitted.
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
                ax.set_yticks(np.arange(len(labels)), [_shorten(s, 40) for s in labels], fontsize=7)
            else:
                labels = [str(v) for v in x]
                pos = np.arange(len(labels)) + (k - (len(bar_traces) - 1) / 2) * width
                ax.bar(pos, [float(v) for v in y], width=width, color=colour, label=name)
                ax.set_xticks(np.arange(len(labels)), [_shorten(s, 20) for s in labels], fontsize=7,
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
    if normalise_language(lang) == "zh" and any(t.type == "scatter" and is_dates(t.x) for t in fig.data):
        ax.xaxis.set_major_formatter(FuncFormatter(_zh_date_tick(ax)))
    title = _text(fig.layout.title)
    if any(t.type == "treemap" for t in fig.data):  # drawn as bars: the treemap's "area = ..." would mislead
        title = translate("{name}: customers per segment (bar length)", lang,
                          name=title.split(":")[0].split("：")[0])
    ax.set_title(title, fontsize=11, loc="left")
    ax.set_xlabel(_text(fig.layout.xaxis.title), fontsize=9)
    ax.set_ylabel(_text(fig.layout.yaxis.title), fontsize=9)
    ax.tick_params(labelsize=8)
    ax.grid(alpha=0.3)
    if any(t.name for t in fig.data) and len(fig.data) > 1:
        ax.legend(fontsize=7, loc="best")
    if skipped:
        ax.text(0.01, 0.01, translate("not drawn: {types}", lang, types=", ".join(sorted(set(skipped)))),
                transform=ax.transAxes, fontsize=7, color="#888")


def _zh_date_tick(ax):
    """A tick formatter writing dates the Chinese way: 2011年3月, or 3月5日 on a span under 90 days."""
    import matplotlib.dates as mdates

    low, high = ax.get_xlim()
    short = high - low < 90  # matplotlib date numbers are days

    def tick(value, _pos=None) -> str:
        d = mdates.num2date(value)
        return f"{d.month}月{d.day}日" if short else f"{d.year}年{d.month}月"
    return tick


#: a table of at most this many rows shares its page with the section's first chart
SHORT_TABLE = 12


def _table_page(pdf, plt, title: str, frame: pd.DataFrame, note: str = "", lang: str = "en",
                chart=None) -> None:
    """A page with ``title``, ``note`` and the table; with ``chart`` (a Plotly figure, for a table
    of at most :data:`SHORT_TABLE` rows) the chart fills the lower half instead of blank paper."""
    fig = plt.figure(figsize=PAGE)
    fig.text(0.05, 0.93, title, fontsize=15, weight="bold")
    top = 0.83  # the table's top, below the note
    if note:
        wrapped = _wrap(note, 140)
        fig.text(0.05, 0.885, wrapped, fontsize=9, va="top", color="#444")
        top = min(top, 0.885 - 0.019 * (wrapped.count("\n") + 1) - 0.02)
    bottom = 0.05
    if chart is not None:
        rows = min(len(frame), 25) + 1
        bottom = max(0.5, top - 0.035 * rows - 0.02)  # the table's height at 8 pt, then the chart below
        chart_ax = fig.add_axes((0.08, 0.07, 0.86, bottom - 0.14))
        draw_figure(chart, chart_ax, lang)
    ax = fig.add_axes((0.05, bottom, 0.9, top - bottom))
    ax.axis("off")
    shown = translate_columns(frame.head(25).astype(str).map(lambda s: _shorten(s, 60)), lang)
    table = ax.table(cellText=shown.to_numpy(), colLabels=list(shown.columns), loc="upper left", cellLoc="left")
    table.auto_set_font_size(False)
    table.set_fontsize(8)
    table.scale(1, 1.3)
    table.auto_set_column_width(list(range(len(shown.columns))))
    pdf.savefig(fig)
    plt.close(fig)


def _chart_pages(pdf, plt, title: str, figures: list, lang: str = "en") -> None:
    for start in range(0, len(figures), 2):
        pair = figures[start:start + 2]
        fig, axes = plt.subplots(len(pair), 1, figsize=PAGE, squeeze=False)
        fig.suptitle(title, x=0.05, ha="left", fontsize=14, weight="bold")
        for plotly_fig, ax in zip(pair, axes[:, 0]):
            draw_figure(plotly_fig, ax, lang)
        fig.tight_layout(rect=(0, 0, 1, 0.95))
        pdf.savefig(fig)
        plt.close(fig)


def build_pdf_report(*, title: str, dataset: dict, kpis: dict | None = None, charts: list | None = None,
                     segments: pd.DataFrame | None = None, leaderboard: pd.DataFrame | None = None,
                     model_charts: list | None = None, model_note: str = "",
                     sections: list[tuple[str, list, pd.DataFrame | None, str]] | None = None,
                     lang: str = "en") -> bytes:
    """The report as PDF bytes (A4 landscape): a summary page, then charts and tables, its words in
    ``lang`` ("en" or "zh").

    Takes the same arguments as :func:`ecom_analytics.report.html.build_report`; ``sections`` adds
    further (heading, Plotly figures, optional table, note) blocks such as a forecast. Chinese
    text needs a CJK font (see :func:`cjk_font`); without one the PDF is built all the same, its
    Chinese characters drawn as boxes.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    lang = normalise_language(lang)
    with _BUILDING:
        fonts = _font_settings(lang)
        with matplotlib.rc_context(fonts), warnings.catch_warnings():
            if not fonts:
                if lang != "en":
                    log.warning("No font with Chinese glyphs found (install fonts-noto-cjk): the PDF shows boxes")
                warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)
            return _build(plt, lang, title=title, dataset=dataset, kpis=kpis, charts=charts, segments=segments,
                          leaderboard=leaderboard, model_charts=model_charts, model_note=model_note,
                          sections=sections)


def _build(plt, lang: str, *, title, dataset, kpis, charts, segments, leaderboard, model_charts, model_note,
           sections) -> bytes:
    from matplotlib.backends.backend_pdf import PdfPages

    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Title": title, "Creator": "Ecom Analytics"}) as pdf:
        page = plt.figure(figsize=PAGE)
        page.text(0.05, 0.92, title, fontsize=20, weight="bold")
        page.text(0.05, 0.875, generated_line(dataset, lang), fontsize=9, color="#555")
        if period_line(dataset, lang):  # one line, or two with the days the sales look at
            page.text(0.05, 0.853, _wrap(period_line(dataset, lang), 100), fontsize=11, weight="bold", va="top")
        y = 0.76
        if kpis:
            for i, (label, value) in enumerate(kpi_items(kpis, lang)):
                page.text(0.05 + i * 0.185, y, label, fontsize=9, color="#555")
                page.text(0.05 + i * 0.185, y - 0.05, value, fontsize=16, weight="bold")
            y -= 0.15
        rep = dataset["report"]["cleaning"]
        page.text(0.05, y, heading("Data cleaning", lang), fontsize=13, weight="bold")
        page.text(0.05, y - 0.045, cleaning_line(rep, lang), fontsize=10)
        y -= 0.1
        rules = rules_table(rep["rules"], lang).to_dict("records") if rep.get("rules") else []
        for rule in rules:
            if y < 0.05:
                break
            page.text(0.07, y, translate("{rule}: {n:,} rows set aside ({revenue:,.2f} revenue). {description}", lang,
                                         rule=rule["rule"], n=rule["quarantined"],
                                         revenue=rule.get("revenue_quarantined", 0),
                                         description=_shorten(str(rule.get("description", "")), 110)),
                      fontsize=8.5)
            y -= 0.035
        pdf.savefig(page)
        plt.close(page)

        # the segments' treemap goes with the segments' table (a bar per segment), the rest under Sales
        rfm_figures = [f for f in charts or [] if any(t.type == "treemap" for t in f.data)]
        sales_figures = [f for f in charts or [] if f not in rfm_figures]
        if sales_figures:
            _chart_pages(pdf, plt, heading("Sales", lang), sales_figures, lang)
        if segments is not None and len(segments):
            seg = segment_table(segments, lang)
            for col, fmt in {**SEGMENT_FORMATS, "customers": "{:,.0f}"}.items():
                seg[col] = seg[col].map(lambda v, f=fmt: "" if pd.isna(v) else f.format(v))
            _table_page(pdf, plt, heading("RFM segments", lang), seg, lang=lang,
                        chart=rfm_figures[0] if rfm_figures and len(seg) <= SHORT_TABLE else None)
        if leaderboard is not None and len(leaderboard):
            board, metrics = leaderboard_table(leaderboard, lang)
            for m in metrics:
                board[m] = board[m].map(lambda v: "" if pd.isna(v) else f"{v:.4f}")
            first = list(model_charts or [])[:1] if len(board) <= SHORT_TABLE else []
            _table_page(pdf, plt, heading("Prediction model", lang), board, model_note, lang,
                        chart=first[0] if first else None)
            rest = list(model_charts or [])[len(first):]
            if rest:
                _chart_pages(pdf, plt, heading("Prediction model", lang), rest, lang)
        for section_heading, figures, table, note in sections or []:
            figures = list(figures or [])
            if table is not None and len(table):
                first = figures[:1] if len(table) <= SHORT_TABLE else []
                _table_page(pdf, plt, section_heading, table, note, lang, chart=first[0] if first else None)
                figures = figures[len(first):]
            if figures:
                _chart_pages(pdf, plt, section_heading, figures, lang)
    return buffer.getvalue()
