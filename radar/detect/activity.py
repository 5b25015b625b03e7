"""Timing evidence: how automated each account's activity looks, and how far a cluster's members act in step."""

from __future__ import annotations

import math

import polars as pl

#: hours a person's day leaves quiet (sleep and the commute around it): a day-night cycle shows as an 8-hour stretch
#: of the day, wherever it falls in UTC, that holds almost none of the account's active hours
QUIET_HOURS = 8
#: pseudo active hours of a person's shape added to every account, so an account seen in a handful of hours (which
#: leaves most of the day empty by chance or fills it by chance) proves little either way
SHRINK_HOURS = 6.0
#: a steady script's calls per active hour barely vary; Poisson arrivals vary as much as their mean (dispersion 1)
#: and people's bursts far more: a dispersion (variance / mean of calls per active hour) of DISPERSION_SCRIPT or
#: below is a timer's pace
DISPERSION_SCRIPT = 0.5
#: active hours an account needs before its pace says anything
MIN_PACE_HOURS = 10
#: a person is awake about this many hours a day, so no person's activity runs longer without a break...
SESSION_HUMAN_H = 16
#: ...and activity in every hour of a whole day, without one quiet hour, is a process left running
SESSION_SCRIPT_H = 24
#: a key revoked within this long of its creation was rotated (a person keeps a key for weeks)
ROTATED_WITHIN_S = 2 * 86_400
#: keys an account needs before its rotation means anything (one revoked key is a leak cleaned up)
MIN_ROTATED_KEYS = 3
#: accounts in clusters at least this large are left out of the day's rhythm that chance is measured against
RHYTHM_CLUSTER_MIN = 3
#: with fewer independent accounts than this to learn the day's rhythm from, chance is taken as flat over the day
RHYTHM_MIN_ACCOUNTS = 30
#: co-activity, as a multiple of what independent accounts of the same activity level would share, that counts
#: as full synchrony evidence (SynchroTrap and CopyCatch flag groups acting together several times beyond chance)
SYNC_FULL = 4.0


def _hour_profile(buckets: pl.DataFrame) -> pl.DataFrame:
    """account_id, active (active hours), quiet (active hours in the account's quietest QUIET_HOURS of the day)."""
    hod = buckets.select("account_id", (pl.col("bucket") % 24).cast(pl.Int32).alias("hod")).group_by("account_id", "hod").len()
    wide = hod.pivot(on="hod", index="account_id", values="len").fill_null(0)
    hours = [str(h) for h in range(24)]
    for h in hours:
        if h not in wide.columns:
            wide = wide.with_columns(pl.lit(0, dtype=pl.UInt32).alias(h))
    windows = [pl.sum_horizontal([pl.col(str((s + k) % 24)) for k in range(QUIET_HOURS)]) for s in range(24)]
    return wide.select(
        "account_id", pl.sum_horizontal([pl.col(h) for h in hours]).alias("active_hours"), pl.min_horizontal(windows).alias("quiet_hours")
    )


def _pace(buckets: pl.DataFrame) -> pl.DataFrame:
    """account_id, dispersion (variance / mean of calls per active hour), longest_run (consecutive active hours)."""
    b = buckets.select("account_id", "bucket", pl.col("calls").cast(pl.Float64)).sort("account_id", "bucket")
    run = (pl.col("bucket") - pl.int_range(pl.len()).over("account_id")).alias("run")
    runs = (
        b.with_columns(run)
        .group_by("account_id", "run")
        .len()
        .group_by("account_id")
        .agg(pl.col("len").max().cast(pl.Int64).alias("longest_run"))
    )
    disp = b.group_by("account_id").agg(pl.len().alias("n"), pl.col("calls").mean().alias("m"), pl.col("calls").var(ddof=0).alias("v"))
    disp = disp.with_columns(
        pl.when(pl.col("n") >= MIN_PACE_HOURS).then(pl.col("v") / pl.max_horizontal(pl.col("m"), 1e-9)).otherwise(None).alias("dispersion")
    )
    return disp.select("account_id", "dispersion").join(runs, on="account_id")


def automation(buckets: pl.DataFrame, key_profiles: pl.DataFrame, key_accounts: pl.DataFrame) -> pl.DataFrame:
    """How automated does each account's activity look, 0-1? account_id, round_the_clock, metronome, long_sessions,
    key_rotation, automation.

    buckets: account_id, bucket, calls (account_buckets); key_profiles: api_key_id, created_at, revoked_at;
    key_accounts: api_key_id, account_id (the keys active in the window).
    """
    prof = _hour_profile(buckets)
    # an even spread puts QUIET_HOURS/24 of active hours in any 8-hour stretch; a person's night puts almost none
    even = QUIET_HOURS / 24.0
    rtc = (pl.col("quiet_hours").cast(pl.Float64) / ((pl.col("active_hours").cast(pl.Float64) + SHRINK_HOURS) * even)).clip(0.0, 1.0)
    prof = prof.with_columns(rtc.alias("round_the_clock"))
    pace = _pace(buckets).with_columns(
        ((1.0 - pl.col("dispersion")) / (1.0 - DISPERSION_SCRIPT)).clip(0.0, 1.0).fill_null(0.0).alias("metronome"),
        ((pl.col("longest_run").cast(pl.Float64) - SESSION_HUMAN_H) / (SESSION_SCRIPT_H - SESSION_HUMAN_H))
        .clip(0.0, 1.0)
        .alias("long_sessions"),
    )
    # a warehouse with no api_keys rows, or no revoked key, yields untyped (all-null) columns
    ts_type = key_profiles.schema["created_at"] if key_profiles.schema["created_at"] != pl.Null else pl.Datetime("us", "UTC")
    fix = {"api_key_id": pl.String(), "created_at": ts_type, "revoked_at": ts_type}
    key_profiles = key_profiles.with_columns([pl.col(c).cast(t) for c, t in fix.items() if key_profiles.schema[c] == pl.Null])
    kp = key_profiles.join(key_accounts, on="api_key_id")
    life = (pl.col("revoked_at") - pl.col("created_at")).dt.total_seconds()
    rot = kp.group_by("account_id").agg(
        pl.len().alias("keys_seen"), (life.is_not_null() & (life <= ROTATED_WITHIN_S)).sum().alias("rotated_keys")
    )
    rot = rot.with_columns(
        pl.when(pl.col("rotated_keys") >= MIN_ROTATED_KEYS)
        .then(pl.col("rotated_keys").cast(pl.Float64) / pl.col("keys_seen").cast(pl.Float64))
        .otherwise(0.0)
        .alias("key_rotation")
    )
    out = prof.join(pace, on="account_id", how="left").join(rot, on="account_id", how="full", coalesce=True)
    sig = ("round_the_clock", "metronome", "long_sessions", "key_rotation")
    out = out.with_columns(pl.col(sig).fill_null(0.0))
    # any one of these is a script's mark; several together are no surer than the strongest (noisy-or)
    miss = (
        (1.0 - pl.col("round_the_clock")) * (1.0 - pl.col("metronome")) * (1.0 - pl.col("long_sessions")) * (1.0 - pl.col("key_rotation"))
    )
    return out.with_columns((1.0 - miss).alias("automation")).select(
        "account_id", "active_hours", "longest_run", "dispersion", "rotated_keys", *sig, "automation"
    )


def synchrony(buckets: pl.DataFrame, assigned: pl.DataFrame) -> pl.DataFrame:
    """How far beyond chance are each cluster's members active in the same hours? cluster_id, sync_lift, synchrony.

    Observed: for each member's active hours, how many other members were active then. Expected: what independent
    accounts of the members' activity levels would share, following the hour-of-day rhythm of accounts outside any
    sizeable cluster (so a population that sleeps at night does not make every group look synchronised, and a group
    cannot make its own hours look busy). lift = observed / expected.
    """
    empty = pl.DataFrame(schema={"cluster_id": pl.String, "sync_lift": pl.Float64, "synchrony": pl.Float64})
    b = buckets.select("account_id", "bucket").join(assigned.filter(pl.col("cluster_id").is_not_null()), on="account_id")
    if b.is_empty():
        return empty
    n_buckets = float(int(buckets["bucket"].max()) - int(buckets["bucket"].min()) + 1)  # type: ignore[arg-type]
    # the day's rhythm comes from accounts outside any sizeable cluster, so a group cannot make its own hours look busy
    sizes = assigned.filter(pl.col("cluster_id").is_not_null()).group_by("cluster_id").len()
    grouped = assigned.join(sizes.filter(pl.col("len") >= RHYTHM_CLUSTER_MIN), on="cluster_id").select("account_id")
    ref = buckets.join(grouped, on="account_id", how="anti")
    hod = (pl.col("bucket") % 24).alias("hod")
    if ref["account_id"].n_unique() >= RHYTHM_MIN_ACCOUNTS:
        w = ref.group_by(hod).len().with_columns((pl.col("len").cast(pl.Float64) / (pl.col("len").sum() / 24.0)).alias("w"))
        b = b.with_columns(hod).join(w.select("hod", "w"), on="hod", how="left").with_columns(pl.col("w").fill_null(0.0))
    else:
        b = b.with_columns(pl.lit(1.0).alias("w"))
    b = b.with_columns(pl.len().over("cluster_id", "bucket").alias("m"), pl.len().over("account_id").alias("a"))
    per = b.group_by("cluster_id", "account_id").agg(
        (pl.col("m") - 1).sum().alias("obs"), pl.col("w").sum().alias("wsum"), pl.col("a").first()
    )
    per = per.with_columns(pl.col("a").sum().over("cluster_id").alias("s"))
    # each other member j is active in a given hour with probability about a_j / n_buckets x that hour's weight
    per = per.with_columns(((pl.col("s") - pl.col("a")).cast(pl.Float64) / n_buckets * pl.col("wsum")).alias("exp"))
    c = per.group_by("cluster_id").agg(pl.col("obs").sum().cast(pl.Float64), pl.col("exp").sum())
    c = c.with_columns((pl.col("obs") / pl.max_horizontal(pl.col("exp"), 1e-9)).alias("sync_lift"))
    ev = (pl.col("sync_lift").log() / math.log(SYNC_FULL)).clip(0.0, 1.0).fill_nan(0.0)
    return c.with_columns(ev.alias("synchrony")).select("cluster_id", "sync_lift", "synchrony")
