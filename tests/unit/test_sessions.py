"""Sessions derived from 30-minute gaps when events carry no session id (issue #21: Taobao's
events showed "Sessions 0")."""

import pandas as pd

from ecom_analytics.ingest.sessions import derive_sessions


def test_gaps_over_30_minutes_start_a_new_session_per_user():
    events = pd.DataFrame({
        "user_id": ["b", "a", "a", "a", "b", "a", None],
        "timestamp": pd.to_datetime(["2024-01-01 10:00", "2024-01-01 10:00", "2024-01-01 10:29",
                                     "2024-01-01 10:59", "2024-01-01 10:40", "2024-01-01 11:30", "2024-01-01 10:00"]),
    })
    # a: 10:00, 10:29 (29 min), 10:59 (30 min: same session), 11:30 (31 min: new) -> s1, s1, s1, s2
    # b: 10:00, 10:40 (40 min: new) -> s3, s4
    assert derive_sessions(events).tolist() == ["s3", "s1", "s1", "s1", "s4", "s2", pd.NA]


def test_taobao_style_events_get_sessions_and_a_note():
    from ecom_analytics.ingest import pipeline

    data = (b"1,2268318,2520377,pv,1511544070\n1,2333346,2520771,pv,1511544670\n"
            b"1,2576651,149192,buy,1511572885\n3,3830808,4181361,cart,1511593493\n")
    result = pipeline.process(pipeline.prepare(data, "taobao.csv"))
    assert result.kind == "events"
    # user 1: 0 s, +600 s (same), +28,215 s (new); user 3: one -> 3 sessions
    assert result.cleaning.clean["session_id"].nunique() == 3
    assert any(n.startswith("No session column: sessions were derived") for n in result.report["notes"])


def test_a_time_zone_turns_utc_times_into_the_shops_wall_time():
    from ecom_analytics.ingest import pipeline
    from ecom_analytics.errors import InputError

    taobao = b"1,2268318,2520377,pv,1511544070\n1,2333346,2520771,pv,1511561733\n"
    result = pipeline.process(pipeline.prepare(taobao, "taobao.csv"), timezone="Asia/Shanghai")
    # 1511544070 is 2017-11-24 17:21:10 UTC, 01:21:10 the next day in Shanghai (UTC+8)
    assert str(result.cleaning.clean["timestamp"].iloc[0]) == "2017-11-25 01:21:10"
    assert "Times were read as UTC and shown in Asia/Shanghai." in result.report["notes"]
    plain = pipeline.process(pipeline.prepare(taobao, "taobao.csv"))
    assert plain.dataset_id != result.dataset_id  # the zone is one of the dataset's choices
    local = b"order,date,customer,amount\n1,2024-01-05 10:00,c,5\n"
    kept = pipeline.process(pipeline.prepare(local, "n.csv", kind="orders"), timezone="Asia/Shanghai")
    assert str(kept.cleaning.clean["timestamp"].iloc[0]) == "2024-01-05 10:00:00"
    import pytest

    with pytest.raises(InputError, match="is not a time zone"):
        pipeline.process(pipeline.prepare(local, "n.csv", kind="orders"), timezone="Mars/Base")
