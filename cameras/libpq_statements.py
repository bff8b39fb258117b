"""Run a prepared statement on Django's PostgreSQL connection through libpq directly.

psycopg's cursor adapts every parameter through its Python dumpers and keeps its
prepared-statement cache in Python; for the webhook's 33-column INSERT that was about a
seventh of a push's CPU. Here the parameters arrive already encoded as libpq takes them,
the statement is prepared under a fixed name the first time a connection runs it, and the
wait for the answer releases the GIL as psycopg's own wait does.

Only where going around the cursor changes nothing (``usable``): PostgreSQL in autocommit
(no transaction for psycopg to open), no execute wrappers, no query log.
"""
from __future__ import annotations

import json
import weakref
from datetime import datetime

from psycopg import errors, generators, pq

# psycopg connection -> names of the statements prepared on it
_prepared: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_DONE = (pq.ExecStatus.TUPLES_OK, pq.ExecStatus.COMMAND_OK)
TEXT, BINARY = 0, 1


def usable(wrapper) -> bool:
    """Whether ``wrapper`` (a Django connection, already connected) can take the direct path."""
    return (wrapper.vendor == "postgresql" and wrapper.autocommit
            and not wrapper.in_atomic_block and not wrapper.execute_wrappers
            and not wrapper.queries_logged)


def text(value) -> bytes | None:
    """A parameter in PostgreSQL's text input format; the column's type parses it."""
    if value is None:
        return None
    kind = type(value)
    if kind is str:
        return value.encode()
    if kind is bool:
        return b"t" if value else b"f"
    if kind is datetime:
        return value.isoformat().encode()
    return str(value).encode()


def json_text(encoder=None):
    def encode(value) -> bytes:
        return json.dumps(value, cls=encoder).encode()
    return encode


def first_value(wrapper, name: bytes, sql: bytes, values: list, formats: list) -> bytes | None:
    """Execute ``sql`` (``$1``… placeholders) with encoded ``values``; the first column of
    the first row, or None when it returned no row."""
    conn = wrapper.connection
    with wrapper.wrap_database_errors, conn.lock:
        try:
            result = _execute_prepared(conn, name, sql, values, formats)
        except errors.InvalidSqlStatementName:
            # The server forgot it (DISCARD ALL, a pooler): prepare again, once.
            _prepared.get(conn, set()).discard(name)
            result = _execute_prepared(conn, name, sql, values, formats)
    return result.get_value(0, 0) if result.ntuples else None


def _execute_prepared(conn, name: bytes, sql: bytes, values: list, formats: list):
    names = _prepared.setdefault(conn, set())
    if name not in names:
        conn.pgconn.send_prepare(name, sql)
        _result(conn)
        names.add(name)
    conn.pgconn.send_query_prepared(name, values, param_formats=formats)
    return _result(conn)


def _result(conn):
    result = conn.wait(generators.execute(conn.pgconn))[-1]
    if result.status not in _DONE:
        raise errors.error_from_result(result, encoding=conn.info.encoding)
    return result
