"""AppTest: orders and events that share no day are never combined silently (issue 14, part 5).

The sample orders run 2010-12-01 to 2011-12-09 and the sample events 2011-11-09 to 2011-12-09.
An orders export moved two years back (2008-12 to 2009-12) shares no day with those events; one
cut to 2011-06-01 .. 2011-11-20 shares 12 days (9 to 20 November) with them.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 180


def orders_export(shift_years: int = 0, start: str | None = None, end: str | None = None, rows: int = 4000) -> bytes:
    """The sample orders (Online Retail headers): ``rows`` lines spread over [start, end] (the first and
    the last included), moved ``shift_years`` back."""
    from ecom_analytics.sample import SAMPLE_ORDERS

    frame = pd.read_csv(SAMPLE_ORDERS, encoding="latin-1", dtype=str)
    stamps = pd.to_datetime(frame["InvoiceDate"], format="mixed")
    keep = pd.Series(True, index=frame.index)
    if start:
        keep &= stamps >= pd.Timestamp(start)
    if end:
        keep &= stamps < pd.Timestamp(end) + pd.Timedelta(days=1)
    frame, stamps = frame[keep], stamps[keep]
    spread = np.unique(np.linspace(0, len(frame) - 1, min(rows, len(frame))).round().astype(int))  # first and last kept
    frame, stamps = frame.iloc[spread].copy(), stamps.iloc[spread]
    frame["InvoiceDate"] = (stamps - pd.DateOffset(years=shift_years)).dt.strftime("%Y-%m-%d %H:%M")
    out = io.StringIO()
    frame.to_csv(out, index=False)
    return out.getvalue().encode()


def sample_loaded(monkeypatch, home: Path) -> AppTest:
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(home))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    next(b for b in at.button if b.label == "Load the sample data").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["orders_id"] and at.session_state["events_id"]
    assert not any("share no day" in w.value or "overlap only" in w.value for w in at.warning)  # samples overlap
    return at


def upload_orders(at: AppTest, data: bytes, name: str) -> AppTest:
    at.switch_page("pages/data.py").run()
    at.radio(key="data_kind").set_value("orders").run()
    at.file_uploader(key="data_upload").set_value((name, data, "text/csv")).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    next(b for b in at.button if b.label == "Confirm and clean").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def test_orders_of_another_period_detach_the_events_until_attached(tmp_path, monkeypatch):
    at = sample_loaded(monkeypatch, tmp_path)
    sample_events = at.session_state["events_id"]
    at = upload_orders(at, orders_export(shift_years=2), "orders_2009.csv")
    assert at.session_state["orders_id"] != sample_events
    # detached, with a warning naming both periods and an "Attach anyway" action
    assert at.session_state["events_id"] is None
    assert "events" not in at.query_params  # the link carries only what is current
    warning = next(w.value for w in at.warning if "share no day" in w.value)
    assert "(2011-11-09 to 2011-12-09)" in warning and "(2008-12-01 to 2009-12-09)" in warning
    assert "the events are detached" in warning
    assert at.button(key="periods_attach_flash").label == "Attach anyway"
    assert at.button(key="periods_attach").label == "Attach anyway"  # and in the sidebar, at any time
    assert any("(detached)" in m.value for m in at.sidebar.markdown)

    # the funnel does not use them, and says where to attach them; the Model page keeps H = 30
    at.switch_page("pages/cohorts_funnel.py").run()
    assert any("The events are detached" in i.value for i in at.info)
    assert not any("step" in d.value.columns for d in at.dataframe)
    at.switch_page("pages/model.py").run()
    assert at.number_input(key="md_horizon").value == 30

    # attach anyway: the funnel uses them, and the sidebar keeps saying the periods differ
    at.switch_page("pages/cohorts_funnel.py").run()
    at.button(key="periods_attach").click().run()
    assert at.session_state["events_id"] == sample_events
    funnel = next(d.value for d in at.dataframe if "step" in d.value.columns)
    assert funnel["users"].iloc[0] > 0
    assert any("Orders (2008-12-01 to 2009-12-09) and events (2011-11-09 to 2011-12-09) share no day, yet both are used"
               in w.value for w in at.sidebar.warning)

    # and detach them again from the sidebar
    at.button(key="periods_detach").click().run()
    assert at.session_state["events_id"] is None
    assert at.button(key="periods_attach").label == "Attach anyway"


def test_a_partial_overlap_stays_attached_and_names_both_periods(tmp_path, monkeypatch):
    at = sample_loaded(monkeypatch, tmp_path)
    sample_events = at.session_state["events_id"]
    at = upload_orders(at, orders_export(start="2011-06-01", end="2011-11-20", rows=4000), "orders_summer.csv")
    assert at.session_state["events_id"] == sample_events
    warning = next(w.value for w in at.warning if "overlap only" in w.value)
    assert "(2011-06-01 to 2011-11-20)" in warning and "(2011-11-09 to 2011-12-09)" in warning
    assert "from 2011-11-09 to 2011-11-20 (12 days)" in warning
    assert any("overlap only 12 days" in c.value for c in at.sidebar.caption)


def test_opening_the_other_sample_orders_keeps_events_of_the_same_period(tmp_path, monkeypatch):
    """Overlapping data: no warning, and a Detach button in the sidebar."""
    at = sample_loaded(monkeypatch, tmp_path)
    at.switch_page("pages/overview.py").run()
    assert at.button(key="periods_detach")
    assert not at.warning or not any("share no day" in w.value for w in at.warning)


def test_a_link_with_orders_and_events_of_different_periods_warns_and_offers_detach(tmp_path, monkeypatch):
    """A link reopens what it names (the ids only); the sidebar says the periods differ and can detach."""
    from ecom_analytics.ingest import pipeline
    from ecom_analytics.sample import SAMPLE_EVENTS
    from ecom_analytics.store import Workspace

    ws = Workspace(tmp_path)
    orders_id = pipeline.ensure_dataset(orders_export(shift_years=2), "orders_2009.csv", ws, kind="orders")
    events_id = pipeline.ensure_dataset(SAMPLE_EVENTS.read_bytes(), SAMPLE_EVENTS.name, ws, kind="events")
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"orders": orders_id, "events": events_id})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["events_id"] == events_id
    assert any("share no day, yet both are used" in w.value for w in at.sidebar.warning)
    at.button(key="periods_detach").click().run()
    assert at.session_state["events_id"] is None and "events" not in at.query_params
    assert at.button(key="periods_attach").label == "Attach anyway"
