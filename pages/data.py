"""Data: upload an export, check how it was read and mapped, confirm."""

import hashlib

import pandas as pd
import streamlit as st

from ecom_analytics import pipeline, schema
from ecom_analytics.cleaning import OUTLIER_POLICIES
from ecom_analytics.ui import loaders, state, widgets
from ecom_analytics.ui.router import page_guard

page_guard()

NONE = "(not in this file)"
KIND_LABELS = {"auto": "Detect automatically", "orders": "Orders (one row per order line)",
               "events": "Behaviour events (views, carts, purchases)",
               "sales": "Sales per period (date, value; optional series and holiday/promotion flag)"}

st.title("Data")
st.caption("Upload an orders or behaviour-events export. The app proposes how its columns map to the "
           "canonical table; check it, change what is wrong, and confirm.")

flash = st.session_state.pop("data_flash", None)
if flash:
    st.success(flash, icon=":material/task_alt:")
    c1, c2 = st.columns(2)
    c1.page_link("pages/data_quality.py", label="See the cleaning report", icon=":material/rule:",
                 query_params=state.link_params())
    c2.page_link("pages/overview.py", label="Go to the overview", icon=":material/insights:",
                 query_params=state.link_params())

kind_choice = st.radio("What is in the file?", list(KIND_LABELS), format_func=KIND_LABELS.get,
                       horizontal=True, key="data_kind")
upload = st.file_uploader(
    "Export file", key="data_upload",
    type=["csv", "tsv", "txt", "dat", "gz", "zip", "xlsx", "parquet"],
    help="CSV, TSV or whitespace-separated text (any delimiter, with or without header), Excel .xlsx, "
         "Parquet, or any of them in .gz/.zip. UTF-8, GBK/GB18030 and Latin-1 are detected.",
)

if upload is None:
    with st.expander("Open data stored earlier in this workspace", icon=":material/folder_open:"):
        with widgets.friendly_errors("Listing the workspace"):
            stored = state.workspace().list_datasets()
            if stored.empty:
                st.write("The workspace is empty.")
            for row in stored.itertuples():
                c1, c2 = st.columns([4, 1])
                c1.markdown(f"**{row.name}** · {row.kind} · {int(row.rows_clean):,} rows kept · "
                            f"{row.created_at:%Y-%m-%d %H:%M} UTC")
                if c2.button("Open", key=f"open_{row.dataset_id}"):
                    state.set_current(row.kind, row.dataset_id)
                    st.rerun()
    st.stop()

data = upload.getvalue()
digest = hashlib.sha256(data).hexdigest()
kind = None if kind_choice == "auto" else kind_choice
prepared = None
with widgets.friendly_errors(f"Reading '{upload.name}'"):
    with st.spinner(f"Reading {upload.name} ({len(data) / 1e6:,.1f} MB)…"):
        prepared = loaders.prepared_upload(digest, data, upload.name, kind)
if prepared is None:
    st.info("Nothing was loaded; the data you loaded earlier is unchanged.", icon=":material/info:")
    st.stop()

raw = prepared.raw
info = raw.describe()
mapping = prepared.mapping
st.subheader("How the file was read")
cols = st.columns(5)
cols[0].metric("Rows", f"{info['rows']:,}")
cols[1].metric("Columns", len(info["columns"]))
cols[2].metric("Format", (info["format"] or "").upper() + (f" in {info['compression']}" if info["compression"] else ""))
cols[3].metric("Encoding", info["encoding"] or "binary")
cols[4].metric("Detected as", mapping.kind)
details = []
if info["delimiter"]:
    details.append(f"values separated by **{info['delimiter']}**")
details.append("first line is a **header**" if info["header"] else "**no header** line: columns mapped from their values")
st.markdown("; ".join(details) + ".")
for note in info["notes"] + mapping.notes:
    st.warning(note, icon=":material/warning:")
if mapping.pii_columns:
    st.info("Personal data detected in " + ", ".join(f"**{c}** ({k})" for c, k in mapping.pii_columns.items())
            + ". These columns are masked below and never stored; an e-mail used as the customer key is "
              "replaced by a salted hash.", icon=":material/shield_person:")
preview = prepared.preview(15)
st.dataframe(preview, hide_index=True, height=min(400, 35 * (len(preview) + 1) + 3))

st.subheader("Column mapping")
st.caption("Required columns are marked ★. Confidence comes from the header name and from whether the "
           "values fit (dates that parse, numbers, event names).")
options = [NONE] + [str(c) for c in raw.frame.columns]
required = {"orders": {"customer_id", "timestamp"}, "events": {"user_id", "timestamp"},
            "sales": {"timestamp", "value"}}[mapping.kind]
chosen: dict[str, str | None] = {}
slots = {}
grid = st.columns(3)
for i, (canonical, choice) in enumerate(mapping.choices.items()):
    with grid[i % 3]:
        default = options.index(choice.source) if choice.source in options else 0
        label = canonical + (" ★" if canonical in required else "")
        picked = st.selectbox(label, options, index=default, key=f"map_{digest[:12]}_{mapping.kind}_{canonical}",
                              help=schema.DESCRIPTIONS[mapping.kind][canonical])
        chosen[canonical] = None if picked == NONE else picked
        if picked == NONE and choice.source is None:
            st.markdown(":gray[<small>no matching column found</small>]", unsafe_allow_html=True)
        elif picked == (choice.source or NONE):
            tone = "green" if choice.confidence >= 0.8 else "orange" if choice.confidence >= 0.5 else "gray"
            st.markdown(f":{tone}[{choice.confidence:.0%}] <small>{choice.reason}</small>", unsafe_allow_html=True)
        else:
            st.markdown(":blue[chosen by you]")
        slots[canonical] = st.empty()
final = mapping.override(**{c: s for c, s in chosen.items() if s != mapping.choices[c].source})
with widgets.friendly_errors("Checking the mapped columns"):
    for canonical, text in prepared.check(final).items():
        tone = "red" if "cannot be read" in text else "gray"
        slots[canonical].markdown(f":{tone}[<small>{text}</small>]", unsafe_allow_html=True)
missing = final.missing_required()
if missing:
    st.error(f"No column was recognised for {', '.join(missing)}. Choose it in the mapping above, or check "
             f"that this is an {final.kind} export: without it the file cannot be used.", icon=":material/error:")

st.subheader("Confirm")
c1, c2 = st.columns([2, 3])
name = c1.text_input("Dataset name", value=raw.source_name, max_chars=120, key=f"name_{digest[:12]}")
policy = c2.radio("Extreme quantities or amounts", OUTLIER_POLICIES, horizontal=True, key="outlier_policy",
                  format_func={"flag": "Keep and flag them", "quarantine": "Set them aside"}.get,
                  help="Outliers are lines far above the rest (beyond Q3 + 5 IQR on a log scale), "
                       "e.g. an 80,995-unit line. Flagged lines stay in the analysis.",
                  disabled=final.kind != "orders")
if st.button("Confirm and clean", type="primary", disabled=bool(missing), icon=":material/check:"):
    with widgets.friendly_errors("Cleaning the file"):
        with st.status("Cleaning…", expanded=True) as status:
            st.write("Reading values with the chosen mapping and applying the cleaning rules…")
            result = pipeline.process(prepared, final, outlier_policy=policy, salt=state.workspace().salt(), name=name)
            st.write("Saving to the workspace…")
            pipeline.store(result, prepared, state.workspace())
            loaders.dataset_info.clear()
            status.update(label="Cleaned and saved", state="complete")
        state.set_current(result.kind, result.dataset_id)
        rep = result.report["cleaning"]
        st.session_state["data_flash"] = (
            f"**{result.name}** is ready as the current {result.kind}: {rep['rows_in']:,} rows in, "
            f"{rep['rows_clean']:,} kept, {rep['rows_quarantined']:,} set aside with a reason.")
        st.rerun()
