"""How long a download URL answers on a shared server (issue #14).

Streamlit serves downloads from ``/media/<id>`` without a session or login check. This starts the
app (``streamlit run app.py``) on a free port with a fresh workspace, loads the sample data in
headless Chromium, clicks the Products page's CSV download, then asks for that URL with no
cookie every ``--every`` seconds, the tab left open and idle, until it stops answering.

    python benchmarks/download_exposure.py [--every 15] [--give-up 600]

Prints whether any /media link existed before the click (the files are built only when clicked),
the first line of the file received, and the seconds after the click during which the URL still
answered 200. Needs Debian's chromium at /usr/bin/chromium and the playwright package.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("ECOM_ANALYTICS_CHROMIUM", "/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _settle(page, timeout: float = 300) -> None:
    page.wait_for_selector("[data-testid='stApp']", timeout=30_000)
    time.sleep(1.5)
    end = time.time() + timeout
    while time.time() < end:
        if page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").count():
            time.sleep(1.0)
            return
        time.sleep(0.3)
    raise SystemExit("the page did not finish running")


def _status(url: str):
    try:
        return urllib.request.urlopen(url, timeout=5).status
    except Exception as exc:  # noqa: BLE001 - any answer but 200 ends the exposure
        return getattr(exc, "code", type(exc).__name__)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=float, default=15.0, help="seconds between two requests")
    parser.add_argument("--give-up", type=float, default=600.0, help="stop asking after this many seconds")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "ECOM_ANALYTICS_HOME": home, "TF_CPP_MIN_LOG_LEVEL": "3"}
        server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                                   "--server.headless", "true", "--server.address", "127.0.0.1"],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(120):
                if _status(base + "/_stcore/health") == 200:
                    break
                time.sleep(0.5)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM,
                                            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
                page = browser.new_context(accept_downloads=True).new_page()
                page.goto(base + "/")
                _settle(page)
                page.get_by_role("button", name="Load the sample data").click()
                _settle(page)
                page.goto(base + "/products?" + page.url.split("?", 1)[1])
                _settle(page)
                before = page.locator("a[href*='/media/']").count()
                media: list[str] = []
                page.on("request", lambda r: media.append(r.url) if "/media/" in r.url else None)
                with page.expect_download() as download:
                    page.get_by_role("button", name="Download the product report (CSV)").click()
                first_line = Path(download.value.path()).read_text(encoding="utf-8").splitlines()[0]
                clicked = time.time()
                print(f"/media links on the page before the click: {before}")
                print(f"received {download.value.suggested_filename}: {first_line[:100]}")
                if not media:
                    print("no /media request seen")
                    return 1
                answered = 0.0
                while time.time() - clicked < args.give_up:
                    status = _status(media[-1])
                    elapsed = time.time() - clicked
                    print(f"  {elapsed:6.0f} s after the click: {status}", flush=True)
                    if status != 200:
                        break
                    answered = elapsed
                    time.sleep(args.every)
                print(f"the download URL answered without a session for {answered:.0f} s after the click "
                      f"(checked every {args.every:.0f} s, tab open and idle)")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
