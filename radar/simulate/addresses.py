"""Where each account calls from: a home line and a phone, an office, a cloud's workers, a NAT or a proxy pool."""

from __future__ import annotations

import numpy as np

from radar.simulate.archetypes import Archetype
from radar.simulate.infra import COUNTRY_W, MOBILE, RESIDENTIAL, IpTable, asns_of, pick_asn


def draw_addresses(
    rng: np.random.Generator, arch: Archetype, n: int, group_local: np.ndarray, n_groups: int, country_idx: np.ndarray, ips: IpTable
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which addresses does each account call from: (first row in the address table, how many, rotate uniformly)?"""
    if arch.ip in ("home", "office"):
        # A home line, a phone (or the office / a cloud dev box for coders) and sometimes a VPN or second line;
        # phones on carrier-grade NAT show many addresses of their carrier over a week.
        k = 1 + (rng.random(n) < 0.55).astype(np.int64) + (rng.random(n) < 0.2)
        home = pick_asn(rng, RESIDENTIAL, country_idx)
        mobile = pick_asn(rng, MOBILE, country_idx)
        if arch.ip == "office":
            u = rng.random(n)
            second = np.where(u < 0.5, rng.choice(asns_of("business"), n), np.where(u < 0.8, rng.choice(asns_of("datacenter"), n), mobile))
        else:
            second = mobile
        third = np.where(rng.random(n) < 0.3, rng.choice(asns_of("vpn"), n), pick_asn(rng, RESIDENTIAL, country_idx))
        picks = np.stack([home, second, third], axis=1)
        extra = np.where(rng.random(n) < 0.3, rng.integers(4, 25, n), 0)
        total = k + extra
        owner = np.repeat(np.arange(n), total)
        j = np.arange(int(total.sum())) - np.repeat(np.cumsum(total) - total, total)
        flat = np.where(j < k[owner], picks[owner, np.minimum(j, 2)], mobile[owner])
        first = ips.add(flat, v6_share=0.12)
        return first + np.cumsum(total) - total, total, np.zeros(n, dtype=bool)
    g_start = np.zeros(n_groups, dtype=np.int64)
    g_len = np.zeros(n_groups, dtype=np.int64)
    members = np.bincount(group_local, minlength=n_groups)
    for g in range(n_groups):
        if arch.ip == "cloud":
            # Autoscaled workers: a few to a few dozen addresses of one cloud, often in one /24.
            size = int(rng.integers(3, 40))
            asn = np.full(size, rng.choice(asns_of("datacenter")))
            g_start[g] = ips.add(asn, same_prefix=bool(rng.random() < 0.4))
        elif arch.ip == "nat":
            size = int(rng.integers(2, 6))
            g_start[g] = ips.add(np.full(size, rng.choice(asns_of("business"))), same_prefix=True)
        else:  # proxy pool: residential exits (one country or many) plus rented datacenter ranges
            size = max(30, 5 * int(members[g]))
            # Operators differ: residential exits of one country, a global mix, or rented cloud ranges only.
            style = rng.choice(4, p=[0.3, 0.3, 0.2, 0.2])
            country = rng.choice(len(COUNTRY_W), p=COUNTRY_W)
            local = RESIDENTIAL[0][country, : RESIDENTIAL[1][country]]
            everywhere = np.concatenate([asns_of("residential"), asns_of("mobile")])
            residential = local if style in (0, 3) else everywhere
            dc = rng.choice(asns_of("datacenter"), size=int(rng.integers(1, 4)))
            res_share = {0: 1.0, 1: rng.uniform(0.5, 0.9), 2: 0.0, 3: rng.uniform(0.5, 0.9)}[int(style)]
            asn = np.where(rng.random(size) < res_share, rng.choice(residential, size), rng.choice(dc, size))
            g_start[g] = ips.add(asn, v6_share=0.05)
        g_len[g] = size
    start, length = g_start[group_local], g_len[group_local]
    if arch.ip == "proxy":
        # Each account exits through a window of the pool; windows overlap inside a cluster.
        # Sticky-session clusters keep an account on a few exits; rotating ones spread it over dozens.
        sticky = (rng.random(n_groups) < 0.35)[group_local]
        window = np.minimum(length, np.where(sticky, rng.integers(2, 7, n), rng.integers(10, 60, n)))
        offset = (rng.random(n) * (length - window + 1)).astype(np.int64)
        return start + offset, window, np.ones(n, dtype=bool)
    return start, length, np.zeros(n, dtype=bool)
