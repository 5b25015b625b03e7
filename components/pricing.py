"""What did a campaign's harvest cost at list price? The pages' view of the one price table (radar/pricing.py).

The table, its RADAR_PRICES file and the cost join live in the core so that the case report prices a harvest the
same way the Campaign page does; this module keeps the names the pages import.
"""

from __future__ import annotations

from radar.pricing import BUILTIN, DEFAULT_PRICE, LIST_PRICES_USD_PER_MTOK, PriceTable, price_table, with_cost

__all__ = ["BUILTIN", "DEFAULT_PRICE", "LIST_PRICES_USD_PER_MTOK", "PriceTable", "price_of", "price_table", "with_cost"]


def price_of(model: str) -> tuple[float, float]:
    """What does this model cost per million input and output tokens, in the price table in force?"""
    return price_table().price_of(model)
