"""The Overview's "What changed": the last complete period against its backtested interval, and its drivers."""

from __future__ import annotations

import streamlit as st

from ecom_analytics.forecasting.changes import BASELINE
from ecom_analytics.errors import InputError
from ecom_analytics.forecasting.notes import NoteError
from ecom_analytics.ui import i18n, loaders, widgets
from ecom_analytics.ui.forecast_cache import say
from ecom_analytics.ui.i18n import t

UNITS = {"day": "days", "week": "weeks", "month": "months"}
PERIOD_OF = {"day": "On {date}", "week": "In the week of {date}", "month": "In the month of {date}"}


def show(orders_id: str, include_anonymous: bool, freq: str, measure: str, symbol: str) -> None:
    """Draw the verdict on the last complete ``freq`` period of ``measure`` (revenue or orders)."""
    try:
        with st.spinner(t("Checking the last complete period against its forecast…")):
            change = loaders.what_changed(orders_id, include_anonymous, freq, measure)
    except NoteError as exc:  # a history too short: said in the analyst's language from its code
        st.caption(say(exc.note))
        return
    except InputError as exc:
        st.caption(t(str(exc)))
        return
    amount = (lambda v: widgets.money(v, symbol)) if measure == "revenue" else (lambda v: f"{v:,.0f}")
    when = t(PERIOD_OF[freq], date=i18n.date(change.period))
    what = t("revenue") if measure == "revenue" else t("orders")
    interval = t("the expected {low} – {high} (95 % interval of a forecast backtested on the {windows} {unit} "
                 "before it)", low=amount(change.low), high=amount(change.high), windows=change.windows,
                 unit=t(UNITS[freq]))
    if change.status == "within":
        st.caption(t("**What changed**: {when}, {what} was {actual}, within {interval}: nothing unusual.",
                     when=when, what=what, actual=amount(change.actual), interval=interval))
        return
    verdict = t("above") if change.status == "above" else t("below")
    lines = [t("**What changed**: {when}, {what} was {actual}, {verdict} {interval}.", when=when, what=what,
               actual=amount(change.actual), verdict=verdict, interval=interval)]
    for d in change.drivers:
        share = t(", {share:.0%} of the move", share=abs(d.share)) if d.share is not None else ""
        lines.append(t("- {name} ({dimension}): {value} against {baseline} on average over the {n} {unit} before "
                       "({change}{share}).", name=widgets.safe_text(d.name), dimension=t(d.dimension),
                       value=amount(d.value), baseline=amount(d.baseline), n=BASELINE, unit=t(UNITS[freq]),
                       change=("+" if d.change > 0 else "−") + amount(abs(d.change)), share=share))
    st.warning("  \n".join(lines), icon=":material/troubleshoot:")
