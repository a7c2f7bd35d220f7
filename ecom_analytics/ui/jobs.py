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

import numpy as np
import streamlit as st

from ecom_analytics.errors import Note

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
    error: str | Note | None = None  # an InputError's coded note, or a sentence (shown with te)
    run_id: str | None = None
    started: float = field(default_factory=time.time)
    stop: threading.Event = field(default_factory=threading.Event)

    phase: str = "fit"  # "fit" (the evaluated model, with validation), then "refit" (on every labelled cutoff)
    refit_epochs: int = 0
    refit_epoch: int = 0
    refit_seconds: float = 0.0
    _shown: float | None = None
    # a run of every task at once (start_all): the share of the work done, the seconds left
    # (ecom_analytics.predict.all_tasks.SecondsLeft) and, once done, the AllRun
    share: float = 0.0
    left: float | None = None
    result: object = None

    def record(self, epoch: int, logs: dict) -> None:
        """One finished epoch reported by the training thread (``logs["phase"] == "refit"`` for the refit)."""
        if logs.get("phase") == "refit":
            self.phase, self.refit_epochs, self.refit_epoch = "refit", int(logs["epochs"]), epoch
            self.refit_seconds = float(logs.get("seconds", 0.0))
            return
        self.epoch = epoch
        self.history.append({"epoch": epoch, **logs})

    def seconds_left(self) -> float | None:
        """At most how many seconds are left: the remaining epochs of the budget, plus a refit of as
        many epochs as the best so far on the larger labelled set (about 1.5 times an epoch's time),
        at the recent epochs' pace (median of the last five, so one slow epoch does not swing it).
        The number shown never grows by more than half between two updates."""
        if not self.history:
            return None
        times = [h.get("seconds", 0.0) for h in self.history]
        steps = np.diff([0.0, *times])[-5:]
        per_epoch = float(np.median(steps)) if len(steps) else 0.0
        if self.phase == "refit":
            per_refit = self.refit_seconds / max(self.refit_epoch, 1)
            raw = per_refit * max(self.refit_epochs - self.refit_epoch, 0)
        else:
            best = min(range(len(self.history)), key=lambda i: _loss(self.history[i])) + 1
            raw = per_epoch * (max(self.epochs - self.epoch, 0) + 1.5 * best)
        shown = raw if self._shown is None else min(raw, 1.5 * self._shown)
        self._shown = shown
        return shown


def _loss(entry: dict) -> float:
    value = entry.get("val_loss", entry.get("loss"))
    return float(value) if value is not None and np.isfinite(value) else float("inf")


@st.cache_resource
def _jobs() -> dict[str, TrainingJob]:
    return {}


def get(key: str) -> TrainingJob | None:
    """The job with this key, if one was started in this server process."""
    return _jobs().get(key)


def start(key: str, epochs: int, work: Callable[[TrainingJob], str]) -> TrainingJob:
    """Start ``work(job)`` in a thread unless a job with this key is already running.

    ``work`` returns the stored run id; exceptions become ``job.error`` (an InputError's coded note,
    the sentence of a ValueError, a generic one otherwise, the traceback in the server log).
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
            job.error = exc.note if isinstance(exc, InputError) else str(exc) if isinstance(exc, ValueError) else \
                f"Training failed unexpectedly ({type(exc).__name__}); the details are in the server log."
            job.status = "failed"

    threading.Thread(target=run, name=f"train-{key}", daemon=True).start()
    return job


def start_prediction(workspace, datasets: dict[str, str | None], settings) -> TrainingJob:
    """Start the customer-prediction run (:func:`ecom_analytics.predict.run.run`) of ``settings`` on
    the stored ``datasets`` in a thread, keyed by its run id: each step becomes ``job.stage``, each
    epoch a point of ``job.history``, the Stop button ends the neural model's training; the run is
    saved in the workspace's registry."""

    def work(job: TrainingJob) -> str:
        from ecom_analytics.predict.run import run

        def on_progress(_share: float, step: str) -> None:
            job.stage = step

        done = run(workspace, datasets, settings, on_progress, on_epoch=job.record, should_stop=job.stop.is_set)
        return done.run_id or settings.run_id(datasets)

    epochs = int(dict(settings.neural).get("epochs", 100))
    return start(settings.run_id(datasets), epochs, work)


def all_key(datasets: dict[str, str | None], settings) -> str:
    """The key of the run of every task at once with ``settings`` (an
    :class:`ecom_analytics.predict.all_tasks.AllSettings`) on ``datasets``."""
    return "all-" + repr((sorted(datasets.items(), key=lambda item: item[0]), settings))


def start_all(workspace, datasets: dict[str, str | None], settings) -> TrainingJob:
    """Start the run of every task at once (:func:`ecom_analytics.predict.all_tasks.run_all`) on the
    stored ``datasets`` in a thread: each step becomes ``job.stage``, the share done ``job.share``,
    the seconds left ``job.left`` (never growing by more than half between two steps); each task's
    run is saved in the workspace's registry, and the whole run is ``job.result`` once done."""

    def work(job: TrainingJob) -> str:
        from ecom_analytics.predict.all_tasks import SecondsLeft, run_all

        left = SecondsLeft()

        def on_progress(share: float, step) -> None:
            job.share, job.stage, job.left = share, step, left(share)

        job.result = run_all(workspace, datasets, settings, on_progress)
        return job.key

    epochs = int(dict(settings.neural).get("epochs", 100))
    return start(all_key(datasets, settings), epochs, work)
