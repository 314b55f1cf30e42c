"""A moto S3 server on 127.0.0.1 that counts requests server-side.

Every request is recorded (method, path, Range header, response body bytes) by a WSGI
wrapper around moto's application, so the counts do not depend on any client-side
instrumentation. Started and stopped by the benchmark; never listens beyond loopback.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from moto.moto_server import threaded_moto_server as tms

BUCKET = "imsg-bench"


@dataclass
class Request:
    method: str
    path: str
    range: str | None
    bytes: int = 0


@dataclass
class Counts:
    """Requests seen for one object during one measurement."""

    gets: int = 0
    get_bytes: int = 0
    heads: int = 0
    other: int = 0
    requests: list[Request] = field(default_factory=list)


class CountingApp:
    """WSGI middleware: records every request and the bytes of its response body."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.lock = threading.Condition()
        self.log: list[Request] = []
        self.inflight = 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterator[bytes]:
        # Recorded when it arrives and counted before each chunk is sent, so a client that
        # has its bytes is never ahead of the count; counts() waits for in-flight requests.
        rec = Request(
            environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""), environ.get("HTTP_RANGE")
        )
        with self.lock:
            self.log.append(rec)
            self.inflight += 1
        result = None
        try:
            result = self.app(environ, start_response)
            for chunk in result:
                rec.bytes += len(chunk)
                yield chunk
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
            with self.lock:
                self.inflight -= 1
                self.lock.notify_all()

    def reset(self) -> None:
        self.settle()
        with self.lock:
            self.log.clear()

    def settle(self, timeout: float = 10.0) -> None:
        """Wait until no request is in flight."""
        with self.lock:
            self.lock.wait_for(lambda: self.inflight == 0, timeout)

    def counts(self, key: str) -> Counts:
        """Requests on ``/BUCKET/key`` since the last reset (others counted as ``other``)."""
        target = f"/{BUCKET}/{key}"
        c = Counts()
        self.settle()
        with self.lock:
            log = list(self.log)
        for r in log:
            c.requests.append(r)
            if r.path == target and r.method == "GET":
                c.gets += 1
                c.get_bytes += r.bytes
            elif r.path == target and r.method == "HEAD":
                c.heads += 1
            else:
                c.other += 1
        return c


class CountingMotoServer(tms.ThreadedMotoServer):
    """``ThreadedMotoServer`` with a :class:`CountingApp` in front of moto."""

    def __init__(self) -> None:
        super().__init__(ip_address="127.0.0.1", port=0, verbose=False)
        self.counter: CountingApp | None = None

    def _server_entry(self) -> None:
        app = tms.DomainDispatcherApplication(tms.create_backend_app)
        self.counter = CountingApp(app)
        self._server = tms.make_server(
            self._ip_address, self._port, self.counter, True, request_handler=tms.MotoRequestHandler
        )
        self._server_ready_event.set()
        self._server.serve_forever()

    @property
    def endpoint(self) -> str:
        host, port = self.get_host_and_port()
        return f"http://{host}:{port}"

    def storage_options(self) -> dict[str, Any]:
        """fsspec/s3fs connection options for this server (a fresh client each time)."""
        return {
            "key": "testing",
            "secret": "testing",
            "client_kwargs": {"endpoint_url": self.endpoint},
            "skip_instance_cache": True,
        }


def start() -> CountingMotoServer:
    """Start the server and create the bucket."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    srv = CountingMotoServer()
    srv.start()
    import s3fs

    fs = s3fs.S3FileSystem(**srv.storage_options())
    fs.mkdir(BUCKET)
    return srv
