"""Which network prefix does each client IP fall in (/24 for IPv4, /48 for IPv6), and is it an IP at all?"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

import polars as pl

_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
# A dotted-quad IPv4 address, no leading zeros (the form `ipaddress` accepts); the common case is
# handled by this vectorised pattern so that only IPv6 and malformed values reach Python.
_IPV4 = rf"^({_OCTET}\.{_OCTET}\.{_OCTET})\.{_OCTET}$"


@lru_cache(maxsize=1_000_000)
def prefix_of(ip: str) -> str | None:
    """What is the /24 (IPv4) or /48 (IPv6) prefix of `ip`, or None when it is not an IP address?"""
    try:
        addr = ipaddress.ip_address(ip.strip())
    except ValueError:
        return None
    if addr.version == 6 and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped  # ::ffff:a.b.c.d is an IPv4 client seen through a dual-stack edge
    bits = 24 if addr.version == 4 else 48
    return str(ipaddress.ip_network(f"{addr}/{bits}", strict=False))


def ip_prefix(ips: pl.Series) -> pl.Series:
    """Which prefix does each address fall in? Null where the value is null or not an IP address.

    Work runs once per distinct address (a chunk repeats addresses many times), then joins back."""
    uniq = ips.drop_nulls().unique()
    v4 = uniq.str.extract(_IPV4, 1)
    prefixes = (v4 + ".0/24").alias("p")
    other = uniq.filter(v4.is_null())
    if other.len():
        # IPv6 and anything the IPv4 pattern did not accept, through `ipaddress` (cached across chunks).
        slow = pl.Series([prefix_of(ip) for ip in other.to_list()], dtype=pl.String)
        prefixes = prefixes.scatter(v4.is_null().arg_true(), slow)
    table = pl.DataFrame({"ip": uniq, "p": prefixes})
    return pl.DataFrame({"ip": ips}).join(table, on="ip", how="left", maintain_order="left").get_column("p").alias(ips.name)
