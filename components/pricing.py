"""What did a campaign's harvest cost at list price? The one price table the dashboard uses."""

from __future__ import annotations

import polars as pl

#: List prices, USD per million tokens (input, output). Models missing here use DEFAULT_PRICE.
#: Figures are a planning assumption for harvest accounting, not a billing source.
LIST_PRICES_USD_PER_MTOK: dict[str, tuple[float, float]] = {
    "model-a": (3.0, 15.0),
    "model-b": (15.0, 75.0),
    "frontier-large": (15.0, 75.0),
    "frontier-medium": (3.0, 15.0),
    "frontier-small": (0.8, 4.0),
    "frontier-next": (15.0, 75.0),
}
DEFAULT_PRICE = (3.0, 15.0)


def price_of(model: str) -> tuple[float, float]:
    """What does this model cost per million input and output tokens?"""
    return LIST_PRICES_USD_PER_MTOK.get(model, DEFAULT_PRICE)


def _price_table(models: list[str]) -> pl.DataFrame:
    """The list price of each model named (columns model, _in, _out), the default for models without one."""
    prices = [price_of(m) for m in models]
    return pl.DataFrame(
        {"model": models, "_in": [p[0] for p in prices], "_out": [p[1] for p in prices]},
        schema={"model": pl.String, "_in": pl.Float64, "_out": pl.Float64},
    )


def with_cost(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame (model, input_tokens, output_tokens, ...) with an `est_cost_usd` column at list price."""
    if frame.is_empty():
        return frame.with_columns(pl.lit(0.0).alias("est_cost_usd"))
    # A join with a small price frame, not a per-row Python function: polars UDFs stall the server's thread pool.
    prices = _price_table([str(m) for m in frame["model"].unique().to_list()])
    return (
        frame.join(prices, on="model", how="left", maintain_order="left")
        .with_columns(((pl.col("input_tokens") * pl.col("_in") + pl.col("output_tokens") * pl.col("_out")) / 1e6).alias("est_cost_usd"))
        .drop("_in", "_out")
    )
