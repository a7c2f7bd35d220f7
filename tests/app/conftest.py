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
