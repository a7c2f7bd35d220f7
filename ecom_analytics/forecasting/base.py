"""The base of every forecasting model (:mod:`~ecom_analytics.forecasting.models` and
:mod:`~ecom_analytics.forecasting.retail` both build on it; neither imports the other for it)."""

from __future__ import annotations

import warnings

import numpy as np

from ecom_analytics.errors import InputError
from ecom_analytics.runs import Note


class Base:
    """What every forecasting model shares: the checks of ``y`` and ``h``, the fitted check, the
    constant forecast of a flat or very short series, and ``note_`` (a note on the last fit, or None)."""

    note_: Note | None = None

    def _check_fitted(self) -> None:
        if not hasattr(self, "n_obs_"):
            raise RuntimeError(f"{type(self).__name__} is not fitted yet: call fit(y) first.")

    @staticmethod
    def _as_array(y) -> np.ndarray:
        arr = np.asarray(y, dtype="float64")
        if arr.ndim != 1 or len(arr) == 0:
            raise InputError("A series to forecast needs at least one value.")
        if not np.isfinite(arr).all():
            raise InputError("The series has missing or infinite values; fill them before forecasting.")
        return arr

    def _start(self, y) -> np.ndarray:
        """Check ``y`` and reset; a constant or very short series is forecast by its last value
        (``fit_`` None), otherwise ``fit_`` is set to a placeholder for the subclass to replace."""
        arr = self._as_array(y)
        self.n_obs_, self.note_, self.scale_ = len(arr), None, 1.0
        flat = bool(np.allclose(arr, arr[0])) or len(arr) < 4
        self.constant_, self.fit_ = (float(arr[-1]), None) if flat else (None, True)
        return arr

    def _forecast(self, h: int, scale: float, **kwargs) -> np.ndarray:
        """``h`` values from a statsmodels result ``fit_`` (times ``scale``), or the constant."""
        self._check_fitted()
        h = self._check_h(h)
        if self.fit_ is None:
            return np.full(h, self.constant_)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = np.asarray(self.fit_.forecast(h, **kwargs), dtype="float64") * scale
        return out if np.isfinite(out).all() else np.full(h, float(self.fit_.model.endog[-1]) * scale)

    @staticmethod
    def _check_h(h: int) -> int:
        if int(h) < 1:
            raise InputError("The horizon must be at least one period.")
        return int(h)
