"""The Overview's "What changed": the last complete period against its backtested interval, and its drivers."""

from __future__ import annotations

import streamlit as st

from ecom_analytics.forecasting.changes import BASELINE
from ecom_analytics.errors import InputError
from ecom_analytics.forecasting.notes import NoteError
from ecom_analytics.runs import Note
from ecom_analytics.ui import i18n, loaders, widgets
from ecom_analytics.ui.forecast_cache import say
from ecom_analytics.ui.i18n import t, te

UNITS = {"day": "days", "week": "weeks", "month": "months"}
PERIOD_OF = {"day": "On {date}", "week": "In the week of {date}", "month": "In the month of {date}"}


def show(orders_id: str, include_anonymous: bool, freq: str, measure: str, symbol: str,
         customers: frozenset[str] | None = None) -> None:
    """Draw the verdict on the last complete ``freq`` period of ``measure`` (revenue or orders), of the
    ``customers`` only when given (a saved segment's)."""
    try:
        with st.spinner(t("Checking the last complete period against its forecast…")):
            change = loaders.what_changed(orders_id, include_anonymous, freq, measure, customers)
    except NoteError as exc:  # a history too short: said in the analyst's language from its code
        st.caption(say(exc.note))
        return
    except InputError as exc:
        st.caption(te(exc))
        return
    amount = (lambda v: widgets.money(v, symbol)) if measure == "revenue" else (lambda v: i18n.number(v))
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


@st.cache_data(show_spinner=False, max_entries=8)
def funnel_change(events_id: str, orders_id: str | None, freq: str):
    """The funnel's last complete ``freq`` period against its backtested interval (see
    ecom_analytics.forecasting.changes.funnel_changed), with each user's country and RFM segment and the
    product names taken from the current orders when there are some."""
    from ecom_analytics.forecasting.changes import funnel_changed

    attributes, names = {}, None
    if orders_id:
        orders = loaders.clean_rows(orders_id)
        known = orders.dropna(subset=["customer_id"])
        if "country" in known.columns and known["country"].notna().any():
            pairs = known.dropna(subset=["country"]).groupby(["customer_id", "country"], observed=True).size()
            top = pairs.sort_values(ascending=False, kind="stable").reset_index().drop_duplicates("customer_id")
            attributes["country"] = top.set_index("customer_id")["country"].astype("string")
        attributes["segment"] = loaders.segments_at_end(orders_id).astype("string")
        if "product_name" in orders.columns and "product_id" in orders.columns:
            named = orders.dropna(subset=["product_id", "product_name"])
            counts = named.groupby(["product_id", "product_name"], observed=True).size().sort_values(
                ascending=False, kind="stable").reset_index().drop_duplicates("product_id")
            names = counts.set_index("product_id")["product_name"]
    return funnel_changed(loaders.clean_rows(events_id), freq, attributes, names)


def show_funnel(events_id: str, orders_id: str | None, freq: str) -> None:
    """Draw the verdict on the funnel's step rates in the last complete ``freq`` period: a warning with the
    groups that moved a step outside its interval, else one line per step."""
    from ecom_analytics.forecasting.changes import FUNNEL_DRIVER_DOWN, FUNNEL_DRIVER_UP, funnel_words

    lang = i18n.current_language()
    try:
        with st.spinner(t("Checking the funnel's last complete period against its forecast…")):
            change = funnel_change(events_id, orders_id, freq)
    except NoteError as exc:
        st.caption(say(funnel_words(exc.note, lang)))
        return
    except InputError as exc:
        st.caption(te(exc))
        return
    lines, outside = [], False
    for note in change.notes():
        if note.code in (FUNNEL_DRIVER_DOWN, FUNNEL_DRIVER_UP):  # a group that moved the step: under it
            name = note.params["name"]
            params = {**note.params, "name": widgets.safe_text(name) if isinstance(name, str) else name}
            lines.append("- " + say(funnel_words(Note(note.code, params, note.severity), lang)))
        else:
            text = say(funnel_words(note, lang))
            outside = outside or note.severity == "warning"
            lines.append(text)
    head = t("**What changed in the funnel**")
    if outside:
        st.warning("  \n".join([head, *lines]), icon=":material/troubleshoot:")
    else:
        st.caption("  \n".join([head, *lines]))
