"""Campaign inputs: recognise the columns of a campaign table, or build one from a campaign list
and the uploaded orders.

(a) A campaign table has one row per customer: id, arm, optional send date, optional
pre-campaign attributes and outcome columns (visited, converted, spend). Columns are
recognised from their headers with the mapper's synonyms (``mapping.SYNONYMS["campaign"]``);
the arm column is also found from its values (a control label such as "control", "holdout",
"No E-Mail" or 对照组). Every choice can be overridden.

(b) A campaign list (id, arm, send date) joined with cleaned orders: outcomes are computed
over ``window_days`` after each customer's send date (converted, revenue, orders) and the
pre-campaign features come from :func:`ecom_analytics.insights.features.build_customer_features` at each
send date.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ecom_analytics.errors import InputError
from ecom_analytics.ingest.mapping import SYNONYMS, normalise_header
from ecom_analytics.runs import Note

ROLES = ("customer_id", "arm", "send_date", "visited", "converted", "spend", "pre_revenue")
OUTCOME_ROLES = ("converted", "visited", "spend")
# Arm labels read as "did not get the campaign" (normalised: lower case, letters/digits/CJK only).
CONTROL_WORDS = ("control", "holdout", "noemail", "nomail", "nocontact", "notreatment", "none", "baseline",
                 "nocampaign", "nosend", "notsent", "placebo", "对照组", "对照", "控制组", "空白组", "未发送", "不发送")


# Arm headers beyond the mapper's synonyms (words of the header, normalised): an A/B test's "version",
# "Promotion", "test"... A column so named is the arm when it holds 2-5 labels in balanced shares.
ARM_WORDS = ("arm", "group", "variant", "version", "treatment", "promotion", "promo", "test", "campaign", "experiment",
             "cell", "bucket", "condition", "offer", "abtest", "abgroup", "testgroup", "分组", "组别", "实验组", "版本",
             "促销", "活动", "实验", "测试", "方案")
# Outcome headers beyond the mapper's synonyms: flags (0/1, True/False, yes/no) or amounts.
FLAG_WORDS = ("retention", "retained", "retain", "purchase", "purchases", "converted", "conversion", "visit",
              "visited", "click", "clicked", "opened", "responded", "response", "redeemed", "redeem", "bought",
              "signup", "subscribed", "renewed", "留存", "购买", "转化", "点击", "访问", "响应", "复购", "下单")
AMOUNT_WORDS = ("spend", "revenue", "sales", "amount", "ordervalue", "gmv", "profit", "销售额", "金额", "消费", "收入")
# Header words of a column measured before the campaign (kept as a feature unless it alone separates
# the outcome almost perfectly).
BEFORE_WORDS = ("prior", "pre", "past", "before", "previous", "prev", "history", "historical", "last", "since",
                "lifetime", "tenure", "recency", "历史", "以前", "之前", "过去", "上次")
# Labels of the arm that did not get the campaign when the arm column is a yes/no flag.
NO_LABELS = ("no", "false", "0", "n", "否", "无", "不", "未")
# A balanced arm: at least half its equal share (two arms: 25 % each at least).
BALANCED_SHARE = 0.5


def header_words(name: object) -> list[str]:
    """A header's words, normalised ("test group" -> test, group; "LocationID" -> location, id;
    "retention_7" -> retention, 7), with the whole header normalised first."""
    import re

    text = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", str(name))
    parts = [normalise_header(w) for w in re.split(r"[^\w]+|_|(?<=\D)(?=\d)|(?<=\d)(?=\D)", text)]
    return [normalise_header(name), *[w for w in parts if w]]


def _has_word(name: object, words) -> bool:
    return any(w in words for w in header_words(name))


def _balanced_labels(values: pd.Series) -> bool:
    """2-5 distinct labels, each holding at least half its equal share of the rows."""
    shares = values.dropna().astype("string").str.strip().value_counts(normalize=True)
    return 2 <= len(shares) <= 5 and float(shares.min()) >= BALANCED_SHARE / len(shares)


def natural_key(label: object):
    """Sort key putting numbers in numeric order (2 before 10), then text."""
    text = str(label).strip()
    try:
        return (0, float(text), text)
    except ValueError:
        return (1, 0.0, text.lower())


def is_control_label(label: object) -> bool:
    """True for labels such as "control", "Holdout", "No E-Mail", "对照组"."""
    norm = normalise_header(label)
    return norm in CONTROL_WORDS or any(norm.startswith(w) for w in ("control", "holdout", "noemail", "对照"))


def find_control(labels, chosen: str | None = None) -> str | None:
    """The control arm among ``labels``: ``chosen`` when given (must be one of them), else the
    first recognised control label, else None."""
    labels = [str(x) for x in labels]
    if chosen is not None:
        if str(chosen) not in labels:
            raise InputError("The control '{control}' is not one of the arms ({arms}). Choose one of them.",
                             control=chosen, arms=', '.join(labels[:8]))
        return str(chosen)
    found = next((x for x in labels if is_control_label(x)), None)
    if found is None and len(labels) == 2:  # a yes/no flag: the "no" arm did not get the campaign
        negative = [x for x in labels if normalise_header(x) in NO_LABELS or str(x).strip() in NO_LABELS]
        found = negative[0] if len(negative) == 1 else None
    return found


def reference_arm(labels) -> str:
    """The arm the others are compared with when no arm is labelled as a control: the first label
    in natural order (numbers in numeric order), e.g. "1" of 1/2/3, "a" of a/b, "gate_30" of
    gate_30/gate_40."""
    return min((str(x) for x in labels), key=natural_key)


def recognise_columns(frame: pd.DataFrame, overrides: dict[str, str | None] | None = None) -> dict[str, str | None]:
    """Role -> source column for the campaign roles (see ``ROLES``); ``overrides`` win."""
    words = SYNONYMS["campaign"]
    norm = {c: normalise_header(c) for c in frame.columns}
    chosen: dict[str, str | None] = {}
    used: set[str] = set()
    overrides = {k: v for k, v in (overrides or {}).items() if k in ROLES}
    for role, col in overrides.items():
        if col is not None and col not in frame.columns:
            raise InputError("The column '{column}' chosen for {role} is not in the file.", column=col, role=role)
        chosen[role] = col
        used.add(col)
    # the arm: a column holding a control label beats header names
    if "arm" not in chosen:
        for col in frame.columns:
            if col in used:
                continue
            values = frame[col].dropna().astype("string").unique()
            if 1 < len(values) <= 20 and any(is_control_label(v) for v in values):
                chosen["arm"] = col
                used.add(col)
                break
    for role in ROLES:
        if role in chosen:
            continue
        if role == "arm":  # the mapper's words, then a header word of an A/B test with balanced labels
            best = _synonym_column(frame, norm, words[role], used)
            if best is None:
                best = next((c for c in frame.columns if c not in used and _has_word(c, ARM_WORDS)
                             and _balanced_labels(frame[c])), None)
            chosen[role] = best
            if best is not None:
                used.add(best)
            continue
        best = None
        for rank, w in enumerate(words[role]):
            hit = next((c for c in frame.columns if c not in used and norm[c] == w), None)
            if hit is not None:
                best = hit
                break
        if best is None:
            best = next((c for c in frame.columns if c not in used
                         and any(len(w) >= 5 and w in norm[c] for w in words[role])), None)
        chosen[role] = best
        if best is not None:
            used.add(best)
    return {r: chosen.get(r) for r in ROLES}


def _synonym_column(frame: pd.DataFrame, norm: dict, words, used: set) -> str | None:
    """The first column whose normalised header is one of ``words``, else one containing a word of
    5 letters or more."""
    for w in words:
        hit = next((c for c in frame.columns if c not in used and norm[c] == w), None)
        if hit is not None:
            return hit
    return next((c for c in frame.columns if c not in used and any(len(w) >= 5 and w in norm[c] for w in words)), None)


def is_flag(values: pd.Series) -> bool:
    """True when every known value is 0/1, True/False or yes/no (and both occur)."""
    num = _numeric(values).dropna()
    return len(num) > 0 and bool(num.isin([0, 1]).all()) and num.nunique() == 2


def outcome_candidates(frame: pd.DataFrame, taken) -> list[str]:
    """Columns beyond the recognised roles that read as outcomes: a flag (0/1, True/False, yes/no)
    under a header word such as retention or purchase, or numbers under a word such as sales."""
    found = []
    for col in frame.columns:
        if col in taken:
            continue
        if _has_word(col, FLAG_WORDS) and is_flag(frame[col]):
            found.append(col)
        elif _has_word(col, AMOUNT_WORDS) and _numeric(frame[col]).notna().mean() >= 0.9:
            found.append(col)
    return found


def index_like(values: pd.Series) -> bool:
    """True for a row number: 0..n-1 or 1..n in order (a pandas index written to the file)."""
    num = _numeric(values)
    if num.isna().any() or len(num) < 20:  # 1..4 in a 4-row table is no evidence of a row number
        return False
    v = num.to_numpy(float)
    return bool(np.array_equal(v, np.arange(len(v))) or np.array_equal(v, np.arange(1, len(v) + 1)))


def id_like(name: object, values: pd.Series) -> bool:
    """True for an identifier column other than the customer's: a header ending in the word "id"
    (LocationID, store_id, 门店编号) holding whole numbers or codes."""
    words = header_words(name)
    last = words[-1] if len(words) > 1 else words[0]
    if last not in ("id", "编号", "代码", "号") and not str(name).strip().lower().endswith((" id", "_id", "-id")):
        return False
    num = _numeric(values).dropna()
    return len(num) == 0 or bool((num == num.round()).all())


def post_treatment_columns(table: pd.DataFrame, outcome: str, columns) -> list[str]:
    """The ``columns`` that alone nearly determine ``outcome``, so are measured with or after it
    (a funnel step equal to "converted", game rounds played over the retention window). For a 0/1
    outcome (or an amount's 0 vs above 0), a column is left out when

    - its AUC for the outcome is 0.95 or more (or 0.05 or less); or
    - one end of its range (x <= v or x >= v) holds 5 % of the rows or more and 20 or more expected
      positives, yet not one positive (an earlier funnel step: nobody converts without passing it); or
    - its AUC is 0.85 or more (0.15 or less) and its header does not say it was measured before
      the campaign (prior, pre, past, before, previous, history, last...).

    For an amount, also an |Spearman correlation| of 0.95 or more. (The simulator's pre-campaign
    attributes stay under an AUC of 0.70, Starbucks' V1-V7 for purchase under 0.60.)"""
    from scipy import stats

    y_all = pd.to_numeric(table[outcome], errors="coerce")
    found = []
    for col in columns:
        x_all = pd.to_numeric(table[col], errors="coerce")
        keep = y_all.notna() & x_all.notna()
        if keep.sum() < 20 or x_all[keep].nunique() < 2:
            continue
        x, y = x_all[keep].to_numpy(float), y_all[keep].to_numpy(float)
        flag = y.copy() if set(np.unique(y)) <= {0.0, 1.0} else (y > 0).astype(float)
        if not set(np.unique(y)) <= {0.0, 1.0} and abs(stats.spearmanr(x, y)[0]) >= 0.95:
            found.append(col)
            continue
        if 0 < flag.sum() < len(flag) and _separates(x, flag, before=_has_word(col, BEFORE_WORDS)):
            found.append(col)
    return found


def _separates(x: np.ndarray, flag: np.ndarray, *, before: bool = False) -> bool:
    from scipy import stats

    pos = flag == 1
    ranks = stats.rankdata(x)
    auc = (ranks[pos].sum() - pos.sum() * (pos.sum() + 1) / 2) / (pos.sum() * (~pos).sum())
    strength = max(auc, 1 - auc)
    if strength >= 0.95 or (strength >= 0.85 and not before):
        return True
    rate, n = flag.mean(), len(flag)
    by_value = pd.DataFrame({"x": x, "y": flag}).groupby("x")["y"].agg(["size", "sum"])
    for part in (by_value, by_value.iloc[::-1]):
        rows, hits = part["size"].cumsum().to_numpy(), part["sum"].cumsum().to_numpy()
        if ((rows >= 0.05 * n) & (rows < n) & (rows * rate >= 20) & (hits == 0)).any():
            return True
    return False


def arm_values(frame: pd.DataFrame, overrides: dict[str, str | None] | None = None) -> tuple[list[str], str | None]:
    """The arm labels of a campaign table or list (sorted) and the recognised control (or None)."""
    cols = recognise_columns(frame, overrides)
    if cols["arm"] is None:
        return [], None
    arms = sorted(frame[cols["arm"]].dropna().astype("string").str.strip().unique().tolist())
    arms = [a for a in arms if a]
    return arms, find_control(arms)


@dataclass
class CampaignData:
    """A campaign table ready for analysis: one row per customer, columns ``customer_id``, ``arm``,
    optional ``send_date``, outcomes and pre-campaign attributes (original names)."""

    table: pd.DataFrame
    control: str
    arms: list[str]
    outcomes: list[str]
    attributes: list[str]
    categorical: list[str]
    pre_revenue: str | None
    columns: dict[str, str | None]
    notes: list[Note] = field(default_factory=list)  # what was left out while reading, as coded notes
    source_columns: list[str] = field(default_factory=list)
    # row numbers and identifiers other than the customer's, kept out of the balance check and the features
    identifiers: list[str] = field(default_factory=list)
    # (column, units) when rows repeat a unit (a store observed every week) and no customer id was found
    unit: tuple[str, int] | None = None

    def summary(self) -> dict:
        """Sizes and roles, for JSON and the page."""
        return {"customers": int(len(self.table)), "control": self.control, "arms": self.arms,
                "arm_sizes": {str(k): int(v) for k, v in self.table["arm"].value_counts().items()},
                "outcomes": self.outcomes, "attributes": self.attributes, "pre_revenue": self.pre_revenue}


def prepare_campaign(frame: pd.DataFrame, *, overrides: dict[str, str | None] | None = None,
                     control: str | None = None, outcome: str | None = None) -> CampaignData:
    """Recognise the columns of a campaign table and check it can be analysed.

    Raises :class:`InputError` with a sentence when the id or arm column is missing, there is one
    arm only, no control, or the chosen outcome is not in the table.
    """
    if frame is None or len(frame) == 0:
        raise InputError("The campaign file has no rows. Export one row per customer with their arm.")
    cols = recognise_columns(frame, overrides)
    if cols["arm"] is None:
        raise InputError("No arm column was found. The campaign table needs a column saying which group each "
                         "customer was in (e.g. 'arm' or 'group' with values such as 'control' and 'email').")
    table = pd.DataFrame(index=frame.index)
    if cols["customer_id"] is not None:
        table["customer_id"] = frame[cols["customer_id"]].astype("string").str.strip().str.replace(r"\.0$", "", regex=True)
    else:
        table["customer_id"] = pd.Series(np.arange(1, len(frame) + 1), index=frame.index).astype("string")
    table["arm"] = frame[cols["arm"]].astype("string").str.strip()
    table = table[table["arm"].notna() & (table["arm"] != "")]
    notes = []
    dropped = len(frame) - len(table)
    if dropped:
        notes.append(Note("{n:,} rows without an arm were left out", {"n": dropped}))
    if cols["customer_id"] is not None:
        dup = table["customer_id"].duplicated(keep="first")
        if dup.any():
            notes.append(Note("{n:,} repeated customer ids were left out (first row kept)", {"n": int(dup.sum())}))
            table = table[~dup]
    src = frame.loc[table.index]
    if cols["send_date"] is not None:
        table["send_date"] = pd.to_datetime(src[cols["send_date"]], errors="coerce")
    arms = sorted(table["arm"].unique().tolist())
    if len(arms) < 2:
        raise InputError("The campaign has one arm only ({arm}). A comparison needs a control group and at least "
                         "one treated arm.", arm=arms[0] if arms else Note('none'))
    ctrl = find_control(arms, control)
    if ctrl is None:
        ctrl = reference_arm(arms)
        notes.append(Note("No arm is labelled as the control (control, holdout, No E-Mail, no...): {reference}, the "
                          "first of {arms} in order, is the reference every other arm is compared with. Choose "
                          "another with --control.", {"reference": ctrl, "arms": ", ".join(sorted(arms, key=natural_key)[:8])}))
    outcomes = []
    for role in OUTCOME_ROLES:
        if cols[role] is not None:
            table[cols[role]] = _numeric(src[cols[role]])
            outcomes.append(cols[role])
    role_cols = {c for c in cols.values() if c is not None}
    for col in outcome_candidates(src, role_cols):
        table[col] = _numeric(src[col])
        outcomes.append(col)
    attributes, categorical, identifiers = [], [], []
    for col in frame.columns:
        if col in role_cols or col in outcomes or str(col).startswith("true_"):
            continue
        if index_like(frame[col]) or id_like(col, frame[col]) or (col == "" or str(col).startswith("Unnamed:")) \
                and _numeric(frame[col]).is_monotonic_increasing:
            identifiers.append(col)
            continue
        values = src[col]
        num = _numeric(values)
        if num.notna().mean() >= 0.9 and values.notna().any():
            table[col] = num
            attributes.append(col)
        elif 1 < values.nunique() <= 30:
            table[col] = values.astype("string")
            categorical.append(col)
    if outcome is not None and outcome not in outcomes:
        if outcome in attributes:
            attributes.remove(outcome)
            outcomes.append(outcome)
        else:
            raise InputError("The outcome '{outcome}' is not a numeric column of the campaign table. Columns "
                             "found: {columns}.", outcome=outcome, columns=', '.join(map(str, frame.columns[:15])))
    pre = cols["pre_revenue"]
    if pre is not None:
        table[pre] = _numeric(src[pre]).fillna(0)
        attributes.insert(0, pre)
    if identifiers:
        notes.append(Note("{columns} left out of the balance check and the uplift features: row numbers or "
                          "identifiers, not attributes of the customer.", {"columns": ", ".join(map(str, identifiers))}))
    unit = repeated_unit(frame, identifiers) if cols["customer_id"] is None else None
    if unit is not None:
        notes.append(Note("{column} repeats: the {rows:,} rows are {units:,} units observed about {times} times "
                          "each. The intervals treat every row as an independent customer, so they are too narrow; "
                          "give one row per {column} (e.g. its mean) for honest intervals.",
                          {"column": unit[0], "rows": len(table), "units": unit[1],
                           "times": round(len(table) / unit[1], 1)}, "warning"))
    treated = [a for a in arms if a != ctrl]
    return CampaignData(table.reset_index(drop=True), ctrl, treated, outcomes, attributes, categorical, pre, cols, notes,
                        [str(c) for c in frame.columns], [str(c) for c in identifiers], unit)


def repeated_unit(frame: pd.DataFrame, identifiers) -> tuple[str, int] | None:
    """(column, distinct values) of the identifier that repeats with the most distinct values (a
    store observed every week), or None when every identifier is unique or there is none."""
    best = None
    for col in identifiers:
        units = int(frame[col].nunique(dropna=True))
        if 1 < units < frame[col].notna().sum() and (best is None or units > best[1]) and not index_like(frame[col]):
            best = (str(col), units)
    return best


def _numeric(values: pd.Series) -> pd.Series:
    """Numbers, with yes/no and true/false read as 1/0."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype(float)
    text = values.astype("string").str.strip().str.lower()
    text = text.replace({"true": "1", "false": "0", "yes": "1", "no": "0", "y": "1", "n": "0", "是": "1", "否": "0"})
    return pd.to_numeric(text.str.replace(r"[,\s$€£¥]", "", regex=True), errors="coerce")


def campaign_from_orders(campaign_list: pd.DataFrame, orders: pd.DataFrame, *, window_days: int = 14,
                         send_date: str | None = None, overrides: dict[str, str | None] | None = None,
                         control: str | None = None, events: pd.DataFrame | None = None) -> CampaignData:
    """Join a campaign list (id, arm, send date) with cleaned orders into a campaign table.

    Outcomes over [send date, send date + ``window_days``): ``converted`` (0/1), ``revenue`` and
    ``orders``. Pre-campaign features (orders, revenue_total, recency_days, ...) are built as of
    each distinct send date; customers without earlier orders get zeros. ``send_date`` is used
    when the list has no send-date column.
    """
    from ecom_analytics.insights.features import build_customer_features

    if window_days < 1:
        raise InputError("The outcome window must be at least 1 day.")
    cols = recognise_columns(campaign_list, overrides)
    if cols["customer_id"] is None or cols["arm"] is None:
        raise InputError("The campaign list needs a customer id column and an arm column to join with the orders.")
    base = pd.DataFrame({"customer_id": campaign_list[cols["customer_id"]].astype("string").str.strip()
                         .str.replace(r"\.0$", "", regex=True),
                         "arm": campaign_list[cols["arm"]].astype("string").str.strip()})
    if cols["send_date"] is not None:
        base["send_date"] = pd.to_datetime(campaign_list[cols["send_date"]], errors="coerce").dt.normalize()
    elif send_date is not None:
        base["send_date"] = pd.Timestamp(send_date)
    else:
        raise InputError("The campaign list has no send date. Add a send-date column or give the campaign date.")
    listed = len(base)
    base = base[base["customer_id"].fillna("").ne("") & base["arm"].fillna("").ne("") & base["send_date"].notna()]
    notes = []
    if len(base) < listed:
        notes.append(Note("{n:,} rows of the campaign list without a customer id, an arm or a readable send date "
                          "were left out", {"n": listed - len(base)}))
    repeated = base["customer_id"].duplicated(keep="first")
    if repeated.any():
        notes.append(Note("{n:,} repeated customer ids were left out (first row kept)", {"n": int(repeated.sum())}))
        base = base[~repeated]
    if base.empty:
        raise InputError("No row of the campaign list has a customer id, an arm and a readable send date.")
    o = orders[["customer_id", "order_id", "timestamp", "amount"]].merge(base[["customer_id", "send_date"]], on="customer_id")
    after = o[(o["timestamp"] >= o["send_date"]) & (o["timestamp"] < o["send_date"] + pd.Timedelta(days=window_days))]
    okey = after["order_id"].fillna(after["timestamp"].astype("string"))
    outcome = after.assign(okey=okey).groupby("customer_id").agg(revenue=("amount", "sum"), orders=("okey", "nunique"))
    table = base.set_index("customer_id").join(outcome)
    table[["revenue", "orders"]] = table[["revenue", "orders"]].fillna(0.0)
    table["converted"] = (table["orders"] > 0).astype(float)
    feats = []
    for day, ids in base.groupby("send_date")["customer_id"]:  # one feature build per send date
        f = build_customer_features(orders, day, events=events)
        feats.append(f.reindex(pd.Index(ids, name="customer_id")))
    features = pd.concat(feats)
    keep = [c for c in ("revenue_total", "orders", "recency_days", "tenure_days", "revenue_mean", "revenue_90d",
                        "orders_90d", "distinct_products", "country") if c in features.columns]
    features = features[keep].rename(columns={"orders": "prior_orders", "revenue_total": "prior_revenue"})
    numeric = [c for c in features.columns if c != "country"]
    features[numeric] = features[numeric].apply(pd.to_numeric, errors="coerce")
    for c in ("prior_orders", "prior_revenue", "revenue_90d", "orders_90d", "distinct_products"):
        if c in features.columns:
            features[c] = features[c].fillna(0.0)
    table = table.join(features).reset_index()
    table["send_date"] = table["send_date"].dt.strftime("%Y-%m-%d")
    data = prepare_campaign(table, overrides={"customer_id": "customer_id", "arm": "arm", "send_date": "send_date",
                                              "converted": "converted", "spend": "revenue", "visited": None,
                                              "pre_revenue": "prior_revenue" if "prior_revenue" in table else None},
                            control=control)
    data.outcomes = [c for c in ("converted", "revenue", "orders") if c in data.table.columns]
    if "orders" in data.attributes:
        data.attributes.remove("orders")
    data.notes[:0] = notes
    data.notes.append(Note("outcomes over the {days} days after each send date; pre-campaign features as of the send "
                           "date", {"days": window_days}))
    return data


def sample_path():
    """The sample campaign file shipped as package data in ``ecom_analytics/sample_data/``."""
    from ecom_analytics.sample import sample_file

    return sample_file("campaign_sample.csv.gz")



def save_campaign(workspace, data: bytes, filename: str, *, name: str | None = None) -> str:
    """Store a campaign file in the workspace as a dataset of kind "campaign" and return its id.

    The id is derived from the file's content (the same file twice gives the same id). The table
    is stored as read (every column, plus ``source_line``); a customer id column that holds
    e-mail addresses or phone numbers is replaced by the workspace's salted pseudonyms.
    """
    import hashlib

    from ecom_analytics.ingest.mapping import detect_pii
    from ecom_analytics.ingest.privacy import pseudonymise
    from ecom_analytics.ingest.readers import read_table

    frame = read_table(data, filename).frame.reset_index(drop=True)
    arms, _ = arm_values(frame)
    if not arms:
        raise InputError("No arm column was found, so this does not look like a campaign table. It needs a column "
                         "saying which group each customer was in (e.g. 'arm' with 'control' and 'email').")
    pii = detect_pii(frame)
    for col, what in pii.items():
        frame[col] = pseudonymise(frame[col].astype("string"), workspace.salt()) if what in ("email", "phone") \
            else pd.Series(pd.NA, index=frame.index, dtype="string")
    frame.columns = [str(c) for c in frame.columns]
    frame["source_line"] = np.arange(1, len(frame) + 1)
    dataset_id = hashlib.sha256(b"campaign:" + data).hexdigest()[:16]
    counts = {"rows_in": len(frame), "rows_clean": len(frame), "rows_quarantined": 0, "revenue_in": 0.0,
              "revenue_clean": 0.0}
    workspace.save_dataset(dataset_id, name=name or filename, kind="campaign", source_name=filename,
                           size_bytes=len(data), clean=frame, quarantine=frame.iloc[0:0],
                           mapping=recognise_columns(frame.drop(columns="source_line")),
                           report={"cleaning": counts, "pii_columns": pii})
    return dataset_id
