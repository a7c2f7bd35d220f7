"""An optional access password (Streamlit secrets) protects a shared server."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_password_required_when_set(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["access_password"] = "s3cret"
    at.run()
    assert not at.exception
    assert not any(b.label == "Load the sample data" for b in at.button)  # nothing behind the gate
    at.text_input(key="access_password_input").set_value("wrong")
    at.button[0].click().run()
    assert any("not right" in e.value for e in at.error)
    at.text_input(key="access_password_input").set_value("s3cret")
    at.button[0].click().run()
    assert any(b.label == "Load the sample data" for b in at.button)


def test_open_without_a_password(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert any(b.label == "Load the sample data" for b in at.button)
