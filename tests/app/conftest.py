"""AppTest set-up shared by the page tests."""

from __future__ import annotations

import pytest
from streamlit.runtime.pages_manager import PagesManager


@pytest.fixture(autouse=True)
def router_mode(monkeypatch):
    """Run every AppTest run through app.py's st.navigation, as a live server does.

    AppTest resets Streamlit's process-wide legacy "pages/ folder" flag before each run, so
    each run would execute the page file directly (see ecom_analytics/ui/router.py). A live
    server clears that flag for good at the first st.navigation call; this does the same.
    """
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture()
def empty_home(tmp_path, monkeypatch):
    """An empty workspace folder the app under test uses (``ECOM_ANALYTICS_HOME``)."""
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))
    return tmp_path / "ws"


@pytest.fixture(scope="module")
def sample_orders_home(tmp_path_factory):
    """(workspace folder holding the sample orders, their dataset id), shared by a test module."""
    from ecom_analytics.ingest import pipeline
    from ecom_analytics.sample import SAMPLE_ORDERS
    from ecom_analytics.store import Workspace

    home = tmp_path_factory.mktemp("ws")
    return home, pipeline.ensure_dataset(SAMPLE_ORDERS.read_bytes(), SAMPLE_ORDERS.name, Workspace(home),
                                         kind="orders", name="Sample orders")


@pytest.fixture()
def saved_run_home(tmp_path, monkeypatch):
    """(workspace folder, orders dataset id, run id): 200 synthetic customers and a purchase run
    (H = 30, recency rule and logistic regression) saved in the workspace the app opens."""
    from tests.fixtures import save_small_run

    home = tmp_path / "ws"
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(home))
    orders_id, run_id = save_small_run(home)
    return home, orders_id, run_id


@pytest.fixture(autouse=True)
def no_caught_failure(caplog):
    """Fail a page test when widgets.friendly_errors caught an unexpected exception: the page shows
    a calm sentence instead of a traceback, which would otherwise hide a bug from the test."""
    import logging

    caplog.set_level(logging.ERROR, logger="ecom_analytics.ui")
    yield
    records = caplog.get_records("setup") + caplog.get_records("call")  # caplog.records is this phase's only
    caught = [r.getMessage().splitlines()[0] for r in records
              if r.name == "ecom_analytics.ui" and "failed:" in r.getMessage()]
    assert not caught, f"an unexpected failure was caught and shown as a sentence: {caught}"
