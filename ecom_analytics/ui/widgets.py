"""Widgets used by several pages."""

from __future__ import annotations

import logging
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

import pandas as pd
import streamlit as st

from ecom_analytics.errors import InputError, NotFoundError
from ecom_analytics.ingest.currency import MIXED as MIXED_CURRENCIES
from ecom_analytics.ui import i18n, loaders, state
from ecom_analytics.ui.i18n import t, te

log = logging.getLogger("ecom_analytics.ui")

#: parameters of library notes that are English phrases of the library itself (what a column
#: means: "a customer id"), worded in the analyst's language with the note; other parameters are
#: names and numbers, shown as they are
PHRASE_PARAMS = ("meaning",)
#: a note's box and icon by its severity, and the colour of a short note (a caption under a widget)
NOTE_BOXES = {"info": (st.info, ":material/info:"), "warning": (st.warning, ":material/warning:"),
              "error": (st.error, ":material/error:")}
NOTE_TONES = {"info": "gray", "warning": "orange", "error": "red"}
SEVERITY_ORDER = ("info", "warning", "error")


def note_text(note) -> str:
    """A library note (:class:`ecom_analytics.runs.Note`) in the session's language: its code is
    the catalogue's message id, its params fill the template."""
    params = {k: t(v) if k in PHRASE_PARAMS and isinstance(v, str) else v for k, v in note.params.items()}
    return t(note.code, **params)


def note_tone(notes) -> str:
    """The colour of a group of notes shown together: that of the most severe one ("gray" for none)."""
    worst = max((SEVERITY_ORDER.index(n.severity) for n in notes if n.severity in SEVERITY_ORDER), default=0)
    return NOTE_TONES[SEVERITY_ORDER[worst]]


def show_note(note) -> None:
    """A library note in a box whose colour and icon follow its severity."""
    box, icon = NOTE_BOXES.get(note.severity, NOTE_BOXES["info"])
    box(note_text(note), icon=icon)


@contextmanager
def friendly_errors(action: str) -> Iterator[None]:
    """Show input problems as a sentence, and unexpected failures without a traceback."""
    try:
        yield
    except (InputError, NotFoundError) as exc:
        st.error(te(exc), icon=":material/error:")
    except MemoryError:
        st.error(t("{action} needs more memory than this server has. Split the file by date and try again.", action=action),
                 icon=":material/error:")
    except Exception as exc:  # noqa: BLE001 - the UI must never show a traceback
        log.error("%s failed:\n%s", action, traceback.format_exc())
        st.error(t("{action} failed unexpectedly ({error}). Your loaded data is unchanged; "
                   "the details are in the server log.", action=action, error=type(exc).__name__),
                 icon=":material/error:")


def require_dataset(kind: str, what: str) -> str | None:
    """The current dataset id of ``kind``, or an empty-state message pointing to the Data page."""
    dataset_id = state.current_id(kind)
    if dataset_id is None:
        st.info(t("No {kind} loaded yet.", kind=t(kind)) + " " + what, icon=":material/info:")
        col1, col2 = st.columns(2)
        col1.page_link("pages/data.py", label=t("Upload a file on the Data page"), icon=":material/upload_file:")
        col2.page_link("pages/home.py", label=t("Or try the sample data from Home"), icon=":material/home:")
        return None
    return dataset_id


def safe_text(text: object, *, html: bool = False) -> str:
    """``text`` (a file, dataset or product name) for st.markdown: Markdown characters escaped, and
    HTML characters too when ``html`` (markdown drawn with ``unsafe_allow_html``; elsewhere Streamlit
    shows HTML as text, and an entity such as ``&#x27;`` would be shown as it is)."""
    import html as html_module
    import re

    text = html_module.escape(str(text), quote=False) if html else str(text)  # quotes: no entity with a #
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~>])", r"\\\1", text)


def _dataset_info_or_none(kind: str, dataset_id: str) -> dict | None:
    """The catalogue entry of a current dataset, or None after saying in the sidebar why it cannot
    be shown (deleted: it is no longer current; the workspace busy or damaged: a sentence)."""
    try:
        return loaders.dataset_info(dataset_id)
    except NotFoundError:
        state.set_current(kind, None)
    except InputError as exc:
        st.caption(te(exc))
    except Exception as exc:  # noqa: BLE001 - a damaged catalogue entry must not take the page down
        log.error("reading dataset %s failed:\n%s", dataset_id, traceback.format_exc())
        st.caption(t("The {kind} dataset `{id}` cannot be read right now ({error}). Reopen it from the Workspace "
                     "page.", kind=t(kind), id=dataset_id, error=type(exc).__name__))
    return None


def require_rows(*dataset_ids: str | None) -> None:
    """Stop the page with a pointer to Data quality when a current dataset kept no rows (or with
    a sentence when it cannot be read right now)."""
    for dataset_id in dataset_ids:
        if not dataset_id:
            continue
        info = None
        with friendly_errors(t("Opening the data")):
            info = loaders.dataset_info(dataset_id)
        if info is None:
            st.stop()
        if int(info["rows_clean"]) == 0:
            st.warning(t("Every row of **{name}** was set aside by the cleaning rules, so there is nothing to "
                         "analyse. The Data quality page shows why.", name=info["name"]), icon=":material/warning:")
            st.page_link("pages/data_quality.py", label=t("Open Data quality"), icon=":material/rule:",
                         query_params=state.link_params())
            st.stop()


def money(value: float, currency: str = "") -> str:
    """A money amount with thousands separators and two decimals (no currency conversion)."""
    return i18n.money(value, currency)


def money_short(value: float, currency: str = "") -> str:
    """A money amount short enough for a metric tile: from 10,000 up no decimals (en) or 万/亿 (zh)."""
    return i18n.money_short(value, currency)


def lift_table(frame, binary: bool):
    """``frame`` (with lift, ci_low, ci_high) ready to show, and the column config of those three:
    percentage points for a 0/1 outcome (shares x 100, as the tiles and charts write them), the
    outcome's own units otherwise."""
    if not binary:
        return frame, {"lift": t("lift"), "ci_low": t("CI low"), "ci_high": t("CI high")}
    shown = frame.copy()
    shown[["lift", "ci_low", "ci_high"]] = shown[["lift", "ci_low", "ci_high"]] * 100
    points = {c: st.column_config.NumberColumn(t(label), format="%.2f")
              for c, label in (("lift", "lift (pts)"), ("ci_low", "CI low (pts)"), ("ci_high", "CI high (pts)"))}
    return shown, points


def sidebar_current_data() -> None:
    """The sidebar box naming the data this session works on."""
    with st.sidebar:
        st.caption(t("Current data"))
        any_data = False
        for kind in state.KINDS:
            dataset_id = state.current_id(kind)
            if not dataset_id:
                continue
            info = _dataset_info_or_none(kind, dataset_id)
            if info is None:
                continue
            any_data = True
            # the name comes from an uploaded file's name: escaped, so it cannot carry HTML into the page
            st.markdown(t("**{kind}**: {name}  \n<small>{rows:,} rows kept · id `{id}`</small>",
                          kind=t(kind.capitalize()), name=safe_text(info["name"], html=True), rows=int(info["rows_clean"]),
                          id=dataset_id), unsafe_allow_html=True)
        if not any_data:
            st.markdown(t("<small>Nothing loaded yet.</small>"), unsafe_allow_html=True)
        engine_box()
    events_period_box()


def engine_box() -> None:
    """Where the aggregates run, when it is not the default DuckDB: Spark and its master, or why the
    server's setting could not be followed."""
    from ecom_analytics import engine

    name, problem = engine.configured()
    if problem is not None:
        st.warning(t(problem[0], **problem[1]))
    elif name == "spark":
        st.caption(t("Aggregates run on Spark ({master}).", master=engine.spark_master()))


# Orders and events of different periods are never combined silently (issue 14): when making one of
# them current leaves the two sharing no day, the events are detached (kept aside in the session, one
# click from being attached again) and a warning says so; the sidebar can detach and attach them at
# any time. Links still carry only the ids of what is current.
DETACHED_EVENTS = "detached_events"  # session state: {"events_id": id, "reason": "periods" | "analyst"}
PERIODS_FLASH = "periods_flash"  # session state: {"orders_id", "events_id"}: a warning for the next run


def period_overlap(orders_id: str | None, events_id: str | None):
    """How the periods of two stored datasets overlap (ecom_analytics.insights.periods.PeriodOverlap), or None
    when one is missing or has no readable dates (never raises: a check must not break a page)."""
    from ecom_analytics.insights.periods import compare_periods

    if not orders_id or not events_id:
        return None
    try:
        first, second = loaders.dataset_period(orders_id), loaders.dataset_period(events_id)
    except Exception:  # noqa: BLE001 - e.g. a dataset deleted meanwhile: no check, the page goes on
        log.error("Comparing the periods of %s and %s failed:\n%s", orders_id, events_id, traceback.format_exc())
        return None
    return compare_periods(first, second) if first is not None and second is not None else None


def make_current(kind: str, dataset_id: str | None) -> None:
    """Make ``dataset_id`` the current dataset of ``kind`` (as ``state.set_current``), keeping orders
    and events of different periods apart: when the current orders and events then share no day, the
    events are detached and a warning shows on the next run with an "Attach anyway" button; a partial
    overlap stays attached and the warning names both periods. Call it, then rerun or switch page."""
    state.set_current(kind, dataset_id)
    if kind not in ("orders", "events"):
        return
    if kind == "events":
        st.session_state.pop(DETACHED_EVENTS, None)
    orders_id, events_id = state.current_id("orders"), state.current_id("events")
    overlap = period_overlap(orders_id, events_id)
    if overlap is None or overlap.level == "full":
        return
    if not overlap.combine_by_default:
        state.set_current("events", None)
        st.session_state[DETACHED_EVENTS] = {"events_id": events_id, "reason": "periods"}
    st.session_state[PERIODS_FLASH] = {"orders_id": orders_id, "events_id": events_id}


def detach_events() -> None:
    """Set the current events aside (the analyst's choice); :func:`attach_events` brings them back."""
    events_id = state.current_id("events")
    if events_id:
        state.set_current("events", None)
        st.session_state[DETACHED_EVENTS] = {"events_id": events_id, "reason": "analyst"}
    st.session_state.pop(PERIODS_FLASH, None)


def attach_events() -> None:
    """Make the detached events current again, whatever their period (the analyst asked for it)."""
    detached = st.session_state.pop(DETACHED_EVENTS, None)
    st.session_state.pop(PERIODS_FLASH, None)
    if detached:
        state.set_current("events", detached["events_id"])


def _period_words(start: str, end: str) -> str:
    return t("{start} to {end}", start=i18n.date(start), end=i18n.date(end))


def _overlap_words(overlap, orders_name: str, events_name: str) -> str:
    """The warning for orders and events that share no day or only part of their periods."""
    _, params, _ = overlap.note()
    orders_period = _period_words(params["first_start"], params["first_end"])
    events_period = _period_words(params["second_start"], params["second_end"])
    if overlap.level == "none":
        return t("The events **{events}** ({events_period}) share no day with the orders **{orders}** "
                 "({orders_period}).", events=events_name, events_period=events_period, orders=orders_name,
                 orders_period=orders_period)
    return t("The orders **{orders}** ({orders_period}) and the events **{events}** ({events_period}) overlap only "
             "from {start} to {end} ({days:,} days).", orders=orders_name, orders_period=orders_period,
             events=events_name, events_period=events_period, start=i18n.date(params["shared_start"]),
             end=i18n.date(params["shared_end"]), days=params["shared_days"])


def _dataset_name(dataset_id: str) -> str | None:
    try:
        return loaders.dataset_info(dataset_id)["name"]
    except NotFoundError:
        return None


def events_period_box() -> None:
    """Under the sidebar's current data: detach or attach the events, and say when orders and events
    cover different periods. After :func:`make_current` detached events (or warned of a partial
    overlap), the warning also shows once at the top of the page, with "Attach anyway"."""
    orders_id, events_id = state.current_id("orders"), state.current_id("events")
    flash = st.session_state.pop(PERIODS_FLASH, None)
    detached = st.session_state.get(DETACHED_EVENTS)
    if events_id:
        st.session_state.pop(DETACHED_EVENTS, None)
        detached = None
    if flash and flash.get("orders_id") == orders_id:
        overlap = period_overlap(orders_id, flash["events_id"])
        names = _dataset_name(orders_id), _dataset_name(flash["events_id"])
        if overlap is not None and overlap.level != "full" and None not in names:
            if overlap.level == "none":
                st.warning(_overlap_words(overlap, *names) + " " + t(
                    "So they are not used together: the events are detached (no funnel; features and models use the "
                    "orders alone). Attach them anyway if they belong together; the sidebar can detach or attach "
                    "them at any time."), icon=":material/event_busy:")
                st.button(t("Attach anyway"), key="periods_attach_flash", icon=":material/link:",
                          on_click=attach_events)
            else:
                st.warning(_overlap_words(overlap, *names) + " " + t(
                    "They stay attached: features and models that use both have events for only part of the orders' "
                    "period. Detach the events in the sidebar if they belong to another period."), icon=":material/date_range:")
    with st.sidebar:
        if events_id and orders_id:
            overlap = period_overlap(orders_id, events_id)
            if overlap is not None and overlap.level == "none":
                st.warning(t("Orders ({orders_period}) and events ({events_period}) share no day, yet both are used: "
                             "the events were attached by choice or by a link.",
                             orders_period=_period_words(str(overlap.first.start), str(overlap.first.end)),
                             events_period=_period_words(str(overlap.second.start), str(overlap.second.end))),
                           icon=":material/event_busy:")
            elif overlap is not None and overlap.level == "partial":
                st.caption(t(":orange[Orders and events overlap only {days:,} days.]", days=overlap.shared_days))
            st.button(t("Detach events"), key="periods_detach", icon=":material/link_off:", on_click=detach_events,
                      help=t("Use the orders without these events; the events stay one click away."))
        elif detached and not events_id:
            name = _dataset_name(detached["events_id"])
            if name is None:  # deleted meanwhile
                st.session_state.pop(DETACHED_EVENTS, None)
                return
            overlap = period_overlap(orders_id, detached["events_id"])
            apart = overlap is not None and overlap.level == "none"
            st.markdown(t("**Events** (detached): {name}  \n<small>{why}</small>", name=name,
                          why=t("no day in common with the current orders") if apart
                          else t("detached by you") if detached.get("reason") == "analyst"
                          else t("detached from orders of another period")),
                        unsafe_allow_html=True)
            st.button(t("Attach anyway") if apart else t("Attach events"), key="periods_attach",
                      icon=":material/link:", on_click=attach_events,
                      help=t("Use these events with the current orders again."))


def share_link(slot) -> None:
    """Fill ``slot`` (a sidebar placeholder) with a copyable link to the current view.

    The link is the page's URL with its query parameters: dataset and run ids and view
    settings only, never data values or personal data.
    """
    from urllib.parse import urlencode

    base = st.context.url
    if not base:
        return
    # every value of a repeated key (a multiselect writes one per choice; to_dict keeps only the last)
    # option widgets keep codes in the URL (ui.i18n.linked), the same in every language
    params = [(key, value) for key in st.query_params for value in st.query_params.get_all(key)]
    link = base + ("?" + urlencode(params) if params else "")
    with slot.container():
        st.caption(t("Share this view (copy the link)"))
        st.code(link, language=None, wrap_lines=True)


def run_labels(runs) -> dict[str, str]:
    """run_id -> "purchase · H = 7 days · best Gradient boosting · trained 2026-11-29 10:20 UTC"."""
    from ecom_analytics.predict.training import MODEL_LABELS

    return {r.run_id: t("{task} · H = {h} days · best {model} · trained {created} UTC", task=t(r.task),
                        h=r.horizon_days, model=t(MODEL_LABELS.get(r.best_model, r.best_model)),
                        created=r.created[:16].replace("T", " ")) for r in runs.itertuples()}


def pick_run(why: str, key: str):
    """Choose a trained run of the current datasets (the URL's ``run`` first).

    Returns ``(runs, run_id, stored run)``, or stops the page with an empty state pointing to
    the Model page when nothing is trained yet.
    """
    ids = [state.current_id(k) for k in ("orders", "events", "customers")]
    if not ids[0] and not ids[1]:
        require_dataset("orders", why)
        st.stop()
    runs = loaders.runs_for(*ids)
    if runs.empty:
        st.info(t("No model is trained on the current data yet."), icon=":material/model_training:")
        st.page_link("pages/model.py", label=t("Train one on the Model page"), icon=":material/model_training:")
        st.stop()
    options = list(runs["run_id"])
    wanted = st.query_params.get("run")
    run_id = st.selectbox(t("Trained model"), options, index=options.index(wanted) if wanted in options else 0,
                          format_func=run_labels(runs).get, key=i18n.translated_options(key))
    st.query_params["run"] = run_id
    stored = None
    with friendly_errors(t("Opening the trained model")):
        stored = loaders.stored_run(run_id)
    if stored is None:
        st.stop()
    return runs, run_id, stored


def merchandise_toggle(fees: pd.DataFrame, key: str) -> bool:
    """The switch that leaves postage, fees and adjustments out of a product view (on by default),
    with the codes it leaves out; False (and nothing drawn) when the data have none."""
    if fees.empty:
        return False
    listed = ", ".join(f"{name} ({code})" if isinstance(name, str) and name and name != code else str(code)
                       for code, name in zip(fees["product_id"].head(8), fees["product_name"].head(8)))
    more = t(" and {n} more", n=len(fees) - 8) if len(fees) > 8 else ""
    on = st.toggle(t("Leave out postage, fees and adjustments"), value=True, key=key, bind="query-params",
                   help=t("Lines such as postage, bank charges or manual adjustments are booked as products but are "
                          "not merchandise. Their revenue stays in every total; only product views leave them out."))
    st.caption((t("Left out: {products}{more}.", products=safe_text(listed), more=more) if on else
                t("Included: {products}{more}.", products=safe_text(listed), more=more)))
    return on


def currency_of(dataset_id: str | None) -> str:
    """The symbol money figures of this dataset carry ("£", "€", "CHF "), or "" when its export named
    no single currency (see ecom_analytics.ingest.currency)."""
    if not dataset_id:
        return ""
    try:
        info = loaders.dataset_info(dataset_id)
    except Exception:  # noqa: BLE001 - the page that shows the dataset says why it cannot be read
        return ""
    found = ((info or {}).get("report") or {}).get("currency") or {}
    return found.get("symbol") or ""


def currency_note(report: dict) -> None:
    """Under a dataset's figures: which currency its money is in and how that was found, or a
    warning when the amounts mix currencies (totals then add them unconverted)."""
    found = report.get("currency") or {}
    listed = t(", ").join(f"{c['currency']} {i18n.percent(c['share'], 0)}" for c in found.get("currencies", []))
    if found.get("symbol") is None and len(found.get("currencies", [])) > 1:
        st.warning(t(MIXED_CURRENCIES, listed=listed),
                   icon=":material/currency_exchange:")
    elif found.get("source") == "column":
        st.caption(t("Money is in **{code}**, from the column {column}.", code=found["code"], column=found["column"]))
    elif found.get("source") == "symbol":
        st.caption(t("Money is in **{symbol}** ({code}), from the symbols written beside the amounts.",
                     symbol=found["symbol"].strip(), code=found.get("code") or t("currency not named")))
    elif "currency" in report:
        st.caption(t("The export names no currency (no symbol beside the amounts, no currency column): money is "
                     "shown without one."))


COMPARE_LABELS = {"none": "No comparison", "previous": "The period before", "last_year": "The same dates a year earlier"}


def period_box(first, last) -> tuple:
    """The sidebar's period: the days to look at (within the data's ``first`` and ``last`` day,
    all of them by default) and what to compare them with. Kept in the URL (from, to, vs) and
    followed by the pages that draw this box. Returns ``(start, end, comparison)`` as dates and a
    code of :data:`ecom_analytics.insights.periods.COMPARISONS`."""
    import datetime as dt

    first, last = pd.Timestamp(first).date(), pd.Timestamp(last).date()
    start = dt.date.fromisoformat(st.session_state["period_from"]) if st.session_state.get("period_from") else first
    end = dt.date.fromisoformat(st.session_state["period_to"]) if st.session_state.get("period_to") else last
    if start > end:  # a link with its ends swapped
        start, end = end, start
    if start > last or end < first:  # a link made on other data: no day of it is in these
        with st.sidebar:
            st.warning(t("The link's period, {start} to {end}, has no day in these data ({first} to {last}): all "
                         "their days are shown.", start=i18n.date(start), end=i18n.date(end), first=i18n.date(first),
                         last=i18n.date(last)), icon=":material/date_range:")
        start, end = first, last
    start, end = max(first, min(start, last)), min(last, max(end, first))
    if st.session_state.get("_period_days") is None or st.session_state.get("_period_bounds") != (first, last):
        st.session_state["_period_days"] = (start, end)
        st.session_state["_period_bounds"] = (first, last)
    with st.sidebar:
        st.caption(t("Period"))
        days = st.date_input(t("Days"), min_value=first, max_value=last, key="_period_days", format="YYYY-MM-DD",
                             label_visibility="collapsed")
        vs = st.selectbox(t("Compare with"), list(COMPARE_LABELS), key="_period_vs",
                          index=list(COMPARE_LABELS).index(st.session_state.get("period_vs") or "none"),
                          format_func={c: t(label) for c, label in COMPARE_LABELS.items()}.get)
    if isinstance(days, (tuple, list)) and len(days) == 2:
        start, end = days
    whole = start == first and end == last
    st.session_state["period_from"] = None if whole else start.isoformat()
    st.session_state["period_to"] = None if whole else end.isoformat()
    st.session_state["period_vs"] = None if vs == "none" else vs
    state.sync_to_url()
    return start, end, vs


@dataclass(frozen=True)
class ChosenPeriod:
    """The sidebar's period as a page uses it: ``start``/``end`` (dates, both included), ``since``/
    ``until`` (the same as ISO days for the loaders, None where the period reaches the data's own
    first or last day, so the whole data is not cut), ``vs`` (a comparison code) and ``against``
    (the days compared with, or None)."""

    start: object
    end: object
    vs: str
    since: str | None
    until: str | None
    against: tuple | None

    @property
    def whole(self) -> bool:
        return self.since is None and self.until is None

    def against_iso(self) -> tuple[str, str] | None:
        return None if self.against is None else (self.against[0].isoformat(), self.against[1].isoformat())


def chosen_period(first, last) -> ChosenPeriod:
    """Draw the sidebar's period (:func:`period_box`) for data from ``first`` to ``last`` and return it."""
    from ecom_analytics.insights.periods import comparison_period

    start, end, vs = period_box(first, last)
    return ChosenPeriod(start, end, vs,
                        None if start == pd.Timestamp(first).date() else start.isoformat(),
                        None if end == pd.Timestamp(last).date() else end.isoformat(),
                        comparison_period(start, end, vs))


#: the pages that look at the sidebar's period (the others use all the data, and say so when a period is set)
PERIOD_PAGES = ("Overview", "Products", "Segments", "Cohorts & funnel", "Report")


def period_not_followed(why: str) -> None:
    """On a page that does not cut its data to the sidebar's period: when a period is set (by a link
    or on another page), say in the sidebar that this page uses all the data, and why."""
    since, until = st.session_state.get("period_from"), st.session_state.get("period_to")
    if not since and not until:
        return
    with st.sidebar:
        st.caption(t("Period {start} to {end}: followed by {pages}. This page uses all the data: {why}",
                     start=i18n.date(pd.Timestamp(since)) if since else "…",
                     end=i18n.date(pd.Timestamp(until)) if until else "…",
                     pages=t(", ").join(t(p) for p in PERIOD_PAGES), why=why))
