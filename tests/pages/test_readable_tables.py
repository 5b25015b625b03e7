"""Every page's tables read as an analyst reads: no raw column name, no "None"/"nan"/"null" cell, no unformatted number,
no raw ISO time, no JSON and no snake_case code, checked on what Streamlit draws (the frame and its column config)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app_state import PAGES
from components.display import ACTION_NAMES, DISPOSITION_NAMES
from components.graph import EDGE_LABELS
from radar.cases.actor import LOCAL, Actor
from radar.cases.decisions import decide
from radar.cases.store import open_case_store, save_case
from radar.cases.views import save_view
from radar.warehouse import open_engine
from tests.queries import seed

ROOT = Path(__file__).resolve().parents[2]
LEAD = Actor("tess", "lead", LOCAL)
#: Codes that must reach a table in words (a disposition, an audit action, an edge kind).
CODES = set(DISPOSITION_NAMES) | set(ACTION_NAMES) | {k for k in EDGE_LABELS if "_" in k}
MISSING_TEXT = {"None", "none", "nan", "NaN", "null", "NaT", "<NA>"}
#: Number formats that group thousands or scale the value (Streamlit's column-config formats).
GROUPED = {"localized", "compact", "dollar", "euro", "yen", "accounting", "percent", "engineering", "scientific"}
SNAKE = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+")
ISO_OFFSET = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\+00:00")
LONG_DECIMAL = re.compile(r"-?\d+\.\d{4,}")

#: (page, URL) pairs that between them draw every table of every page; the campaign's lazy tabs one by one.
VIEWS: list[tuple[str, dict[str, str]]] = [
    ("pages/overview.py", {}),
    *[("pages/campaign.py", {"campaign": "C1", "section": s}) for s in ("Harvest", "Infrastructure", "Members", "Sample prompts")],
    ("pages/clusters.py", {"cluster": "CL1"}),
    ("pages/keys.py", {"key": "kx01a"}),
    ("pages/keys.py", {"q": "x01"}),
    ("pages/case.py", {"etype": "campaign", "id": "C1"}),
    ("pages/case.py", {"etype": "account", "id": "x01"}),
    ("pages/case.py", {"etype": "api_key", "id": "kx01a"}),
    *[("pages/triage.py", {"etype": e}) for e in ("campaign", "cluster", "account", "api_key")],
    ("pages/kpis.py", {}),
    ("pages/quarantine.py", {}),
    ("pages/views.py", {}),
    ("pages/export.py", {}),
]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded warehouse with a confirmed campaign, a case in progress and a shared view in the case store."""
    d = tmp_path_factory.mktemp("readable")
    wh_url = f"duckdb:///{d / 'radar.duckdb'}"
    seed.seed_warehouse(wh_url)
    store, wh = open_case_store(f"sqlite:///{d / 'cases.sqlite'}"), open_engine(wh_url)
    tp = "true_positive_extraction"
    decide(
        store,
        wh,
        "campaign",
        "C1",
        {"status": "confirmed", "disposition": tp, "assignee": "tess"},
        label=tp,
        expected_version=0,
        actor=LEAD,
    )
    save_case(store, "account", "b01", {"status": "investigating", "assignee": "ana"}, expected_version=0, actor=LEAD)
    save_view(store, "low-risk accounts", "triage", {"etype": "account", "max": "0.3"}, shared=True, actor=LEAD)
    wh.dispose()
    return d


@pytest.fixture()
def env(world: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("RADAR_WAREHOUSE_URL", f"duckdb:///{world / 'radar.duckdb'}")
    monkeypatch.setenv("RADAR_CASES_URL", f"sqlite:///{world / 'cases.sqlite'}")
    monkeypatch.setenv("RADAR_DATA_DIR", str(world))
    monkeypatch.setenv("RADAR_ANALYST", "tess")
    monkeypatch.setenv("RADAR_ANALYST_ROLE", "lead")
    yield world


def _open(page: str, params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _label_problem(column: str, label: str) -> str | None:
    if SNAKE.fullmatch(label) or (label == column and label[:1].islower()):
        return f"raw column name {label!r}"
    return None


def _number_problem(label: str, series: pd.Series, fmt: str | None) -> str | None:
    values = [float(v) for v in series.dropna().tolist() if not isinstance(v, bool)]
    if fmt in GROUPED or not values:
        return None
    grouped = fmt is not None and "," in fmt  # a printf format with a thousands flag
    if pd.api.types.is_integer_dtype(series.dtype) and not grouped and any(abs(v) >= 10_000 for v in values):
        return f"{label}: {int(max(values, key=abs))} without thousands separators"
    if fmt is None and any(math.isfinite(v) and LONG_DECIMAL.fullmatch(repr(v)) for v in values):
        return f"{label}: {next(v for v in values if LONG_DECIMAL.fullmatch(repr(v)))} unformatted (more than 3 decimals)"
    return None


def _text_problem(label: str, cell: Any) -> str | None:
    text = str(cell)
    if text.strip() in MISSING_TEXT:
        return f"{label}: {text!r} as text"
    if ISO_OFFSET.search(text):
        return f"{label}: {text!r} is a raw ISO time"
    if LONG_DECIMAL.fullmatch(text.strip()):
        return f"{label}: {text!r} has more than 3 decimals"
    if text.strip() in CODES:
        return f"{label}: {text!r} is a code, not words"
    if text.strip()[:1] in "[{":
        try:
            parsed = json.loads(text)
        except ValueError:
            return None
        if isinstance(parsed, list | dict):
            return f"{label}: {text[:40]!r} is JSON"
    return None


def table_problems(at: AppTest) -> list[str]:
    """What in the run's tables would an analyst read raw? One line per problem (column label and what is wrong)."""
    out: list[str] = []
    for table in at.dataframe:
        proto = table.proto
        config: dict[str, Any] = json.loads(proto.columns) if proto.columns else {}
        frame: pd.DataFrame = table.value
        shown = [c for c in (list(proto.column_order) or [str(c) for c in frame.columns]) if c in frame.columns]
        placeholder = proto.placeholder if proto.HasField("placeholder") else None
        if placeholder is not None and placeholder.strip() in MISSING_TEXT:
            out.append(f"placeholder {placeholder!r} shows missing values as text")
        for column in shown:
            cfg = config.get(column) or {}
            if cfg.get("hidden"):
                continue
            label = str(cfg.get("label") or column)
            kind = (cfg.get("type_config") or {}).get("type")
            fmt = (cfg.get("type_config") or {}).get("format")
            series = frame[column]
            problems = [_label_problem(column, label)]
            if series.isna().any() and placeholder is None:
                problems.append(f"{label}: a missing value drawn as None (no placeholder)")
            if pd.api.types.is_datetime64_any_dtype(series.dtype):
                if kind not in ("datetime", "date", "time") or not fmt:
                    problems.append(f"{label}: a time drawn in raw ISO form (no DatetimeColumn format)")
            elif pd.api.types.is_bool_dtype(series.dtype):
                pass
            elif pd.api.types.is_numeric_dtype(series.dtype):
                problems.append(_number_problem(label, series, fmt))
            else:
                problems += [_text_problem(label, cell) for cell in series.dropna().tolist()]
            out += [p for p in problems if p]
    return out


def test_the_views_reach_every_page() -> None:
    assert {p for p, _ in VIEWS} == {p.path for p in PAGES}


@pytest.mark.parametrize(("page", "params"), VIEWS, ids=[f"{Path(p).stem}-{'-'.join(v.values()) or 'default'}" for p, v in VIEWS])
def test_every_table_reads_in_words(env: Path, page: str, params: dict[str, str]) -> None:
    at = _open(page, params)
    assert table_problems(at) == []


def test_the_check_catches_each_kind_of_raw_output(env: Path) -> None:
    # A page of deliberately raw tables: each kind of problem must be reported, so the check above can fail.
    script = """
import pandas as pd, streamlit as st
from datetime import datetime, timezone
st.dataframe(pd.DataFrame({"entity_id": ["a"], "score": [0.81283], "calls": [1522837],
    "ts": [datetime(2026, 2, 9, 5, 6, 38, tzinfo=timezone.utc)], "disposition": ["true_positive_extraction"],
    "Reasons": ['["a", "b"]'], "When": ["2026-02-09 05:06:38+00:00"], "Note": ["None"], "Gap": [None]}))
"""
    at = AppTest.from_string(script).run()
    found = "\n".join(table_problems(at))
    for expected in (
        "raw column name 'entity_id'",
        "score: 0.81283 unformatted",
        "calls: 1522837 without thousands separators",
        "ts: a time drawn in raw ISO form",
        "'true_positive_extraction' is a code",
        'Reasons: \'["a", "b"]\' is JSON',
        "When: '2026-02-09 05:06:38+00:00' is a raw ISO time",
        "Note: 'None' as text",
        "Gap: a missing value drawn as None",
    ):
        assert expected in found, (expected, found)
    clean = """
import pandas as pd, streamlit as st
st.dataframe(pd.DataFrame({"Calls": [1522837], "Share": [0.5], "Gap": [None]}),
    column_config={"Calls": st.column_config.NumberColumn("Calls", format="localized")}, placeholder="")
"""
    assert table_problems(AppTest.from_string(clean).run()) == []
