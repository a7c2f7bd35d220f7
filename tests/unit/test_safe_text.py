"""Names drawn in markdown (products, datasets, saved segments): Markdown characters never format
them, and HTML characters are escaped only where the markdown renders HTML (an apostrophe in
"PAPER CHAIN KIT 50'S CHRISTMAS" showed as &#x27; on the Overview's What changed)."""

from ecom_analytics.ui.widgets import safe_text


def test_an_apostrophe_stays_an_apostrophe_in_plain_markdown():
    assert safe_text("PAPER CHAIN KIT 50'S CHRISTMAS") == "PAPER CHAIN KIT 50'S CHRISTMAS"
    assert safe_text("*bold* [link](x)") == "\\*bold\\* \\[link\\]\\(x\\)"


def test_html_is_escaped_where_the_markdown_renders_it():
    assert safe_text("<b>50'S</b> & co", html=True) == "&lt;b&gt;50'S&lt;/b&gt; &amp; co"
