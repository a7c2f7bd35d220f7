"""Download buttons whose files exist on the server only for a short time after a click.

Streamlit serves a download from ``/media/<random id>`` with no session or login check. A file
given to ``st.download_button`` as bytes is stored when the page draws, and stays as long as any
session shows the button (hours for an open tab). Here every download is *deferred*: the
button holds a function, the file is built when the analyst clicks, and it is not attached to any
session, so Streamlit's clean-up drops it at its second sweep. Streamlit sweeps at the end of
every script run; :func:`start_sweeper` adds a sweep every ``SWEEP_SECONDS`` so that an idle
server drops it too: a download URL answers for at most about two sweeps after the click.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

import streamlit as st

log = logging.getLogger("ecom_analytics.ui")

SWEEP_SECONDS = 60.0


def download(label: str, make: Callable[[], bytes], *, file_name: str, mime: str, key: str | None = None,
             where=None, **kwargs) -> None:
    """A download button (in ``where``, a column or container, else the page) whose file is built
    by ``make()`` (an exports.* call) only when clicked.

    ``make`` must produce the bytes through :mod:`ecom_analytics.exports` (spreadsheet-safe CSV
    and Excel) or be the report's HTML/PDF; the download test checks every call site.
    """
    start_sweeper()
    (where or st).download_button(label, make, file_name=file_name, mime=mime, key=key, on_click="ignore", **kwargs)


def _sweep_once() -> bool:
    """Drop download files no session refers to any more (Streamlit's own end-of-run clean-up)."""
    from streamlit import runtime

    if not runtime.exists():
        return False
    runtime.get_instance().media_file_mgr.remove_orphaned_files()
    return True


def _sweep_forever(interval: float) -> None:
    while True:
        time.sleep(interval)
        try:
            _sweep_once()
        except Exception:  # noqa: BLE001 - a failed sweep must not end the thread; the next one retries
            log.warning("the download clean-up failed; retrying in %.0f s", interval, exc_info=True)


@st.cache_resource(show_spinner=False)
def start_sweeper(interval: float = SWEEP_SECONDS) -> threading.Thread:
    """Start (once per server process) the thread that sweeps old download files."""
    thread = threading.Thread(target=_sweep_forever, args=(interval,), name="ecom-download-sweeper", daemon=True)
    thread.start()
    return thread
