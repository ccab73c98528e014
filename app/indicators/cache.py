"""Cached roll-ups: each (indicator statement, scope values) computed once per data version.

A row of rollup_cache is keyed by the SHA-256 of the statement's SQL and every value bound
to it (the scope's period, units and today, and the values the catalogue wrote into it), and
holds the figures with the versions (app.models.data_version) of the tables the statement
reads, taken BEFORE the figures were computed. It is used only while those versions are
unchanged: any committed write to a table read bumps its version in the same transaction, so
a cached figure always equals the live one. The tables written most are versioned per street
office too (app.models.data_partition): where only some street offices' shares changed, only
their figures are computed again, over their own units. This holds for any Indicator in the
catalogue: the tables come from the statement itself, and statements that read the clock in
SQL (now(), CURRENT_DATE, random()) are never cached.

A session with writes of its own not yet committed computes live and stores nothing (its
figures may include what a rollback undoes). Several app servers share the rows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Select, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.util import find_tables

from app.extensions import db
from app.indicators.catalogue import INDICATORS, Indicator
from app.indicators.rollup import Figure, rollup, rollup_statement, units_under
from app.indicators.sql import Scope
from app.models.data_partition import split_key
from app.models.data_version import DataVersion, RollupCache, written_tables
from app.models.types import utcnow

VOLATILE = ("now(", "current_date", "current_time", "localtimestamp", "random(", "'now'")


@dataclass(frozen=True)
class Compiled:
    """What a roll-up statement's cache key and validity need, computed once per statement."""

    sql: str
    binds: dict  # the values the statement carries itself (e.g. required visits by grade)
    tables: tuple[str, ...]  # every table it reads, sorted
    cacheable: bool


def compiled(stmt: Select) -> Compiled:
    """The statement compiled for this database, its own bound values and the tables read."""
    memo = current_app.extensions.setdefault("fangxin_rollup_compiled", {})
    if id(stmt) not in memo:
        comp = stmt.compile(dialect=db.engine.dialect)
        sql = str(comp)
        found = find_tables(stmt, include_aliases=True)
        tables = tuple(sorted({t.name for t in found if isinstance(t, Table)}))
        volatile = any(v in sql.lower() for v in VOLATILE)
        memo[id(stmt)] = (stmt, Compiled(sql, dict(comp.params), tables, not volatile))
    return memo[id(stmt)][1]


def cache_key(comp: Compiled, params: dict) -> str:
    """The statement and the values it binds: only those it reads, so a past quarter's
    figure not counting from today keeps its key from one day to the next."""
    values = {name: params.get(name, value) for name, value in comp.binds.items()}
    text = comp.sql + "\x00" + repr(sorted((k, repr(v)) for k, v in values.items()))
    return hashlib.sha256(text.encode()).hexdigest()


def current_versions() -> dict[str, int]:
    return dict(db.session.execute(db.select(DataVersion.table_name, DataVersion.version)).all())


def own_writes_pending() -> bool:
    """The session has written (or will flush) something not yet committed."""
    session = db.session
    if session.new or session.dirty or session.deleted:
        return True
    return bool(written_tables(session.connection()))


def from_rows(rows: list) -> dict[int | None, Figure]:
    """The figures as rollup() returns them, from the stored [top, num, den] rows."""
    out = {top: Figure(num, den) for top, num, den in rows}
    out[None] = sum(out.values(), Figure())
    return out


def stamp_for(comp: Compiled, versions: dict[str, int]) -> dict[str, int]:
    """The versions a figure computed now depends on: each table read, and each street
    office's share of the partitioned ones (app.models.data_partition)."""
    stamp = {t: versions.get(t, 0) for t in comp.tables}
    for name, version in versions.items():
        table, top = split_key(name)
        if top is not None and table in stamp:
            stamp[name] = version
    return stamp


def stale_tops(stored: dict[str, int], stamp: dict[str, int]) -> frozenset[int] | None:
    """The street offices whose share changed since the row was stored; None when a whole
    table did (every figure is computed again)."""
    changed = [split_key(k) for k in stored.keys() | stamp.keys() if stored.get(k) != stamp.get(k)]
    tops = frozenset(top for _, top in changed)
    return None if None in tops else tops


def recomputed(
    ind: Indicator, scope: Scope, row: RollupCache, tops: frozenset[int], units: frozenset[int]
) -> dict:
    """The stored figures, with those of the changed street offices computed again over
    their units (units_under(tops)) only, within the scope's."""
    if scope.unit_ids is not None:
        units &= scope.unit_ids
    kept = [r for r in row.figures if r[0] not in tops]
    if units:
        part = Scope(scope.period, units, now=scope.now, today=scope.today)
        kept += [[t, f.num, f.den] for t, f in rollup(ind, part).items() if t is not None]
    return from_rows(kept)


def cached_rollups(
    scopes: list[Scope], indicators: list[Indicator] = INDICATORS
) -> list[dict[str, dict[int | None, Figure]]]:
    """rollup_all for each scope, from the cache where it is still valid, else live (or,
    where only some street offices' rows changed, live for those street offices only)."""
    all_params = [s.params() for s in scopes]  # may copy the calendar in (and commit)
    if own_writes_pending():
        return [{ind.code: rollup(ind, s) for ind in indicators} for s in scopes]
    versions = current_versions()  # before any figure is computed
    wanted = []  # (scope index, indicator, key, stamp)
    for i, (scope, params) in enumerate(zip(scopes, all_params, strict=True)):
        for ind in indicators:
            comp = compiled(rollup_statement(ind, scope))
            key = cache_key(comp, params) if comp.cacheable else None
            wanted.append((i, ind, key, stamp_for(comp, versions)))
    stored = stored_rows(sorted({w[2] for w in wanted if w[2]}))
    out = [{} for _ in scopes]
    fresh, units_by_tops = {}, {}
    for i, ind, key, stamp in wanted:
        row = stored.get(key) if key else None
        tops = stale_tops(row.versions, stamp) if row is not None else None
        if tops == frozenset():
            out[i][ind.code] = from_rows(row.figures)
            continue
        scope = scopes[i]
        if tops is None:
            figures = rollup(ind, scope)
        else:
            if tops not in units_by_tops:  # one query per set of street offices
                units_by_tops[tops] = units_under(tops)
            figures = recomputed(ind, scope, row, tops, units_by_tops[tops])
        out[i][ind.code] = figures
        if key:
            rows = [[top, f.num, f.den] for top, f in figures.items() if top is not None]
            fresh[key] = {"key": key, "versions": stamp, "figures": rows, "computed_at": utcnow()}
    if fresh:
        store(fresh)
    return out


def stored_rows(keys: list[str]) -> dict[str, RollupCache]:
    """The cache rows for these keys, read 500 at a time."""
    stored = {}
    for chunk in range(0, len(keys), 500):
        stmt = db.select(RollupCache).where(RollupCache.key.in_(keys[chunk : chunk + 500]))
        stored |= {row.key: row for row in db.session.scalars(stmt)}
    return stored


def store(fresh: dict) -> None:
    """Upsert the new rows (key order, so two servers never wait on each other crosswise)."""
    dialect = {"postgresql": postgresql, "sqlite": sqlite}.get(db.engine.dialect.name)
    rows = [fresh[k] for k in sorted(fresh)]
    if dialect is None:
        for row in rows:
            db.session.merge(RollupCache(**row))
    else:
        stmt = dialect.insert(RollupCache).values(rows)
        stmt = stmt.on_conflict_do_update(
            index_elements=[RollupCache.key],
            set_={c: stmt.excluded[c] for c in ("versions", "figures", "computed_at")},
        )
        db.session.execute(stmt)
    db.session.commit()
