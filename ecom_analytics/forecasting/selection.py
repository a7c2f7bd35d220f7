"""Auto's choice: the model (or the mean of models) that forecasts each series, from earlier origins only.

**Evidence.** Besides the backtest windows (the scored ones and the selection windows before them, one
every ``horizon`` periods), the backtest can forecast ``horizon`` periods ahead from more origins: one every
``step`` periods (:data:`AUTO_STEP` of the horizon, at least 1; statsforecast's ``cross_validation`` with
``step_size``) back from the last scored window's cut, as far as the earliest selection window and
:data:`AUTO_BACK` horizons before it. These extra forecasts are never scored and never shown: they are the
evidence auto ranks on. A decision at a cut (a backtest window, or the future) sees an origin's forecast
only when all of its actuals lie on or before the cut. With the chosen settings (one horizon apart, one
horizon further back) that is one more window before the selection windows: denser origins were measured
and lost (see :data:`AUTO_STEP`).

**The rule** (per series and decision, :func:`choose`): the models ranked by their mean scaled error
(MAE / MASE scale) on the evidence; the best one (with several :data:`AUTO_SIZES`, e.g. ``(1, 3)``, the
best one or the mean of the best three, whichever would itself have done better on the evidence, each
origin's own choice made from the origins before it: a nested backtest); the first of :data:`AUTO_DEFAULT`
where there is no evidence.

**The guard** (per table and decision): over every series' evidence origins where the rule chose something
else than seasonal naive alone, the geometric mean of the rule's scaled error relative to seasonal naive's
(naive where a training part is shorter than a season); unless it is below ``exp(-AUTO_MARGIN)`` (1: the
rule must simply have been better), every series of the table uses seasonal naive for that decision (or
seasonal naive + level where that did better on the same evidence, :data:`AUTO_FALLBACK`).

Every setting here was chosen on the validation windows of the benchmark's tables
(``python benchmarks/forecast_quality.py --rules``), by auto's sMAPE relative to the best setting of each
table, averaged over the tables; the reported windows were never used to choose.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: "auto" uses this model where there is no evidence yet
AUTO_DEFAULT = ("ets_theta", "snaive_level", "stl_theta", "ets", "theta", "seasonal_naive", "naive")
#: "auto" compares, per series, the mean of the best k models for each k here (the first is its fallback). With
#: the window one horizon further back, the single best model scored 1.012 on the validation windows of the
#: eight tables against 1.032 for the best or the mean of the best three (chosen before, with fewer windows)
AUTO_SIZES: tuple[int, ...] = (1,)
#: how auto ranks the models on the evidence: "mean" scaled error, or "relative" to each origin's median model
AUTO_RANKING = "mean"
#: the evidence origins are this share of the horizon apart (at least 1 period). Chosen on the validation
#: windows of the eight tables of ``benchmarks/forecast_quality.py --rules`` (score: auto's sMAPE relative to
#: the best setting of each table, averaged over the tables): one horizon apart 1.032; half a horizon 1.106
#: and every period 1.106 (denser origins overlap: they repeat the same few weeks and lost on 6 of 8 tables)
AUTO_STEP = 1.0
#: and reach this many horizons before the earliest backtest window (0: 1.052, the rule before; 1: 1.032;
#: 2 needs more history than the daily tables' validation part was fitted with: 1.039 against 1.051 on the
#: five weekly and monthly tables alone, where 1 scores 1.051 and 0 1.047)
AUTO_BACK = 1
#: the rule must beat seasonal naive on the evidence by this much (log of the geometric mean ratio): a margin
#: of 0.05 lost on every table where it changed anything (score 1.073 against 1.032 for 0)
AUTO_MARGIN = 0.0
#: what the guard falls back to: "seasonal_naive", or "best_seasonal" (seasonal naive + level where it did
#: better than seasonal naive on the same evidence). On the validation windows of twelve tables (the eight above
#: and four real store tables: Walmart, Walmart Recruiting, Rossmann, store-item demand) "best_seasonal" scored
#: 1.018 against 1.021; it changed only Walmart's weekly stores (9.25 % -> 8.89 %)
AUTO_FALLBACK = "best_seasonal"
#: "rule": the rule's models; "with_base": the rule's models and seasonal naive, averaged
AUTO_COMBINE = "rule"
#: see :attr:`AutoSettings.pool`. Measured on the validation windows of the twelve tables and not chosen: pool 1
#: scored 1.027, 2 1.044, 4 1.056, 8 1.053 and 1000 (the table decides) 1.053 against 1.021 for none; it helped the
#: daily store tables a little (Rossmann 25.55 % -> 25.30-25.37 %) and cost Online Retail's countries much (72 % ->
#: 86-94 % daily), whose series do not behave alike
AUTO_POOL = 0.0
#: where the guard judges: "table" (all series together) or "series" (each on its own)
AUTO_GUARD = "table"


@dataclass(frozen=True)
class AutoSettings:
    """Auto's settings (the module constants by default); the benchmark's ``--rules`` compares others."""

    sizes: tuple[int, ...] = AUTO_SIZES
    ranking: str = AUTO_RANKING
    margin: float = AUTO_MARGIN
    fallback: str = AUTO_FALLBACK
    combine: str = AUTO_COMBINE
    guard: str = AUTO_GUARD
    #: only the last ``recent`` evidence origins rank the models (None: all)
    recent: int | None = None
    #: what ranks the models: "all" the evidence, or the backtest "windows" only (the extra origins then only
    #: judge the rule for the guard)
    rank_on: str = "all"
    #: a decision seen on fewer of the series' own evidence origins than this falls back as the guard does (0: never).
    #: Measured on the validation windows of the twenty tables of ``--rules`` (2026-12-08) and not chosen: 2 scored
    #: 1.047, 3 1.052 and 4 1.084 against 1.047 for none (4 helped Online Retail's daily countries, 72.1 % -> 68.9 %,
    #: and cost Rossmann 25.5 % -> 32.2 %): auto's thin evidence in a table's first window stays a known weakness
    min_evidence: int = 0
    #: how many evidence origins the table's other series weigh in a series' ranking (0: the series alone). A
    #: model's score is ``(n x its mean scaled error on the series' n origins + pool x its mean over the other
    #: series' origins seen at the same decision) / (n + pool)``: a series with little evidence leans on the
    #: table, one with much evidence on itself
    pool: float = AUTO_POOL


@dataclass
class AutoChoice:
    """Auto's backtest rows (``rows``: one per series, backtest window and step, with ``picked``), its
    choice for each series' future (``chosen``: model codes joined by "+") with the ``reason`` ("best",
    "guard" or "default"), and the figures behind the table's guard for the future: ``origins`` (evidence
    forecasts over all series), ``ratio`` (the geometric mean of the rule's scaled error relative to the
    baseline's on them; NaN without evidence), ``margin`` (the ratio the rule had to beat) and
    ``baseline`` (the model code the guard compares with and falls back to)."""

    rows: pd.DataFrame
    chosen: dict[str, str]
    reason: dict[str, str]
    origins: int = 0
    ratio: float = float("nan")
    margin: float = float(np.exp(-AUTO_MARGIN))
    baseline: str = "seasonal_naive"
    per_series: dict[str, dict] = field(default_factory=dict)


def evidence_cuts(first: int, last: int, horizon: int, classic: list[int], min_train: int,
                  step: float = AUTO_STEP, back: float = AUTO_BACK) -> list[int]:
    """Training lengths of the extra origins: every ``max(1, round(step x horizon))`` periods back from
    ``last`` (the last scored window's cut) to ``back`` horizons before ``first`` (the earliest backtest
    window's cut), never shorter than ``min_train``, without the backtest windows' own cuts (``classic``)."""
    gap = max(1, int(round(step * horizon)))
    floor = max(int(min_train), int(first - round(back * horizon)))
    taken = set(classic)
    return sorted(c for c in range(int(last) - gap, floor - 1, -gap) if c not in taken)


def _order(errors: np.ndarray, ranking: str) -> np.ndarray:
    """Column positions of ``errors`` (rows: evidence origins, columns: models) from best to worst; ties
    keep the column order. ``"mean"``: by mean scaled error; ``"relative"``: by the mean log of the error
    relative to each origin's median model."""
    if ranking == "relative":
        med = np.median(errors, axis=1)
        med = np.where(med > 0, med, 1.0)
        key = np.log(np.clip(errors / med[:, None], 1e-6, None)).mean(axis=0)
    else:
        key = errors.mean(axis=0)
    return np.argsort(key, kind="stable")


def _ranked(earlier: pd.DataFrame, ranking: str) -> pd.Series:
    """The models (columns of ``earlier``: scaled errors, one row per earlier window) from best to worst
    (see :func:`_order`), with their rank."""
    order = _order(earlier.to_numpy(dtype="float64"), ranking)
    return pd.Series(np.arange(len(order)), index=earlier.columns[order])


@dataclass
class _Units:
    """One series' forecasts from every origin (backtest windows and extra origins), oldest cut first:
    ``cut`` and ``end`` (dates of the last training period and of the last forecast period, as int64
    nanoseconds), ``window`` (the backtest window, None for an extra origin), ``y`` (origins x steps),
    ``fc`` (origins x steps x models, NaN where a model did not forecast), ``scale`` (MASE scale, or the
    mean absolute actual where it is undefined) and ``err`` (origins x models: scaled errors)."""

    cut: np.ndarray
    end: np.ndarray
    window: list
    y: np.ndarray
    fc: np.ndarray
    scale: np.ndarray
    raw_scale: np.ndarray
    ds: np.ndarray
    cutoff: np.ndarray

    @property
    def wnum(self) -> np.ndarray:
        """The backtest window of each origin as a number (NaN for an extra origin)."""
        return np.array([np.nan if w is None else float(w) for w in self.window])

    def before(self, i: int | None) -> np.ndarray:
        """Whether each origin is evidence for origin ``i`` (None: the future): all its actuals on or
        before ``i``'s cut, or an earlier backtest window (windows follow one another)."""
        if i is None:
            return np.ones(len(self.cut), dtype=bool)
        w = self.wnum
        return (self.end <= self.cut[i]) | (w < w[i])

    @property
    def err(self) -> np.ndarray:
        return np.abs(self.y[:, :, None] - self.fc).mean(axis=1) / self.scale[:, None]


def _units(bt: pd.DataFrame, extra: dict | None, names: list[str]) -> dict[str, _Units]:
    """Per series, its :class:`_Units` from the backtest rows ``bt`` and the extra origins ``extra``
    (per series: ``cut`` and ``end`` dates, ``y``, ``yhat`` {model: origins x steps}, ``scale``)."""
    col = {m: j for j, m in enumerate(names)}
    frame = bt.sort_values(["unique_id", "window", "step"], kind="stable")
    out: dict[str, _Units] = {}
    for uid, rows in frame.groupby("unique_id", sort=False):
        windows = pd.unique(rows["window"])
        first_model = rows[rows["model"] == rows["model"].iloc[0]]
        h = int(first_model.groupby("window").size().max())
        key = rows["window"].to_numpy()
        wpos = {w: i for i, w in enumerate(windows)}
        widx = np.array([wpos[w] for w in key])
        step = rows["step"].to_numpy(dtype=int) - 1
        fc = np.full((len(windows), h, len(names)), np.nan)
        fc[widx, step, rows["model"].map(col).to_numpy()] = rows["yhat"].to_numpy(dtype="float64")
        y = np.full((len(windows), h), np.nan)
        y[widx, step] = rows["y"].to_numpy(dtype="float64")
        ds = np.full((len(windows), h), np.datetime64("NaT"), dtype="datetime64[ns]")
        ds[widx, step] = rows["ds"].to_numpy(dtype="datetime64[ns]")
        firsts = rows.drop_duplicates("window")
        cutoff = firsts["cutoff"].to_numpy(dtype="datetime64[ns]")
        raw = firsts["scale"].to_numpy(dtype="float64")
        window = list(windows)
        if extra and uid in extra and len(extra[uid]["cut"]):
            more = extra[uid]
            k = len(more["cut"])
            efc = np.full((k, h, len(names)), np.nan)
            for name, values in more["yhat"].items():
                if name in col:
                    efc[:, :, col[name]] = values
            fc = np.concatenate([fc, efc])
            y = np.concatenate([y, more["y"]])
            ds = np.concatenate([ds, more["ds"].astype("datetime64[ns]")])
            cutoff = np.concatenate([cutoff, more["cut"].astype("datetime64[ns]")])
            raw = np.concatenate([raw, more["scale"]])
            window += [None] * k
        order = np.argsort(cutoff, kind="stable")
        fc, y, ds, cutoff, raw = fc[order], y[order], ds[order], cutoff[order], raw[order]
        window = [window[i] for i in order]
        size = np.nanmean(np.abs(y), axis=1)
        scale = np.where(np.isfinite(raw) & (raw > 0), raw, np.where(size > 0, size, 1.0))
        out[uid] = _Units(cutoff.astype("int64"), ds.max(axis=1).astype("int64"), window, y, fc, scale, raw, ds,
                          cutoff)
    return out


def _mean_error(u: _Units, i: int, picks: np.ndarray) -> float:
    return float(np.mean(np.abs(u.y[i] - u.fc[i][:, picks].mean(axis=1)))) / float(u.scale[i])


@dataclass
class _SeriesRule:
    """The rule's picks at every origin of one series (None: no evidence) and their scaled errors."""

    picks: list
    error: np.ndarray


@dataclass
class _Pool:
    """Every series' evidence origins of a table, one row each: ``end`` (date of the last forecast period, int64
    nanoseconds), ``wnum`` (backtest window or NaN) and ``err`` (rows x models: scaled
    errors, NaN where a model did not forecast)."""

    end: np.ndarray
    wnum: np.ndarray
    err: np.ndarray

    _cache: dict = field(default_factory=dict)

    def mean_at(self, u: _Units, i: int | None, own: np.ndarray) -> np.ndarray:
        """Per model, the mean scaled error over the other series' origins seen at origin ``i`` of ``u`` (None:
        the future), NaN where none forecast by that model was seen; ``own`` is the series' own rows seen
        there (``u``'s errors at ``u.before(i)``), taken out of the table's sums (cached per decision)."""
        key = None if i is None else (int(u.cut[i]), float(u.wnum[i]) if np.isfinite(u.wnum[i]) else None)
        if key not in self._cache:
            seen = np.ones(len(self.end), dtype=bool) if i is None else \
                (self.end <= u.cut[i]) | (self.wnum < u.wnum[i])
            rows = self.err[seen]
            self._cache[key] = (np.nansum(rows, axis=0), np.isfinite(rows).sum(axis=0))
        sums, counts = self._cache[key]
        sums = sums - np.nansum(own, axis=0)
        counts = counts - np.isfinite(own).sum(axis=0)
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def _series_rule(u: _Units, err: np.ndarray, settings: AutoSettings, future_avail: np.ndarray,
                 pool: _Pool | None = None, uid: str = "") -> tuple[_SeriesRule, list | None]:
    """The rule at every origin of ``u`` and at its future (``future_avail``: models that forecast it); with a
    ``pool`` and ``settings.pool`` > 0 the ranking leans on the table's other series (see
    :attr:`AutoSettings.pool`)."""
    n, sizes = len(u.cut), settings.sizes
    size_err = np.full((n, len(sizes)), np.nan)
    picks: list = [None] * n
    error = np.full(n, np.nan)
    windows_only = ~np.isnan(u.wnum)

    def decide(avail: np.ndarray, i: int | None):
        ev = np.flatnonzero(u.before(i) & (windows_only if settings.rank_on == "windows" else True))
        if settings.recent:
            ev = ev[-settings.recent:]
        if len(ev) == 0:
            return None, None
        cols = np.flatnonzero(avail & ~np.isnan(err[ev]).any(axis=0))
        if len(cols) == 0:
            return None, None
        if pool is not None and settings.pool > 0:
            own = err[np.ix_(ev, cols)].mean(axis=0)
            table = pool.mean_at(u, i, err[u.before(i)])[cols]
            key = np.where(np.isfinite(table), (len(ev) * own + settings.pool * table) / (len(ev) + settings.pool),
                           own)
            order = cols[np.argsort(key, kind="stable")]
        else:
            order = cols[_order(err[np.ix_(ev, cols)], settings.ranking)]
        now = {k: order[:k] for k in sizes if k <= len(order) or k == sizes[0]}
        first = sizes[0]
        best = first
        if len(now) > 1:
            judged = size_err[ev]
            keep = [j for j, k in enumerate(sizes) if k in now]
            ok = ~np.isnan(judged[:, keep]).any(axis=1)
            if ok.sum() >= 1 and len(ev) > 1:
                means = judged[ok][:, keep].mean(axis=0)
                best = sizes[keep[int(np.argmin(means))]]
        if i is not None:
            for j, k in enumerate(sizes):
                if k in now:
                    size_err[i, j] = _mean_error(u, i, now[k])
        return now[best], now

    for i in range(n):
        chosen, _ = decide(~np.isnan(err[i]), i)
        picks[i] = chosen
        if chosen is not None:
            error[i] = _mean_error(u, i, chosen)
    future, _ = decide(future_avail, None)
    return _SeriesRule(picks, error), future


def choose(bt: pd.DataFrame, extra: dict | None = None, settings: AutoSettings | None = None) -> AutoChoice:
    """Auto's choice for every backtest window and the future of every series of ``bt`` (the backtest rows of
    every base model), from the evidence of ``extra`` (see :func:`_units`) and the backtest windows."""
    settings = settings or AutoSettings()
    names = sorted(bt["model"].unique())
    col = {m: j for j, m in enumerate(names)}
    units = _units(bt, extra, names)
    uids = list(dict.fromkeys(bt["unique_id"]))
    rules: dict[str, _SeriesRule] = {}
    futures: dict[str, list | None] = {}
    errs: dict[str, np.ndarray] = {}
    base_at: dict[str, np.ndarray] = {}
    for uid in uids:
        errs[uid] = units[uid].err
    pool = None
    if settings.pool > 0 and len(uids) > 1:
        pool = _Pool(np.concatenate([units[uid].end for uid in uids]),
                     np.concatenate([units[uid].wnum for uid in uids]),
                     np.concatenate([errs[uid] for uid in uids]))
    for uid in uids:
        u = units[uid]
        err = errs[uid]
        classic = [i for i, w in enumerate(u.window) if w is not None]
        last = classic[-1] if classic else len(u.cut) - 1
        rules[uid], futures[uid] = _series_rule(u, err, settings, ~np.isnan(err[last]), pool, uid)
        base_at[uid] = np.array([_baseline_index(err[i], col) for i in range(len(u.cut))])
    # the evidence over the table, per origin: its end date, its window, the log of the rule's scaled error
    # relative to the baseline's where the rule chose something else than the baseline alone (where it chose
    # the baseline the two are the same forecast: nothing to judge), and seasonal naive + level's relative log
    ends, wins, logs, alt, who = [], [], [], [], []
    for uid in uids:
        u, err, rule, base = units[uid], errs[uid], rules[uid], base_at[uid]
        b = np.array([err[i, j] if j >= 0 else np.nan for i, j in enumerate(base)])
        other = np.array([p is not None and not (len(p) == 1 and p[0] == j) for p, j in zip(rule.picks, base)])
        ok = other & (rule.error > 0) & (b > 0)
        logs.append(np.where(ok, np.log(np.where(ok, rule.error, 1.0) / np.where(ok, b, 1.0)), np.nan))
        snl = col.get("snaive_level")
        level = err[:, snl] if snl is not None else np.full(len(b), np.nan)
        fine = (level > 0) & (b > 0)
        alt.append(np.where(fine, np.log(np.where(fine, level, 1.0) / np.where(fine, b, 1.0)), np.nan))
        ends.append(u.end)
        wins.append(u.wnum)
        who += [uid] * len(u.end)
    ends_all = np.concatenate(ends) if ends else np.zeros(0, dtype="int64")
    wins_all = np.concatenate(wins) if wins else np.zeros(0)
    logs_all = np.concatenate(logs) if logs else np.zeros(0)
    alt_all = np.concatenate(alt) if alt else np.zeros(0)
    who_all = np.array(who, dtype=object)

    def guard_at(u: _Units | None, i: int | None, uid: str) -> tuple[bool, float, int, bool]:
        """At origin ``i`` of ``u`` (None: the future): (fall back?, the geometric mean ratio of the rule's
        error to the baseline's, evidence origins, seasonal naive + level instead of seasonal naive?)."""
        seen = np.ones(len(ends_all), dtype=bool) if i is None else \
            (ends_all <= u.cut[i]) | (wins_all < u.wnum[i])
        if settings.guard == "series":
            seen &= who_all == uid
        mask = seen & np.isfinite(logs_all)
        count = int(mask.sum())
        level = seen & np.isfinite(alt_all)
        use_level = settings.fallback == "best_seasonal" and bool(level.any()) and float(alt_all[level].mean()) < 0
        if count == 0:
            return False, float("nan"), 0, use_level
        stat = float(logs_all[mask].mean())
        return stat > -settings.margin, float(np.exp(stat)), count, use_level

    parts, chosen, reasons, per_series = [], {}, {}, {}
    facts = (0, float("nan"), "seasonal_naive")
    for uid in uids:
        u, rule, base = units[uid], rules[uid], base_at[uid]
        for i, window in enumerate(u.window):
            if window is None:
                continue
            picks, _ = _final(rule.picks[i], base[i], ~np.isnan(errs[uid][i]), names, col, settings,
                              _thin(guard_at(u, i, uid), int(u.before(i).sum()), settings))
            h = np.isfinite(u.y[i]).sum()
            parts.append(pd.DataFrame({"unique_id": uid, "model": "auto", "window": window,
                                       "cutoff": np.repeat(u.cutoff[i], h), "step": np.arange(1, h + 1),
                                       "ds": u.ds[i][:h], "y": u.y[i][:h],
                                       "yhat": u.fc[i][:h][:, [col[p] for p in picks]].mean(axis=1),
                                       "scale": np.repeat(u.raw_scale[i], h), "picked": "+".join(picks)}))
        classic = [i for i, w in enumerate(u.window) if w is not None]
        last = classic[-1] if classic else len(u.cut) - 1
        verdict = _thin(guard_at(None, None, uid), len(u.cut), settings)
        picks, reason = _final(futures[uid], base[last], ~np.isnan(errs[uid][last]), names, col, settings, verdict)
        chosen[uid], reasons[uid] = "+".join(picks), reason
        baseline = names[base[last]] if base[last] >= 0 else "naive"
        per_series[uid] = {"origins": verdict[2], "ratio": verdict[1], "baseline": baseline, "evidence": len(u.cut)}
        facts = (verdict[2], verdict[1], baseline)
    columns = bt.columns.tolist() + ["picked"]
    rows = pd.concat(parts, ignore_index=True)[columns] if parts else bt.iloc[:0].assign(picked=pd.Series(dtype="string"))
    return AutoChoice(rows, chosen, reasons, facts[0], facts[1], float(np.exp(-settings.margin)), facts[2], per_series)


def _thin(verdict: tuple[bool, float, int, bool], evidence: int, settings: AutoSettings) -> tuple[bool, float, int, bool]:
    """The guard's verdict, falling back also where the series' own evidence is under ``settings.min_evidence``."""
    return (True, *verdict[1:]) if evidence < settings.min_evidence else verdict


def _baseline_index(err_row: np.ndarray, col: dict[str, int]) -> int:
    """Seasonal naive where it forecast this origin, else naive (-1 when neither ran)."""
    sn, nv = col.get("seasonal_naive"), col.get("naive")
    if sn is not None and np.isfinite(err_row[sn]):
        return sn
    return nv if nv is not None else -1


def _final(rule: list | None, base: int, avail: np.ndarray, names: list[str], col: dict[str, int],
           settings: AutoSettings, verdict: tuple[bool, float, int, bool]) -> tuple[list[str], str]:
    """The models auto averages at one decision, and why: the rule's ("best"), the fallback ("guard") or the
    first available default ("default")."""
    if rule is None:
        here = [names[j] for j in np.flatnonzero(avail)] or names
        return [next((d for d in AUTO_DEFAULT if d in here), sorted(here)[0])], "default"
    fall, _, _, use_level = verdict
    if fall and base >= 0:
        level = col.get("snaive_level")
        if use_level and level is not None and avail[level]:
            return ["snaive_level"], "guard"
        return [names[base]], "guard"
    picked = [names[j] for j in rule]
    if settings.combine == "with_base" and base >= 0 and names[base] not in picked:
        picked.append(names[base])
    return picked, "best"


def _auto(bt: pd.DataFrame, sizes: tuple[int, ...] = AUTO_SIZES, ranking: str = AUTO_RANKING, extra: dict | None = None
          ) -> tuple[pd.DataFrame, dict[str, str], dict[str, str]]:
    """Auto's backtest rows, its choice for each series' future and the reason (see :func:`choose`)."""
    got = choose(bt, extra, AutoSettings(sizes=tuple(sizes), ranking=ranking))
    return got.rows, got.chosen, got.reason
