"""Every page of app.py's navigation under AppTest: missing warehouse, empty schema, telemetry without a run, seeded warehouse."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_state import PAGES
from radar.warehouse import ensure_schema, open_engine
from tests.queries import seed

ROOT = Path(__file__).resolve().parents[2]
#: The pages as app.py's navigation lists them (app.py passes `app_state.navigation()`, built from PAGES).
NAVIGATION = [p.path for p in PAGES]
INVESTIGATE = [p.path for p in PAGES if p.section == "Investigate"]
TRIAGE = [p.path for p in PAGES if p.section == "Triage"]
DEFAULT = next(p.path for p in PAGES if p.default)


@pytest.fixture(scope="module")
def seeded_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("pages-seeded")
    seed.seed_warehouse(f"duckdb:///{d / 'radar.duckdb'}")
    return d


def _use(monkeypatch: pytest.MonkeyPatch, d: Path) -> None:
    monkeypatch.setenv("RADAR_WAREHOUSE_URL", f"duckdb:///{d / 'radar.duckdb'}")
    monkeypatch.setenv("RADAR_CASES_URL", f"sqlite:///{d / 'cases.sqlite'}")
    monkeypatch.setenv("RADAR_DATA_DIR", str(d))


def _open(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    if page != DEFAULT:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.info] + [m.value for m in at.warning] + [m.value for m in at.caption]
    return "\n".join(str(p) for p in parts)


def test_every_page_file_is_in_the_navigation() -> None:
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py") if p.name != "__init__.py")
    assert files == sorted(NAVIGATION), "a file in pages/ that app.py's navigation does not list (or the reverse)"
    assert INVESTIGATE and TRIAGE and len(set(NAVIGATION)) == len(NAVIGATION) == len(INVESTIGATE) + len(TRIAGE)
    # URL paths are the file names, so a link built from a file path and the URL an analyst pastes agree
    assert all(p.url_path == Path(p.path).stem for p in PAGES)


@pytest.mark.parametrize("first", [DEFAULT, "pages/keys.py"], ids=["default page", "deep link"])
def test_app_registers_exactly_the_navigation(first: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A deep link as the session's first run starts in Streamlit's legacy pages/ layout (test_routing.py);
    # app_state.ensure_routed must bring it back to app.py's navigation.
    _use(monkeypatch, tmp_path)
    at = _open(first)
    for page in NAVIGATION:  # after a run, switch_page accepts only the pages st.navigation registered
        at.switch_page(page)
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # the legacy layout registers app.py itself
        at.switch_page("app.py")


@pytest.mark.parametrize("page", NAVIGATION)
def test_every_page_on_a_missing_warehouse(page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _use(monkeypatch, tmp_path)
    at = _open(page)
    assert not at.error, [e.value for e in at.error]
    assert "holds no telemetry yet" in at.info[0].value


def test_pages_with_telemetry_but_no_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seed.seed_warehouse(f"duckdb:///{tmp_path / 'radar.duckdb'}", with_run=False)
    _use(monkeypatch, tmp_path)
    at = _open("pages/overview.py")
    assert at.metric[0].value == f"{seed.TOTAL_CALLS:,}"
    assert "no detection run" in _texts(at)
    for page in [p for p in NAVIGATION if p != DEFAULT]:
        assert "python -m radar score" in _open(page).info[0].value


def test_empty_schema_is_an_empty_warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ensure_schema(open_engine(f"duckdb:///{tmp_path / 'radar.duckdb'}"))
    _use(monkeypatch, tmp_path)
    assert "holds no telemetry yet" in _open("pages/keys.py").info[0].value


@pytest.mark.parametrize("page", NAVIGATION)
def test_every_page_on_the_seeded_warehouse(page: str, seeded_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _use(monkeypatch, seeded_dir)
    at = _open(page)
    assert at.title and at.title[0].value, "the page drew no title"
    assert "holds no telemetry yet" not in _texts(at) and "no detection run" not in _texts(at)


def test_overview_kpis_campaigns_and_filter_change(seeded_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _use(monkeypatch, seeded_dir)
    at = _open("pages/overview.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Requests"] == "3,084" and metrics["Campaigns"] == "2" and metrics["Flagged keys"] == "15"
    assert metrics["Rows in quarantine"] == "2"
    table = at.dataframe[0].value
    assert list(table["campaign_id"]) == ["C1", "C2"] and list(table["status"]) == ["New", "New"]
    # a filter change: the last day only; the URL records it so a pasted link reproduces the view
    at.sidebar.date_input(key="flt_from").set_value(date(2026, 2, 12)).run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Requests"] == f"{128 + 11 * 72 + 72:,}"
    assert at.query_params["from"] == "2026-02-12"


def test_a_pasted_link_reproduces_window_and_model(seeded_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _use(monkeypatch, seeded_dir)
    at = _open("pages/overview.py", **{"from": "2026-02-11", "to": "2026-02-11", "model": "model-a"})
    assert {m.label: m.value for m in at.metric}["Requests"] == f"{128 + 12 * 36 + 11 * 36 + 72:,}"
    assert at.sidebar.selectbox(key="flt_model").value == "model-a"
    bad = _open("pages/overview.py", **{"from": "not-a-date", "model": "no-such-model"})
    assert {m.label: m.value for m in bad.metric}["Requests"] == "3,084"


def test_keys_page_draws_only_the_open_view(seeded_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The key's baselines sit in lazy views: the one open (from the URL) asks its questions and draws its two charts."""
    _use(monkeypatch, seeded_dir)

    def titles(at: AppTest) -> list[str]:
        return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]

    default = titles(_open("pages/keys.py", key="kx01a"))
    assert default == ["Hourly volume against the peer baseline", "Active hours"]
    content = titles(_open("pages/keys.py", key="kx01a", view="Capabilities and templates"))
    assert len(content) == 2 and "Capability mix against all traffic" in content
    assert not set(default) & set(content)


def test_keys_page_shows_the_key_from_the_url(seeded_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _use(monkeypatch, seeded_dir)
    at = _open("pages/keys.py", key="kx01a")
    assert at.header[0].value == "Key kx01a"
    assert {m.label: m.value for m in at.metric}["Calls (run window)"] == "108"
    assert "uniform prompt template" in _texts(at)
    found = _open("pages/keys.py", q="ky02")  # an exact id in the search box opens the key
    assert found.header[0].value == "Key ky02" and found.query_params["key"] == "ky02"
    missing = _open("pages/keys.py", key="nope")
    assert "no score for key nope" in missing.warning[0].value
    hostile = _open("pages/keys.py", key="[x](javascript:alert(1))")  # a crafted link shows literally, never as a link
    assert "\\[x\\]\\(javascript\\:alert\\(1\\)\\)" in hostile.warning[0].value


def test_clusters_page_draws_the_selected_cluster(seeded_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _use(monkeypatch, seeded_dir)
    at = _open("pages/clusters.py", cluster="CL2")
    assert at.header[0].value == "Cluster CL2"
    assert {m.label: m.value for m in at.metric}["Accounts"] == "3"
    assert at.multiselect(key="edges_CL2").value == ["prefix", "ua_sysprompt"]
    narrowed = _open("pages/clusters.py", cluster="CL1", edges="payment")
    assert narrowed.multiselect(key="edges_CL1").value == ["payment"]
    assert _open("pages/clusters.py").header[0].value == "Cluster CL1"  # riskiest by default


def test_campaign_page_harvest_and_redaction(seeded_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _use(monkeypatch, seeded_dir)
    at = _open("pages/campaign.py", campaign="C1")
    assert at.header[0].value == "Campaign C1"
    frames = [d.value for d in at.dataframe]
    totals = next(f for f in frames if "phase" in f.columns)
    assert dict(zip(totals["phase"], totals["exchanges"], strict=True)) == {
        "before any action": seed.C1_BEFORE,
        "after first revocation": seed.C1_CALLS - seed.C1_BEFORE,
    }
    assert not any("prompt" in f.columns for f in frames)  # a closed tab runs no query and draws nothing
    opened = _open("pages/campaign.py", campaign="C1", section="Sample prompts")
    prompts = next(f for f in (d.value for d in opened.dataframe) if "prompt" in f.columns)
    text = " ".join(prompts["prompt"])
    assert "[EMAIL]" in text and "[PHONE]" in text and "[API KEY]" in text and "example.com" not in text
    other = _open("pages/campaign.py", campaign="C9")
    assert "not in the latest detection run" in other.warning[0].value and other.header[0].value == "Campaign C1"


def test_campaign_infrastructure_names_network_operators(seeded_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _use(monkeypatch, seeded_dir)
    names = tmp_path / "ip2asn-v4.tsv"
    names.write_text("198.51.100.0\t198.51.100.255\t64500\tZZ\tEXAMPLE-NET\n")
    monkeypatch.setenv("RADAR_ASN_NAMES", str(names))
    at = _open("pages/campaign.py", campaign="C1", section="Infrastructure")
    values = [v for d in at.dataframe if "value" in d.value.columns for v in d.value["value"]]
    assert "AS64500 · EXAMPLE-NET" in values and "64500" not in values
