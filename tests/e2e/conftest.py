"""A real browser (Debian's Chromium through Playwright) against `streamlit run app.py`."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("ECOM_ANALYTICS_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "artifacts" / "screenshots"
# Streamlit probes <page>/_stcore/health and host-config, which answer 404 on page URLs.
BENIGN = ("/_stcore/health", "/_stcore/host-config")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(home: Path, *extra: str):
    """Start `streamlit run app.py` on a free port with its workspace in ``home``; yields its base URL."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium (apt-get install -y chromium)")
    pytest.importorskip("playwright.sync_api", reason="playwright is in requirements-dev.txt")
    port = _free_port()
    env = {**os.environ, "ECOM_ANALYTICS_HOME": str(home), "TF_CPP_MIN_LOG_LEVEL": "3"}
    log = open(home / "server.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.headless", "true", "--server.address", "127.0.0.1", *extra],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(base + "/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start: " + (home / "server.log").read_text()[-2000:])
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    yield from _serve(tmp_path_factory.mktemp("e2e_workspace"))


@pytest.fixture(scope="session")
def gated_server(tmp_path_factory):
    """A second server whose secrets set an access password ("s3cret")."""
    home = tmp_path_factory.mktemp("e2e_gated")
    (home / "secrets.toml").write_text('access_password = "s3cret"\n')
    yield from _serve(home, "--secrets.files", str(home / "secrets.toml"))


@pytest.fixture(scope="session")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM,
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


class Page:
    """A browser tab that records console errors and knows when Streamlit has finished a run."""

    def __init__(self, browser, base: str):
        self.base = base
        self.context = browser.new_context(viewport={"width": 1400, "height": 1800})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))

    def _console(self, msg) -> None:
        if msg.type != "error":
            return
        location = (msg.location or {}).get("url", "")
        if any(b in location for b in BENIGN) or (
                "status of 404" in msg.text and any(b in location for b in BENIGN)):
            return
        self.errors.append(f"{msg.text} ({location})")

    def settle(self, timeout: float = 120) -> None:
        """Wait until the script run is over and no spinner is left."""
        page = self.page
        page.wait_for_selector("[data-testid='stApp']", timeout=30_000)
        time.sleep(1.0)
        # done: a run has ended ("notRunning"; a fresh page is "initial" until its first run starts,
        # which can take over a second on a loaded machine) and no spinner is left, twice in a row
        done = "[data-testid='stApp'][data-test-script-state='notRunning']"
        end = time.time() + timeout
        while time.time() < end:
            if page.locator(done).count() and not page.locator("[data-testid='stSpinner']").count():
                time.sleep(0.8)
                if page.locator(done).count():
                    return
            time.sleep(0.4)
        raise AssertionError("the page did not finish running")

    def shows(self, text, timeout: float = 30, **kw) -> bool:
        """Whether the page shows ``text`` (a string or a compiled regex) within ``timeout`` seconds:
        a fresh browser context draws some elements a few seconds after the run that sent them."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            self.page.get_by_text(text, **kw).first.wait_for(state="attached", timeout=timeout * 1000)
        except PlaywrightTimeout:
            return False
        return True

    def goto(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.settle()

    def check(self, name: str) -> None:
        """Save a screenshot and fail on an exception box or a console error."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        boxes = self.page.locator("[data-testid='stException']")
        assert boxes.count() == 0, f"{name}: exception shown: {boxes.first.inner_text()[:500]}"
        # an unexpected failure caught by widgets.friendly_errors: no traceback, but a bug all the same
        caught = self.page.get_by_text(re.compile("failed unexpectedly|意外失败"))
        assert caught.count() == 0, f"{name}: {caught.first.inner_text()[:300]}"
        assert not self.errors, f"{name}: console errors: {self.errors}"

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def tab(browser, server):
    t = Page(browser, server)
    yield t
    t.close()
