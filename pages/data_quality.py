"""Data quality: what the cleaning kept, set aside and flagged, reconciled, with the quarantine."""

import math
from functools import partial

import pandas as pd
import streamlit as st

from ecom_analytics.charts import insights as charts
from ecom_analytics.exports import csv_bytes
from ecom_analytics.ingest import pipeline
from ecom_analytics.ui import i18n, loaders, state, tables_view, widgets
from ecom_analytics.ui.i18n import chart_text, linked, t
from ecom_analytics.ui.router import page_guard
from ecom_analytics.ui.downloads import download

page_guard()
widgets.period_not_followed(t("cleaning is checked on every line of the file."))
lang = i18n.current_language()
CHART_TEXT = chart_text(charts.INSIGHTS_TEXT)  # the charts' words in the analyst's language

st.title(t("Data quality"))
st.caption(t("Every row of the file is accounted for: kept, or set aside in the quarantine with the first "
             "rule it failed. Flagged rows stay in the analysis."))

available = [k for k in ("orders", "events") if state.current_id(k)]
if not available:
    widgets.require_dataset("orders", t("Load a file to see its cleaning report."))
    st.stop()
kind = st.segmented_control(t("Dataset"), available, default=available[0],
                            **linked("dq_kind", {k: k.capitalize() for k in available})) or available[0]
dataset_id = state.current_id(kind)
info = None
with widgets.friendly_errors(t("Opening the cleaning report")):
    info = loaders.dataset_info(dataset_id)
if info is None:
    st.stop()
report = info["report"]
symbol = widgets.currency_of(dataset_id)
rep = report["cleaning"]
joined = report.get("tables")  # several related tables joined into one (issue #16)
if joined:
    st.markdown(t("**{name}** · {kind} · joined from {n} files · id `{id}`", name=tables_view.md_text(info["name"]),
                  kind=t(kind), n=len(joined["files"]), id=dataset_id))
else:
    st.markdown(t("**{name}** · {kind} · read as {format}, {encoding} · id `{id}`", name=info["name"], kind=t(kind),
                  format=report["reader"]["format"].upper(), encoding=report["reader"]["encoding"] or t("binary"),
                  id=dataset_id))

c = st.columns(5)
c[0].metric(t("Rows in"), i18n.number(rep["rows_in"]))
c[1].metric(t("Rows kept"), i18n.number(rep["rows_clean"]), help=t("Rows used by every analysis"))
c[2].metric(t("Rows set aside"), i18n.number(rep["rows_quarantined"]),
            help=t("{share:.1%} of the rows in the file", share=rep["rows_quarantined"] / max(1, rep["rows_in"])))
orders = kind == "orders"
c[3].metric(t("Revenue in") if orders else t("Purchase value in"), widgets.money_short(rep["revenue_in"], symbol),
            help=t("{amount}: every line of the file, returns counted negative", amount=widgets.money(rep["revenue_in"], symbol)))
c[4].metric(t("Revenue kept") if orders else t("Purchase value kept"), widgets.money_short(rep["revenue_clean"], symbol),
            help=widgets.money(rep["revenue_clean"], symbol))
widgets.currency_note(report)
if orders and rep["revenue_quarantined"] < 0:
    st.caption(t("Revenue kept is higher than revenue in: the lines set aside are worth {amount} net, because returns "
                 "and cancellations count negative.", amount=widgets.money(rep["revenue_quarantined"], symbol)))
if rep["reconciles"]:
    st.success(t("Reconciled: {rows_in:,} rows in = {rows_kept:,} kept + {rows_out:,} set aside; {what} {money_in} = "
                 "{money_kept} kept {sign} {money_out} set aside.", rows_in=rep["rows_in"], rows_kept=rep["rows_clean"],
                 rows_out=rep["rows_quarantined"], what=t("revenue") if orders else t("purchase value"),
                 money_in=widgets.money(rep["revenue_in"], symbol), money_kept=widgets.money(rep["revenue_clean"], symbol),
                 sign="+" if rep["revenue_quarantined"] >= 0 else "−",
                 money_out=widgets.money(abs(rep["revenue_quarantined"]), symbol))
               + (" " + t("Returns and cancellations count negative.") if orders else ""),
               icon=":material/balance:")
else:
    st.error(t("The counts do not reconcile; please report this dataset."), icon=":material/error:")

if joined:
    tables_view.tables_report(joined)

rules = pd.DataFrame(rep["rules"])
st.subheader(t("Rules, in the order that decides a row's reason"))
st.dataframe(
    rules[["rule", "quarantined", "matched", "revenue_quarantined", "description"]].assign(
        description=rules["description"].map(t)),
    hide_index=True,
    column_config={
        "rule": t("Rule"), "description": st.column_config.TextColumn(t("What it catches")),
        "matched": st.column_config.NumberColumn(t("Rows matching"), format="localized",
                                                 help=t("All rows the rule matches, whatever other rule they fail")),
        "quarantined": st.column_config.NumberColumn(t("Set aside"), format="localized",
                                                     help=t("Rows whose first failed rule is this one")),
        "revenue_quarantined": st.column_config.NumberColumn(
            t("Revenue set aside") if orders else t("Purchase value set aside"), format="%,.2f"),
    },
)
if (rules["quarantined"] > 0).any():
    st.plotly_chart(charts.quarantine_chart(rules, lang=lang, text=CHART_TEXT), config={"displayModeBar": False})
else:
    st.success(t("No row was set aside."), icon=":material/check_circle:")

for flag in rep["flags"]:
    if flag["flag"] == "outlier" and not (math.isfinite(flag["quantity_above"]) or math.isfinite(flag["amount_above"])):
        st.info(t("**Outliers**: not checked. The fences need at least 20 kept lines with a positive quantity or "
                  "amount."), icon=":material/flag:")
    elif flag["flag"] == "outlier":
        st.info(t("**Outliers** ({description}): quantity above {quantity:,.0f} or amount above {amount}. "
                  "{matched:,} row(s) match; policy '{policy}': {kept:,} kept with a flag ({revenue}).",
                  description=t(flag["description"]), quantity=flag["quantity_above"],
                  amount=widgets.money(flag["amount_above"], symbol) if math.isfinite(flag["amount_above"]) else "—",
                  matched=flag["matched"], policy=flag["policy"],
                  kept=flag["rows_kept_flagged"], revenue=widgets.money(flag["revenue_kept_flagged"], symbol)),
                icon=":material/flag:")
    elif flag["flag"] == "unknown_event":
        mapped = ", ".join(f"{k} → {v}" for k, v in list(flag["event_type_map"].items())[:12])
        st.info(t("**Event types**: {mapped}. {n:,} events of an unrecognised type are kept as 'other'.",
                  mapped=mapped, n=flag["rows_kept_flagged"]), icon=":material/flag:")
anon = rep.get("sales_without_customer")
if anon and anon["rows"]:
    no_id = next((r for r in rep["rules"] if r["rule"] == "missing_customer"), None)
    other_rows = no_id["quarantined"] - anon["rows"] if no_id else 0
    text = t("**Sales without a customer id**: {n:,} lines worth {amount} have no other problem. They are left "
             "out of customer analyses; the Overview can include them in sales totals.", n=anon["rows"],
             amount=widgets.money(anon["revenue"], symbol))
    if other_rows > 0:
        text += " " + t("The rule's row in the table counts {total:,} lines worth {total_amount}: the other {other:,} "
                        "lines without a customer id (worth {other_amount}) also fail a later rule, such as a "
                        "cancellation or a zero price.", total=no_id["quarantined"],
                        total_amount=widgets.money(no_id["revenue_quarantined"], symbol), other=other_rows,
                        other_amount=widgets.money(no_id["revenue_quarantined"] - anon["revenue"], symbol))
    st.info(text, icon=":material/person_off:")
notes = report.get("notes") or []
coded = pipeline.stored_notes(report)  # None: a report that holds sentences only (older datasets, joined tables)
if notes or report.get("pii_columns"):
    with st.expander(t("Reading notes")):
        if coded is not None:
            for note in coded:
                mark = widgets.NOTE_BOXES[note.severity][1] + " " if note.severity in ("warning", "error") else ""
                st.markdown(f"- {mark}{widgets.note_text(note)}")  # a warning carries its icon
        elif joined and len(joined.get("notes") or []) == len(notes):  # the joined tables' coded notes
            for note in joined["notes"]:
                mark = widgets.NOTE_BOXES[note["severity"]][1] + " " if note["severity"] != "info" else ""
                st.markdown(f"- {mark}{tables_view.md_text(tables_view.note_words(note))}")
        else:  # a dataset stored before its notes were coded: their English sentences
            for note in notes:
                st.markdown(f"- {t(note)}")
        if report.get("pii_columns"):
            st.markdown(t("- personal-data columns not stored: {columns}", columns=", ".join(report["pii_columns"])))
        st.json(report["parse"], expanded=False)

st.subheader(t("Quarantine"))
quarantine = None
with widgets.friendly_errors(t("Loading the quarantine")):
    quarantine = loaders.quarantine_rows(dataset_id)
if quarantine is not None and len(quarantine):
    reasons = [r for r in rules["rule"] if (quarantine["reason"] == r).any()]
    picked = st.multiselect(t("Show reasons"), reasons, default=reasons, key="dq_reasons")
    shown = quarantine[quarantine["reason"].isin(picked)]
    front = [c for c in ("source_file", "source_line", "reason", "reasons", "detail") if c in shown.columns]
    shown = shown[front + [c for c in shown.columns if c not in front]]
    if joined:
        st.caption(t("{n:,} of {total:,} rows set aside. `source_line` is the line in the file named by "
                     "`source_file` (1 = header).", n=len(shown), total=len(quarantine)))
    else:
        st.caption(t("{n:,} of {total:,} rows set aside. `source_line` is the line in the file (1 = header).",
                     n=len(shown), total=len(quarantine)))
    st.dataframe(shown.head(5000), hide_index=True, height=360, placeholder="—")
    download(t("Download the quarantine (CSV)"), partial(csv_bytes, shown, index=False),
                       file_name=f"quarantine_{dataset_id}.csv", mime="text/csv", icon=":material/download:")
elif quarantine is not None:
    st.write(t("The quarantine is empty."))
