"""One scoring run: read the window's aggregates, build the graph, score clusters, accounts and keys, store."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import polars as pl
from sqlalchemy import Engine

from queries import detect_features
from queries.run import run_all
from radar.detect import activity, graph, results, scoring, store
from radar.detect import clusters as clu
from radar.detect import features as feat
from radar.detect import own_prompts as own
from radar.detect import peers as peers_mod
from radar.detect import reasons as rsn
from radar.feedback import Feedback
from radar.warehouse import tune_session

#: DuckDB buffer-pool cap while reading the window's aggregates: the frames built from them need room too
DUCKDB_SCORE_MEMORY = "2GB"
#: share of a template's users that must sit in a campaign for the template to count as the campaign's own
CAMPAIGN_TEMPLATE_PURITY = 0.8


class DetectError(RuntimeError):
    """Scoring cannot run; the message says what to do."""


@dataclass(frozen=True)
class ScoreRun:
    """What one stored scoring run produced."""

    run_id: str
    started_at: datetime
    n_accounts: int
    n_clusters: int
    n_campaigns: int
    seconds: float


def params() -> dict[str, object]:
    """Which thresholds and weights are in force (stored with every run)?"""
    return {
        "common_share": feat.COMMON_SHARE,
        "common_min": feat.COMMON_MIN,
        "shared_template_min_accounts": feat.SHARED_TEMPLATE_MIN_ACCOUNTS,
        "shrink_calls": peers_mod.SHRINK_CALLS,
        "z_full": peers_mod.Z_FULL,
        "signals": {k: list(v) for k, v in peers_mod.SIGNALS.items()},
        "component_signals": list(peers_mod.COMPONENT_SIGNALS),
        "min_org_peers": peers_mod.MIN_ORG_PEERS,
        "reference_cluster_min": feat.REFERENCE_CLUSTER_MIN,
        "sync_full": activity.SYNC_FULL,
        "sync_weight": clu.SYNC_WEIGHT,
        "family_weight": clu.FAMILY_WEIGHT,
        "own_prompts": [own.FAMILY_MIN, own.FAMILY_PURITY, own.FAMILY_LIFT, own.GROUP_MIN],
        "own_attach_values": graph.OWN_ATTACH_VALUES,
        "harvest": [clu.HARVEST_BASE, clu.HARVEST_FULL, clu.HARVEST_MIN_CALLS, clu.HARVEST_FULL_CALLS],
        "harvest_excess": [clu.HARVEST_EXCESS_BASE, clu.HARVEST_EXCESS_FULL],
        "automation_lift": clu.AUTOMATION_LIFT,
        "kind_weight": graph.KIND_WEIGHT,
        "leiden_seed": graph.LEIDEN_SEED,
        "leiden_resolution": graph.RESOLUTION,
        "prefix_cosine": graph.PREFIX_COSINE,
        "merge_values": graph.MERGE_VALUES,
        "merge_alike": graph.MERGE_ALIKE,
        "merge_control": graph.MERGE_CONTROL,
        "harness_merge_min": graph.HARNESS_MERGE_MIN,
        "harness_values": graph.HARNESS_VALUES,
        "extraction_gain": clu.EXTRACTION_GAIN,
        "size_full": clu.SIZE_FULL,
        "alone_weight": scoring.ALONE_WEIGHT,
        "own_share": scoring.OWN_SHARE,
        "alert": scoring.ALERT,
        "bystander_discount": scoring.BYSTANDER_DISCOUNT,
        "campaign_min_accounts": scoring.CAMPAIGN_MIN_ACCOUNTS,
        "campaign_min_score": scoring.CAMPAIGN_MIN_SCORE,
    }


def _window(engine: Engine, start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    if start is None or end is None:
        b = run_all(engine, detect_features.window_bounds())
        first, last = (b["first_ts"][0], b["last_ts"][0]) if not b.is_empty() else (None, None)
        if first is None or last is None:
            raise DetectError("The warehouse holds no requests: run `python -m radar ingest PATH` first.")
        start = start or first
        end = end or last + timedelta(microseconds=1)
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    if end.tzinfo is None:
        end = end.replace(tzinfo=UTC)
    if end <= start:
        raise DetectError(f"The window is empty: end {end.isoformat()} is not after start {start.isoformat()}.")
    return start, end


def score(
    engine: Engine, *, start: datetime | None = None, end: datetime | None = None, feedback: Feedback | None = None, progress: bool = False
) -> ScoreRun:
    """Which accounts, keys and clusters in the window look like a distillation campaign? Computes and stores one run."""
    t0 = time.perf_counter()
    window = _window(engine, start, end)
    started = datetime.now(UTC)
    run_id = f"run-{started:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    store.start_run(engine, run_id, started, window, params())
    bar = _Progress(progress)
    try:
        bar.step("reading per-account and per-key aggregates")
        with engine.connect() as conn:
            tune_session(conn, memory_limit=DUCKDB_SCORE_MEMORY)
            inp = feat.load_inputs(conn, *window)
        bar.step("building the account graph and clusters")
        assigned, wm = graph.assign_clusters(inp.accounts["account_id"].to_list(), inp.memberships, inp.n_accounts, inp.accounts)
        acc = inp.accounts.join(assigned, on="account_id", how="left")
        bar.step("scoring clusters, accounts and keys")
        acc, inp_keys, peers = feat.rescore(acc, inp.keys)
        sync = activity.synchrony(inp.buckets, assigned)
        cl = clu.cluster_frame(acc, inp.memberships, sync, feat.typical_output(acc))
        holders = clu.family_holders(acc, inp.memberships).select("account_id", pl.lit(True).alias("in_family"))
        acc = acc.join(holders, on="account_id", how="left").with_columns(pl.col("in_family").fill_null(False))
        camp = scoring.campaign_clusters(cl)
        firsts = (
            acc.filter(pl.col("cluster_id").is_in(camp["cluster_id"].implode()))
            .group_by("cluster_id")
            .agg(pl.col("account_id").min().alias("first"))
        )
        camp_ids = {r["cluster_id"]: results.campaign_id_for(r["first"]) for r in firsts.iter_rows(named=True)}
        acc = acc.with_columns(pl.col("cluster_id").replace_strict(camp_ids, default=None, return_dtype=pl.String).alias("campaign_id"))
        hits = scoring.lineage(inp.memberships, acc, feedback)
        scored = scoring.account_scores(acc, cl, hits, feedback, inp.memberships)
        link_rows = results.links(wm, assigned)
        usage = _campaign_usage(engine, window, link_rows, camp, camp_ids)
        scored = scoring.alerting(scoring.interleaving(scored, usage, "account_id"))
        keys = scoring.key_scores(inp_keys, scored, feedback)
        keys = scoring.interleaving(keys, usage, "api_key_id")
        bar.step("writing reasons and storing the run")
        sentences = {r["cluster_id"]: rsn.cluster_reasons(r, peers) for r in cl.iter_rows(named=True)}
        lin = rsn.lineage_sentences(hits.to_dicts())
        out = {
            "account_scores": results.account_rows(scored, peers, sentences, lin),
            "key_scores": results.key_rows(keys, peers),
            "clusters": cl.with_columns(
                pl.Series("reasons", [json.dumps(sentences[c]) for c in cl["cluster_id"].to_list()], dtype=pl.String)
            ),
            "cluster_links": link_rows,
            "campaigns": results.campaigns_frame(camp, scored, link_rows, inp.capabilities, sentences),
        }
        store.finish_run(engine, run_id, out)
    except Exception:
        store.fail_run(engine, run_id)
        raise
    finally:
        bar.close()
    return ScoreRun(
        run_id=run_id,
        started_at=started,
        n_accounts=scored.height,
        n_clusters=cl.height,
        n_campaigns=camp.height,
        seconds=time.perf_counter() - t0,
    )


def _campaign_usage(
    engine: Engine, window: tuple[datetime, datetime], link_rows: pl.DataFrame, camp: pl.DataFrame, camp_ids: dict[str, str]
) -> pl.DataFrame:
    """How many calls did each key make with each campaign's templates? (api_key_id, account_id, campaign_id, ...; own = in the campaign)"""
    empty = pl.DataFrame(
        schema={
            "api_key_id": pl.String,
            "account_id": pl.String,
            "campaign_id": pl.String,
            "campaign_score": pl.Float64,
            "campaign_calls": pl.Int64,
            "own": pl.Boolean,
        }
    )
    if camp.is_empty():
        return empty
    # only a campaign's own templates: most of their users are in the campaign (its cover traffic's ordinary
    # templates are shared with everyone and say nothing about who else carries its extraction)
    own = (pl.col("in_cluster").cast(pl.Float64) / pl.col("n_accounts").cast(pl.Float64)) >= CAMPAIGN_TEMPLATE_PURITY
    tpl = link_rows.filter((pl.col("edge_type") == "template") & pl.col("cluster_id").is_in(camp["cluster_id"].implode()) & own)
    tpl = tpl.select("cluster_id", pl.col("value").alias("template_fp")).unique()
    if tpl.is_empty():
        return empty
    use = run_all(engine, detect_features.template_usage(*window, templates=sorted(tpl["template_fp"].unique().to_list())))
    if use.is_empty():
        return empty
    members = link_rows.select("cluster_id", "account_id").unique()
    use = use.join(tpl, on="template_fp").join(camp.select("cluster_id", pl.col("score").alias("campaign_score")), on="cluster_id")
    use = use.join(members.with_columns(pl.lit(True).alias("own")), on=["cluster_id", "account_id"], how="left")
    return use.with_columns(
        pl.col("cluster_id").replace_strict(camp_ids, return_dtype=pl.String).alias("campaign_id"), pl.col("own").fill_null(False)
    ).select(empty.columns)


class _Progress:
    """A small stage bar for the CLI (tqdm), silent otherwise."""

    STAGES = 4

    def __init__(self, enabled: bool) -> None:
        self._bar = None
        if enabled:
            from tqdm import tqdm

            self._bar = tqdm(total=self.STAGES, unit="stage", leave=False)

    def step(self, what: str) -> None:
        if self._bar is not None:
            if self._bar.n or self._bar.desc:
                self._bar.update(1)
            self._bar.set_description(what)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.update(self.STAGES - self._bar.n)
            self._bar.close()
