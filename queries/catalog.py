"""Which questions can an analyst ask? The catalog: every page query is a named, typed object.

A builder in `queries/` becomes a question with the `question` decorator. The object is what a page
passes to the cache (``state.query(overview.traffic_kpis, start=..., end=...)``), so mypy checks the
name and every argument; the cache keys on the question's qualified name. The page bench and the
compiled-SQL snapshot tests enumerate `catalog()`, so a new question is benchmarked and snapshotted
on every dialect without a hand-kept list.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from enum import Enum
from typing import Any, Generic, ParamSpec

from sqlalchemy import Select

P = ParamSpec("P")

#: The row cap a page query gets unless its question says otherwise: a table an analyst reads, not a dump.
PAGE_ROW_CAP = 50_000


class Bound(Enum):
    """What limits how much of the warehouse a question reads."""

    WINDOW = "window"  # a time window: the builder takes `start` and `end`
    RUN = "run"  # one detection run's result tables: the builder takes `run_id`
    SUMMARY = "summary"  # a small whole-warehouse summary (extent, model list, load log, latest run)


class CatalogError(TypeError):
    """A question whose declaration does not match its builder's signature."""


class Question(Generic[P]):
    """One named analyst question: its builder, what bounds it, its default row cap and the pages that ask it."""

    def __init__(self, builder: Callable[P, Select[Any]], *, bound: Bound, row_cap: int, pages: tuple[str, ...]) -> None:
        self.builder = builder
        self.bound = bound
        self.row_cap = row_cap
        self.pages = pages
        module = builder.__module__.removeprefix("queries.")
        self.name = f"{module}.{builder.__name__}"
        self.__doc__ = builder.__doc__
        self.__name__ = builder.__name__
        self.__module__ = builder.__module__
        params = inspect.signature(builder).parameters
        needed = {Bound.WINDOW: ("start", "end"), Bound.RUN: ("run_id",), Bound.SUMMARY: ()}[bound]
        missing = [p for p in needed if p not in params]
        if missing:
            raise CatalogError(f"{self.name} is declared {bound.value}-bounded but takes no {', '.join(missing)}")

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> Select[Any]:
        """The select this question compiles to for these arguments."""
        return self.builder(*args, **kwargs)

    def parameters(self) -> dict[str, inspect.Parameter]:
        """The builder's parameters, by name (for benches and snapshot tests)."""
        return dict(inspect.signature(self.builder).parameters)

    def __repr__(self) -> str:
        return f"Question({self.name}, {self.bound.value}, cap {self.row_cap:,})"


_REGISTRY: dict[str, Question[Any]] = {}


def question(
    *, bound: Bound, pages: tuple[str, ...] = (), row_cap: int = PAGE_ROW_CAP
) -> Callable[[Callable[P, Select[Any]]], Question[P]]:
    """Declare a builder as a catalog question (decorator)."""

    def register(builder: Callable[P, Select[Any]]) -> Question[P]:
        q = Question(builder, bound=bound, row_cap=row_cap, pages=pages)
        if q.name in _REGISTRY and _REGISTRY[q.name].builder is not builder:
            raise CatalogError(f"two questions are named {q.name}")
        _REGISTRY[q.name] = q
        return q

    return register


def _import_all() -> None:
    import queries

    for info in pkgutil.iter_modules(queries.__path__):
        importlib.import_module(f"queries.{info.name}")


def catalog() -> list[Question[Any]]:
    """Every question of every module in `queries/`, by name."""
    _import_all()
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]


def by_name(name: str) -> Question[Any]:
    """The question registered under this qualified name (the cache's key; never typed by a caller)."""
    if name not in _REGISTRY:
        _import_all()
    return _REGISTRY[name]


def for_page(page: str) -> list[Question[Any]]:
    """Which questions does this page ask (the page bench times exactly these)?"""
    return [q for q in catalog() if page in q.pages]
