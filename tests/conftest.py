"""Fixtures shared by the test folders (builders of files and frames are in tests/fixtures.py;
the session's workspace set-up is in the repository's conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture()
def tiny_neural(monkeypatch):
    """The CLI's ``train_and_evaluate`` with a tiny neural model (one layer of 8, 3 epochs);
    returns the list of ``neural_params`` the CLI passed, one per call."""
    from ecom_analytics.predict import training

    calls = []
    original = training.train_and_evaluate

    def tiny(*args, neural_params=None, **kwargs):
        calls.append(neural_params)
        return original(*args, neural_params={**(neural_params or {}), "hidden": (8,), "epochs": 3}, **kwargs)

    monkeypatch.setattr(training, "train_and_evaluate", tiny)
    return calls
