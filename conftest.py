"""Test set-up shared by every test under tests/.

- The whole session runs with ``ECOM_ANALYTICS_HOME`` pointing at a temporary folder, so no
  test (or code it calls without an explicit workspace) writes ``./workspace``.
- ``workspace``: an empty :class:`ecom_analytics.store.Workspace` in the test's ``tmp_path``.
- ``shared_data``: the folder of real data files (``../shared/data``); tests that use it are
  skipped with a reason when it is absent (e.g. on a user's machine).
- Test tiers (markers registered in ``pyproject.toml``): ``slow`` (the full real files, the
  AppTests of tests/app, tests of many seconds), ``e2e`` (a real browser), ``keras`` (trains a
  Keras model). The fast tier for development
  is ``python -m pytest -m "not slow and not e2e and not keras"``. A test that imports TensorFlow
  in this process without the ``keras`` marker fails, saying so, so the fast tier stays fast.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
SHARED_DATA = (ROOT.parent / "shared" / "data").resolve()

_SESSION_HOME: str | None = None
_PREVIOUS_HOME: str | None = None


def pytest_configure(config: pytest.Config) -> None:
    """Point ECOM_ANALYTICS_HOME at a session folder before any test module is imported, and run
    OpenMP (scikit-learn's gradient boosting, BLAS) on one thread unless the caller chose: on a
    loaded 2-core machine its default of one thread per core is oversubscribed (the Model page's
    baselines on the sample took 67 s with it and 8 s with one thread, load average 8)."""
    global _SESSION_HOME, _PREVIOUS_HOME
    _PREVIOUS_HOME = os.environ.get("ECOM_ANALYTICS_HOME")
    _SESSION_HOME = tempfile.mkdtemp(prefix="ecom-analytics-tests-")
    os.environ["ECOM_ANALYTICS_HOME"] = _SESSION_HOME
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # inherited by the e2e server and CLI subprocesses


def pytest_unconfigure(config: pytest.Config) -> None:
    if _PREVIOUS_HOME is None:
        os.environ.pop("ECOM_ANALYTICS_HOME", None)
    else:
        os.environ["ECOM_ANALYTICS_HOME"] = _PREVIOUS_HOME
    if _SESSION_HOME:
        shutil.rmtree(_SESSION_HOME, ignore_errors=True)


_TF_BEFORE = pytest.StashKey[bool]()


def _tensorflow_loaded() -> bool:
    return "tensorflow" in sys.modules or "keras" in sys.modules


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Note whether TensorFlow was loaded before this test's fixtures are set up."""
    item.stash[_TF_BEFORE] = _tensorflow_loaded()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A test (or its fixtures) that loads TensorFlow for the first time in this process must carry
    the ``keras`` marker: else its call is reported failed, naming the marker to add."""
    outcome = yield
    report = outcome.get_result()
    if (call.when == "call" and report.passed and item.stash.get(_TF_BEFORE, True) is False
            and _tensorflow_loaded() and item.get_closest_marker("keras") is None):
        report.outcome = "failed"
        report.longrepr = (f"{item.nodeid} loaded TensorFlow (it trains a Keras model) but has no "
                           "@pytest.mark.keras: add the marker so the fast tier leaves it out.")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The AppTests (tests/app: whole pages through Streamlit's test runner, 2-10 s each on a
    loaded machine, about 7 minutes for the folder) are in the slow tier; run ``python -m pytest
    tests/app`` for the pages you touched."""
    app_tests = ROOT / "tests" / "app"
    for item in items:
        if item.path.is_relative_to(app_tests):
            item.add_marker(pytest.mark.slow)


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
