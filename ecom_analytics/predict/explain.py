"""Reasons for every score: SHAP values of each customer model, their global summary and the
plain-word reasons shown on Predictions and written to every predictions export.

Every explainer gives, per customer, one contribution per *original* feature (the columns of
:func:`ecom_analytics.insights.features.build_customer_features`; a one-hot country or a missing
flag counts towards the feature it came from) and a base value, such that

    base + sum(contributions) = the model's output for that customer

in the units the analyst reads: probability (0-1; "points" are hundredths) for purchase and churn,
currency for revenue.

- ``logistic`` / ``linear`` (logistic regression, ridge on log revenue): exact. In the model's input
  space (after the :class:`~ecom_analytics.predict.modeling.Preprocessor`'s log, imputation, scaling
  and one-hot) the SHAP value of column j is ``coef_j * (x_j - mean_j)``, the mean taken over the
  background customers; the columns of one original feature are summed.
- ``gboost`` (scikit-learn HistGradientBoosting): path-dependent TreeSHAP (Lundberg et al. 2020,
  "From local explanations to global understanding with explainable AI for trees"), exact for the
  trees, computed here over ``_predictors`` node arrays with numpy (a leaf at a time, vectorised over
  customers); the expectation is the trees' own, weighted by the training samples in each node.
  The ``shap`` package was tried: 0.51.0 installs with the pinned numpy, pandas and scikit-learn, but
  brings numba and llvmlite (over 200 MB); its TreeExplainer gives the same values (see
  ``tests/unit/test_explain.py`` and the figures in the issue notes).
- ``neural`` (Keras MLP): sampled Shapley values (6 permutations per customer, half of them the
  reverse of the others, interventional over 10 seeded background customers), with the network run
  in numpy (its first layer computed once per customer and feature). Additivity is exact by
  construction (each permutation's contributions telescope from the background's mean output to the
  customer's; float32: 1e-5); each value carries a sampling error: against exact enumeration on a
  deliberately tangled 8-input ReLU network, 1.1 probability points on average, 7.7 at most (16
  permutations: 0.7 and 5.1), see ``tests/unit/test_explain.py``.
- ``recency`` and ``bgnbd``: their 1-5 inputs' exact Shapley values by enumerating every subset of
  inputs over a background sample (interventional: the inputs not in a subset take the background
  customers' values).

Logistic regression and gradient boosting are explained on the log-odds scale (revenue: the log
scale of ridge and gradient boosting) where they are additive; the contributions are then converted to
probability points (currency) proportionally: each is multiplied by ``(g(raw) - g(base)) / (raw - base)``
where ``g`` is the model's link (the logistic function; ``expm1`` of the clipped log revenue), so
they keep their signs and relative sizes and add up exactly to the score shown. The BG/NBD,
recency-rule and neural explanations are computed on the output directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from math import factorial
from typing import Callable

import numpy as np
import pandas as pd

from ecom_analytics.predict import explain_notes as N

#: background customers for the sampled and enumerated explainers (a seeded sample of the scored population)
BACKGROUND_ROWS = {"neural": 10, "recency": 200, "bgnbd": 100}
#: permutations per customer for the neural network (half of them the reverse of the other half)
NEURAL_PERMUTATIONS = 6
#: rows a sampled or enumerated explainer builds at once (bounds the memory: ~ rows x columns x 8 bytes)
BATCH_ROWS = 200_000


@dataclass
class Explanation:
    """SHAP values of one model for a set of customers.

    ``values``: (customers x features) contributions in output units (probability 0-1, or currency);
    ``base``: the output of the average customer of the background (the same for every customer);
    ``output``: base + the row sums, the model's score of each customer; ``features``: the original
    feature names; ``index``: the customer ids; ``method``: how they were computed."""

    model: str
    task: str
    features: list[str]
    values: np.ndarray
    base: float
    index: pd.Index
    method: str

    @property
    def output(self) -> np.ndarray:
        return self.base + self.values.sum(axis=1)

    def frame(self) -> pd.DataFrame:
        """One row per customer: ``base``, ``output`` and one column per feature (its contribution)."""
        out = pd.DataFrame(self.values, index=self.index, columns=self.features)
        out.insert(0, "base", self.base)
        out.insert(1, "output", self.output)
        return out

    def importance(self, features: pd.DataFrame | None = None) -> pd.DataFrame:
        """The global summary: per feature, the mean absolute contribution and the mean contribution
        (output units), largest first; with the customers' ``features``, also ``direction``: the
        correlation between a numeric feature's value and its contribution (above 0: higher values
        raise the score; empty for a category or a feature without spread)."""
        table = pd.DataFrame({"feature": self.features, "mean_abs": np.abs(self.values).mean(axis=0),
                              "mean": self.values.mean(axis=0), "direction": np.nan})
        if features is not None:
            rows = pd.Index(features.index).get_indexer(self.index)
            for j, name in enumerate(self.features):
                if name not in features.columns or not pd.api.types.is_numeric_dtype(features[name]) or (rows < 0).any():
                    continue
                value = features[name].to_numpy(dtype=float)[rows]
                known = np.isfinite(value)
                if known.sum() > 2 and np.std(value[known]) > 0 and np.std(self.values[known, j]) > 0:
                    table.loc[j, "direction"] = float(np.corrcoef(value[known], self.values[known, j])[0, 1])
        return table.sort_values("mean_abs", ascending=False, kind="stable").reset_index(drop=True)


#: how each model's SHAP values are computed (a note code, shown under the waterfall)
METHODS = {"logistic": N.METHOD_LINEAR, "linear": N.METHOD_LINEAR, "gboost": N.METHOD_TREES,
           "neural": N.METHOD_SAMPLED, "recency": N.METHOD_ENUMERATED, "bgnbd": N.METHOD_ENUMERATED}


def from_frame(frame: pd.DataFrame, model: str, task: str) -> Explanation:
    """An :class:`Explanation` back from :meth:`Explanation.frame` (as saved with a run)."""
    features = [c for c in frame.columns if c not in ("base", "output")]
    base = float(frame["base"].iloc[0]) if len(frame) else 0.0
    return Explanation(model, task, features, frame[features].to_numpy(dtype=float), base, frame.index,
                       METHODS.get(model, ""))


# ----------------------------------------------------------------------------- the model's input columns

def feature_of_columns(prep) -> tuple[list[str], np.ndarray]:
    """The original features of a fitted Preprocessor and, for each column of its matrix, the index of
    the feature it comes from (``x_missing`` -> x, ``country=FR`` -> country)."""
    features = list(prep.numeric_) + list(prep.categorical_)
    where = {f: i for i, f in enumerate(features)}
    owners = [where[c] for c in prep.numeric_] + [where[c] for c in prep.missing_]
    for c, cats in prep.categories_.items():
        owners += [where[c]] * (len(cats) + 1)
    return features, np.asarray(owners, dtype=int)


def _sum_by_owner(values: np.ndarray, owners: np.ndarray, k: int) -> np.ndarray:
    out = np.zeros((values.shape[0], k))
    np.add.at(out.T, owners, values.T)
    return out


# ----------------------------------------------------------------------------- exact linear

def linear_shap(coef: np.ndarray, intercept: float, x: np.ndarray, background_mean: np.ndarray
                ) -> tuple[np.ndarray, float]:
    """Exact SHAP values of ``intercept + x @ coef`` (independent inputs): ``coef_j * (x_j - mean_j)``
    per column, and the base ``intercept + mean @ coef``."""
    coef = np.asarray(coef, dtype=float).ravel()
    mean = np.asarray(background_mean, dtype=float).ravel()
    return (np.asarray(x, dtype=float) - mean) * coef, float(intercept + mean @ coef)


# ----------------------------------------------------------------------------- TreeSHAP

def _shapley_weights(m: int) -> np.ndarray:
    """w(s) = s! (m - s - 1)! / m! for s = 0 .. m-1."""
    return np.array([factorial(s) * factorial(m - s - 1) / factorial(m) for s in range(m)])


def _leaf_shap(o: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Per row of ``o`` (rows x m: whether x meets the path's splits on each of the leaf's m features)
    the SHAP value of each feature for a leaf of value 1 and path shares ``z``.

    The subsets' sums by size are the coefficients of prod_j (z_j + o_j t); feature i's are that
    product divided by its own factor (synthetic division from the top when o_i = 1, a division by z_i
    when o_i = 0), for every feature at once."""
    rows, m = o.shape
    full = np.zeros((rows, m + 1))
    full[:, 0] = 1.0
    for j in range(m):
        shifted = full[:, :-1] * o[:, [j]]
        full *= z[j]
        full[:, 1:] += shifted
    quotient = np.zeros((rows, m, m))  # [row, i, s]: sum over the subsets of size s of the others
    quotient[:, :, m - 1] = full[:, [m]]
    for k in range(m - 1, 0, -1):
        quotient[:, :, k - 1] = full[:, [k]] - z[None, :] * quotient[:, :, k]
    by_share = np.divide(full[:, None, :m], z[None, :, None], out=np.zeros((rows, m, m)),
                         where=z[None, :, None] > 0)
    quotient = np.where(o[:, :, None] > 0, quotient, by_share)
    return (o - z[None, :]) * (quotient @ _shapley_weights(m))


def tree_shap(nodes: np.ndarray, x: np.ndarray, n_features: int) -> tuple[np.ndarray, float]:
    """Path-dependent TreeSHAP of one tree given as scikit-learn HistGradientBoosting's node array
    (fields value, count, feature_idx, num_threshold, missing_go_to_left, left, right, is_leaf):
    the (customers x n_features) SHAP values and the tree's expected value (leaf values weighted
    by the training samples that reached them).

    For a leaf reached by the path P (its distinct features), E[leaf | x_S] = v * prod_{d in P}
    (o_d if d in S else z_d), where o_d = 1 when x meets every split on d along the path and z_d is
    the share of the training samples that took the path's branches on d. The Shapley value of
    feature i is then v * (o_i - z_i) * sum over S in P\\{i} of w(|S|, |P|) prod_S o prod_rest z,
    whose sums over subsets of each size come from one polynomial product per feature."""
    n = x.shape[0]
    phi = np.zeros((n, n_features))
    count = nodes["count"].astype(float)
    expected = 0.0
    goes_left: dict[int, np.ndarray] = {}

    def left_mask(node: int) -> np.ndarray:
        if node not in goes_left:
            column = x[:, int(nodes["feature_idx"][node])]
            missing = np.isnan(column)
            with np.errstate(invalid="ignore"):
                goes_left[node] = np.where(missing, bool(nodes["missing_go_to_left"][node]),
                                           column <= nodes["num_threshold"][node])
        return goes_left[node]

    stack: list[tuple[int, list[tuple[int, int, bool, float]]]] = [(0, [])]
    while stack:
        node, path = stack.pop()
        if nodes["is_leaf"][node]:
            value = float(nodes["value"][node])
            if value == 0.0:
                continue
            features = sorted({f for f, *_ in path})
            m = len(features)
            o = np.ones((n, m))
            z = np.ones(m)
            for f, parent, left, ratio in path:
                j = features.index(f)
                mask = left_mask(parent)
                o[:, j] *= mask if left else ~mask
                z[j] *= ratio
            expected += value * float(np.prod(z))
            if m == 0:
                continue
            if 2 ** m < n:  # customers share at most 2^m patterns of o: compute each pattern once
                patterns = ((np.arange(2 ** m)[:, None] >> np.arange(m)) & 1).astype(float)
                code = o.astype(np.int64) @ (1 << np.arange(m))
                phi[:, features] += value * _leaf_shap(patterns, z)[code]
            else:  # in slices of customers: the sums take rows x m x m floats
                for start in range(0, n, 8192):
                    phi[start:start + 8192, features] += value * _leaf_shap(o[start:start + 8192], z)
            continue
        parent_count = max(count[node], 1.0)
        f = int(nodes["feature_idx"][node])
        for child, left in ((int(nodes["left"][node]), True), (int(nodes["right"][node]), False)):
            stack.append((child, path + [(f, node, left, count[child] / parent_count)]))
    return phi, expected


def hist_gradient_boosting_shap(estimator, x: np.ndarray) -> tuple[np.ndarray, float]:
    """TreeSHAP of a fitted binary HistGradientBoostingClassifier or a HistGradientBoostingRegressor
    on its raw scale (log-odds; the regressor's target scale): per-column values and the base
    (the baseline prediction plus every tree's expected value); base + row sums = ``_raw_predict``."""
    x = np.asarray(x, dtype=float)
    phi = np.zeros(x.shape)
    base = float(np.ravel(estimator._baseline_prediction)[0])
    for trees in estimator._predictors:
        values, expected = tree_shap(trees[0].nodes, x, x.shape[1])
        phi += values
        base += expected
    return phi, base


# ----------------------------------------------------------------------------- sampling and enumeration

def sampling_shap(predict: Callable[[np.ndarray], np.ndarray], x: np.ndarray, background: np.ndarray,
                  owners: np.ndarray, n_players: int, *, permutations: int = NEURAL_PERMUTATIONS, seed: int = 0,
                  linear_first: tuple[np.ndarray, np.ndarray, Callable[[np.ndarray], np.ndarray]] | None = None
                  ) -> tuple[np.ndarray, float]:
    """Sampled Shapley values of ``predict`` (rows -> outputs) for each row of ``x``, players being groups
    of columns (``owners[j]`` is column j's player): for each of ``permutations`` orders (half of them
    the reverse of the others), the players' columns are switched from the background rows to the
    customer's one at a time, and each player gets the change of the mean output. Returns the values
    and the base (mean output over ``background``); base + row sums = predict(x) exactly.

    ``linear_first = (kernel, bias, rest)`` says that ``predict(rows) = rest(rows @ kernel + bias)`` (a
    network's first layer): switching a player's columns then adds that player's share of the first
    layer, so the first layer is computed once per customer and player instead of once per step."""
    x = np.asarray(x, dtype=float)
    background = np.asarray(background, dtype=float)
    rng = np.random.default_rng(seed)
    half = [rng.permutation(n_players) for _ in range(max(permutations // 2, 1))]
    orders = half + [p[::-1] for p in half]
    b, k = len(background), n_players
    phi = np.zeros((len(x), k))
    step = max(1, BATCH_ROWS // ((k + 1) * b))
    if linear_first is not None:
        kernel, bias, rest = linear_first
        units = kernel.shape[1]
        # each player's part of the first layer: (rows, players, units)
        member = np.zeros((len(owners), k), dtype=kernel.dtype)
        member[np.arange(len(owners)), owners] = 1.0
        shares = kernel[:, None, :] * member[:, :, None]  # (columns, players, units)
        back_parts = np.einsum("bc,cku->bku", background.astype(kernel.dtype), shares)
        back_pre = background.astype(kernel.dtype) @ kernel + bias  # (b, units)
    for start in range(0, len(x), step):
        chunk = x[start:start + step]
        c = len(chunk)
        if linear_first is not None:
            mine = np.einsum("nc,cku->nku", chunk.astype(kernel.dtype), shares)  # (c, players, units)
            delta = mine[:, :, None, :] - back_parts.transpose(1, 0, 2)[None, :, :, :]  # (c, players, b, units)
        for order in orders:
            if linear_first is not None:
                pre = np.empty((c, k + 1, b, units), dtype=kernel.dtype)
                pre[:, 0] = back_pre[None]
                np.cumsum(delta[:, order], axis=1, out=pre[:, 1:])
                pre[:, 1:] += back_pre[None, None]
                out = np.asarray(rest(pre.reshape(-1, units)), dtype=float)
            else:
                included = np.zeros((k + 1, k), dtype=bool)
                for s in range(1, k + 1):
                    included[s] = included[s - 1]
                    included[s, order[s - 1]] = True
                columns = included[:, owners]  # (k + 1, columns)
                rows = np.where(columns[None, :, None, :], chunk[:, None, None, :], background[None, None, :, :])
                out = np.asarray(predict(rows.reshape(-1, x.shape[1])), dtype=float)
            means = out.reshape(c, k + 1, b).mean(axis=2)
            # the last step is the customer's own row: its output is predict(x) whatever the background
            phi[start:start + c][:, order] += np.diff(means, axis=1)
    phi /= len(orders)
    return phi, float(np.mean(predict(background)))


def enumeration_shap(predict: Callable[[pd.DataFrame], np.ndarray], frame: pd.DataFrame, background: pd.DataFrame,
                     players: list[str]) -> tuple[np.ndarray, float]:
    """Exact (interventional) Shapley values of ``predict`` (a frame -> outputs) over the columns
    ``players`` by enumerating every subset: v(S) = the mean output when the columns in S take the
    customer's values and the others the background customers'. Returns the values and the base
    (mean output over ``background``); base + row sums = predict(frame) exactly."""
    k, b = len(players), len(background)
    subsets = [frozenset(s) for size in range(k + 1) for s in combinations(range(k), size)]
    position = {s: i for i, s in enumerate(subsets)}
    phi = np.zeros((len(frame), k))
    step = max(1, BATCH_ROWS // (b * len(subsets)))
    back = background[players].reset_index(drop=True)
    for start in range(0, len(frame), step):
        chunk = frame[players].iloc[start:start + step].reset_index(drop=True)
        c = len(chunk)
        mine = chunk.loc[chunk.index.repeat(b)].reset_index(drop=True)
        theirs = pd.concat([back] * c, ignore_index=True)
        value = np.zeros((c, len(subsets)))
        for s in subsets:
            rows = theirs.copy()
            for j in s:
                rows[players[j]] = mine[players[j]].to_numpy()
            value[:, position[s]] = np.asarray(predict(rows), dtype=float).reshape(c, b).mean(axis=1)
        for i in range(k):
            for s in subsets:
                if i in s:
                    continue
                weight = factorial(len(s)) * factorial(k - len(s) - 1) / factorial(k)
                phi[start:start + c, i] += weight * (value[:, position[s | {i}]] - value[:, position[s]])
    base = float(np.mean(predict(back)))
    return phi, base


# ----------------------------------------------------------------------------- to the output's units

def proportional(values: np.ndarray, base: float, link: Callable[[np.ndarray], np.ndarray]
                 ) -> tuple[np.ndarray, float]:
    """Contributions on a raw scale (log-odds, log revenue) converted to the output's units: each
    row is multiplied by (link(raw) - link(base)) / (raw - base), raw = base + the row's sum (the
    link's slope at the base when raw = base), so the converted values add up to link(raw) - link(base)."""
    raw = base + values.sum(axis=1)
    gap = raw - base
    same = np.abs(gap) < 1e-9
    eps = 1e-6
    slope = np.where(same, (link(np.full_like(raw, base + eps)) - link(np.full_like(raw, base - eps))) / (2 * eps),
                     (link(raw) - link(np.full_like(raw, base))) / np.where(same, 1.0, gap))
    return values * slope[:, None], float(link(np.array([base]))[0])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _revenue(z: np.ndarray) -> np.ndarray:
    return np.expm1(np.clip(z, 0, None))


# ----------------------------------------------------------------------------- one model

def _background(frame: pd.DataFrame, rows: int, seed: int = 0) -> pd.DataFrame:
    return frame if len(frame) <= rows else frame.sample(rows, random_state=seed)


def _sklearn_shap(model, frame: pd.DataFrame, task: str) -> tuple[list[str], np.ndarray, float, str]:
    prep = model.prep_
    features, owners = feature_of_columns(prep)
    x = prep.transform(frame).astype(float)
    estimator = model.model_
    if hasattr(estimator, "coef_"):
        values, base = linear_shap(estimator.coef_, float(np.ravel(estimator.intercept_)[0]), x, x.mean(axis=0))
        method = N.METHOD_LINEAR
    else:
        values, base = hist_gradient_boosting_shap(estimator, x)
        method = N.METHOD_TREES
    values, base = proportional(values, base, _revenue if task == "revenue" else _sigmoid)
    return features, _sum_by_owner(values, owners, len(features)), base, method


def _network_layers(model) -> list[tuple[np.ndarray, np.ndarray, str]] | None:
    """The Keras MLP's Dense layers as (kernel, bias, activation) in float32 (ReLU inside, sigmoid or
    linear out; dropout is off when predicting), or None when the network has another shape."""
    import keras

    layers = model.model_.layers
    dense = [layer for layer in layers if isinstance(layer, keras.layers.Dense)]
    others = [layer for layer in layers
              if not isinstance(layer, (keras.layers.Dense, keras.layers.Dropout, keras.layers.InputLayer))]
    if others or not dense:
        return None
    if any(len(layer.get_weights()) != 2 for layer in dense):  # a Dense layer without a bias
        return None
    out = [(*(np.asarray(w, dtype=np.float32) for w in layer.get_weights()), layer.activation.__name__)
           for layer in dense]
    return out if all(a in ("relu", "sigmoid", "linear") for *_, a in out) else None


def _apply(layers: list[tuple[np.ndarray, np.ndarray, str]], h: np.ndarray, *, first_done: bool = False) -> np.ndarray:
    for i, (kernel, bias, activation) in enumerate(layers):
        if not (first_done and i == 0):
            h = h @ kernel + bias
        if activation == "relu":
            h = np.maximum(h, 0.0)
        elif activation == "sigmoid":
            h = 1.0 / (1.0 + np.exp(-h))
    return h.reshape(len(h), -1)[:, 0]


def _neural_shap(model, frame: pd.DataFrame, task: str, seed: int) -> tuple[list[str], np.ndarray, float, str]:
    prep = model.prep_
    features, owners = feature_of_columns(prep)
    x = prep.transform(frame).astype(float)
    rows = min(len(x), BACKGROUND_ROWS["neural"])
    background = x[np.sort(np.random.default_rng(seed).choice(len(x), size=rows, replace=False))]
    layers = _network_layers(model)
    if layers is not None:  # checked against Keras on the background: else Keras predicts
        keras_out = model.model_.predict(background.astype("float32"), verbose=0).ravel()
        if np.max(np.abs(_apply(layers, background.astype(np.float32)) - keras_out)) > 1e-4:
            layers = None
    top = float(getattr(model, "max_target_", np.inf) or np.inf) if task == "revenue" else None

    def output(raw: np.ndarray) -> np.ndarray:
        raw = np.asarray(raw, dtype=float)
        return np.expm1(np.clip(raw, 0, top)) if top is not None else raw

    if layers is not None:
        def predict(rows_: np.ndarray) -> np.ndarray:
            return output(_apply(layers, rows_.astype(np.float32)))

        def rest(pre: np.ndarray) -> np.ndarray:
            return output(_apply(layers, pre, first_done=True))

        linear_first = (layers[0][0], layers[0][1], rest)
    else:
        def predict(rows_: np.ndarray) -> np.ndarray:
            return output(model.model_.predict(rows_.astype("float32"), verbose=0, batch_size=8192).ravel())

        linear_first = None
    values, base = sampling_shap(predict, x, background, owners, len(features), seed=seed, linear_first=linear_first)
    return features, values, base, N.METHOD_SAMPLED


def _recency_shap(model, frame: pd.DataFrame, seed: int) -> tuple[list[str], np.ndarray, float, str]:
    players = [c for c in ("recency_days", "days_since_last_event") if c in frame.columns]
    if model.task != "churn":
        players = players[:1]
    background = _background(frame[players], BACKGROUND_ROWS["recency"], seed)
    values, base = enumeration_shap(model.predict_proba, frame[players], background, players)
    return players, values, base, N.METHOD_ENUMERATED


def _bgnbd_shap(model, frame: pd.DataFrame, task: str, aov: float, seed: int
                ) -> tuple[list[str], np.ndarray, float, str]:
    players = ["recency_days", "tenure_days", "active_days", "orders"] + (["revenue_mean"] if task == "revenue" else [])
    if task == "revenue":
        def predict(rows: pd.DataFrame) -> np.ndarray:
            return model.expected_purchases(rows) * rows["revenue_mean"].fillna(aov).to_numpy()
    else:
        predict = model.predict_proba
    background = _background(frame[players], BACKGROUND_ROWS["bgnbd"], seed)
    values, base = enumeration_shap(predict, frame[players], background, players)
    return players, values, base, N.METHOD_ENUMERATED


def explain(name: str, model, frame: pd.DataFrame, task: str, *, aov: float = 0.0, seed: int = 0) -> Explanation:
    """SHAP values of the fitted model ``name`` (a code of :data:`ecom_analytics.names.CUSTOMER_MODELS`)
    for the customers of ``frame`` (their features, as the model scored them), in output units (see
    the module docstring). ``aov``: BG/NBD's spend per order for customers without one (revenue task).
    For BG/NBD, the model must hold the fit on ``frame``'s population (as after scoring it)."""
    x = frame.drop(columns=[c for c in ("label",) if c in frame.columns])
    if name == "neural":
        features, values, base, method = _neural_shap(model, x, task, seed)
    elif name == "recency":
        features, values, base, method = _recency_shap(model, x, seed)
    elif name == "bgnbd":
        features, values, base, method = _bgnbd_shap(model, x, task, aov, seed)
    else:
        features, values, base, method = _sklearn_shap(model, x, task)
    return Explanation(name, task, list(features), values, base, x.index, method)


# ----------------------------------------------------------------------------- reasons in words

_WINDOWED = {"orders_": N.ORDERS_WINDOW, "revenue_": N.REVENUE_WINDOW, "views_": N.VIEWS_WINDOW,
             "carts_": N.CARTS_WINDOW, "wishlists_": N.WISHLISTS_WINDOW, "purchases_": N.PURCHASE_EVENTS_WINDOW,
             "sessions_": N.SESSIONS_WINDOW, "distinct_products_viewed_": N.PRODUCTS_VIEWED}
#: feature -> (template of its value, how the value is written: count, money, share, rate (1 decimal),
#: decimal (2), text, weekday, hour)
PHRASES: dict[str, tuple[str, str]] = {
    "recency_days": (N.RECENCY, "count"), "tenure_days": (N.TENURE, "count"), "orders": (N.ORDERS, "count"),
    "active_days": (N.ACTIVE_DAYS, "count"), "active_months": (N.ACTIVE_MONTHS, "count"), "units": (N.UNITS, "count"),
    "order_rate_30d": (N.ORDER_RATE, "rate"), "overdue_log_ratio": (N.OVERDUE, "decimal"),
    "revenue_total": (N.REVENUE_TOTAL, "money"), "revenue_mean": (N.REVENUE_MEAN, "money"),
    "revenue_max": (N.REVENUE_MAX, "money"), "days_between_mean": (N.GAP_MEAN, "count"),
    "days_between_std": (N.GAP_STD, "count"), "trend_90d": (N.TREND, "decimal"),
    "distinct_products": (N.PRODUCTS, "count"), "distinct_categories": (N.CATEGORIES, "count"),
    "top_category_share": (N.TOP_CATEGORY, "share"), "return_rate": (N.RETURN_RATE, "share"),
    "country": (N.COUNTRY, "text"), "favourite_weekday": (N.WEEKDAY, "weekday"), "favourite_hour": (N.HOUR, "hour"),
    "view_to_cart_rate": (N.VIEW_TO_CART, "share"), "cart_to_purchase_rate": (N.CART_TO_PURCHASE, "share"),
    "days_since_last_event": (N.LAST_EVENT, "count"),
}


#: a value's template -> its words for a value of exactly 1
_SINGULAR = {N.RECENCY: N.RECENCY_ONE, N.TENURE: N.TENURE_ONE, N.ORDERS: N.ORDERS_ONE, N.ACTIVE_DAYS: N.ACTIVE_DAYS_ONE,
             N.ACTIVE_MONTHS: N.ACTIVE_MONTHS_ONE, N.UNITS: N.UNITS_ONE, N.GAP_MEAN: N.GAP_MEAN_ONE,
             N.GAP_STD: N.GAP_STD_ONE, N.ORDERS_WINDOW: N.ORDERS_WINDOW_ONE, N.PRODUCTS: N.PRODUCTS_ONE,
             N.CATEGORIES: N.CATEGORIES_ONE, N.VIEWS_WINDOW: N.VIEWS_WINDOW_ONE, N.CARTS_WINDOW: N.CARTS_WINDOW_ONE,
             N.WISHLISTS_WINDOW: N.WISHLISTS_WINDOW_ONE, N.PURCHASE_EVENTS_WINDOW: N.PURCHASE_EVENTS_WINDOW_ONE,
             N.SESSIONS_WINDOW: N.SESSIONS_WINDOW_ONE, N.LAST_EVENT: N.LAST_EVENT_ONE,
             N.PRODUCTS_VIEWED: N.PRODUCTS_VIEWED_ONE}


def _phrase(feature: str) -> tuple[str, str, dict]:
    if feature in PHRASES:
        return (*PHRASES[feature], {})
    for prefix, template in _WINDOWED.items():
        rest = feature[len(prefix):]
        if feature.startswith(prefix) and rest.endswith("d") and rest[:-1].isdigit():
            return template, "money" if prefix == "revenue_" else "count", {"days": int(rest[:-1])}
    return N.OTHER_FEATURE, "text", {"feature": feature}


def value_in_words(feature: str, value, lang: str = "en", currency: str = "") -> str:
    """A feature's value in words in ``lang`` ("212 days since the last order"), numbers in the
    language's format."""
    from babel.dates import get_day_names

    from ecom_analytics import i18n

    template, kind, params = _phrase(feature)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        from ecom_analytics.insights.features import FEATURES

        meaning = FEATURES[feature].description if feature in FEATURES else feature
        return i18n.translate(N.MISSING, lang, feature=i18n.translate(meaning, lang))
    if kind == "count":
        text = i18n.format_number(float(value), lang, 0)
        if text == "1":
            template = _SINGULAR.get(template, template)
    elif kind == "money":
        text = i18n.format_money(float(value), currency, lang)
    elif kind == "share":
        text = i18n.format_percent(float(value), lang, 0)
    elif kind == "rate":
        text = i18n.format_number(float(value), lang, 1)
    elif kind == "decimal":
        text = i18n.format_number(float(value), lang, 2)
    elif kind == "weekday":
        text = str(get_day_names("wide", locale=i18n.babel_locale(lang))[int(value) % 7])
    elif kind == "hour":
        text = i18n.format_number(float(value), lang, 0)
    else:
        text = str(value)
    if "feature" in params:
        from ecom_analytics.insights.features import FEATURES

        meaning = FEATURES[feature].description if feature in FEATURES else feature
        params = {"feature": i18n.translate(meaning, lang)}
    return i18n.translate(template, lang, value=text, **params)


def _effect_words(contribution: float, task: str, lang: str, currency: str) -> tuple[str, dict]:
    """The effect template of a contribution and its size in words (points to 1 decimal under 10)."""
    from ecom_analytics import i18n

    up = contribution >= 0
    if task == "revenue":
        return (N.RAISES_REVENUE if up else N.LOWERS_REVENUE), {
            "amount": i18n.format_money(abs(contribution), currency, lang)}
    points = abs(contribution) * 100
    if task == "churn":
        template = N.RAISES_CHURN if up else N.LOWERS_CHURN
    else:
        template = N.RAISES_PURCHASE if up else N.LOWERS_PURCHASE
    return template, {"points": i18n.format_number(points, lang, 1 if points < 10 else 0)}


def reason_in_words(feature: str, value, contribution: float, task: str, lang: str = "en", currency: str = "") -> str:
    """One reason: the feature's value and how it moves the score, e.g. "212 days since the last order
    lowers the chance of buying by 18 points" (``contribution`` in probability 0-1, or currency)."""
    from ecom_analytics import i18n

    template, size = _effect_words(contribution, task, lang, currency)
    return i18n.translate(template, lang, what=value_in_words(feature, value, lang, currency), **size)


def top_reasons(explanation: Explanation, features: pd.DataFrame, *, top: int = 3, lang: str = "en",
                currency: str = "") -> pd.DataFrame:
    """``reason_1`` .. ``reason_<top>`` of every explained customer: the features with the largest
    absolute contributions, in words (empty when fewer features moved the score). The words of a
    value and of an effect's size are made once each (many customers share them)."""
    from ecom_analytics import i18n

    values = explanation.values
    order = np.argsort(-np.abs(values), axis=1, kind="stable")[:, :top]
    out = {f"reason_{r + 1}": [""] * len(values) for r in range(top)}
    columns = {f: features[f].to_numpy() if f in features.columns else np.full(len(features), np.nan)
               for f in explanation.features}
    position = pd.Index(features.index).get_indexer(explanation.index)
    what_words: dict = {}
    effect_words: dict = {}
    for row in range(len(values)):
        for r in range(min(top, values.shape[1])):
            j = int(order[row, r])
            contribution = float(values[row, j])
            if abs(contribution) < 1e-12:
                continue
            feature = explanation.features[j]
            value = columns[feature][position[row]] if position[row] >= 0 else np.nan
            key = (feature, None if not isinstance(value, str) and pd.isna(value) else value)
            if key not in what_words:
                what_words[key] = value_in_words(feature, value, lang, currency)
            # the effect's words depend on its sign and its size as written (0.1 point, or a cent)
            size = round(contribution * 100, 1 if abs(contribution) < 0.1 else 0) \
                if explanation.task != "revenue" else round(contribution, 2)
            if size not in effect_words:
                effect_words[size] = _effect_words(contribution, explanation.task, lang, currency)
            template, words = effect_words[size]
            out[f"reason_{r + 1}"][row] = i18n.translate(template, lang, what=what_words[key], **words)
    return pd.DataFrame(out, index=explanation.index)


def waterfall_steps(explanation: Explanation, customer, features: pd.DataFrame, *, top: int = 8, lang: str = "en",
                    currency: str = "") -> pd.DataFrame:
    """The waterfall of one customer: one row per feature among the ``top`` largest contributions
    (largest first) and one for the other features together, with ``label`` (the reason in words),
    ``contribution`` (output units) and ``feature``; the base and the output are the explanation's."""
    from ecom_analytics import i18n

    row = explanation.index.get_loc(customer)
    values = explanation.values[row]
    order = np.argsort(-np.abs(values), kind="stable")
    shown, rest = order[:top], order[top:]
    record = features.loc[customer] if customer in features.index else pd.Series(dtype=object)
    rows = []
    for j in shown:
        feature = explanation.features[j]
        rows.append({"feature": feature, "contribution": float(values[j]),
                     "label": reason_in_words(feature, record.get(feature, np.nan), float(values[j]),
                                              explanation.task, lang, currency)})
    if len(rest):
        rows.append({"feature": "", "contribution": float(values[rest].sum()),
                     "label": i18n.translate(N.OTHER_FEATURES, lang, n=i18n.format_number(len(rest), lang))})
    return pd.DataFrame(rows, columns=["feature", "contribution", "label"])



# ----------------------------------------------------------------------------- a whole run

def explain_run(task_run, *, seed: int = 0) -> dict[str, dict[str, Explanation]]:
    """The explanations of a :class:`ecom_analytics.predict.training.TaskRun`: ``test``, every model of
    the leaderboard on the test window's customers (the global summaries of Evaluation), and
    ``current``, each model that scored the customers at the end of the data (the best and the
    neural network: Predictions' waterfalls and the exports' reasons). A run made before the models
    were kept (no ``models``) gives empty dicts. ``seconds`` times each: ``{"test": {model: s}, ...}``."""
    import time

    out: dict[str, dict] = {"test": {}, "current": {}, "seconds": {"test": {}, "current": {}}}
    scored = [("test", task_run.test, getattr(task_run, "models", {}) or {}),
              ("current", getattr(task_run, "current", None), getattr(task_run, "final_models", {}) or {})]
    for part, frame, models in scored:
        if frame is None:
            continue
        for name, model in models.items():
            if name == "bgnbd_aov" or (part == "current" and name not in task_run.predictions.columns):
                continue
            start = time.perf_counter()
            out[part][name] = explain(name, model, frame, task_run.task, aov=float(models.get("bgnbd_aov", 0.0)),
                                      seed=seed)
            out["seconds"][part][name] = time.perf_counter() - start
    return out


def importance_table(explanations: dict[str, Explanation], features: pd.DataFrame | None = None) -> pd.DataFrame:
    """The global summaries of several models in one long frame: model, feature, mean_abs, mean,
    direction (see :meth:`Explanation.importance`; ``features`` are the explained customers'), base
    and method (one row per model and feature)."""
    frames = []
    for name, found in explanations.items():
        table = found.importance(features)
        table.insert(0, "model", name)
        table["base"] = found.base
        table["method"] = found.method
        frames.append(table)
    columns = ["model", "feature", "mean_abs", "mean", "direction", "base", "method"]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def reason_columns(explanation: Explanation | None, features: pd.DataFrame | None, index: pd.Index, *,
                   top: int = 3, lang: str = "en", currency: str = "") -> pd.DataFrame:
    """``reason_1`` .. ``reason_<top>`` for the customers of ``index`` (in its order; empty strings
    for a customer without an explanation, and for every customer when there is none)."""
    columns = [f"reason_{r + 1}" for r in range(top)]
    if explanation is None or features is None:
        return pd.DataFrame("", index=index, columns=columns)
    reasons = top_reasons(explanation, features, top=top, lang=lang, currency=currency)
    return reasons.reindex(index).fillna("")[columns]
