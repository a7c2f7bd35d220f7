"""The neural model (TensorFlow/Keras): an MLP over the customer features.

Default architecture: Dense 64 relu -> Dense 32 relu -> one output (sigmoid with binary
cross-entropy for purchase and churn; linear on log1p(revenue) with mean squared error for
revenue). Adam. Early stopping on a validation set that the caller takes from the training
cutoffs. TensorFlow is imported inside ``fit`` so that importing the library stays fast.

A fixed ``seed`` gives the same weights twice (Keras seeds plus deterministic ops).
"""

from __future__ import annotations

import time
from typing import Callable

import numpy as np
import pandas as pd

from ecom_analytics.predict.modeling import Preprocessor

EpochCallback = Callable[[int, dict], None]


class NeuralModel:
    """Keras MLP with scikit-learn-style fit/predict.

    Parameters
    ----------
    task : "purchase", "churn" or "revenue".
    hidden : units of each hidden layer.
    dropout, l2 : regularisation of each hidden layer.
    learning_rate, batch_size, epochs : Adam settings and the epoch budget.
    patience : epochs without validation improvement before stopping (0 = no early stop).
    class_weight : "balanced" to weight classes inversely to their frequency, or None.
    seed : random seed (same seed, same data -> same model).
    """

    def __init__(self, task: str = "purchase", hidden: tuple[int, ...] = (64, 32), dropout: float = 0.1,
                 l2: float = 1e-4, learning_rate: float = 3e-4, batch_size: int = 256, epochs: int = 100,
                 patience: int = 15, class_weight: str | None = None, seed: int = 0) -> None:
        self.task = task
        self.hidden = hidden
        self.dropout = dropout
        self.l2 = l2
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.epochs = epochs
        self.patience = patience
        self.class_weight = class_weight
        self.seed = seed

    def get_params(self) -> dict:
        """The constructor parameters."""
        return {k: getattr(self, k) for k in ("task", "hidden", "dropout", "l2", "learning_rate", "batch_size",
                                               "epochs", "patience", "class_weight", "seed")}

    def _target(self, y) -> np.ndarray:
        y = np.asarray(y, dtype="float32")
        return np.log1p(np.clip(y, 0, None)) if self.task == "revenue" else y

    def _build(self, n_inputs: int):
        import keras

        reg = keras.regularizers.L2(self.l2) if self.l2 else None
        inputs = keras.Input(shape=(n_inputs,), name="features")
        x = inputs
        for i, units in enumerate(self.hidden):
            x = keras.layers.Dense(units, activation="relu", kernel_regularizer=reg, name=f"dense_{i + 1}")(x)
            if self.dropout:
                x = keras.layers.Dropout(self.dropout, seed=self.seed + i, name=f"dropout_{i + 1}")(x)
        if self.task == "revenue":
            out = keras.layers.Dense(1, activation="linear", name="log_revenue")(x)
            loss, metrics = "mse", [keras.metrics.MeanAbsoluteError(name="mae")]
        else:
            out = keras.layers.Dense(1, activation="sigmoid", name="probability")(x)
            loss, metrics = "binary_crossentropy", [keras.metrics.AUC(name="auc")]
        model = keras.Model(inputs, out)
        model.compile(optimizer=keras.optimizers.Adam(self.learning_rate), loss=loss, metrics=metrics)
        return model

    def fit(self, frame: pd.DataFrame, y, *, valid: tuple[pd.DataFrame, object] | None = None,
            on_epoch: EpochCallback | None = None, should_stop: Callable[[], bool] | None = None) -> "NeuralModel":
        """Train; ``on_epoch(epoch, logs)`` is called after each epoch (logs: loss, val_loss,
        metric, seconds), ``should_stop()`` is polled to stop early. The best weights by
        validation loss (training loss without ``valid``) are kept. Returns self."""
        import keras
        import tensorflow as tf

        keras.utils.set_random_seed(self.seed)
        try:
            tf.config.experimental.enable_op_determinism()
        except Exception:  # noqa: BLE001 - already enabled or unsupported: determinism best effort
            pass
        self.prep_ = Preprocessor().fit(frame)
        x = self.prep_.transform(frame)
        t = self._target(y)
        self.max_target_ = float(t.max()) if len(t) else 0.0
        validation = None
        if valid is not None and len(valid[0]):
            validation = (self.prep_.transform(valid[0]), self._target(valid[1]))
        weights = None
        if self.class_weight == "balanced" and self.task != "revenue":
            pos = max(float(t.mean()), 1e-6)
            weights = {0: 0.5 / (1 - pos), 1: 0.5 / pos}
        self.model_ = self._build(x.shape[1])
        self.history_: list[dict] = []
        owner = self

        class Monitor(keras.callbacks.Callback):
            def on_train_begin(self, logs=None):
                self.best = np.inf
                self.best_weights = None
                self.wait = 0
                self.start = time.perf_counter()

            def on_epoch_end(self, epoch, logs=None):
                logs = {k: float(v) for k, v in (logs or {}).items()}
                logs["seconds"] = time.perf_counter() - self.start
                owner.history_.append({"epoch": epoch + 1, **logs})
                score = logs.get("val_loss", logs.get("loss", np.inf))
                if score < self.best - 1e-6:
                    self.best, self.wait = score, 0
                    self.best_weights = self.model.get_weights()
                    owner.best_epoch_ = epoch + 1
                else:
                    self.wait += 1
                if on_epoch is not None:
                    on_epoch(epoch + 1, logs)
                if (owner.patience and self.wait >= owner.patience) or (should_stop is not None and should_stop()):
                    owner.stopped_early_ = True
                    self.model.stop_training = True

            def on_train_end(self, logs=None):
                if self.best_weights is not None:
                    self.model.set_weights(self.best_weights)

        self.stopped_early_ = False
        self.best_epoch_ = 0
        start = time.perf_counter()
        self.model_.fit(x, t, validation_data=validation, epochs=self.epochs, batch_size=self.batch_size,
                        class_weight=weights, shuffle=True, verbose=0, callbacks=[Monitor()])
        self.train_seconds_ = time.perf_counter() - start
        return self

    def _check(self) -> None:
        if not hasattr(self, "model_"):
            raise RuntimeError("This NeuralModel is not fitted yet; call fit() first.")

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        """Probability of the positive class (purchase or churn)."""
        self._check()
        return self.model_.predict(self.prep_.transform(frame), verbose=0, batch_size=4096).ravel().astype(float)

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        """Revenue in the window (currency) for the revenue task, else the probability."""
        self._check()
        raw = self.model_.predict(self.prep_.transform(frame), verbose=0, batch_size=4096).ravel().astype(float)
        # no extrapolation beyond the largest revenue seen in training (log scale)
        return np.expm1(np.clip(raw, 0, self.max_target_)) if self.task == "revenue" else raw
