"""Test set-up shared by every test under tests/.

- The whole session runs with ``ECOM_ANALYTICS_HOME`` pointing at a temporary folder, so no
  test (or code it calls without an explicit workspace) writes ``./workspace``.
- ``workspace``: an empty :class:`ecom_analytics.store.Workspace` in the test's ``tmp_path``.
- ``shared_data``: the folder of real data files (``../shared/data``); tests that use it are
  skipped with a reason when it is absent (e.g. on a user's machine).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
SHARED_DATA = (ROOT.parent / "shared" / "data").resolve()

_SESSION_HOME: str | None = None
_PREVIOUS_HOME: str | None = None


def pytest_configure(config: pytest.Config) -> None:
    """Point ECOM_ANALYTICS_HOME at a session folder before any test module is imported."""
    global _SESSION_HOME, _PREVIOUS_HOME
    _PREVIOUS_HOME = os.environ.get("ECOM_ANALYTICS_HOME")
    _SESSION_HOME = tempfile.mkdtemp(prefix="ecom-analytics-tests-")
    os.environ["ECOM_ANALYTICS_HOME"] = _SESSION_HOME


def pytest_unconfigure(config: pytest.Config) -> None:
    if _PREVIOUS_HOME is None:
        os.environ.pop("ECOM_ANALYTICS_HOME", None)
    else:
        os.environ["ECOM_ANALYTICS_HOME"] = _PREVIOUS_HOME
    if _SESSION_HOME:
        shutil.rmtree(_SESSION_HOME, ignore_errors=True)


@pytest.fixture()
def workspace(tmp_path):
    """An empty workspace of its own for one test."""
    from ecom_analytics.store import Workspace

    return Workspace(tmp_path / "workspace")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` (resolved); skips the test when the folder is not there."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data not present: real-data checks need it")
    return SHARED_DATA
