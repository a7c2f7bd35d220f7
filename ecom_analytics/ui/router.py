"""Make every page run through the router in app.py.

Streamlit 1.67 still has the legacy "pages/ folder" mode: on a freshly started server, a deep
link such as ``/overview?orders=...`` runs ``pages/overview.py`` on its own, without app.py's
``st.navigation``, page config or sidebar, until some session has called ``st.navigation``
(``PagesManager.uses_pages_directory`` is a process-wide flag). A shared link opened after a
restart would show the wrong navigation. :func:`page_guard`, called first by every page,
switches the flag off and reruns, so the request is served by the router with the same URL.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def page_guard() -> None:
    """Rerun through app.py when Streamlit ran this page file directly (legacy mode)."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
