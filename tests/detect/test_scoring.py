"""Account and key scores on hand-built frames: bystanders in a campaign's cluster, and interleaved extraction."""

from __future__ import annotations

import polars as pl

from radar.detect import scoring


def _members() -> pl.DataFrame:
    # six members of one risky cluster, all behaving alike and equally light
    return pl.DataFrame(
        {
            "account_id": ["head1", "head2", "head3", "server1", "server2", "home"],
            "cluster_id": ["cl-1"] * 6,
            "campaign_id": ["camp-1"] * 6,
            "behaviour": [0.3] * 6,
            "calls": [100] * 6,
            "verification": ["none", "email", "payment", "payment", "payment", "phone"],
            "org_id": [None, None, None, "org-vendor", "org-vendor", None],
        }
    )


def _memberships() -> pl.DataFrame:
    rows = [
        ("payment", "card-x", "head1"),
        ("payment", "card-x", "head2"),
        ("payment", "card-x", "head3"),  # a verified head sharing the operation's card: tied
        ("payment", "card-vendor", "server1"),  # the vendor's own card, shared inside the vendor only
        ("payment", "card-vendor", "server2"),
        ("prefix", "10.0.0.0/24", "home"),  # a home user on an exit the proxies use: no sign-up fact shared
        ("prefix", "10.0.0.0/24", "head1"),
    ]
    return pl.DataFrame(rows, schema=["edge_type", "value", "account_id"], orient="row").with_columns(
        pl.len().over(["edge_type", "value"]).cast(pl.Int64).alias("n_accounts")
    )


def test_verified_members_sharing_no_sign_up_fact_outside_their_organisation_are_discounted() -> None:
    clusters = pl.DataFrame({"cluster_id": ["cl-1"], "score": [0.8], "extraction": [0.7]})
    empty = pl.DataFrame(schema={"account_id": pl.String, "kind": pl.String, "n": pl.UInt32})
    s = scoring.account_scores(_members(), clusters, empty, None, _memberships())
    score = dict(zip(s["account_id"].to_list(), s["score"].to_list(), strict=True))
    assert score["head1"] == score["head2"] == score["head3"] > 0.5
    for bystander in ("server1", "server2", "home"):
        assert abs(score[bystander] - scoring.BYSTANDER_DISCOUNT * score["head1"]) < 1e-9
    # without the graph's memberships every member counts as tied
    plain = scoring.account_scores(_members(), clusters, empty, None)
    assert plain["score"].n_unique() == 1


def test_interleaving_lift_is_shrunk_for_a_handful_of_calls() -> None:
    frame = pl.DataFrame({"api_key_id": ["reseller", "oneoff"], "calls": [200, 1], "score": [0.1, 0.1]})
    usage = pl.DataFrame(
        {
            "api_key_id": ["reseller", "oneoff"],
            "account_id": ["a1", "a2"],
            "campaign_id": ["camp-1", "camp-1"],
            "campaign_score": [0.9, 0.9],
            "campaign_calls": [60, 1],
            "own": [False, False],
        }
    )
    out = scoring.interleaving(frame, usage, "api_key_id")
    score = dict(zip(out["api_key_id"].to_list(), out["score"].to_list(), strict=True))
    share = dict(zip(out["api_key_id"].to_list(), out["campaign_share"].to_list(), strict=True))
    assert share == {"reseller": 0.3, "oneoff": 1.0}  # the share itself is reported as is
    assert score["reseller"] > 0.8  # 30% of 200 calls carry the campaign: scored as the campaign
    assert score["oneoff"] < scoring.ALERT  # one call proves little: it does not alert
