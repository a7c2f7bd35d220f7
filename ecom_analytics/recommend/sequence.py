"""A GRU4Rec-style next-product model in Keras over each customer's ordered purchase history."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ecom_analytics.recommend.models import BOUGHT_AFTER, POPULAR_REASON, Reasons, Recommender


def purchase_sequences(interactions: pd.DataFrame, users: pd.Index, items: pd.Index, max_length: int) -> np.ndarray:
    """Customers x ``max_length`` matrix of product codes (column index + 1, 0 = padding): the
    distinct products each customer bought, in order of first purchase, right-aligned so the
    latest product is in the last column; only the latest ``max_length`` are kept."""
    bought = interactions.loc[interactions["is_purchase"], ["customer_id", "product_id", "timestamp"]]
    bought = bought.sort_values("timestamp", kind="stable").drop_duplicates(["customer_id", "product_id"])
    user = users.get_indexer(bought["customer_id"])
    item = items.get_indexer(bought["product_id"]) + 1
    ok = (user >= 0) & (item > 0)
    user, item = user[ok], item[ok]
    frame = pd.DataFrame({"u": user, "i": item})
    from_end = frame.groupby("u").cumcount(ascending=False).to_numpy()
    keep = from_end < max_length
    seq = np.zeros((len(users), max_length), dtype="int32")
    seq[user[keep], max_length - 1 - from_end[keep]] = item[keep]
    return seq


class SequenceGRU(Recommender):
    """Embedding -> GRU -> softmax over products, trained to predict each next new product of a
    customer's purchase sequence (GRU4Rec, Hidasi et al. 2016, with full softmax). A customer's
    scores are the softmax after their latest ``max_length`` products. TensorFlow is imported
    in ``fit`` only."""

    name, label = "sequence", "Sequence (GRU, Keras)"

    def __init__(self, embedding_dim: int = 64, units: int = 64, max_length: int = 20, epochs: int = 6,
                 batch_size: int = 128, learning_rate: float = 0.005, dropout: float = 0.2, seed: int = 0):
        self.embedding_dim = embedding_dim
        self.units = units
        self.max_length = max_length
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.dropout = dropout
        self.seed = seed

    def _fit(self, interactions, catalogue) -> None:
        import keras

        keras.utils.set_random_seed(int(self.seed))
        L = int(self.max_length)
        seq = purchase_sequences(interactions, self.users_, self.items_, L + 1)
        self.sequences_ = seq[:, 1:]  # the input for scoring: the latest L products
        train = seq[(seq > 0).sum(axis=1) >= 2]
        x, y = train[:, :-1], train[:, 1:]
        weight = ((x > 0) & (y > 0)).astype("float32")
        n = len(self.items_) + 1
        inputs = keras.Input(shape=(L,), dtype="int32")
        h = keras.layers.Embedding(n, int(self.embedding_dim), mask_zero=True)(inputs)
        h = keras.layers.Dropout(float(self.dropout))(h)
        h = keras.layers.GRU(int(self.units), return_sequences=True)(h)
        outputs = keras.layers.Dense(n)(h)
        model = keras.Model(inputs, outputs)
        model.compile(optimizer=keras.optimizers.Adam(float(self.learning_rate)),
                      loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        if len(train):
            model.fit(x, y, sample_weight=weight, epochs=int(self.epochs), batch_size=int(self.batch_size),
                      verbose=0, shuffle=True)
        self.model_ = model
        last = self.sequences_[:, -1]
        self.last_item_ = np.where(last > 0, last - 1, -1)

    def _scores(self, rows):
        x = self.sequences_[rows]
        logits = np.asarray(self.model_.predict_on_batch(x))[:, -1, 1:]
        empty = (x > 0).sum(axis=1) == 0
        logits[empty] = 0.0
        return logits - logits.min(axis=1, keepdims=True)

    def _explain(self, rows, recs):
        last = self.last_item_[rows]
        names = self.names_.to_numpy(dtype=str)
        code = np.where(last >= 0, BOUGHT_AFTER, POPULAR_REASON).astype(object)
        about = np.where(last >= 0, names[np.maximum(last, 0)], "").astype(object)
        return Reasons(np.repeat(code[:, None], recs.shape[1], axis=1), np.repeat(about[:, None], recs.shape[1], axis=1))
