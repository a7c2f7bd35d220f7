"""What every chart shares: the palette and layout, the finishing touch (title, legend, height) and
dates and numbers written the way the analyst's language writes them, and a chart's words (given by the
page in the analyst's language, or the English defaults translated for the report)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

import numpy as np
import plotly.express as px
import plotly.graph_objects as go

from ecom_analytics.i18n import normalise_language, translate

PALETTE = px.colors.qualitative.Safe
_LAYOUT = dict(margin=dict(l=10, r=10, t=40, b=10), template="plotly_white", hovermode="x unified",
               legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="right", x=1))


# Plotly writes dates in English ("Jan 2011"); in Chinese the ticks follow the zoom level in
# Chinese date order (d3 time formats; "%-m" drops the leading zero)
_ZH_DATE_TICKS = [
    dict(dtickrange=[None, 86_400_000], value="%-m月%-d日 %H:%M"),
    dict(dtickrange=[86_400_000, "M1"], value="%-m月%-d日"),
    dict(dtickrange=["M1", "M12"], value="%Y年%-m月"),
    dict(dtickrange=["M12", None], value="%Y年"),
]


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$")


def is_dates(values) -> bool:
    """Whether a trace's x or y values are dates (datetime64, Timestamps, dates or ISO date strings)."""
    if values is None:
        return False
    array = np.asarray(values)
    if array.size == 0:
        return False
    if np.issubdtype(array.dtype, np.datetime64):
        return True
    first = next((v for v in array.ravel()[:50] if v is not None and not (isinstance(v, float) and np.isnan(v))), None)
    if isinstance(first, (dt.date, np.datetime64)):
        return True
    return isinstance(first, str) and bool(_ISO_DATE.match(first))


def localise_dates(fig: go.Figure, lang: str = "en") -> go.Figure:
    """Date axes of ``fig`` written the way ``lang`` writes dates (English: Plotly's own ticks)."""
    if normalise_language(lang) != "zh":
        return fig
    axes = set()
    for trace in fig.data:
        for letter in ("x", "y"):
            if is_dates(getattr(trace, letter, None)):
                ref = getattr(trace, f"{letter}axis", None) or letter
                axes.add(f"{letter}axis{ref[1:]}")
    for axis in sorted(axes):
        fig.layout[axis].update(tickformatstops=_ZH_DATE_TICKS, hoverformat="%Y年%-m月%-d日")
    for trace in fig.data:
        template = getattr(trace, "hovertemplate", None)
        if isinstance(template, str) and "|%Y-%m-%d}" in template:
            trace.hovertemplate = template.replace("|%Y-%m-%d}", "|%Y年%-m月%-d日}")
    return fig


def localise_numbers(fig: go.Figure, lang: str = "en") -> go.Figure:
    """Numeric axes of ``fig`` written the way ``lang`` writes numbers: in Chinese in full with
    thousands separators (1,200,000), not with Plotly's English k/M/G suffixes. Axes with their own
    tick format (percentages) keep it; date and category axes ignore these settings."""
    if normalise_language(lang) != "zh":
        return fig
    for axis in [name for name in fig.layout if name.startswith(("xaxis", "yaxis"))]:
        fig.layout[axis].update(exponentformat="none", separatethousands=True)
    # 40,000 is wider than 40k: an x axis of such numbers gets fewer ticks, which then stay upright
    # (small numbers such as deciles or months keep every tick)
    for trace in fig.data:
        values = getattr(trace, "x", None)
        array = np.asarray(values) if values is not None else np.array([])
        if array.size and np.issubdtype(array.dtype, np.number) and np.nanmax(np.abs(array)) >= 10_000:
            ref = getattr(trace, "xaxis", None) or "x"
            fig.layout[f"xaxis{ref[1:]}"].update(nticks=4)
    return fig


#: a legend of this many entries or more goes below the axes: at the top it wraps into the title
LEGEND_BELOW_FROM = 3


def finish(fig: go.Figure, title: str, height: int = 360, lang: str = "en") -> go.Figure:
    """``fig`` with its title, the shared layout, the legend placed by its size, and localised axes."""
    fig.update_layout(title=dict(text=title, x=0, xanchor="left"), height=height, **_LAYOUT)
    entries = [t for t in fig.data if t.name and t.showlegend is not False]
    if len(entries) >= LEGEND_BELOW_FROM:
        # at the foot of the figure, in a bottom margin that leaves the tick labels and the axis
        # title above it (pixels, not a share of a plot area that the legend itself would shrink)
        below = 80 if fig.layout.xaxis.title.text else 55
        fig.update_layout(height=height + below, margin=dict(b=below),
                          legend=dict(orientation="h", x=0, xanchor="left", yref="container", y=0, yanchor="bottom"))
    return localise_numbers(localise_dates(fig, lang), lang)


def chart_words(defaults: Mapping[str, str], text: Mapping[str, str] | None, lang: str = "en") -> dict[str, str]:
    """A chart's words: ``text`` (passed by the page, already in the analyst's language) over the English
    ``defaults``; without it, the defaults through the catalogue of ``lang`` (the report's sections)."""
    if text is not None:
        return {**defaults, **text}
    return {key: translate(value, lang) for key, value in defaults.items()}


def names_for(given: Mapping[str, str] | None, codes, lang: str = "en") -> Mapping[str, str]:
    """Labels of codes known only with the data (event types, segments): ``given`` by the page, else
    each code through the catalogue of ``lang``."""
    return given if given is not None else {code: translate(str(code), lang) for code in codes}
