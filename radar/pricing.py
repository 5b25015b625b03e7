"""What did a campaign's harvest cost at list price? The one price table the dashboard and the case report use.

The built-in table is a starting point, not anyone's tariff: a deployment sets its own list prices with RADAR_PRICES,
a JSON or CSV file of USD per million input and output tokens per model:

    {"frontier-large": {"input": 15.0, "output": 75.0}, "*": {"input": 3.0, "output": 15.0}}

    model,input_usd_per_mtok,output_usd_per_mtok
    frontier-large,15.0,75.0
    *,3.0,15.0

The model "*" prices every model the file does not name. The table says where it came from (`source`), and the
case report prints that with its cost figures.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from radar.config import load_settings

#: Built-in list prices, USD per million tokens (input, output): a planning assumption for harvest accounting, not a
#: billing source. Set the deployment's own with RADAR_PRICES.
LIST_PRICES_USD_PER_MTOK: dict[str, tuple[float, float]] = {
    "model-a": (3.0, 15.0),
    "model-b": (15.0, 75.0),
    "frontier-large": (15.0, 75.0),
    "frontier-medium": (3.0, 15.0),
    "frontier-small": (0.8, 4.0),
    "frontier-next": (15.0, 75.0),
    "atlas-large-3": (15.0, 75.0),
    "atlas-large-3.5": (15.0, 75.0),
    "atlas-medium-3": (3.0, 15.0),
    "atlas-small-3": (0.8, 4.0),
    "atlas-embed-2": (0.1, 0.0),
}
#: what a model missing from the table costs (the mid tier: neither the cheapest nor the dearest guess)
DEFAULT_PRICE = (3.0, 15.0)
#: the model name that sets the default price in a RADAR_PRICES file
DEFAULT_KEY = "*"
BUILTIN_SOURCE = "built-in list prices (radar/pricing.py; set RADAR_PRICES per deployment)"


class PriceError(ValueError):
    """A price file that cannot be read; the message says which file and what is wrong."""


@dataclass(frozen=True)
class PriceTable:
    """List prices, USD per million tokens (input, output) by model, the default for other models, and their source."""

    prices: dict[str, tuple[float, float]] = field(default_factory=lambda: dict(LIST_PRICES_USD_PER_MTOK))
    default: tuple[float, float] = DEFAULT_PRICE
    source: str = BUILTIN_SOURCE

    def price_of(self, model: str) -> tuple[float, float]:
        """What does this model cost per million input and output tokens?"""
        return self.prices.get(model, self.default)

    def frame(self, models: list[str]) -> pl.DataFrame:
        """The price of each model named (columns model, input_usd_per_mtok, output_usd_per_mtok, listed)."""
        prices = [self.price_of(m) for m in models]
        return pl.DataFrame(
            {
                "model": models,
                "input_usd_per_mtok": [p[0] for p in prices],
                "output_usd_per_mtok": [p[1] for p in prices],
                "listed": [m in self.prices for m in models],
            },
            schema={"model": pl.String, "input_usd_per_mtok": pl.Float64, "output_usd_per_mtok": pl.Float64, "listed": pl.Boolean},
        )


BUILTIN = PriceTable()


def _pair(path: Path, model: str, raw_in: object, raw_out: object) -> tuple[float, float]:
    try:
        pin, pout = float(str(raw_in)), float(str(raw_out))
    except ValueError as exc:
        raise PriceError(f"Price file {path}: model {model!r} needs numeric input and output prices ({exc}).") from exc
    if pin < 0 or pout < 0:
        raise PriceError(f"Price file {path}: model {model!r} has a negative price.")
    return pin, pout


def load_prices(path: str | Path) -> PriceTable:
    """Which list prices does this JSON or CSV file set (model "*" = every other model)?"""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise PriceError(f"Cannot read the price file {p} (RADAR_PRICES): {exc.strerror or exc}.") from exc
    pairs: dict[str, tuple[float, float]] = {}
    if p.suffix.lower() == ".csv":
        rows = list(csv.DictReader(text.splitlines()))
        need = {"model", "input_usd_per_mtok", "output_usd_per_mtok"}
        if not rows or not need <= set(rows[0]):
            raise PriceError(f"Price file {p} needs the columns {', '.join(sorted(need))} and at least one row.")
        for row in rows:
            pairs[row["model"].strip()] = _pair(p, row["model"], row["input_usd_per_mtok"], row["output_usd_per_mtok"])
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PriceError(f"Price file {p} is not JSON ({exc.msg} at line {exc.lineno}); write a CSV with a .csv name instead.") from exc
        if not isinstance(data, dict):
            raise PriceError(f'Price file {p} must hold an object: {{"model": {{"input": 3.0, "output": 15.0}}}}.')
        for model, price in data.items():
            if not isinstance(price, dict) or not {"input", "output"} <= set(price):
                raise PriceError(f'Price file {p}: model {model!r} needs {{"input": ..., "output": ...}}.')
            pairs[str(model)] = _pair(p, str(model), price["input"], price["output"])
    default = pairs.pop(DEFAULT_KEY, DEFAULT_PRICE)
    return PriceTable(prices=pairs, default=default, source=f"RADAR_PRICES file {p}")


def price_table(spec: str | None = None) -> PriceTable:
    """Which price table is in force: the RADAR_PRICES file (or `spec`, a path), else the built-in one?"""
    if spec is None:
        spec = load_settings().prices
    return load_prices(spec) if spec else BUILTIN


def with_cost(frame: pl.DataFrame, table: PriceTable | None = None) -> pl.DataFrame:
    """The frame (model, input_tokens, output_tokens, ...) with an `est_cost_usd` column at list price."""
    if frame.is_empty():
        return frame.with_columns(pl.lit(0.0).alias("est_cost_usd"))
    prices = (table or price_table()).frame([str(m) for m in frame["model"].unique().to_list()])
    # A join with a small price frame, not a per-row Python function: polars UDFs stall the server's thread pool.
    return (
        frame.join(
            prices.select("model", _in="input_usd_per_mtok", _out="output_usd_per_mtok"), on="model", how="left", maintain_order="left"
        )
        .with_columns(((pl.col("input_tokens") * pl.col("_in") + pl.col("output_tokens") * pl.col("_out")) / 1e6).alias("est_cost_usd"))
        .drop("_in", "_out")
    )
