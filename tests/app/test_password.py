"""An optional access password (Streamlit secrets) protects a shared server."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ecom_analytics.store import Workspace
from ecom_analytics.ui import access

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def _gated(tmp_path, monkeypatch, page: str | None = None) -> AppTest:
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["access_password"] = "s3cret"
    if page:
        at.switch_page(page)
    at.run()
    return at


def test_password_required_when_set(tmp_path, monkeypatch):
    at = _gated(tmp_path, monkeypatch)
    assert not at.exception
    assert not any(b.label == "Load the sample data" for b in at.button)  # nothing behind the gate
    at.text_input(key="access_password_input").set_value("wrong")
    at.button[0].click().run()
    assert any("not right" in e.value for e in at.error)
    at.text_input(key="access_password_input").set_value("s3cret")
    at.button[0].click().run()
    assert any(b.label == "Load the sample data" for b in at.button)
    assert any(b.label == "Sign out" for b in at.sidebar.button)


def test_a_deep_link_opens_its_own_page_after_the_password(tmp_path, monkeypatch):
    at = _gated(tmp_path, monkeypatch, page="pages/segments.py")
    assert not any("No orders loaded yet" in i.value for i in at.info)  # the page does not run before
    at.text_input(key="access_password_input").set_value("s3cret")
    at.button[0].click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["RFM segments"]  # the linked page, not Home
    assert any("No orders loaded yet" in i.value for i in at.info)


def test_another_tab_of_a_signed_in_browser_is_not_asked_again(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))
    # the cookie a first tab received: signed with this server's key and the password
    key = access.signing_key("s3cret", access.server_key(Workspace(tmp_path / "ws")))
    cookies = {access.COOKIE: access.issue_token(key)}
    monkeypatch.setattr(access, "_cookie", cookies.get)
    at = _gated(tmp_path, monkeypatch)
    assert not at.text_input, "a valid cookie must open the app without the password"
    assert any(b.label == "Load the sample data" for b in at.button)

    # a cookie signed for another password (the password changed) or forged asks again
    for value in (access.issue_token(access.signing_key("old password", access.server_key(Workspace(tmp_path / "ws")))),
                  "1700000000." + "0" * 64):
        cookies[access.COOKIE] = value
        at = _gated(tmp_path, monkeypatch)
        assert at.text_input(key="access_password_input")
        assert not any(b.label == "Load the sample data" for b in at.button)


def test_open_without_a_password(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert any(b.label == "Load the sample data" for b in at.button)
    assert not any(b.label == "Sign out" for b in at.sidebar.button)


AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "id",
        "client_secret": "secret", "server_metadata_url": "https://accounts.example/.well-known/openid-configuration"}


def _sso(tmp_path, monkeypatch, user: dict, page: str | None = None, **secrets) -> AppTest:
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = AUTH
    for key, value in secrets.items():
        at.secrets[key] = value
    at.user = user
    if page:
        at.switch_page(page)
    at.run()
    return at


def test_single_sign_on_asks_to_sign_in_and_lets_the_team_in(tmp_path, monkeypatch):
    at = _sso(tmp_path, monkeypatch, {"is_logged_in": False})
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert not any(b.label == "Load the sample data" for b in at.button)

    at = _sso(tmp_path, monkeypatch, {"is_logged_in": True, "email": "ana@shop.example"},
              access_domains=["shop.example"])
    assert any(b.label == "Load the sample data" for b in at.button)

    at = _sso(tmp_path, monkeypatch, {"is_logged_in": True, "email": "eve@elsewhere.example"},
              access_domains=["shop.example"], access_emails=["bob@partner.example"])
    assert any("may not open this app" in e.value for e in at.error)
    assert not any(b.label == "Load the sample data" for b in at.button)


def test_single_sign_on_returns_to_the_linked_page(tmp_path, monkeypatch):
    # the sign-in started on /segments?lang=zh; the provider sends the browser back to the root
    monkeypatch.setattr(access, "_cookie", {access.NEXT_COOKIE: "/segments?lang=zh"}.get)
    at = _sso(tmp_path, monkeypatch, {"is_logged_in": True, "email": "ana@shop.example"})
    assert not at.exception
    assert [t.value for t in at.title] == ["RFM 分群"]
    monkeypatch.setattr(access, "_cookie", {access.NEXT_COOKIE: "https://evil.example/segments"}.get)
    at = _sso(tmp_path, monkeypatch, {"is_logged_in": True, "email": "ana@shop.example"})
    assert any(b.label == "Load the sample data" for b in at.button)  # Home: a foreign address is not followed
