"""Per-street-office data versions for the tables written most (inspections and their answers,
establishments, samples, complaints, ledger entries, registrations).

An ORM flush that writes one of these tables notes which establishments (or units) its rows
belong to; at commit app.models.data_version turns them into street offices (top-level units)
and bumps 'table@<street office id>' instead of the table's own counter. A cached figure
(app.indicators.cache) then recomputes only those street offices: every indicator statement
reads these tables through the establishment it joins as `e`, grouped and restricted by
e's unit (tested for the catalogue), so a street office's figure depends on its own rows only.

A Core statement may name the one establishment its rows belong to: .execution_options(
**rows_of(establishment_id)) (the conditional UPDATEs that claim a draft or an inspection).
Any other write that is not an ORM flush (Core, text(), a bulk UPDATE), or whose rows' street
office cannot be found (a row deleted with its establishment), bumps the whole table.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

from sqlalchemy import bindparam, event, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

# table: (the column naming what it belongs to, what that column holds)
PARTITIONED = {
    "establishment": ("jurisdiction_id", "unit"),
    "inspection": ("establishment_id", "est"),
    "answer": ("inspection_id", "ins"),
    "sample": ("establishment_id", "est"),
    "complaint": ("establishment_id", "est"),
    "action": ("establishment_id", "est"),
    "registration": ("establishment_id", "est"),
}
IN_FLUSH = "fangxin_in_flush"
ROWS_OF = "fangxin_rows_of"  # execution option: the establishment a Core write's rows are of
OWNERS = "fangxin_partition_owners"  # {table: {(kind, id)}}, noted at each flush
UNKNOWN = "fangxin_partition_unknown"  # tables flushed with a row of no known owner
SEP = "@"
MANY = 500  # owners in one transaction beyond which the whole table is bumped

TOPS = {
    "unit": "SELECT u.id, COALESCE(u.parent_id, u.id) FROM jurisdiction u WHERE u.id IN :ids",
    "est": "SELECT e.id, COALESCE(u.parent_id, u.id) FROM establishment e "
    "JOIN jurisdiction u ON u.id = e.jurisdiction_id WHERE e.id IN :ids",
    "ins": "SELECT i.id, COALESCE(u.parent_id, u.id) FROM inspection i "
    "JOIN establishment e ON e.id = i.establishment_id "
    "JOIN jurisdiction u ON u.id = e.jurisdiction_id WHERE i.id IN :ids",
}


def partition_key(table: str, top: int) -> str:
    """The data_version name of one street office's share of a table."""
    return f"{table}{SEP}{top}"


def split_key(name: str) -> tuple[str, int | None]:
    """(table, street office id) of a data_version name; None for a whole table's counter."""
    table, _, top = name.partition(SEP)
    return table, int(top) if top else None


def owners(session: Session, obj) -> set[tuple[str, int]] | None:
    """What the object's row belongs to, before and after this flush; None if not known."""
    state = inspect(obj)
    column, kind = PARTITIONED[state.mapper.local_table.name]
    new, old = state.dict.get(column), state.committed_state.get(column)
    if not isinstance(new, int):
        return None
    found = {(kind, v) for v in (new, old) if isinstance(v, int)}
    return {in_session(session, k, v) for k, v in found}


def in_session(session: Session, kind: str, value: int) -> tuple[str, int]:
    """An answer's inspection, as the establishment the session knows it to belong to (so a
    draft deleted with its answers is still attributed)."""
    from app.models.inspection import Inspection  # here: app.models imports this module

    ins = session.identity_map.get(identity_key(Inspection, value)) if kind == "ins" else None
    if ins is not None and isinstance(ins.__dict__.get("establishment_id"), int):
        return ("est", ins.establishment_id)
    return (kind, value)


@event.listens_for(Session, "before_flush")
def _flush_begins(session, flush_context, instances) -> None:
    session.connection().info[IN_FLUSH] = True
    for obj in chain(session.dirty, session.deleted):  # load an expired owner column now,
        table = getattr(obj, "__tablename__", None)  # while the row is surely there
        if table in PARTITIONED and PARTITIONED[table][0] not in inspect(obj).dict:
            getattr(obj, PARTITIONED[table][0])


@event.listens_for(Engine, "rollback_savepoint")
def _flush_failed(conn, name, context) -> None:
    """A flush that failed inside a savepoint leaves the transaction open: what runs next
    in it is not that flush's."""
    conn.info.pop(IN_FLUSH, None)


@event.listens_for(Session, "after_flush")
def _note_owners(session, flush_context) -> None:
    info = session.connection().info
    info.pop(IN_FLUSH, None)
    for obj in chain(session.new, session.dirty, session.deleted):
        table = getattr(obj, "__tablename__", None)
        if table in PARTITIONED:
            found = owners(session, obj)
            if found is None:
                info.setdefault(UNKNOWN, set()).add(table)
            else:
                note_owners(info, table, found)


def note_owners(info: dict, table: str, found: set[tuple[str, int]]) -> None:
    """Add to what the transaction's rows of this table belong to."""
    info.setdefault(OWNERS, {}).setdefault(table, set()).update(found)


def rows_of(establishment_id: int) -> dict:
    """Execution options for a Core write whose rows all belong to this establishment."""
    return {ROWS_OF: establishment_id}


def attributed(conn: Connection, context, table: str) -> bool:
    """The write's rows will be attributed: it runs in an ORM flush (_note_owners does it),
    or it named its establishment (noted here)."""
    owner = context.execution_options.get(ROWS_OF) if context is not None else None
    if isinstance(owner, int) and PARTITIONED[table][1] == "est":
        note_owners(conn.info, table, {("est", owner)})
        return True
    return bool(conn.info.get(IN_FLUSH))


def forget(conn: Connection) -> None:
    """Drop what this transaction noted (at commit, rollback and begin)."""
    for name in (IN_FLUSH, OWNERS, UNKNOWN):
        conn.info.pop(name, None)


def partition_names(conn: Connection, tables: Iterable[str]) -> set[str]:
    """The counters to bump for tables written only by flushes: 'table@top' where every row's
    street office is known, else the table's own."""
    noted, unknown = conn.info.get(OWNERS) or {}, conn.info.get(UNKNOWN) or set()
    names = set()
    for table in tables:
        tops = None if table in unknown else street_offices(conn, noted.get(table, set()))
        if tops:
            names |= {partition_key(table, top) for top in tops}
        else:
            names.add(table)
    return names


def street_offices(conn: Connection, owned: set[tuple[str, int]]) -> set[int] | None:
    """The street offices of these owners; None when one of them is no longer found, or
    when there are so many (an import) that the whole table changed anyway."""
    if len(owned) > MANY:
        return None
    tops: set[int] = set()
    for kind in ("unit", "est", "ins"):
        ids = sorted(i for k, i in owned if k == kind)
        if not ids:
            continue
        stmt = text(TOPS[kind]).bindparams(bindparam("ids", expanding=True))
        found = dict(conn.execute(stmt, {"ids": ids}).all())
        if len(found) < len(ids):
            return None
        tops |= set(found.values())
    return tops or None
