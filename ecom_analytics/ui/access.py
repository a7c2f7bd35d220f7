"""Who may open the app on a shared server: a team password, or the team's own single sign-on.

Two ways, both set in ``.streamlit/secrets.toml`` (git-ignored):

* ``access_password = "..."``: the app asks for it once per **browser session**. After the right
  password the browser gets a signed cookie (``ecom_analytics_access``, no expiry date, so the
  browser drops it when it closes; the server also refuses it after ``access_hours``, default 12).
  Every new tab of that browser opens without asking again. The signature is an HMAC keyed by
  the password and a random server key kept in the workspace (``access_key``, mode 600):
  changing the password signs everybody out.
* an ``[auth]`` section: Streamlit's built-in OpenID Connect login (``st.login``, Google,
  Microsoft Entra, Okta, ...), recommended for teams: each analyst signs in as themselves and
  ``access_emails`` / ``access_domains`` can restrict who gets in.

Either way the page a link points to is kept: the router builds its navigation before asking,
hidden while locked, so the URL (``/overview?orders=...``) is still the one asked for after the
login and no page list is shown before it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from urllib.parse import parse_qsl, urlencode, urlsplit

import streamlit as st

from ecom_analytics.ui.i18n import t

COOKIE = "ecom_analytics_access"
NEXT_COOKIE = "ecom_analytics_next"  # the page a single sign-on started from
GRANTED = "access_granted"
DEFAULT_HOURS = 12.0


# -- signed tokens (pure: tested without Streamlit) ---------------------------------------------
def signing_key(password: str, server_key: bytes) -> bytes:
    """The HMAC key of access cookies: bound to the password and to this server's secret key."""
    return hmac.new(server_key, b"ecom-analytics-access\0" + password.encode("utf-8"), hashlib.sha256).digest()


def issue_token(key: bytes, now: float | None = None) -> str:
    """A cookie value ``<issued unix seconds>.<hex HMAC>`` proving the password was given."""
    issued = str(int(time.time() if now is None else now))
    return f"{issued}.{hmac.new(key, issued.encode(), hashlib.sha256).hexdigest()}"


def token_is_valid(token: object, key: bytes, *, max_age_s: float, now: float | None = None) -> bool:
    """Whether ``token`` was issued with ``key`` less than ``max_age_s`` seconds ago (and not in
    the future by more than a minute of clock skew)."""
    if not isinstance(token, str) or token.count(".") != 1:
        return False
    issued, signature = token.split(".")
    if not issued.isdigit() or len(signature) != 64:
        return False
    expected = hmac.new(key, issued.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(signature, expected):
        return False
    age = (time.time() if now is None else now) - int(issued)
    return -60 <= age <= max_age_s


def safe_next_path(value: object) -> str | None:
    """A path-and-query of this app to return to after a single sign-on, or None when ``value``
    is anything else (an absolute URL elsewhere, a scheme, a protocol-relative //host)."""
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//") or len(value) > 2000:
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or "\\" in value:
        return None
    return value


# -- settings -------------------------------------------------------------------------------------
def _secret(name: str, default=None):
    try:
        return st.secrets.get(name, default)
    except Exception:  # noqa: BLE001 - no secrets file: the server is open
        return default


def _key(password: str) -> bytes:
    from ecom_analytics.ui import state

    return signing_key(password, server_key(state.workspace()))


def server_key(workspace) -> bytes:
    """This server's random key for access cookies, kept in the workspace (``access_key``, mode 600)."""
    return bytes.fromhex(workspace.secret("access_key", 32))


def _max_age_s() -> float:
    try:
        hours = float(_secret("access_hours", DEFAULT_HOURS))
    except (TypeError, ValueError):
        hours = DEFAULT_HOURS
    return max(hours, 0.0) * 3600


def mode() -> str | None:
    """``"sso"`` (an ``[auth]`` section), ``"password"`` (``access_password``) or None (open)."""
    if _secret("auth") and hasattr(st, "login"):
        return "sso"
    if _secret("access_password"):
        return "password"
    return None


def _cookie(name: str) -> str | None:
    """A cookie the browser sent when this session connected."""
    return st.context.cookies.get(name)


# -- the gate ---------------------------------------------------------------------------------------
def _set_cookie(name: str, value: str, *, clear: bool = False) -> None:
    """Write a browser-session cookie from the page (Streamlit has no server-side cookie API)."""
    secure = "; Secure" if (st.context.url or "").startswith("https:") else ""
    expiry = "; Max-Age=0" if clear else ""
    st.html(f"<script>document.cookie = {json.dumps(f'{name}={value}; Path=/; SameSite=Strict{secure}{expiry}')};"
            "</script>", unsafe_allow_javascript=True)


def _current_path() -> str:
    url = urlsplit(st.context.url or "/")
    query = urlencode([(k, v) for k in st.query_params for v in st.query_params.get_all(k)])
    return (url.path or "/") + ("?" + query if query else "")


def gate() -> bool:
    """Whether this session may see the app; draws the sign-in form when it may not.

    Call it before ``st.navigation`` and give the navigation ``position="hidden"`` while it is
    False, so the page a link points to stays the page shown after signing in.
    """
    how = mode()
    if how is None or st.session_state.get(GRANTED):
        return True
    if how == "sso":
        return _sso_gate()
    password = str(_secret("access_password"))
    if token_is_valid(_cookie(COOKIE), _key(password), max_age_s=_max_age_s()):
        st.session_state[GRANTED] = True  # another tab of this browser signed in
        return True
    slot = st.empty()
    with slot.container():
        st.title(t("Ecom Analytics"))
        with st.form("access"):
            given = st.text_input(t("Password"), type="password", key="access_password_input")
            submitted = st.form_submit_button(t("Open"))
        if submitted and not hmac.compare_digest(str(given).encode(), password.encode()):
            st.error(t("That password is not right."), icon=":material/lock:")
    if submitted and hmac.compare_digest(str(given).encode(), password.encode()):
        slot.empty()
        st.session_state[GRANTED] = True
        _set_cookie(COOKIE, issue_token(_key(password)))
        return True
    return False


def _allowed(email: str | None) -> bool:
    emails = [str(e).lower() for e in (_secret("access_emails") or [])]
    domains = [str(d).lower().lstrip("@") for d in (_secret("access_domains") or [])]
    if not emails and not domains:
        return True
    email = (email or "").lower()
    return email in emails or email.rpartition("@")[2] in domains


def _sso_gate() -> bool:
    user = st.user
    if user.is_logged_in:
        if _allowed(user.get("email")):
            st.session_state[GRANTED] = True
            return True
        st.title(t("Ecom Analytics"))
        st.error(t("{email} may not open this app. Ask the person who runs it to add you, or sign in with "
                   "another account.", email=user.get("email") or t("This account")), icon=":material/lock:")
        st.button(t("Sign out"), on_click=st.logout)
        return False
    st.title(t("Ecom Analytics"))
    st.write(t("Sign in with your organisation's account to open the app."))
    _set_cookie(NEXT_COOKIE, _current_path().replace(";", "%3B"))  # come back to this page afterwards
    st.button(t("Sign in"), type="primary", on_click=st.login, icon=":material/login:")
    return False


def return_after_sign_in(pages: list) -> None:
    """After a single sign-on (which always lands on the app's root), open the page the analyst
    started from, with its query parameters, once."""
    wanted = safe_next_path(_cookie(NEXT_COOKIE))
    if mode() != "sso" or wanted is None or st.session_state.get("access_returned"):
        return
    st.session_state["access_returned"] = True
    _set_cookie(NEXT_COOKIE, "", clear=True)
    parts = urlsplit(wanted)
    path = parts.path.strip("/").rsplit("/", 1)[-1]
    for page in pages:
        if page.url_path == path and path:
            st.switch_page(page, query_params=parse_qsl(parts.query))


def sign_out_button() -> None:
    """A sidebar button that ends this browser's access (the password again, or a new sign-in)."""
    how = mode()
    if how is None:
        return
    if st.sidebar.button(t("Sign out"), icon=":material/logout:", key="access_sign_out"):
        st.session_state.pop(GRANTED, None)
        if how == "sso":
            st.logout()
        _set_cookie(COOKIE, "", clear=True)
        st.info(t("Signed out. Close this tab, or reload it to sign in again."), icon=":material/lock:")
        st.stop()
