"""AppTest: the Features page computes only its open tab and keeps it in the link (issue #21:
the page's first draw took 2.4 s, the correlation heatmap and histogram drawn behind closed tabs)."""

from __future__ import annotations

from tests.app.test_insight_pages import home, ids, open_page  # noqa: F401  (fixtures)


def test_the_table_tab_draws_no_chart(ids):  # noqa: F811
    at = open_page("pages/features.py", ids)
    assert not at.get("plotly_chart") and not at.get("imgs")  # no histogram, no heatmap behind closed tabs
    assert at.dataframe[0].value.shape[0] == 4  # the customer table


def test_a_link_opens_the_correlations_tab(ids):  # noqa: F811
    at = open_page("pages/features.py", {**ids, "ft_tab": "Correlations"})
    assert at.get("imgs") or at.get("pyplot") or any("Spearman correlation" in c.value for c in at.caption)
    assert not at.get("plotly_chart")
