"""Recommenders with one interface: ``fit(interactions, catalogue=None)`` then ``recommend(customers, k)``.

Every model scores all products for a customer, never returns a product the customer already
bought (a purchase before the fit), breaks ties by recent popularity, and gives each
recommendation a reason. Customers unknown to the model get the popular products of the last
30 days, marked as a fallback.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ecom_analytics.errors import InputError
from ecom_analytics.i18n import translate
from ecom_analytics.recommend.interactions import check_enough
from ecom_analytics.runs import Note

BATCH = 512  # customers scored at once (dense batch x products)
POPULAR_REASON = "popular this month"
#: the columns of :meth:`Recommender.recommend`: ``reason`` in English words, ``reason_code`` and
#: ``reason_about`` for other languages (:func:`reason_words`)
RECOMMENDATION_COLUMNS = ["customer_id", "rank", "product_id", "product_name", "score", "reason", "fallback",
                          "reason_code", "reason_about"]
#: the note of an EASE model fitted on the most-reached products only (a :class:`~ecom_analytics.runs.Note` code)
EASE_CAPPED = ("EASE models the {n:,} products the most customers interacted with (of {total:,}); it ranks the other "
               "products below them.")
# The reasons a recommendation comes with: a code (the English template, the catalogue's message id)
# and what it is about (a product name for {product}, a number of days for {days}, else "")
BOUGHT_WITH = "often bought with {product}"
BOUGHT_AFTER = "often bought after {product}"
SIMILAR_TO = "similar to {product}"
POPULAR_WEEK = "popular this week"
POPULAR_DAYS = "popular in the last {days} days"
REASON_CODES = (BOUGHT_WITH, BOUGHT_AFTER, SIMILAR_TO, POPULAR_WEEK, POPULAR_REASON, POPULAR_DAYS)


class Reasons(NamedTuple):
    """The reasons of recommended products, array by array: ``code`` (a template of
    :data:`REASON_CODES`) and ``about`` (what fills it in)."""

    code: np.ndarray
    about: np.ndarray

    @classmethod
    def same(cls, shape: tuple[int, ...], code: str = POPULAR_REASON, about: str = "") -> "Reasons":
        return cls(np.full(shape, code, dtype=object), np.full(shape, about, dtype=object))

    def put(self, mask: np.ndarray, other: "Reasons") -> None:
        """Where ``mask``, the reasons of ``other`` (in place)."""
        self.code[mask], self.about[mask] = other.code[mask], other.about[mask]


def reason_words(codes: pd.Series, about: pd.Series, lang: str = "en") -> pd.Series:
    """The reasons ``codes`` / ``about`` (columns ``reason_code`` / ``reason_about`` of
    :meth:`Recommender.recommend`) worded in ``lang`` ("often bought with X", zh "常与 X 一起购买");
    one wording per distinct reason, so millions of rows stay fast."""
    pairs = pd.DataFrame({"code": codes.astype(object), "about": about.astype(object).fillna("")})
    distinct = pairs.drop_duplicates()
    worded = [translate(code, lang, product=thing, days=thing) if "{" in str(code) else translate(str(code), lang)
              for code, thing in zip(distinct["code"], distinct["about"])]
    lookup = dict(zip(zip(distinct["code"], distinct["about"]), worded))
    return pd.Series([lookup[key] for key in zip(pairs["code"], pairs["about"])], index=codes.index, dtype=object)


class NotFittedError(RuntimeError):
    """A recommender used before ``fit``."""


class Recommender:
    """Base class: builds the customer x product matrices and turns scores into ranked lists.

    Subclasses implement ``_fit(self)`` using ``X_`` (customers x products, summed interaction
    weights, recency-decayed when ``recency_half_life_days`` is set) and ``_scores(rows)``.
    """

    name = "base"
    label = "Base"
    uses_catalogue = False

    def _check_fitted(self) -> None:
        if not hasattr(self, "items_"):
            raise NotFittedError(f"{type(self).__name__} is not fitted yet; call fit(interactions) first.")

    # -- fitting -------------------------------------------------------------------------
    def fit(self, interactions: pd.DataFrame, catalogue: pd.DataFrame | None = None) -> "Recommender":
        """Learn from ``interactions`` (see build_interactions); returns self."""
        check_enough(interactions)
        items = pd.Index(interactions["product_id"].unique())
        if self.uses_catalogue and catalogue is not None:
            items = items.append(catalogue.index.difference(items))
        self.items_ = pd.Index(items.astype("string"), name="product_id")
        self.users_ = pd.Index(interactions["customer_id"].unique().astype("string"), name="customer_id")
        self.now_ = interactions["timestamp"].max()
        rows = self.users_.get_indexer(interactions["customer_id"])
        cols = self.items_.get_indexer(interactions["product_id"])
        shape = (len(self.users_), len(self.items_))
        age = (self.now_ - interactions["timestamp"]).dt.total_seconds().to_numpy() / 86400.0
        half = getattr(self, "recency_half_life_days", None)
        decay = 0.5 ** (age / half) if half else np.ones(len(age))
        self.X_ = sp.csr_matrix((interactions["weight"].to_numpy() * decay, (rows, cols)), shape=shape, dtype="float64")
        buy = interactions["is_purchase"].to_numpy()
        self.bought_ = sp.csr_matrix((np.ones(buy.sum()), (rows[buy], cols[buy])), shape=shape, dtype="float64")
        self.bought_.data[:] = 1.0
        recent = buy & (age <= 30)
        buyers = sp.csr_matrix((np.ones(recent.sum()), (rows[recent], cols[recent])), shape=shape)
        buyers.data[:] = 1.0
        all_buyers = self.bought_.sum(axis=0).A1
        # popularity: distinct buyers in the last 30 days, ties by all-time buyers
        self.popular_ = np.asarray(buyers.sum(axis=0)).ravel() + all_buyers / (all_buyers.max() + 1.0)
        names = catalogue["product_name"] if catalogue is not None and "product_name" in catalogue else None
        self.names_ = (names.reindex(self.items_).fillna(pd.Series(self.items_, index=self.items_)).astype(str)
                       if names is not None else pd.Series(self.items_.astype(str), index=self.items_))
        self._fit(interactions, catalogue)
        return self

    def _fit(self, interactions: pd.DataFrame, catalogue: pd.DataFrame | None) -> None:
        raise NotImplementedError

    def _scores(self, rows: np.ndarray) -> np.ndarray:
        """Scores (len(rows) x products) of known customers ``rows``; higher is better."""
        raise NotImplementedError

    def _explain(self, rows: np.ndarray, recs: np.ndarray) -> Reasons:
        """Reasons (len(rows) x k) for products ``recs`` (column indices)."""
        return Reasons.same(recs.shape)

    # -- using ---------------------------------------------------------------------------
    def _anchor_reasons(self, rows: np.ndarray, recs: np.ndarray, sim, code: str,
                        columns: np.ndarray | None = None) -> Reasons:
        """Reason naming the customer's product that contributes most to each recommendation:
        argmax_j X[u, j] * sim[j, i] over the customer's history j (popular when none does).
        ``columns``: the products ``sim`` covers (its rows and columns), when not all of them."""
        names = self.names_.to_numpy(dtype=str)
        X = self.X_
        if columns is not None and len(columns) < X.shape[1]:
            names, X = names[columns], X[:, columns]
        out = Reasons.same(recs.shape)
        for start in range(0, len(rows), 64):
            r, rec = rows[start:start + 64], recs[start:start + 64]
            hist = X[r].toarray().astype("float32")
            cols = sim[:, rec.ravel()]
            cols = (cols.toarray() if sp.issparse(cols) else np.asarray(cols)).astype("float32")
            contrib = hist.T[:, :, None] * cols.reshape(sim.shape[0], *rec.shape)  # products x customers x k
            anchor = contrib.argmax(axis=0)
            strength = np.take_along_axis(contrib, anchor[None], axis=0)[0]
            named = strength > 0
            out.code[start:start + 64] = np.where(named, code, POPULAR_REASON)
            out.about[start:start + 64] = np.where(named, names[anchor].astype(str), "")
        return out

    def score_known(self, rows: np.ndarray) -> np.ndarray:
        """Scores with products already bought set to -inf and ties broken by popularity."""
        s = np.asarray(self._scores(rows), dtype="float64")
        s = s + 1e-9 * self.popular_ / (self.popular_.max() + 1e-12)
        b = self.bought_[rows]
        s[b.nonzero()] = -np.inf
        return s

    def _top(self, scores: np.ndarray, k: int) -> np.ndarray:
        k = min(k, scores.shape[1])
        part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1, kind="stable")
        return np.take_along_axis(part, order, axis=1)

    def recommend(self, customers=None, k: int = 10) -> pd.DataFrame:
        """Top ``k`` products per customer: ``customer_id, rank, product_id, product_name, score,
        reason, fallback`` (fallback: the customer has no history, so popular products).
        ``customers`` defaults to every customer seen in fit."""
        self._check_fitted()
        if k < 1:
            raise InputError("k must be at least 1, not {k}.", k=k)
        ids = self.users_ if customers is None else pd.Index(pd.Series(list(customers), dtype="string").unique())
        pos = self.users_.get_indexer(ids)
        known, unknown = ids[pos >= 0], ids[pos < 0]
        frames = []
        rows_all = pos[pos >= 0]
        for start in range(0, len(rows_all), BATCH):
            rows = rows_all[start:start + BATCH]
            scores = self.score_known(rows)
            recs = self._top(scores, k)
            vals = np.take_along_axis(scores, recs, axis=1)
            reasons = self._explain(rows, recs)
            ok = np.isfinite(vals)
            kk = recs.shape[1]
            frames.append(pd.DataFrame({
                "customer_id": np.repeat(known[start:start + BATCH].to_numpy(), kk)[ok.ravel()],
                "rank": np.tile(np.arange(1, kk + 1), len(rows))[ok.ravel()],
                "product_id": self.items_.to_numpy()[recs.ravel()][ok.ravel()],
                "score": vals.ravel()[ok.ravel()],
                "reason_code": reasons.code.ravel()[ok.ravel()],
                "reason_about": reasons.about.ravel()[ok.ravel()],
                "fallback": False,
            }))
        if len(unknown):
            top = np.argsort(-self.popular_, kind="stable")[:k]
            frames.append(pd.DataFrame({
                "customer_id": np.repeat(unknown.to_numpy(), len(top)),
                "rank": np.tile(np.arange(1, len(top) + 1), len(unknown)),
                "product_id": np.tile(self.items_.to_numpy()[top], len(unknown)),
                "score": np.tile(self.popular_[top], len(unknown)),
                "reason_code": POPULAR_REASON, "reason_about": "", "fallback": True}))
        if not frames:
            return pd.DataFrame(columns=RECOMMENDATION_COLUMNS)
        out = pd.concat(frames, ignore_index=True)
        out["product_name"] = self.names_.reindex(out["product_id"]).to_numpy()
        out["reason"] = reason_words(out["reason_code"], out["reason_about"])
        return out[RECOMMENDATION_COLUMNS]

    def popular(self, k: int = 10) -> pd.DataFrame:
        """The ``k`` products with the most distinct buyers in the last 30 days."""
        self._check_fitted()
        top = np.argsort(-self.popular_, kind="stable")[:k]
        return pd.DataFrame({"rank": np.arange(1, len(top) + 1), "product_id": self.items_[top],
                             "product_name": self.names_.to_numpy()[top],
                             "buyers_30d": np.floor(self.popular_[top]).astype(int)})


class Popularity(Recommender):
    """Most distinct buyers in the last ``window_days`` before the end of the training data."""

    name, label = "popularity", "Popularity (recent)"

    def __init__(self, window_days: int = 30):
        self.window_days = window_days

    def _fit(self, interactions, catalogue) -> None:
        recent = interactions[interactions["is_purchase"]
                              & (interactions["timestamp"] > self.now_ - pd.Timedelta(days=self.window_days))]
        counts = recent.drop_duplicates(["customer_id", "product_id"])["product_id"].value_counts()
        self.counts_ = counts.reindex(self.items_).fillna(0).to_numpy(dtype="float64")

    def _scores(self, rows):
        return np.broadcast_to(self.counts_, (len(rows), len(self.items_))).copy()

    def _explain(self, rows, recs):
        days = self.window_days
        if days <= 7:
            return Reasons.same(recs.shape, POPULAR_WEEK)
        return Reasons.same(recs.shape) if days <= 31 else Reasons.same(recs.shape, POPULAR_DAYS, str(days))


def _cosine(X: sp.csr_matrix, shrink: float = 0.0) -> sp.csr_matrix:
    """Item-item cosine of the columns of ``X`` (with a shrink term), diagonal zeroed."""
    Xc = X.tocsc()
    co = (Xc.T @ Xc).tocsr().astype("float64")
    norms = np.sqrt(co.diagonal())
    co = co.tocoo()
    vals = co.data / (norms[co.row] * norms[co.col] + shrink + 1e-12)
    sim = sp.csr_matrix((vals, (co.row, co.col)), shape=co.shape)
    sim.setdiag(0)
    sim.eliminate_zeros()
    return sim


def _keep_top(sim: sp.csr_matrix, neighbours: int | None) -> sp.csr_matrix:
    """Keep each column's ``neighbours`` largest entries (the product's nearest neighbours),
    without densifying: entries are ranked within each column by value."""
    if not neighbours or neighbours >= sim.shape[0]:
        return sim
    cols = sim.T.tocsr()  # row i of cols = column i of sim
    row_of = np.repeat(np.arange(cols.shape[0]), np.diff(cols.indptr))
    order = np.lexsort((-cols.data, row_of))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - cols.indptr[row_of[order]]
    keep = rank < neighbours
    kept = sp.csr_matrix((cols.data[keep], (row_of[keep], cols.indices[keep])), shape=cols.shape)
    return kept.T.tocsr()


class ItemKNN(Recommender):
    """Item-item cosine similarity on co-occurrence in customers' histories. A customer's
    score for a product is the sum of its similarities to the products in their history,
    weighted by interaction weight (optionally decayed with ``recency_half_life_days``)."""

    name, label = "item_knn", "Item-item cosine"

    def __init__(self, neighbours: int | None = 100, shrink: float = 10.0, recency_half_life_days: float | None = None,
                 binary: bool = True):
        self.neighbours = neighbours
        self.shrink = shrink
        self.recency_half_life_days = recency_half_life_days
        self.binary = binary

    def _fit(self, interactions, catalogue) -> None:
        X = self.X_.copy()
        if self.binary:
            X.data[:] = 1.0
        self.sim_ = _keep_top(_cosine(X, self.shrink), self.neighbours).tocsr()

    def _scores(self, rows):
        return (self.X_[rows] @ self.sim_).toarray()

    def _explain(self, rows, recs):
        return self._anchor_reasons(rows, recs, self.sim_, BOUGHT_WITH)

    def similar_items(self, product_id: str, k: int = 10) -> pd.DataFrame:
        """Products most often bought by the same customers: ``product_id, product_name, similarity``."""
        return _similar(self, self.sim_, product_id, k, "similarity")


class EASE(Recommender):
    """EASE^R (Steck 2019): a closed-form linear item-item model, B = I - P diagMat(1/diag(P))
    with P = (X'X + l2 I)^-1 and a zero diagonal. Strong on small catalogues (a few thousand
    products); memory and time grow with products^2 and products^3, so on a larger catalogue it
    models the ``max_items`` products the most customers interacted with (``note_`` says so) and
    ranks the others below them."""

    name, label = "ease", "EASE (linear item-item)"
    MAX_ITEMS = 10_000  # B is products x products in float64: 800 MB at 10,000

    def __init__(self, l2: float = 200.0, recency_half_life_days: float | None = None, binary: bool = True,
                 max_items: int = MAX_ITEMS):
        self.l2 = l2
        self.recency_half_life_days = recency_half_life_days
        self.binary = binary
        self.max_items = max_items

    def _fit(self, interactions, catalogue) -> None:
        X = self.X_.copy()
        if self.binary:
            X.data[:] = 1.0
        n = len(self.items_)
        self.note_ = None
        if n > self.max_items:
            reach = np.diff(X.tocsc().indptr)  # customers per product
            self.keep_ = np.sort(np.argsort(-reach, kind="stable")[: self.max_items])
            self.note_ = Note(EASE_CAPPED, {"n": self.max_items, "total": n})
        else:
            self.keep_ = np.arange(n)
        self.position_ = np.full(n, -1)
        self.position_[self.keep_] = np.arange(len(self.keep_))
        X = X[:, self.keep_]
        G = (X.T @ X).toarray()
        G[np.diag_indices_from(G)] += self.l2
        P = np.linalg.inv(G)
        B = -P / np.diag(P)[None, :]
        B[np.diag_indices_from(B)] = 0.0
        self.B_ = B

    def _scores(self, rows):
        part = np.asarray(self.X_[rows][:, self.keep_] @ self.B_)
        if len(self.keep_) == len(self.items_):
            return part
        out = np.empty((len(rows), len(self.items_)))
        out[:] = part.min(axis=1, keepdims=True) - 1.0  # products not modelled: below every modelled one
        out[:, self.keep_] = part
        return out

    def _explain(self, rows, recs):
        pos = self.position_[recs]
        out = self._anchor_reasons(rows, np.maximum(pos, 0), self.B_, BOUGHT_WITH, columns=self.keep_)
        out.put(pos < 0, Reasons.same(recs.shape))
        return out

    def similar_items(self, product_id: str, k: int = 10) -> pd.DataFrame:
        self._check_fitted()
        j = self.items_.get_indexer([str(product_id)])[0]
        if j >= 0 and self.position_[j] < 0:
            return pd.DataFrame({"product_id": pd.Series(dtype="string"), "product_name": pd.Series(dtype=str),
                                 "weight": pd.Series(dtype=float)})  # too rarely bought to be modelled
        return _similar(self, self.B_, product_id, k, "weight", index=self.keep_)


class ALS(Recommender):
    """Implicit-feedback matrix factorisation (Hu, Koren & Volinsky 2008) by alternating least
    squares, confidence 1 + ``alpha`` x weight; each half-step is one batched solve."""

    name, label = "als", "ALS matrix factorisation"

    def __init__(self, factors: int = 64, regularization: float = 0.1, alpha: float = 10.0, iterations: int = 10,
                 recency_half_life_days: float | None = None, seed: int = 0):
        self.factors = factors
        self.regularization = regularization
        self.alpha = alpha
        self.iterations = iterations
        self.recency_half_life_days = recency_half_life_days
        self.seed = seed

    @staticmethod
    def _half_step(C: sp.csr_matrix, Y: np.ndarray, reg: float) -> np.ndarray:
        """Solve (Y'Y + Y'(Cu - I)Y + reg I) x_u = Y'Cu p_u for every row u of C (confidence - 1)."""
        f = Y.shape[1]
        Y = Y.astype("float32")
        outer = (Y[:, :, None] * Y[:, None, :]).reshape(len(Y), f * f)
        A = (C.astype("float32") @ outer).reshape(C.shape[0], f, f) + (Y.T @ Y + reg * np.eye(f, dtype="float32"))[None]
        P = C.copy()
        P.data = P.data + 1.0  # confidence at observed entries, preference 1
        b = np.asarray(P.astype("float32") @ Y)
        return np.linalg.solve(A, b[:, :, None])[:, :, 0].astype("float64")

    def _fit(self, interactions, catalogue) -> None:
        rng = np.random.default_rng(self.seed)
        C = self.X_.copy()
        C.data = self.alpha * C.data
        Ct = C.T.tocsr()
        f = int(self.factors)
        U = rng.normal(0, 0.01, (C.shape[0], f))
        V = rng.normal(0, 0.01, (C.shape[1], f))
        for _ in range(int(self.iterations)):
            U = self._half_step(C, V, self.regularization)
            V = self._half_step(Ct, U, self.regularization)
        self.user_factors_, self.item_factors_ = U, V
        self.unit_factors_ = V / (np.linalg.norm(V, axis=1, keepdims=True) + 1e-12)

    def _scores(self, rows):
        return self.user_factors_[rows] @ self.item_factors_.T

    def _explain(self, rows, recs):
        return self._anchor_reasons(rows, recs, _FactorSimilarity(self.unit_factors_), BOUGHT_WITH)


class _FactorSimilarity:
    """Cosine of item factors, column by column on demand (never the full products x products matrix)."""

    def __init__(self, unit: np.ndarray):
        self.unit, self.shape = unit, (len(unit), len(unit))

    def __getitem__(self, key):
        _, cols = key
        sim = np.clip(self.unit @ self.unit[cols].T, 0, None)
        sim[cols, np.arange(len(cols))] = 0.0  # a product does not explain itself
        return sim


class ContentBased(Recommender):
    """TF-IDF on product name, category and brand (words and character 3-5-grams); a product's
    neighbours are the most similar texts, so products nobody has bought yet get neighbours
    and can be recommended."""

    name, label = "content", "Content (TF-IDF)"
    uses_catalogue = True

    def __init__(self, neighbours: int | None = 50, recency_half_life_days: float | None = None):
        self.neighbours = neighbours
        self.recency_half_life_days = recency_half_life_days

    def _fit(self, interactions, catalogue) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        if catalogue is not None and "text" in catalogue:
            text = catalogue["text"].reindex(self.items_).fillna("")
        else:
            text = pd.Series("", index=self.items_)
        text = text.where(text.str.strip() != "", self.items_.to_series(index=self.items_))
        words = TfidfVectorizer(analyzer="word", token_pattern=r"(?u)\b[^\W\d_]{2,}\b", sublinear_tf=True,
                                lowercase=True).fit_transform(text.astype(str))
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2,
                                lowercase=True).fit_transform(text.astype(str))
        V = sp.hstack([words, 0.5 * chars]).tocsr()
        norms = np.sqrt(np.asarray(V.multiply(V).sum(axis=1)).ravel())
        V = sp.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ V
        sim = (V @ V.T).tocsr()
        sim.setdiag(0)
        sim.eliminate_zeros()
        self.sim_ = _keep_top(sim, self.neighbours).tocsr()

    def _scores(self, rows):
        return (self.X_[rows] @ self.sim_).toarray()

    def _explain(self, rows, recs):
        return self._anchor_reasons(rows, recs, self.sim_, SIMILAR_TO)

    def similar_items(self, product_id: str, k: int = 10) -> pd.DataFrame:
        """Products with the most similar name and category: ``product_id, product_name, similarity``."""
        return _similar(self, self.sim_, product_id, k, "similarity")


def _similar(model: Recommender, sim, product_id: str, k: int, column: str,
             index: np.ndarray | None = None) -> pd.DataFrame:
    """The ``k`` products most similar to ``product_id`` by ``sim`` (whose rows and columns are the
    products ``index``, default all)."""
    model._check_fitted()
    j = model.items_.get_indexer([str(product_id)])[0]
    if j < 0:
        raise InputError("Product {product} is not in the data the model learned from. Pick a product from the "
                         "list; the popular products are shown instead.", product=product_id)
    index = np.arange(len(model.items_)) if index is None else index
    at = int(np.searchsorted(index, j))
    row = sim[at].toarray().ravel() if sp.issparse(sim) else np.asarray(sim[at]).ravel().copy()
    row[at] = -np.inf
    top = np.argsort(-row, kind="stable")[:k]
    top = top[row[top] > 0]
    return pd.DataFrame({"product_id": model.items_.to_numpy()[index[top]],
                         "product_name": model.names_.to_numpy()[index[top]], column: row[top]})


class Hybrid(Recommender):
    """A weighted blend of components fitted on the same interactions. Each component's scores
    are rescaled per customer to [0, 1] over the products not yet bought, then summed with
    ``weights``; the reason is the one of the component that contributes most. Components
    already fitted on the same interactions are reused as they are."""

    name, label = "hybrid", "Hybrid blend"
    uses_catalogue = True

    def __init__(self, components: list[Recommender] | None = None, weights: list[float] | None = None):
        self.components = components
        self.weights = weights

    def _fit(self, interactions, catalogue) -> None:
        comps = self.components or [EASE(), ItemKNN(), Popularity()]
        weights = self.weights or [1.0] * len(comps)
        if len(weights) != len(comps):
            raise InputError("The hybrid has {components} components but {weights} weights.", components=len(comps),
                             weights=len(weights))
        self.components_, self.maps_ = [], []
        for comp in comps:
            reuse = hasattr(comp, "users_") and comp.users_.equals(self.users_) and comp.now_ == self.now_
            fitted = comp if reuse else comp.fit(interactions, catalogue)
            self.components_.append(fitted)
            self.maps_.append(fitted.items_.get_indexer(self.items_))  # hybrid product -> component column
        self.weights_ = np.asarray(weights, dtype="float64")

    def _parts(self, rows):
        out = []
        for comp, cols in zip(self.components_, self.maps_):
            s = comp.score_known(rows)
            finite = np.isfinite(s)
            lo = np.where(finite, s, np.inf).min(axis=1, keepdims=True)
            hi = np.where(finite, s, -np.inf).max(axis=1, keepdims=True)
            scaled = np.where(finite, (s - lo) / np.maximum(hi - lo, 1e-12), 0.0)
            out.append(np.where(cols[None, :] >= 0, scaled[:, np.maximum(cols, 0)], 0.0))
        return out

    def _scores(self, rows):
        return sum(w * p for w, p in zip(self.weights_, self._parts(rows)))

    def _explain(self, rows, recs):
        parts = self._parts(rows)
        contrib = np.stack([w * np.take_along_axis(p, recs, axis=1) for w, p in zip(self.weights_, parts)])
        best = contrib.argmax(axis=0)
        out = Reasons.same(recs.shape)
        for c, (comp, cols) in enumerate(zip(self.components_, self.maps_)):
            mine = (best == c) & (cols[recs] >= 0)
            if mine.any():
                out.put(mine, comp._explain(rows, np.maximum(cols[recs], 0)))
        return out

    def similar_items(self, product_id: str, k: int = 10) -> pd.DataFrame:
        """Similar products from the first component that has them."""
        for comp in self.components_:
            if hasattr(comp, "similar_items"):
                return comp.similar_items(product_id, k)
        raise InputError("None of the hybrid's components finds similar products.")
