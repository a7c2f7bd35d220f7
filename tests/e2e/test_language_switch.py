"""End to end in Chromium (issue #21): switching Chinese -> English on Predictions opened from a
link redraws the trained-model box and the "Scores of" choice in English. The browser keeps a
keyed widget's choice as the label it showed, which AppTest cannot see."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import _serve

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def saved_run(tmp_path_factory):
    """(base URL of a server, orders id, run id): a purchase run (recency rule, logistic
    regression) on 200 synthetic customers, saved in the server's workspace."""
    from tests.fixtures import save_small_run

    home = tmp_path_factory.mktemp("e2e_language")
    orders_id, run_id = save_small_run(home)
    server = _serve(home)
    base = next(server)
    yield base, orders_id, run_id
    next(server, None)


def test_chinese_to_english_redraws_the_run_box_and_the_scores_choice(saved_run, browser):
    base, orders_id, run_id = saved_run
    page = browser.new_page(viewport={"width": 1400, "height": 1000})  # the session's Chromium (one Playwright)
    try:
        page.goto(f"{base}/predictions?orders={orders_id}&run={run_id}&lang=zh", timeout=120_000)
        page.get_by_text("已训练的模型").first.wait_for(timeout=120_000)
        page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
        page.get_by_role("option", name="English").click()
        page.get_by_text("Trained model").first.wait_for(timeout=60_000)
        page.wait_for_timeout(2000)
        box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Trained model").first
        shown = box.locator("input").first.input_value()  # the choice the box shows
        assert shown.startswith("purchase · H = 30 days"), shown
        radio = page.locator('[data-testid="stRadio"]').filter(has_text="Scores of").first
        assert radio.locator("input[type=radio]:checked").count() == 1
    finally:
        page.close()
