"""Several related tables uploaded together (issue #16): the Data page's proposal and the Data
quality page's ``tables`` section.

The library (:mod:`ecom_analytics.ingest.tables`) proposes each file's role and fields, the relations
with their counts and the person key; this module draws them, turns the analyst's changes into
*corrections* (only what differs from the proposal, the JSON :meth:`TablesProposal.with_choices`
replays) and stores the joined dataset on Confirm. Every sentence of the library arrives as a
coded note and is worded through the message catalogue (:func:`~ecom_analytics.ui.i18n.t`).

Widgets whose default follows the proposal carry the number of corrections made so far in their
key, so when a correction changes the proposal (a role changed gives other relations) every widget
starts again from the new proposal (a key is never reused: a widget's old value cannot come back);
their ``on_change`` records the analyst's choice in the corrections.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re

import pandas as pd
import streamlit as st

from ecom_analytics.ingest import layouts, tables
from ecom_analytics.ingest.cleaning import OUTLIER_POLICIES
from ecom_analytics.ui import loaders, state, widgets
from ecom_analytics.i18n import translate_message
from ecom_analytics.ui.i18n import current_language, number, percent, t

NONE = "(not in this file)"  # an option value: shown through format_func, never stored
PER_ORDER = "(the per-order id)"  # person key option: the customer id of the order header itself
#: the counts of each relation, in the order shown: (count, whether it is a problem when above 0)
COUNTS: dict[str, list[tuple[str, bool]]] = {
    "items->orders": [("orders_with_items", False), ("orders_without_items", True), ("items_without_order", True)],
    "payments->orders": [("orders_with_payment", False), ("orders_without_payment", True),
                         ("payments_without_order", True)],
    "orders->customers": [("orders_with_customer", False), ("orders_unknown_customer", True),
                          ("customers_without_orders", False)],
    "items->products": [("items_with_product", False), ("items_unknown_product", True),
                        ("products_not_sold", False)],
}
#: notes drawn next to what they explain, not in the list of notes
INLINE_NOTES = ("role_", "relation_", "person_key_", "payments_reconcile")


def _role_labels() -> dict[str, str]:
    return {"orders": t("Order header"), "items": t("Line items"), "customers": t("Customers"),
            "payments": t("Payments"), "products": t("Products"),
            "events": t("Behaviour events (ingest on its own)"),
            "single": t("Complete orders export (ingest on its own)"), "unknown": t("Not used")}


def _link_labels() -> dict[str, str]:
    return {"items->orders": t("Line items → order header"), "payments->orders": t("Payments → order header"),
            "orders->customers": t("Order header → customers"), "items->products": t("Line items → products")}


def _count_labels() -> dict[str, str]:
    return {"orders_with_items": t("orders with items"), "orders_without_items": t("orders without items"),
            "items_without_order": t("items without an order"), "orders_with_payment": t("orders with a payment"),
            "orders_without_payment": t("orders without a payment"),
            "payments_without_order": t("payments without an order"),
            "orders_with_customer": t("orders with a known customer"),
            "orders_unknown_customer": t("orders with an unknown customer"),
            "customers_without_orders": t("customers without orders"),
            "items_with_product": t("items with a known product"),
            "items_unknown_product": t("items with an unknown product"),
            "products_not_sold": t("products never sold")}


def _field_help() -> dict[str, str]:
    return {"order_id": t("The order number that links the tables"), "customer_id": t("Who placed the order"),
            "timestamp": t("When the order was placed"), "status": t("Order status (delivered, cancelled, ...)"),
            "country": t("Country or region of the customer"), "product_id": t("Product code (SKU)"),
            "product_name": t("Product name"), "category": t("Product category"),
            "quantity": t("Units on the line (1 when absent)"), "unit_price": t("Price of one unit"),
            "amount": t("Line total (instead of quantity × unit price)"), "freight": t("Shipping charged on the line"),
            "person_key": t("A stable id of the person behind the per-order customer id"),
            "payment_value": t("Amount paid")}


def md_text(text: object) -> str:
    """``text`` (a file name, a note) for st.markdown without HTML: Markdown characters escaped
    (Streamlit shows any HTML in it as text)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|~>])", r"\\\1", str(text))


def relations_frame(relations: list[dict]) -> pd.DataFrame:
    """One row per relation: its name, the key pair (child column → parent column), the share of
    the child's key values found in the parent, and its counts as 'what: n' (problems marked ⚠)."""
    links, counts = _link_labels(), _count_labels()
    rows = []
    for r in relations:
        shown = []
        for name, problem in COUNTS.get(r["link"], []):
            if name in r["counts"]:
                n = int(r["counts"][name])
                shown.append(("⚠ " if problem and n else "") + t("{what}: {n:,}", what=counts[name], n=n))
        keys = f"{r['child_key']} → {r['parent_key']}" if r["child_key"] else t("no key found")
        rows.append({"relation": links.get(r["link"], r["link"]), "keys": keys, "share": float(r["share"]),
                     "counts": t(" · ").join(shown)})
    return pd.DataFrame(rows, columns=["relation", "keys", "share", "counts"])


def relations_table(relations: list[dict]) -> None:
    """The relations with their counts, as a small static table (its cells wrap, so every count
    stays readable however narrow the page)."""
    frame = relations_frame(relations)
    frame["share"] = frame["share"].map(lambda share: percent(share, 1))
    st.table(frame.rename(columns={"relation": t("Relation"), "keys": t("Key pair"), "share": t("Key values found"),
                                   "counts": t("Counts")}).set_index(t("Relation")))
    st.caption(t("Key pair: the column of the first table → the column of the second that holds the same key. "
                 "Key values found: the share of the first table's distinct keys found in the second."))


def note_words(note: dict) -> str:
    """A coded note of the tables (``{"code", "params", "severity", "text"}``) in the session's
    language: its template through the catalogue, its role and basis phrases too."""
    params = {k: t(v) if k in tables.PHRASE_PARAMS else _reader_words(v) if k == "error" else v
              for k, v in tables.shown_params(note["params"]).items()}
    return t(tables.TEMPLATES[note["code"]], **params)


def _reader_words(error: str) -> str:
    """Why the reader refused a file (its English sentences, kept without the last full stop in the note) in the
    session's language."""
    return translate_message(error.rstrip(".") + ".", current_language()).rstrip("。.")


def _note_line(note: dict) -> str:
    icon = ":orange[:material/warning:]" if note["severity"] in ("warning", "error") else ":gray[:material/info:]"
    return f"- {icon} {md_text(note_words(note))}"


def _show_notes(notes: list[dict]) -> None:
    shown = [n for n in notes if not n["code"].startswith(INLINE_NOTES)]
    if shown:
        st.markdown("\n".join(_note_line(n) for n in shown))


def _person_note(notes: list[dict]) -> None:
    note = next((n for n in notes if n["code"].startswith("person_key_")), None)
    if note is not None:
        show = st.warning if note["severity"] != "info" else st.info
        show(note_words(note), icon=":material/warning:" if note["severity"] != "info" else ":material/person_search:")


# --- corrections ---------------------------------------------------------------------------------

def _empty() -> dict:
    return {"roles": {}, "relations": {}}


def _choices(corrections: dict) -> str:
    """The corrections as the JSON :meth:`TablesProposal.with_choices` replays (the cache key)."""
    return json.dumps({k: v for k, v in corrections.items() if k != "changes"}, sort_keys=True)


def _changed(store: str) -> dict:
    corrections = st.session_state[store]
    corrections["changes"] = corrections.get("changes", 0) + 1
    return corrections


def _reset(store: str) -> None:
    changes = st.session_state[store].get("changes", 0)
    st.session_state[store] = _empty() | {"changes": changes + 1}


def _set_role(store: str, name: str, key: str) -> None:
    corrections = _changed(store)
    corrections["roles"][name] = {"role": st.session_state[key], "fields": {}}
    # keys and the person key were measured on the old roles: propose them again
    corrections["relations"] = {}
    corrections.pop("person_key", None)


def _set_field(store: str, name: str, role: str, field: str, key: str) -> None:
    corrections = _changed(store)
    picked = st.session_state[key]
    entry = corrections["roles"].setdefault(name, {"role": role, "fields": {}})
    entry["role"] = role
    entry["fields"][field] = None if picked == NONE else picked


def _set_relation(store: str, link: str, child_key: str, parent_key: str, side: str, key: str) -> None:
    corrections = _changed(store)
    picked = st.session_state[key]
    pair = [picked, parent_key] if side == "child" else [child_key, picked]
    corrections["relations"][link] = pair


def _set_person(store: str, key: str) -> None:
    picked = st.session_state[key]
    _changed(store)["person_key"] = None if picked == PER_ORDER else picked


# --- the Data page ---------------------------------------------------------------------------------

def several_files(uploads: list) -> None:
    """The proposal for several uploaded files (``st.file_uploader`` values): roles, fields,
    relations with counts, the person key, the revenue choice with the payment match, the notes,
    and Confirm, which stores the joined dataset and makes it current."""
    files = [(u.getvalue(), u.name) for u in uploads]
    digests = tuple(hashlib.sha256(data).hexdigest() for data, _ in files)
    tag = hashlib.sha256("|".join(d + n for d, (_, n) in zip(digests, files)).encode()).hexdigest()[:12]
    store = f"tables_corrections_{tag}"
    corrections = st.session_state.setdefault(store, _empty())
    chosen = _choices(corrections)
    corrected = chosen != _choices(_empty())

    st.subheader(t("Tables uploaded together"))
    st.caption(t("The files are read as the tables of one export: each gets a role, the key columns that link "
                 "them are proposed with what they leave unmatched, and they are joined into one orders table "
                 "(one row per line item). Change what is wrong, then confirm."))
    bar = st.progress(0.0, text=t("Reading the files…"))
    proposal = None
    with widgets.friendly_errors(t("Reading the tables")):
        proposal = loaders.tables_proposal(digests, files, chosen, on_progress=lambda share, name: bar.progress(
            min(1.0, share), text=t("Reading {name}…", name=name)))
    bar.empty()
    if proposal is None:
        if corrected:
            st.button(t("Start again from the proposal"), icon=":material/restart_alt:", on_click=_reset,
                      args=(store,))
        st.stop()
    described = proposal.describe()
    version = f"{tag}_{corrections.get('changes', 0)}"  # widget keys of this proposal
    _files_section(described, store, version)
    _relations_section(described, store, version)
    _person_section(described, store, version)
    _result_section(proposal, digests, files, chosen, tag)
    if corrected:
        st.button(t("Start again from the proposal"), icon=":material/restart_alt:", key=f"tb_reset_{tag}",
                  on_click=_reset, args=(store,))


def _files_section(described: dict, store: str, tag: str) -> None:
    st.markdown(t("#### Files and their roles"))
    roles, labels, helps = list(tables.ROLES), _role_labels(), _field_help()
    for i, f in enumerate(described["files"]):
        with st.container(border=True):
            c1, c2 = st.columns([3, 2], vertical_alignment="center")
            c1.markdown(t("**{name}** · {rows:,} rows · {columns:,} columns", name=md_text(f["name"]),
                          rows=f["rows"], columns=len(f["columns"])))
            c1.caption(note_words(f["reason"]))
            key = f"tb_role_{tag}_{i}"
            c2.selectbox(t("Role of {name}", name=f["name"]), roles, index=roles.index(f["role"]), key=key,
                         format_func=labels.get, on_change=_set_role, args=(store, f["name"], key),
                         label_visibility="collapsed")
            fields = tables.FIELDS.get(f["role"], ())
            if not fields:
                continue
            used = t(" · ").join(f"{field} ← {f['fields'][field]}" for field in fields if field in f["fields"])
            with st.expander(t("Columns used: {fields}", fields=used or t("none")), icon=":material/view_column:"):
                options = [NONE] + f["columns"]
                # labels made while the page runs: Streamlit may format an option outside the run
                shown = {o: o for o in f["columns"]} | {NONE: t(NONE)}
                grid = st.columns(4)
                for j, field in enumerate(fields):
                    current = f["fields"].get(field)
                    fkey = f"tb_field_{tag}_{i}_{field}"
                    grid[j % 4].selectbox(field, options, index=options.index(current) if current in options else 0,
                                          key=fkey, help=helps.get(field),
                                          format_func=shown.get,
                                          on_change=_set_field, args=(store, f["name"], f["role"], field, fkey))


def _relations_section(described: dict, store: str, tag: str) -> None:
    relations = described["relations"]
    if not relations:
        return
    st.markdown(t("#### How the tables link"))
    relations_table(relations)
    for r in relations:
        if not r["child_key"]:
            st.warning(note_words(r["reason"]), icon=":material/link_off:")
    columns = {f["name"]: f["columns"] for f in described["files"]}
    links = _link_labels()
    with st.expander(t("Correct a key pair"), icon=":material/link:"):
        for r in relations:
            c0, c1, c2 = st.columns([2, 2, 2], vertical_alignment="bottom")
            c0.markdown(t("**{relation}**", relation=links.get(r["link"], r["link"])))
            child_key = r["child_key"] or columns[r["child"]][0]
            parent_key = r["parent_key"] or columns[r["parent"]][0]
            for side, slot in (("child", c1), ("parent", c2)):
                options = columns[r[side]]
                current = r[f"{side}_key"]
                key = f"tb_rel_{tag}_{r['link']}_{side}"
                slot.selectbox(t("Column of {file}", file=r[side]), options,
                               index=options.index(current) if current in options else None, key=key,
                               placeholder=t("Choose the key column"), on_change=_set_relation,
                               args=(store, r["link"], child_key, parent_key, side, key))


def _person_section(described: dict, store: str, tag: str) -> None:
    pk = described["person_key"]
    if pk is None:
        return
    st.markdown(t("#### Who is the customer"))
    columns = next(f["columns"] for f in described["files"] if f["name"] == pk["file"])
    others = [c for c in columns if c not in pk["candidates"] and c != pk["per_order"]]
    options = [PER_ORDER] + pk["candidates"] + others
    current = pk["stable"] if pk["stable"] is not None else PER_ORDER
    key = f"tb_person_{tag}"

    labels = {o: o for o in others} | {c: t("{column} (a stable id found in {file})", column=c, file=pk["file"])
                                       for c in pk["candidates"]}
    labels[PER_ORDER] = t("{column} (the customer id of each order)", column=pk["per_order"])

    c1, c2 = st.columns([3, 2])
    c1.selectbox(t("Person key: the column that names the same person across orders"), options,
                 index=options.index(current) if current in options else 0, key=key, format_func=labels.get,
                 on_change=_set_person, args=(store, key))
    c2.metric(t("People who ordered more than once"), percent(pk["repeat_share"]),
              help=t("{ids:,} customer ids belong to {people:,} people", ids=pk["ids"], people=pk["people"]))
    _person_note(described["notes"])


def _result_section(proposal, digests: tuple[str, ...], files: list, chosen: str, tag: str) -> None:
    """The join: the revenue choice with the payment match, what would be kept, the notes, Confirm."""
    ws = state.workspace()
    revenue = st.session_state.get("tables_revenue", "items")
    policy = st.session_state.get("outlier_policy", "flag")
    bar = st.progress(0.1, text=t("Joining and cleaning the tables…"))
    result = None
    with widgets.friendly_errors(t("Joining the tables")):
        result = loaders.tables_result(digests, files, chosen, revenue, policy, ws.salt())
    bar.empty()
    if result is None:
        _show_notes(proposal.describe()["notes"])
        st.info(t("Nothing was loaded; the data you loaded earlier is unchanged."), icon=":material/info:")
        return
    rep, tab = result.report["cleaning"], result.report["tables"]

    st.markdown(t("#### Revenue"))
    pay = tab["payments"]
    captions = None
    if pay:
        share = {pay["basis"]: pay["share_matching"], pay["other_basis"]: pay["share_matching_other"]}
        captions = [t("the payments match on {share:.1%} of orders", share=share[r]) for r in tables.REVENUES]
    st.radio(t("What counts as revenue"), list(tables.REVENUES), key="tables_revenue", horizontal=True,
             captions=captions,
             format_func={"items": t("Item prices only"), "items_and_freight": t("Item prices and freight")}.get)
    if pay:
        st.caption(t("Payment match: the line items' total of an order against its payments in {file} (within a "
                     "cent or 0.5 %), on the {n:,} orders that have both; {missing:,} orders have no payment.",
                     file=pay["file"], n=pay["orders_compared"], missing=pay["orders_without_payment"]))
    else:
        st.caption(t("No payment table was uploaded: the totals cannot be checked against payments."))

    st.markdown(t("#### What the join keeps"))
    c = st.columns(3)
    c[0].metric(t("Rows in"), number(rep["rows_in"]), help=t("Line items, plus order header lines without items"))
    c[1].metric(t("Rows kept"), number(rep["rows_clean"]))
    c[2].metric(t("Rows set aside"), number(rep["rows_quarantined"]),
                help=t("Each with the first rule it failed, shown in Data quality"))
    _show_notes(tab["notes"])

    st.subheader(t("Confirm"))
    c1, c2 = st.columns([2, 3])
    name = c1.text_input(t("Dataset name"), value=result.name, max_chars=200, key=f"tb_name_{tag}")
    c2.radio(t("Extreme quantities or amounts"), OUTLIER_POLICIES, horizontal=True, key="outlier_policy",
             format_func={"flag": t("Keep and flag them"), "quarantine": t("Set them aside")}.get,
             help=t("Outliers are lines far above the rest (beyond Q3 + 5 IQR on a log scale), "
                    "e.g. an 80,995-unit line. Flagged lines stay in the analysis."))
    if st.button(t("Confirm and join"), type="primary", icon=":material/check:", key=f"tb_confirm_{tag}"):
        with widgets.friendly_errors(t("Saving the joined tables")):
            _confirm(dataclasses.replace(result, name=name.strip() or result.name), proposal, ws)
            st.rerun()


def _confirm(result, proposal, ws) -> None:
    """Store the joined dataset, make it current when it kept rows, and leave the sentence to show."""
    bar = st.progress(0.5, text=t("Saving to the workspace…"))
    tables.store_tables(result, proposal, ws)
    loaders.dataset_info.clear()
    bar.progress(1.0, text=t("Saved"))
    rep = result.report["cleaning"]
    problem = layouts.reading_problem(rep, result.mapping.as_dict(), result.cleaning.quarantine)
    if rep["rows_clean"] > 0:
        widgets.make_current(result.kind, result.dataset_id)
    if problem is None:
        text = t("**{name}** is ready as the current {kind}: {rows_in:,} rows in, {kept:,} kept, {out:,} set aside "
                 "with a reason.", name=md_text(result.name), kind=t(result.kind), rows_in=rep["rows_in"],
                 kept=rep["rows_clean"], out=rep["rows_quarantined"])
        tone = "success"
    else:
        why = t("{n:,} rows were set aside by the rule “{rule}”.", n=problem.rows_rule, rule=problem.rule)
        fix = t("Check the roles and the key pairs of the tables, then confirm again.")
        if problem.rows_clean == 0:
            text = t("**{name}**: 0 of {rows_in:,} rows could be kept: {why} It is stored with its cleaning "
                     "report, but the data loaded earlier stays current. {fix}", name=md_text(result.name),
                     rows_in=problem.rows_in, why=why, fix=fix)
        else:
            text = t("**{name}** is the current {kind}, but only {kept:,} of {rows_in:,} rows ({share:.1%}) could "
                     "be kept: {why} {fix}", name=md_text(result.name), kind=t(result.kind),
                     kept=problem.rows_clean, rows_in=problem.rows_in, share=problem.share_kept, why=why, fix=fix)
        tone = problem.severity
    st.session_state["data_flash"] = {"tone": tone, "text": text}


# --- the Data quality page ------------------------------------------------------------------------

def tables_report(section: dict) -> None:
    """The ``tables`` section of a joined dataset's report: files and roles, relations with counts,
    the person key, the payment reconciliation and the revenue choice."""
    st.subheader(t("Tables joined"))
    labels = _role_labels()
    files = pd.DataFrame([{"file": f["name"], "role": labels.get(f["role"], f["role"]), "rows": f["rows"],
                           "fields": t(" · ").join(f"{k} ← {v}" for k, v in f["fields"].items())}
                          for f in section["files"]], columns=["file", "role", "rows", "fields"])
    st.table(files.rename(columns={"file": t("File"), "role": t("Role"), "rows": t("Rows"),
                                   "fields": t("Columns used")}).set_index(t("File")))
    if section["relations"]:
        relations_table(section["relations"])
    _person_note(section["notes"])
    pay = section.get("payments")
    revenue_note = next((n for n in section["notes"] if n["code"].startswith("revenue_")), None)
    if pay:
        share = {pay["basis"]: pay["share_matching"], pay["other_basis"]: pay["share_matching_other"]}
        c = st.columns(4)
        c[0].metric(t("Orders with items and a payment"), number(pay["orders_compared"]))
        c[1].metric(t("Match with freight"), percent(share["items_and_freight"]),
                    help=t("Share of those orders whose item prices plus freight equal their payments (within a "
                           "cent or 0.5 %)"))
        c[2].metric(t("Match, items only"), percent(share["items"]),
                    help=t("Share of those orders whose item prices alone equal their payments"))
        c[3].metric(t("Orders without a payment"), number(pay["orders_without_payment"]))
        st.caption(t("Compared: items {items}, freight {freight}, paid {paid} (export currency); {lines:,} payment "
                     "lines name no order of the header.", items=widgets.money(pay["items_total"]),
                     freight=widgets.money(pay["freight_total"]), paid=widgets.money(pay["paid_total"]),
                     lines=pay["payment_lines_without_order"]))
    else:
        st.caption(t("No payment table was joined: the totals were not checked against payments."))
    if revenue_note:  # the revenue choice, with the freight column it counts or leaves out
        st.info(note_words(revenue_note), icon=":material/payments:")
