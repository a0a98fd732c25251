"""Medians and quantiles in SQL, per group, on PostgreSQL and SQLite alike.

SQL has no portable median. PostgreSQL has `percentile_cont`; elsewhere the same figure comes
from one pass over a window: number the values in each group, then take the two values either
side of the quantile's position and interpolate (the "inclusive" definition, as
`percentile_cont` and `statistics.quantiles(method="inclusive")` use). Only the grouped result
leaves the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy import Float, Integer, Select, case, cast, func, literal, select
from sqlmodel import Session


@dataclass(frozen=True)
class Spread:
    """The spread of one group's values."""

    n: int
    mean: float
    low: float
    high: float
    quantiles: tuple[float, ...]  # in the order asked for


def quantiles_by(
    session: Session,
    values: Select[Any],
    ps: Sequence[float],
    *,
    portable: bool | None = None,
) -> dict[tuple[Any, ...], Spread]:
    """Quantiles of `values` per group.

    `values` selects the group columns first and the value column, labelled `value`, last.
    Returns {group key tuple: Spread}. `portable=True` forces the window version (tests run it
    on PostgreSQL too)."""
    sub = values.subquery()
    groups = [c for c in sub.c if c.name != "value"]
    value = sub.c.value
    if portable is None:
        portable = session.get_bind().dialect.name != "postgresql"
    if not portable:
        quantile_cols = [func.percentile_cont(p).within_group(value) for p in ps]
        query = select(*groups, func.count(value), func.avg(value), func.min(value), func.max(value), *quantile_cols)
        query = query.where(value.is_not(None)).group_by(*groups)
    else:
        query = _windowed(sub, groups, value, ps)
    result: dict[tuple[Any, ...], Spread] = {}
    width = len(groups)
    for row in session.exec(query):  # type: ignore[call-overload]
        key = tuple(row[:width])
        n, mean, low, high, *qs = row[width:]
        result[key] = Spread(int(n), float(mean), float(low), float(high), tuple(float(q) for q in qs))
    return result


def _windowed(sub: Any, groups: list[Any], value: Any, ps: Sequence[float]) -> Select[Any]:
    ranked = (
        select(
            *groups,
            value,
            (func.row_number().over(partition_by=groups, order_by=value) - 1).label("rn"),
            func.count().over(partition_by=groups).label("n"),
        )
        .where(value.is_not(None))
        .subquery()
    )
    g = [ranked.c[c.name] for c in groups]
    rn, n, v = ranked.c.rn, ranked.c.n, ranked.c.value
    quantile_cols: list[Any] = []
    for p in ps:
        # position (n - 1) * p in integers, so the floor and fraction are the same on every database
        frac = Fraction(p).limit_denominator(10_000)
        num, den = literal(frac.numerator, Integer), literal(frac.denominator, Integer)
        scaled = (n - 1) * num
        lo = scaled // den  # integer division of non-negative integers: the floor
        part = cast(scaled % den, Float) / den
        quantile_cols.append(
            func.sum(case((rn == lo, v * (1 - part)), (rn == lo + 1, v * part), else_=0.0)).label(
                f"q{len(quantile_cols)}"
            )
        )
    return select(*g, func.count(v), func.avg(v), func.min(v), func.max(v), *quantile_cols).group_by(*g)


def medians_by(session: Session, values: Select[Any]) -> dict[tuple[Any, ...], tuple[float, int]]:
    """{group: (median, n)} of `values` (see `quantiles_by`)."""
    return {k: (s.quantiles[0], s.n) for k, s in quantiles_by(session, values, [0.5]).items()}
