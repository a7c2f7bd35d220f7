"""Campaign segments in the order an analyst reads them (issue #21: they sorted as text)."""

import numpy as np
import pandas as pd

from ecom_analytics.campaign.effects import segment_effects, segment_order


def test_money_bands_sort_by_their_first_number():
    bands = ["$1,000 +", "$100 - $200", "$0 - $100", "$500 - $750", "$200 - $350"]
    assert segment_order(bands) == ["$0 - $100", "$100 - $200", "$200 - $350", "$500 - $750", "$1,000 +"]
    assert segment_order(["2) $100 - $200", "1) $0 - $100", "10) $1,000 +"]) == \
        ["1) $0 - $100", "2) $100 - $200", "10) $1,000 +"]


def test_labels_without_numbers_sort_alphabetically():
    assert segment_order(["Urban", "Rural", "Surburban"]) == ["Rural", "Surburban", "Urban"]
    assert segment_order(["gold", "tier 2", "silver"]) == ["gold", "silver", "tier 2"]  # not all numbered


def test_segment_effects_rows_follow_that_order():
    rng = np.random.default_rng(0)
    bands = ["$1,000 +", "$100 - $200", "$0 - $100"]
    table = pd.DataFrame({"arm": np.tile(["control", "email"], 300), "band": np.repeat(bands, 200),
                          "visit": rng.integers(0, 2, 600)})
    out = segment_effects(table, "visit", "control", "band")
    assert list(dict.fromkeys(out["segment"])) == ["$0 - $100", "$100 - $200", "$1,000 +"]
