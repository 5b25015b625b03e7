"""The network the callers come from: IP addresses with their ASN, class and country, built as one table."""

from __future__ import annotations

import numpy as np
import polars as pl

from radar.simulate.vocab import ASNS, COUNTRIES

ASN_NUMBERS = np.array([a for a, _, _ in ASNS], dtype=np.int64)
ASN_CLASS = [c for _, c, _ in ASNS]
ASN_COUNTRY = [k for _, _, k in ASNS]
COUNTRY_CODES = [c for c, _, _ in COUNTRIES]
COUNTRY_TZ = np.array([tz for _, tz, _ in COUNTRIES], dtype=np.int64)
COUNTRY_W = np.array([w for _, _, w in COUNTRIES], dtype=np.float64) / sum(w for _, _, w in COUNTRIES)
HOSTING_COUNTRIES = ["US", "US", "US", "DE", "NL", "SG", "GB", "JP", "FR", "IE"]
# The world's address plan is fixed (not seeded): each ASN owns a few /16 blocks.
_BLOCKS = 6
_plan = np.random.default_rng(20260209)
_FIRST = np.array([o for o in range(11, 224) if o not in (100, 127, 169, 172, 192, 198, 203)], dtype=np.int64)
BLOCK_O1 = _plan.choice(_FIRST, size=(len(ASNS), _BLOCKS))
BLOCK_O2 = _plan.integers(0, 256, size=(len(ASNS), _BLOCKS))
V6_HEAD = _plan.integers(0x2001, 0x2C0F, size=len(ASNS))


def asns_of(ip_class: str, country: str | None = None) -> np.ndarray:
    """Which ASN indices serve this class of address (in this country, when it has its own)?"""
    idx = [i for i, c in enumerate(ASN_CLASS) if c == ip_class]
    if country is not None:
        local = [i for i in idx if ASN_COUNTRY[i] == country]
        if local:
            return np.array(local, dtype=np.int64)
    return np.array(idx, dtype=np.int64)


def _by_country(ip_class: str) -> tuple[np.ndarray, np.ndarray]:
    """Padded table: row per country of its ASNs of this class (any such ASN when it has none), and counts."""
    lists = [asns_of(ip_class, c) for c in COUNTRY_CODES]
    width = max(len(x) for x in lists)
    table = np.zeros((len(lists), width), dtype=np.int64)
    for i, x in enumerate(lists):
        table[i, : len(x)] = x
    return table, np.array([len(x) for x in lists], dtype=np.int64)


RESIDENTIAL = _by_country("residential")
MOBILE = _by_country("mobile")


def pick_asn(rng: np.random.Generator, table: tuple[np.ndarray, np.ndarray], country_idx: np.ndarray) -> np.ndarray:
    """One ASN index per country index, from that country's networks of the table's class."""
    asns, counts = table
    return asns[country_idx, (rng.random(len(country_idx)) * counts[country_idx]).astype(np.int64)]


class IpTable:
    """Accumulates addresses; each caller group asks for its addresses and gets back their row range."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.parts: list[dict[str, np.ndarray]] = []
        self.size = 0

    def add(self, asn_idx: np.ndarray, *, same_prefix: bool = False, v6_share: float = 0.0) -> int:
        """Add one address per ASN index given (all in one /24 if same_prefix); returns the first row."""
        rng = self.rng
        n = len(asn_idx)
        block = rng.integers(0, _BLOCKS, n)
        o3 = rng.integers(0, 256, n)
        if same_prefix and n:
            block[:] = block[0]
            o3[:] = o3[0]
        part = {
            "asn": asn_idx,
            "o1": BLOCK_O1[asn_idx, block],
            "o2": BLOCK_O2[asn_idx, block],
            "o3": o3,
            "o4": rng.integers(1, 255, n),
            "v6": rng.random(n) < v6_share,
            "h": rng.integers(0, 1 << 16, (n, 4)),
            "host_country": rng.integers(0, len(HOSTING_COUNTRIES), n),
        }
        self.parts.append(part)
        start = self.size
        self.size += n
        return start

    def frame(self) -> pl.DataFrame:
        """The address table: ip, asn, ip_class, country."""
        cols = {k: np.concatenate([p[k] for p in self.parts]) for k in self.parts[0]}
        asn = cols["asn"]
        hexes = cols["h"]
        v4 = pl.concat_str([pl.Series(cols[k]).cast(pl.String) for k in ("o1", "o2", "o3", "o4")], separator=".")
        head = pl.Series(V6_HEAD[asn])
        v6 = pl.concat_str(
            [_hex4(head), _hex4(pl.Series(cols["o1"] * 256 + cols["o2"])), _hex4(pl.Series(cols["o3"] * 256 + hexes[:, 0] % 256))]
            + [pl.lit("")]
            + [_hex4(pl.Series(hexes[:, i])) for i in (1, 2)],
            separator=":",
        )
        ip = pl.select(pl.when(pl.Series(cols["v6"])).then(v6).otherwise(v4)).to_series()
        own_country = np.array(ASN_COUNTRY, dtype=object)[asn]
        hosted = np.array(HOSTING_COUNTRIES, dtype=object)[cols["host_country"]]
        country = np.where(own_country == "", hosted, own_country)
        return pl.DataFrame(
            {
                "ip": ip,
                "asn": ASN_NUMBERS[asn],
                "ip_class": np.array(ASN_CLASS, dtype=object)[asn].astype(str),
                "country": country.astype(str),
            }
        )


def _hex4(s: pl.Series) -> pl.Expr:
    """Four-hex-digit rendering of 16-bit integers (IPv6 groups)."""
    return pl.lit(_HEX4.gather(s.cast(pl.Int64) % (1 << 16)))


_HEX4 = pl.Series([f"{i:04x}" for i in range(1 << 16)], dtype=pl.String)
