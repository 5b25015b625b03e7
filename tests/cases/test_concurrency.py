"""Eight writers x 500 edits on the same few cases: no update is lost and every conflict is reported."""

from __future__ import annotations

import multiprocessing
import random
import threading

from sqlalchemy import func, select

from queries import case_schema as cs
from radar.cases.store import CaseConflict, get_case, open_case_store, save_case
from tests.cases.actors import lead

WRITERS = 8
EDITS = 500
CASES = ["c0", "c1", "c2", "c3"]


def test_concurrent_edits_lose_nothing(cases_url: str) -> None:
    engine = open_case_store(cases_url)
    for cid in CASES:
        save_case(engine, "campaign", cid, {"notes": "0"}, expected_version=0, actor=lead("setup"))
    saved = [0] * WRITERS
    conflicts = [0] * WRITERS
    bad_conflicts: list[str] = []
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        rng = random.Random(n)
        try:
            for _ in range(EDITS):
                cid = rng.choice(CASES)
                current = get_case(engine, "campaign", cid)
                assert current is not None
                # Read-modify-write of a counter: a lost update would show as a counter below the number of saves.
                change = {"notes": str(int(current["notes"]) + 1), "assignee": f"w{n}"}
                try:
                    save_case(engine, "campaign", cid, change, expected_version=current["version"], actor=lead(f"w{n}"))
                    saved[n] += 1
                except CaseConflict as exc:
                    conflicts[n] += 1
                    if not (exc.current["version"] > current["version"] and "reload to apply yours" in str(exc)):
                        bad_conflicts.append(str(exc))
        except BaseException as exc:  # noqa: BLE001 - surface in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    assert not bad_conflicts, bad_conflicts[:3]
    assert sum(saved) + sum(conflicts) == WRITERS * EDITS
    final = {cid: get_case(engine, "campaign", cid) for cid in CASES}
    counters = sum(int(c["notes"]) for c in final.values() if c)
    versions = sum(int(c["version"]) - 1 for c in final.values() if c)
    assert counters == sum(saved), "a save was acknowledged but its increment is missing"
    assert versions == sum(saved)
    with engine.connect() as conn:
        audit_saves = conn.execute(select(func.count()).select_from(cs.audit).where(cs.audit.c.action == "case.save")).scalar_one()
    assert audit_saves == sum(saved)
    assert sum(saved) > WRITERS * EDITS // 10
    print(f"{cases_url.split(':')[0]}: {sum(saved)} saves, {sum(conflicts)} conflicts reported")
    engine.dispose()


def _process_writer(url: str, n: int, edits: int, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """One OS process (a dashboard or a CLI) editing the shared embedded store."""
    engine = open_case_store(url)
    saved = conflicts = 0
    for _ in range(edits):
        current = get_case(engine, "campaign", "shared")
        assert current is not None
        try:
            save_case(
                engine,
                "campaign",
                "shared",
                {"notes": str(int(current["notes"]) + 1)},
                expected_version=current["version"],
                actor=lead(f"p{n}"),
            )
            saved += 1
        except CaseConflict:
            conflicts += 1
    out.put((saved, conflicts))


def test_separate_processes_share_the_embedded_store(sqlite_cases_url: str) -> None:
    engine = open_case_store(sqlite_cases_url)
    save_case(engine, "campaign", "shared", {"notes": "0"}, expected_version=0, actor=lead("setup"))
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_process_writer, args=(sqlite_cases_url, n, 150, out)) for n in range(2)]
    for p in procs:
        p.start()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    saved = sum(r[0] for r in results)
    assert saved + sum(r[1] for r in results) == 300
    final = get_case(engine, "campaign", "shared")
    assert final is not None and int(final["notes"]) == saved and final["version"] == saved + 1
