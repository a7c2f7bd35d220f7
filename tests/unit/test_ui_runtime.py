"""The app's change to Streamlit's runtime (ecom_analytics/ui/runtime.py): after each script run
Streamlit cleared Keras' session (a full garbage collection), every second while the Model page's
progress fragment polled a training thread, which made training the default model on the sample
take 104-156 s with the page open against 27.6 s with it closed (first visit to a downloaded audience
323.5 s -> 40.1 s, ``python benchmarks/responsiveness.py --audience``). The cleaner now only closes
matplotlib's figures, and the forced collection after each run is off in .streamlit/config.toml."""

from __future__ import annotations

import sys
import tomllib
import types
from pathlib import Path

from streamlit.runtime.scriptrunner import script_runner

from ecom_analytics.ui import runtime

ROOT = Path(__file__).resolve().parents[2]


def test_streamlit_still_has_the_cleaner_the_app_replaces():
    # a Streamlit upgrade that renames it fails here, not silently in the app
    original = runtime.streamlit_cleaner()
    assert callable(original) and original.__module__ == script_runner.__name__


def test_the_cleaner_keeps_keras_and_closes_figures(monkeypatch):
    # Streamlit's own (an AppTest of app.py earlier in this process may have replaced it already)
    monkeypatch.setattr(script_runner, "_clean_problem_modules", runtime.streamlit_cleaner())
    calls = []
    fake_keras = types.SimpleNamespace(backend=types.SimpleNamespace(clear_session=lambda: calls.append("keras")))
    fake_plt = types.SimpleNamespace(close=lambda which: calls.append(f"plt:{which}"))
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", fake_plt)
    real_keras = sys.modules.get("keras")
    sys.modules["keras"] = fake_keras  # put back before the test ends (conftest's TensorFlow check looks then)
    try:
        script_runner._clean_problem_modules()  # Streamlit's own: clears Keras, closes the figures
        assert calls == ["keras", "plt:all"]
        calls.clear()
        assert runtime.keep_keras_state() is True
        script_runner._clean_problem_modules()  # the app's: only the figures
        assert calls == ["plt:all"]
    finally:
        if real_keras is None:
            del sys.modules["keras"]
        else:
            sys.modules["keras"] = real_keras


def test_without_the_cleaner_nothing_changes(monkeypatch):
    monkeypatch.delattr(script_runner, "_clean_problem_modules")
    assert runtime.keep_keras_state() is False


def test_no_forced_collection_after_each_run():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False


def test_the_app_applies_it(monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    monkeypatch.setattr(script_runner, "_clean_problem_modules", runtime.streamlit_cleaner())
    before = script_runner._clean_problem_modules
    AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert script_runner._clean_problem_modules is runtime.close_matplotlib_figures is not before
