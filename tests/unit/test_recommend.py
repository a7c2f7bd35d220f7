"""Recommendations (ecom_analytics.recommend) on small hand-made interactions with hand-computed answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecom_analytics.errors import InputError
from ecom_analytics.recommend import (ALS, EASE, POPULAR_REASON, ContentBased, Hybrid, ItemKNN, NotFittedError,
                                      Popularity, SequenceGRU, build_interactions, coverage, evaluate_models,
                                      product_catalogue, purchase_sequences, ranking_metrics, time_split)

NAMES = {"A": "RED HEART MUG", "B": "BLUE HEART MUG", "C": "PAPER NAPKINS", "D": "GARDEN TROWEL",
         "E": "GARDEN GLOVES", "F": "TEA TOWEL", "G": "TEA CANISTER", "H": "PARTY BUNTING"}


def orders_from(baskets: dict[str, list[str]], start: str = "2024-01-01", step_days: int = 1) -> pd.DataFrame:
    """One order line per (customer, product), the products of each customer bought on consecutive days."""
    rows = [(c, p, pd.Timestamp(start) + pd.Timedelta(days=step_days * i))
            for c, products in baskets.items() for i, p in enumerate(products)]
    frame = pd.DataFrame(rows, columns=["customer_id", "product_id", "timestamp"])
    frame["product_name"] = frame["product_id"].map(NAMES)
    frame["category"] = pd.NA
    return frame.astype({"customer_id": "string", "product_id": "string"})


# A and B always go together, as do D and E; C is bought by nearly everyone.
BASKETS = {"u1": ["A", "B", "C"], "u2": ["A", "B", "C"], "u3": ["A", "B"], "u4": ["D", "E", "C"],
           "u5": ["D", "E", "C"], "u6": ["D", "E"], "u7": ["F", "G", "C"], "u8": ["A"], "u9": ["D"],
           "u10": ["F", "G", "H", "C"]}


@pytest.fixture(scope="module")
def data():
    orders = orders_from(BASKETS)
    return build_interactions(orders), product_catalogue(orders)


def all_models():
    return [Popularity(30), ItemKNN(shrink=0.0), EASE(l2=1.0), ALS(factors=4, iterations=3), ContentBased(),
            pytest.param(SequenceGRU(embedding_dim=4, units=4, max_length=4, epochs=1, batch_size=4),
                         marks=pytest.mark.keras),
            Hybrid([EASE(l2=1.0), Popularity(30)], [1.0, 0.5])]


# -- metrics -------------------------------------------------------------------------------

def test_ranking_metrics_match_hand_computed_lists():
    targets = pd.DataFrame({"customer_id": ["a", "a", "b"], "product_id": ["x", "y", "w"]})
    recs = pd.DataFrame({"customer_id": ["a"] * 3 + ["b"] * 3, "rank": [1, 2, 3] * 2,
                         "product_id": ["x", "z", "y", "z", "q", "r"]})
    m = ranking_metrics(recs, targets, k=3)
    # a: hits at ranks 1 and 3 of 2 targets; b: no hit
    ndcg_a = (1 + 1 / np.log2(4)) / (1 + 1 / np.log2(3))
    assert m["hit_rate"] == pytest.approx(0.5)
    assert m["precision"] == pytest.approx((2 / 3) / 2)
    assert m["recall"] == pytest.approx(0.5)
    assert m["ndcg"] == pytest.approx(ndcg_a / 2)
    assert m["map"] == pytest.approx(((1 + 2 / 3) / 2) / 2)
    # at K = 1 only the first product counts; a customer without any list scores 0
    m1 = ranking_metrics(recs, pd.concat([targets, pd.DataFrame({"customer_id": ["c"], "product_id": ["x"]})]), k=1)
    assert m1["hit_rate"] == pytest.approx(1 / 3) and m1["precision"] == pytest.approx(1 / 3)
    assert m1["recall"] == pytest.approx((1 / 2) / 3) and m1["ndcg"] == pytest.approx(1 / 3)


def test_coverage_counts_distinct_products_in_the_lists():
    recs = pd.DataFrame({"customer_id": ["a", "a", "b", "b"], "rank": [1, 2, 1, 2], "product_id": ["x", "y", "x", "z"]})
    assert coverage(recs, 10, k=2) == pytest.approx(0.3)
    assert coverage(recs, 10, k=1) == pytest.approx(0.1)


# -- interactions and split ----------------------------------------------------------------

def test_interactions_weigh_event_types_and_drop_zero_weights():
    orders = orders_from({"u1": ["A"]})
    events = pd.DataFrame({"user_id": ["u1", "u1", "u2", "u2"], "product_id": ["B", "B", "C", "A"],
                           "timestamp": pd.to_datetime(["2024-01-05"] * 4),
                           "event_type": ["view", "cart", "remove_from_cart", "wishlist"]})
    inter = build_interactions(orders, events, weights={"wishlist": 0.0})
    assert inter["weight"].tolist() == [5.0, 1.0, 3.0]  # purchase, view, cart; remove and wishlist dropped
    assert inter["is_purchase"].tolist() == [True, False, False]


def test_split_keeps_the_test_window_out_of_training():
    orders = orders_from({"u1": ["A", "B", "C", "D"], "u2": ["A", "C"], "u3": ["E"]}, step_days=10)
    late = orders_from({"u2": ["A", "E"], "new": ["B"]}, start="2024-02-05")  # u2 rebuys A; "new" has no history
    views = pd.DataFrame({"user_id": ["u3"], "product_id": ["H"], "timestamp": pd.to_datetime(["2024-02-06"]),
                          "event_type": ["view"]})
    inter = build_interactions(pd.concat([orders, late]), views)
    split = time_split(inter, horizon_days=5)
    assert split.end == pd.Timestamp("2024-02-07") and split.cutoff == pd.Timestamp("2024-02-02")
    assert split.train["timestamp"].max() < split.cutoff
    assert len(split.train) == len(inter[inter["timestamp"] < split.cutoff])
    # targets: u2's E only (A bought before, "new" has no history, a view is not a purchase)
    assert split.targets.values.tolist() == [["u2", "E"]]


def test_split_rejects_a_horizon_longer_than_the_data():
    inter = build_interactions(orders_from(BASKETS))
    with pytest.raises(InputError, match="horizon shorter"):
        time_split(inter, horizon_days=400)


def test_too_few_purchases_say_what_is_needed():
    inter = build_interactions(orders_from({"u1": ["A", "B"], "u2": ["A"]}))
    with pytest.raises(InputError, match="at least 20 purchases by 5 customers"):
        ItemKNN().fit(inter)


# -- models --------------------------------------------------------------------------------

@pytest.mark.parametrize("model", all_models(), ids=lambda m: type(m).__name__)
def test_no_model_recommends_what_the_customer_already_bought(model, data):
    inter, catalogue = data
    recs = model.fit(inter, catalogue).recommend(k=5)
    bought = set(zip(inter["customer_id"], inter["product_id"]))
    assert len(recs) > 0 and recs["customer_id"].nunique() == len(BASKETS)
    assert not bought & set(zip(recs["customer_id"], recs["product_id"]))
    assert recs.groupby("customer_id")["rank"].apply(lambda r: r.tolist() == list(range(1, len(r) + 1))).all()
    assert recs["reason"].str.len().gt(0).all()


def test_item_knn_recommends_the_companion_with_its_reason(data):
    inter, catalogue = data
    model = ItemKNN(shrink=0.0).fit(inter, catalogue)
    recs = model.recommend(["u8", "u9"], k=1).set_index("customer_id")
    assert recs.loc["u8", "product_id"] == "B" and recs.loc["u8", "reason"] == "often bought with RED HEART MUG"
    assert recs.loc["u9", "product_id"] == "E" and recs.loc["u9", "reason"] == "often bought with GARDEN TROWEL"
    together = model.similar_items("A", 2)
    assert together["product_id"].iloc[0] == "B"
    # cosine(A, B): 3 common buyers, A has 4, B has 3 -> 3 / sqrt(12)
    assert together["similarity"].iloc[0] == pytest.approx(3 / np.sqrt(12))


def test_ease_and_popularity_reasons(data):
    inter, catalogue = data
    assert EASE(l2=1.0).fit(inter, catalogue).recommend(["u8"], k=1)["product_id"].tolist() == ["B"]
    pop = Popularity(30).fit(inter, catalogue).recommend(["u3"], k=1)
    assert pop["product_id"].tolist() == ["C"] and pop["reason"].tolist() == [POPULAR_REASON]


def test_ease_on_a_catalogue_over_its_limit_models_the_most_bought_products(data):
    """Products by customers: C 7, A 4, D 4, B 3, E 3, F 2, G 2, H 1. With max_items = 5 EASE keeps
    C, A, D, B and E (ties by catalogue order), ranks F, G, H below them and says so."""
    inter, catalogue = data
    full = EASE(l2=1.0).fit(inter, catalogue)
    assert full.note_ is None and len(full.keep_) == 8
    small = EASE(l2=1.0, max_items=5).fit(inter, catalogue)
    assert sorted(small.items_[small.keep_]) == ["A", "B", "C", "D", "E"]
    assert "5 products" in small.note_.english() and "(of 8)" in small.note_.english()
    rows = small.users_.get_indexer(["u8"])
    scores = small._scores(rows)[0]
    kept = np.isin(np.arange(8), small.keep_)
    assert scores[~kept].max() < scores[kept].min()
    recs = small.recommend(["u8", "u7"], k=3)
    assert recs.loc[recs["customer_id"] == "u8", "product_id"].iloc[0] == "B"  # as with the whole catalogue
    assert small.similar_items("A", k=1)["product_id"].tolist() == ["B"]
    assert small.similar_items("H").empty  # bought by one customer: not modelled
    # the same model as before the limit on the products it keeps: EASE of the five-product data
    sub = inter[inter["product_id"].isin(["A", "B", "C", "D", "E"])]
    alone = EASE(l2=1.0).fit(sub, catalogue)
    order = alone.items_.get_indexer(small.items_[small.keep_])
    assert np.allclose(small.B_, alone.B_[np.ix_(order, order)])


def test_content_based_gives_new_products_neighbours(data):
    inter, catalogue = data
    new = pd.DataFrame({"product_name": ["GREEN HEART MUG"], "category": [pd.NA], "brand": [pd.NA],
                        "text": ["GREEN HEART MUG"]}, index=pd.Index(["NEW"], name="product_id"))
    model = ContentBased().fit(inter, pd.concat([catalogue, new]))
    similar = model.similar_items("NEW", 3)
    assert set(similar["product_id"].iloc[:2]) == {"A", "B"}  # the two other heart mugs
    recs = model.recommend(["u8"], k=2)  # bought the red heart mug only
    assert recs["product_id"].iloc[0] in {"B", "NEW"} and set(recs["product_id"]) == {"B", "NEW"}
    assert recs["reason"].iloc[0] == "similar to RED HEART MUG"


def test_unknown_customers_get_popular_products_as_a_fallback(data):
    inter, catalogue = data
    recs = ItemKNN().fit(inter, catalogue).recommend(["nobody"], k=2)
    assert recs["fallback"].all() and recs["product_id"].iloc[0] == "C"
    assert (recs["reason"] == POPULAR_REASON).all()


def test_unknown_product_is_a_clear_error(data):
    inter, catalogue = data
    with pytest.raises(InputError, match="not in the data"):
        ItemKNN().fit(inter, catalogue).similar_items("ZZZ")


def test_using_a_model_before_fit_raises():
    with pytest.raises(NotFittedError, match="call fit"):
        EASE().recommend(["u1"])


def test_hybrid_reason_comes_from_the_strongest_component(data):
    inter, catalogue = data
    recs = Hybrid([ItemKNN(shrink=0.0), Popularity(30)], [1.0, 0.01]).fit(inter, catalogue).recommend(["u8"], k=1)
    assert recs["product_id"].tolist() == ["B"] and recs["reason"].tolist() == ["often bought with RED HEART MUG"]


def test_purchase_sequences_are_right_aligned_in_first_purchase_order(data):
    inter, _ = data
    users, items = pd.Index(["u10", "u8"]), pd.Index(list("ABCDEFGH"))
    seq = purchase_sequences(inter, users, items, 3)
    # u10 bought F, G, H, C: the latest three; u8 bought A only
    assert seq.tolist() == [[7, 8, 3], [0, 0, 1]]


def test_evaluate_models_scores_on_the_window_only():
    early = orders_from(BASKETS)
    later = orders_from({"u8": ["B"], "u9": ["E"], "u3": ["C"]}, start="2024-01-20")
    inter = build_interactions(pd.concat([early, later]))
    split = time_split(inter, horizon_days=3)
    board = evaluate_models({"item_knn": ItemKNN(shrink=0.0), "popularity": Popularity(30)}, split, k=1)
    knn = board.set_index("model").loc["item_knn"]
    pop = board.set_index("model").loc["popularity"]
    # u8 -> B, u9 -> E; u3 (bought A, B) -> C, the only product sharing buyers with them
    # (cos(A, C) = 2 / sqrt(4 * 6), cos(B, C) = 2 / sqrt(3 * 6)): all three right
    assert knn["hit_rate"] == pytest.approx(1.0) and knn["precision"] == pytest.approx(1.0)
    assert pop["hit_rate"] == pytest.approx(1 / 3)  # C for everyone: right for u3 only
    assert board["model"].iloc[0] == "item_knn"
    assert board.attrs["notes"] == []
    capped = evaluate_models({"ease": EASE(l2=1.0, max_items=3),
                              "hybrid": Hybrid([EASE(l2=1.0, max_items=3), Popularity(30)], [1.0, 0.5])}, split, k=1)
    assert len(capped.attrs["notes"]) == 1 and capped.attrs["notes"][0].english().startswith("EASE models the 3 products")


@pytest.mark.slow
def test_online_retail_best_model_meets_the_issue_target(shared_data):
    """Issue #6: on Online Retail with H = 30 days and K = 10 the best model reaches NDCG@10 >= 0.085
    (peers: 0.053 popularity 90 days, 0.068 item-item cosine, 0.077 implicit ALS)."""
    from ecom_analytics.ingest.pipeline import clean_file
    from ecom_analytics.recommend import make_model

    orders, _ = clean_file(shared_data / "online_retail.csv.gz", kind="orders")
    split = time_split(build_interactions(orders), 30)
    assert split.cutoff == pd.Timestamp("2011-11-10")
    board = evaluate_models({n: make_model(n) for n in ("popularity", "ease", "content", "hybrid")}, split, 10,
                            product_catalogue(orders)).set_index("model")
    assert board["ndcg"].max() >= 0.085
    assert board.loc["popularity", "ndcg"] < board.loc["hybrid", "ndcg"]
