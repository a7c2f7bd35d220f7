"""Sessions for behaviour events that carry no session id (Taobao UserBehavior, many warehouse
exports): a user's events belong to one session while the gap between consecutive events stays
under :data:`GAP_MINUTES` minutes, the convention of GA4 and most web analytics."""

from __future__ import annotations

import numpy as np
import pandas as pd

GAP_MINUTES = 30


def derive_sessions(events: pd.DataFrame, gap_minutes: int = GAP_MINUTES) -> pd.Series:
    """A session id per row of ``events`` (columns ``user_id, timestamp``; same index): ``"s1"``,
    ``"s2"``, ... numbered in order of user then time. A new session starts at a user's first
    event and after a gap of more than ``gap_minutes``. Rows without a user or a time get <NA>."""
    usable = events["user_id"].notna() & events["timestamp"].notna()
    frame = events.loc[usable, ["user_id", "timestamp"]].sort_values(["user_id", "timestamp"], kind="stable")
    user = frame["user_id"].astype("string").to_numpy()
    stamp = frame["timestamp"].to_numpy(dtype="datetime64[ns]")
    new = np.ones(len(frame), dtype=bool)
    if len(frame) > 1:
        gap = (stamp[1:] - stamp[:-1]) > np.timedelta64(gap_minutes * 60, "s")
        new[1:] = (user[1:] != user[:-1]) | gap
    number = np.cumsum(new)
    out = pd.Series(pd.NA, index=events.index, dtype="string")
    out.loc[frame.index] = pd.Series(np.char.add("s", number.astype(str)), index=frame.index, dtype="string")
    return out
