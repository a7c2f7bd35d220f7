"""Training jobs that run in a background thread of the server, watched by the page.

The page starts a job and polls it (a fragment that reruns every second), so the browser
stays responsive, the progress bar and loss curves update every epoch, the Stop button takes
effect at the next epoch end (the best weights so far are kept), and a rerun or a page switch
does not interrupt training. The thread never calls Streamlit; it only updates its job.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import Callable

import streamlit as st

log = logging.getLogger("ecom_analytics.ui.jobs")


@dataclass
class TrainingJob:
    """State of one training run, shared between the worker thread and the page."""

    key: str
    epochs: int
    status: str = "running"  # running, done, failed
    stage: str = "Starting"
    epoch: int = 0
    history: list[dict] = field(default_factory=list)
    error: str | None = None
    run_id: str | None = None
    started: float = field(default_factory=time.time)
    stop: threading.Event = field(default_factory=threading.Event)

    def seconds_left(self) -> float | None:
        """A rough estimate from the mean epoch time so far (the epoch budget is an upper bound)."""
        if not self.history:
            return None
        per_epoch = self.history[-1].get("seconds", 0) / max(len(self.history), 1)
        return per_epoch * max(self.epochs - self.epoch, 0)


@st.cache_resource
def _jobs() -> dict[str, TrainingJob]:
    return {}


def get(key: str) -> TrainingJob | None:
    """The job with this key, if one was started in this server process."""
    return _jobs().get(key)


def start(key: str, epochs: int, work: Callable[[TrainingJob], str]) -> TrainingJob:
    """Start ``work(job)`` in a thread unless a job with this key is already running.

    ``work`` returns the stored run id; exceptions become ``job.error`` (a sentence for
    ValueError and InputError, a generic one otherwise, the traceback in the server log).
    """
    jobs = _jobs()
    current = jobs.get(key)
    if current is not None and current.status == "running":
        return current
    job = TrainingJob(key=key, epochs=epochs)
    jobs[key] = job

    def run() -> None:
        try:
            job.run_id = work(job)
            job.status = "done"
        except Exception as exc:  # noqa: BLE001 - reported on the page
            from ecom_analytics.errors import InputError

            log.error("training %s failed:\n%s", key, traceback.format_exc())
            job.error = str(exc) if isinstance(exc, (ValueError, InputError)) else \
                f"Training failed unexpectedly ({type(exc).__name__}); the details are in the server log."
            job.status = "failed"

    threading.Thread(target=run, name=f"train-{key}", daemon=True).start()
    return job
