"""Real servers on 127.0.0.1 for remote tests (and the benchmark and CLI tests): started and
stopped by the caller, never listening beyond loopback.

* :class:`MotoS3` — moto's S3 in a thread, behind a WSGI wrapper that records every request
  server-side (method, key, Range, response bytes) and can inject faults (an HTTP 500, or a
  connection dropped in the middle of a request body) for requests matching a rule.
* :func:`http_server` — a static file server over a directory, with Range support
  (``rangehttpserver``) or without it (the stdlib handler, which ignores ``Range``).

Context managers :func:`moto_s3` and :func:`serving` start and stop them; test modules wrap
them in fixtures of the scope they need.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import logging
import os
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

import pytest

LOOPBACK = "127.0.0.1"


@dataclass
class Request:
    """One request as the server saw it."""

    method: str
    path: str
    query: str
    range: str | None
    status: str = ""
    bytes: int = 0


#: A fault rule: given (method, path, query), return None (serve), "500" or "drop".
Rule = Callable[[str, str, str], str | None]


class _Wrapper:
    """WSGI middleware: request log + fault injection in front of moto."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.lock = threading.Lock()
        self.log: list[Request] = []
        self.rule: Rule | None = None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        rec = Request(
            environ["REQUEST_METHOD"],
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
            environ.get("HTTP_RANGE"),
        )
        with self.lock:
            self.log.append(rec)
            rule = self.rule
        action = rule(rec.method, rec.path, rec.query) if rule else None
        if action == "500":
            rec.status = "500"
            body = (
                b"<?xml version='1.0' encoding='UTF-8'?><Error><Code>InternalError</Code>"
                b"<Message>injected by the test</Message></Error>"
            )
            start_response(
                "500 Internal Server Error",
                [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))],
            )
            return [body]
        if action == "drop":
            rec.status = "dropped"
            # Take the request body, then cut the connection before any response: what a
            # client sees when the server or a proxy dies while handling the request.
            with contextlib.suppress(Exception):
                body = environ["wsgi.input"]
                left = int(environ.get("CONTENT_LENGTH") or 0)
                while left > 0:
                    got = body.read(min(left, 1 << 16))
                    if not got:
                        break
                    left -= len(got)
            sock = environ.get("werkzeug.socket")
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    sock.close()
            start_response("500 Internal Server Error", [("Content-Length", "0")])
            return []

        def counting_start(status: str, headers: Any, *a: Any) -> Any:
            rec.status = status.split(maxsplit=1)[0]
            return start_response(status, headers, *a)

        result = self.app(environ, counting_start)
        return self._count(result, rec)

    @staticmethod
    def _count(result: Any, rec: Request) -> Iterator[bytes]:
        try:
            for chunk in result:
                rec.bytes += len(chunk)
                yield chunk
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()


class MotoS3:
    """moto's S3 server on 127.0.0.1 (a free port), with a request log and fault injection."""

    def __init__(self) -> None:
        from moto.moto_server import threaded_moto_server as tms

        self._tms = tms
        self.wrapper: _Wrapper | None = None
        outer = self

        class _Server(tms.ThreadedMotoServer):  # type: ignore[misc]
            def _server_entry(self) -> None:
                app = tms.DomainDispatcherApplication(tms.create_backend_app)
                outer.wrapper = _Wrapper(app)
                self._server = tms.make_server(
                    self._ip_address,
                    self._port,
                    outer.wrapper,
                    True,
                    request_handler=tms.MotoRequestHandler,
                )
                self._server_ready_event.set()
                self._server.serve_forever()

        self._server = _Server(ip_address=LOOPBACK, port=0, verbose=False)

    def start(self) -> MotoS3:
        logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
        os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
        os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
        os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
        self._server.start()
        host, _ = self._server.get_host_and_port()
        assert host == LOOPBACK
        return self

    def stop(self) -> None:
        self._server.stop()

    @property
    def endpoint(self) -> str:
        host, port = self._server.get_host_and_port()
        return f"http://{host}:{port}"

    def storage_options(self) -> dict[str, Any]:
        """s3fs options for this server. fsspec caches one filesystem instance per distinct
        options, so opening many objects does not build a new client each time."""
        return {
            "key": "testing",
            "secret": "testing",
            "client_kwargs": {"endpoint_url": self.endpoint},
            "config_kwargs": {"retries": {"max_attempts": 1}},
        }

    def fs(self, retries: int = 5) -> Any:
        """A new s3fs filesystem of its own on this server (``retries``: s3fs's own retry
        count; it is not an option of the constructor)."""
        import s3fs

        fs = s3fs.S3FileSystem(**self.storage_options(), skip_instance_cache=True)
        fs.retries = retries
        return fs

    def new_bucket(self, prefix: str = "imsg") -> str:
        name = f"{prefix}-{uuid.uuid4().hex[:12]}"
        self.fs().mkdir(name)
        return name

    # -- the request log ---------------------------------------------------------------
    def requests(self) -> list[Request]:
        assert self.wrapper is not None
        with self.wrapper.lock:
            return list(self.wrapper.log)

    def reset_log(self) -> None:
        assert self.wrapper is not None
        with self.wrapper.lock:
            self.wrapper.log.clear()

    def counts(self, key_path: str) -> dict[str, int]:
        """GETs (and their bytes), HEADs and other requests on ``/bucket/key`` since the last
        :meth:`reset_log`."""
        want = "/" + key_path.lstrip("/")
        out = {"GET": 0, "GET_bytes": 0, "HEAD": 0, "other": 0}
        for r in self.requests():
            if r.path != want:
                out["other"] += 1
            elif r.method == "GET":
                out["GET"] += 1
                out["GET_bytes"] += r.bytes
            elif r.method == "HEAD":
                out["HEAD"] += 1
            else:
                out["other"] += 1
        return out

    @contextlib.contextmanager
    def fault(self, rule: Rule) -> Iterator[None]:
        """Inject faults for requests matching ``rule`` while the block runs."""
        assert self.wrapper is not None
        self.wrapper.rule = rule
        try:
            yield
        finally:
            self.wrapper.rule = None


class MotoS3Process:
    """moto's S3 server as a separate process on 127.0.0.1 (a free port): uses a core of its
    own, for bulk tests; no request log or faults (use :class:`MotoS3` for those)."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[str] | None = None
        self.endpoint = ""

    def start(self, timeout: float = 30.0) -> MotoS3Process:
        env = {
            **os.environ,
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
        }
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", LOOPBACK, "-p", "0"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self._proc.stderr is not None
        deadline = time.monotonic() + timeout
        for line in self._proc.stderr:
            m = re.search(r"Running on (http://127\.0\.0\.1:\d+)", line)
            if m:
                self.endpoint = m.group(1)
                break
            if time.monotonic() > deadline:
                break
        if not self.endpoint:
            self.stop()
            raise RuntimeError("moto server did not start")
        # Keep draining its log so the pipe never fills and blocks the server.
        threading.Thread(target=self._drain, daemon=True).start()
        return self

    def _drain(self) -> None:
        proc = self._proc
        if proc is not None and proc.stderr is not None:
            for _ in proc.stderr:
                pass

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    storage_options = MotoS3.storage_options
    fs = MotoS3.fs
    new_bucket = MotoS3.new_bucket


@dataclass
class HTTPServer:
    """A running static file server."""

    url: str
    server: http.server.ThreadingHTTPServer
    thread: threading.Thread
    requests: list[str] = field(default_factory=list)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def http_server(directory: Path, *, ranges: bool = True) -> HTTPServer:
    """Serve ``directory`` on 127.0.0.1 (a free port); ``ranges=False`` uses the stdlib
    handler, which answers a Range request with the whole file."""
    if ranges:
        from RangeHTTPServer import RangeRequestHandler as base
    else:
        base = http.server.SimpleHTTPRequestHandler

    log: list[str] = []

    class Handler(base):  # type: ignore[misc, valid-type]
        def log_message(self, format: str, *args: Any) -> None:
            log.append(f"{self.command} {self.path} {self.headers.get('Range')}")

    handler = functools.partial(Handler, directory=str(directory))
    server = http.server.ThreadingHTTPServer((LOOPBACK, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    return HTTPServer(f"http://{host}:{port}", server, thread, log)


# --------------------------------------------------------------------------- helpers
@contextlib.contextmanager
def moto_s3() -> Iterator[MotoS3]:
    """A running :class:`MotoS3` for the block (skips the test when moto/s3fs are absent).

    Test modules wrap it in a fixture of the scope they want::

        @pytest.fixture(scope="module")
        def s3() -> Iterator[MotoS3]:
            with moto_s3() as srv:
                yield srv
    """
    pytest.importorskip("moto")
    pytest.importorskip("s3fs")
    srv = MotoS3().start()
    try:
        yield srv
    finally:
        srv.stop()


@contextlib.contextmanager
def moto_s3_process() -> Iterator[MotoS3Process]:
    """A running :class:`MotoS3Process` for the block (skips when moto/s3fs are absent)."""
    pytest.importorskip("moto")
    pytest.importorskip("s3fs")
    srv = MotoS3Process().start()
    try:
        yield srv
    finally:
        srv.stop()


@contextlib.contextmanager
def serving(directory: Path, *, ranges: bool = True) -> Iterator[HTTPServer]:
    """:func:`http_server` for the block."""
    srv = http_server(directory, ranges=ranges)
    try:
        yield srv
    finally:
        srv.stop()


# --------------------------------------------------------------------------- fixtures
# For modules that import them (``from servers import s3, s3_bucket``); module-scoped.
@pytest.fixture(scope="module")
def s3() -> Iterator[MotoS3]:
    """A moto S3 server for the test module."""
    with moto_s3() as srv:
        yield srv


@pytest.fixture(scope="module")
def s3_bucket(s3: MotoS3) -> str:
    """A bucket of its own for the test module."""
    return s3.new_bucket()
