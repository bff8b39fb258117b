"""A request body is read within a deadline, so a client that stalls mid-body frees its thread.

gunicorn's threaded workers read the body in the worker thread on a blocking socket with
no timeout: 200 stalled uploads held every thread and the camera pushes behind them timed
out. nginx buffers bodies in production; this bounds the application itself as well.
A read past the deadline answers 400 and the connection is closed.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.core.exceptions import BadRequest

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


class BodyReadTimeout(BadRequest):
    pass


class DeadlineInput:
    """``wsgi.input`` whose reads give up at ``deadline`` (a ``time.monotonic()`` value)."""

    def __init__(self, stream: Any, sock: socket.socket, deadline: float) -> None:
        self.stream, self.sock, self.deadline = stream, sock, deadline

    def read(self, *args: Any) -> bytes:
        return self._bounded(self.stream.read, *args)

    def readline(self, *args: Any) -> bytes:
        return self._bounded(self.stream.readline, *args)

    def readlines(self, *args: Any) -> list[bytes]:
        return self._bounded(self.stream.readlines, *args)

    def __iter__(self) -> Iterator:
        while line := self.readline():
            yield line

    def _bounded(self, read: Callable[..., Any], *args: Any) -> Any:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise BodyReadTimeout("request body not received in time")
        self.sock.settimeout(remaining)
        try:
            return read(*args)
        except TimeoutError:
            raise BodyReadTimeout("request body not received in time")


def bound_body_reads(application: WSGIApplication, seconds: float) -> WSGIApplication:
    """WSGI middleware: under gunicorn (``gunicorn.socket`` in the environ) body reads have a deadline."""

    def bounded(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        sock = environ.get("gunicorn.socket")
        if sock is None or seconds <= 0:
            return application(environ, start_response)
        kept = sock.gettimeout()
        environ["wsgi.input"] = DeadlineInput(environ["wsgi.input"], sock, time.monotonic() + seconds)
        try:
            return application(environ, start_response)
        finally:
            sock.settimeout(kept)

    return bounded
