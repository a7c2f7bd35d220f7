"""What the app changes in Streamlit's own runtime, and why.

After every script run, fragment reruns included, Streamlit calls
``streamlit.runtime.scriptrunner.script_runner._clean_problem_modules``, which clears Keras' session
(``keras.backend.clear_session()``: Keras' global state reset and a full garbage collection) whenever
Keras is imported. The Model page's progress fragment reruns every second while a network trains in a
background thread, so that clearing ran every second beside the training: on the sample, training the
default model took 104 s with the page open against 27.6 s with it closed (``runs' own seconds``:
neural 48 s against 10.5 s), and it reset Keras' global state under a model being fitted. The app
builds Keras models only inside its training threads and keeps no model per rerun, so nothing needs
clearing: the cleaner is replaced by one that still closes matplotlib's figures (the other half of
Streamlit's cleaner). ``.streamlit/config.toml`` also turns off the forced ``gc.collect(2)`` after each
run (``runner.postScriptGC``) for the same reason.
"""

from __future__ import annotations

import sys

from streamlit.runtime.scriptrunner import script_runner


def close_matplotlib_figures() -> None:
    """What Streamlit's cleaner does besides clearing Keras: close every matplotlib figure."""
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        try:
            plt.close("all")
        except Exception:  # noqa: BLE001 - a cleaner must never break a page
            pass


_streamlit_cleaner = None


def keep_keras_state() -> bool:
    """Replace Streamlit's after-run cleaner (see the module docstring). Returns False, changing
    nothing, when this Streamlit has no such function (its tests then say so)."""
    global _streamlit_cleaner
    current = getattr(script_runner, "_clean_problem_modules", None)
    if not callable(current):
        return False
    if current is not close_matplotlib_figures:
        _streamlit_cleaner = current
    script_runner._clean_problem_modules = close_matplotlib_figures
    return True


def streamlit_cleaner():
    """Streamlit's own cleaner, whether or not the app has replaced it in this process."""
    return _streamlit_cleaner or getattr(script_runner, "_clean_problem_modules", None)
