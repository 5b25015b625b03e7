"""ASN operator names from an offline file: both formats, unknown numbers, a bad file, and the pages' labelling."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from radar.asn_names import AsnNamesError, asn_label, load_asn_names

IP2ASN = (
    "1.0.0.0\t1.0.0.255\t13335\tUS\tCLOUDFLARENET\n3.0.0.0\t3.0.255.255\t16509\tUS\tAMAZON-02\n5.0.0.0\t5.0.0.255\t0\tNone\tNot routed\n"
)


def test_ip2asn_tsv_and_asn_name_csv_give_the_same_names(tmp_path: Path) -> None:
    tsv = tmp_path / "ip2asn-v4.tsv"
    tsv.write_text(IP2ASN)
    csv = tmp_path / "asn.csv"
    csv.write_text("asn,name\n13335,CLOUDFLARENET\nAS16509,AMAZON-02\n")
    assert load_asn_names(tsv) == load_asn_names(csv) == {13335: "CLOUDFLARENET", 16509: "AMAZON-02"}  # AS 0 is not an operator


def test_labels_name_known_networks_and_number_the_rest() -> None:
    names = {16509: "AMAZON-02"}
    assert asn_label(16509, names) == "AS16509 · AMAZON-02"
    assert asn_label("16509", names) == "AS16509 · AMAZON-02"
    assert asn_label(64512, names) == "AS64512"
    assert asn_label("10.1.2.0/24", names) == "10.1.2.0/24"  # not an AS number: unchanged


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("asn,name\n13335,CLOUDFLARENET\nnot-a-number,X\n", "line 3"),
        ("number;operator\n1;x\n", "header"),
        ("1.0.0.0\t1.0.0.255\tx\tUS\tY\n", "line 1"),
    ],
)
def test_a_malformed_file_is_a_clear_error_naming_where(tmp_path: Path, text: str, where: str) -> None:
    bad = tmp_path / "names.txt"
    bad.write_text(text)
    with pytest.raises(AsnNamesError, match=str(bad)) as err:
        load_asn_names(bad)
    assert where in str(err.value)


def test_pages_label_only_asn_rows_and_fall_back_to_numbers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import app_state as state

    frame = pl.DataFrame({"facet": ["asn", "ip_prefix"], "value": ["16509", "3.5.1.0/24"], "calls": [10, 4]})
    names = tmp_path / "asn.csv"
    names.write_text("asn,name\n16509,AMAZON-02\n")
    monkeypatch.setenv("RADAR_ASN_NAMES", str(names))
    assert state.label_asns(frame, kind="facet")["value"].to_list() == ["AS16509 · AMAZON-02", "3.5.1.0/24"]
    broken = tmp_path / "broken.csv"
    broken.write_text("asn;name\n")  # broken: a warning, and numbers instead of names
    monkeypatch.setenv("RADAR_ASN_NAMES", str(broken))
    assert state.label_asns(frame, kind="facet", warn=False)["value"].to_list() == ["AS16509", "3.5.1.0/24"]
    monkeypatch.delenv("RADAR_ASN_NAMES")
    assert state.label_asns(frame, kind="facet")["value"].to_list() == ["AS16509", "3.5.1.0/24"]


def test_the_names_version_changes_with_the_file_so_cached_graphs_relabel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import app_state as state

    monkeypatch.delenv("RADAR_ASN_NAMES", raising=False)
    assert state.names_version() == ""
    names = tmp_path / "asn.csv"
    names.write_text("asn,name\n16509,AMAZON-02\n")
    os.utime(names, ns=(1_000_000_000, 1_000_000_000))
    monkeypatch.setenv("RADAR_ASN_NAMES", str(names))
    first = state.names_version()
    names.write_text("asn,name\n16509,AMAZON-RENAMED\n")
    os.utime(names, ns=(2_000_000_000, 2_000_000_000))
    second = state.names_version()
    assert first and second and first != second  # the clusters page's graph cache is keyed by it
    names.unlink()
    assert state.names_version() not in ("", first, second)
