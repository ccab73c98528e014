"""One-argument SQL functions written once per dialect (SQLite, and PostgreSQL as the default)."""

from __future__ import annotations

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import TypeEngine


def dialect_function(name: str, type_: TypeEngine, sqlite: str, default: str, doc: str):
    """A FunctionElement class whose SQL is `sqlite` or `default`, with {} as its argument."""
    cls = type(name, (FunctionElement,), {"type": type_, "inherit_cache": True, "__doc__": doc})

    def sql(template: str):
        return lambda element, compiler, **kw: template.replace(
            "{}", compiler.process(element.clauses, **kw)
        )

    compiles(cls, "sqlite")(sql(sqlite))
    compiles(cls)(sql(default))
    return cls
