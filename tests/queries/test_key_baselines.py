"""Per-key baseline builders on DuckDB and PostgreSQL, with the seeded warehouse's known numbers."""

from __future__ import annotations

from queries import key_baselines as kb
from tests.queries import seed


def test_flagged_keys_ranked_and_searchable(rows) -> None:
    f = rows(kb.flagged_keys(run_id=seed.RUN_ID))
    assert f.height == seed.N_KEYS
    assert f["api_key_id"][0] == "kx01a" and f["campaign_id"][0] == "C1"
    found = rows(kb.flagged_keys(run_id=seed.RUN_ID, search="Y0"))  # case-insensitive, matches account or key
    assert sorted(found["api_key_id"].to_list()) == ["ky01", "ky02", "ky03"]


def test_key_profile_joins_account_cluster_and_revocation(rows) -> None:
    p = rows(kb.key_profile(run_id=seed.RUN_ID, api_key_id="kx01a")).row(0, named=True)
    assert (p["account_id"], p["cluster_id"], p["campaign_id"], p["calls"]) == ("x01", "CL1", "C1", 108)
    assert p["revoked_at"] == seed.REVOKED_AT


def test_key_baselines_hourly_and_peer_band(rows) -> None:
    h = rows(kb.key_baselines(seed.START, seed.END, api_key_id="kx02a"))
    assert h.height == 72 and set(h["calls"].to_list()) == {3}
    band = rows(kb.peer_hourly_band(seed.START, seed.END, run_id=seed.RUN_ID))
    assert band.height == 72
    # all 23 keys are active in office hours until the revocation: 8 hours on 10 Feb, 3 on 11 Feb
    office = band.filter(band["active_keys"] == seed.N_KEYS)
    assert office.height == 11 and set(office["p50"].to_list()) == {3.0}
    night = band.filter(band["hour"].dt.hour() == 3)  # only campaign keys run at 03:00
    assert night["active_keys"].to_list() == [15, 15, 14] and set(night["p90"].to_list()) == {3.0}
    # one model's band counts only that model's calls; a run that wrote no band draws none
    b = rows(kb.peer_hourly_band(seed.START, seed.END, run_id=seed.RUN_ID, model="model-b"))
    assert b.height == 24 and set(b["active_keys"].to_list()) == {11} and set(b["p50"].to_list()) == {3.0}  # C1 on 12 Feb
    assert rows(kb.peer_hourly_band(seed.START, seed.END, run_id="run-never")).is_empty()


def test_interarrival_separates_scripts_from_people(rows) -> None:
    bot = dict(rows(kb.key_interarrival(seed.START, seed.END, api_key_id="kx02a")).iter_rows())
    assert bot == {2: 144, 6: 71}  # 2 s apart within the hour's burst; ~1 h between bursts
    person = dict(rows(kb.key_interarrival(seed.START, seed.END, api_key_id="kb02")).iter_rows())
    assert person == {6: 45, 7: 2}  # 30-min spacing, then the overnight gap


def test_active_hours_prompt_lengths_capabilities_templates(rows) -> None:
    active = rows(kb.key_active_hours(seed.START, seed.END, api_key_id="kb03"))
    assert sorted(set(active["hour_of_day"].to_list())) == list(range(9, 17)) and int(active["calls"].sum()) == 48
    lengths = dict(rows(kb.prompt_lengths(seed.START, seed.END)).iter_rows())
    assert lengths == {2: seed.BENIGN_CALLS, 3: seed.C2_CALLS, 4: seed.C1_CALLS}
    caps = {
        r["capability"]: (r["calls"], r["cot_calls"])
        for r in rows(kb.capability_mix(seed.START, seed.END, api_key_id="kx03b")).iter_rows(named=True)
    }
    assert caps == {"reasoning": (216, 216)}
    t = rows(kb.template_concentration(seed.START, seed.END, api_key_id="kb01")).sort("template_fp")
    assert int(t["calls"].sum()) == 48 and abs(float(t["share"].sum()) - 1.0) < 1e-9 and t.height == 7
