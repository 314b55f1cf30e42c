"""A fork server for the crash-consistency harness (run as a subprocess; no threads).

It imports the library once, then, for every ``go`` line on stdin, forks a child that opens
the target (a local path or an ``s3://`` URL) read/write and commits new versions in a loop,
writing ``C <pid> <version>`` on stdout after each commit returns. The test kills the child
with SIGKILL at a random moment and checks what is left. Forking a warm process costs a few
milliseconds; starting Python with the library would cost half a second per kill.

Version ``i`` of the content is fully determined by ``i`` (see :func:`expected`), so the test
can tell which version a file holds and whether it is exactly that version.

Commands (one per line): ``go <target> <json options>`` and ``quit``.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys

BIG = bytes(range(256)) * 80  # 20,480 bytes, written once, never changed (read lazily)


def expected(i: int) -> dict[str, bytes]:
    """The streams of version ``i`` (paths -> bytes)."""
    out = {
        "counter": str(i).encode(),
        "payload": (str(i).encode() + b"|") * (700 + 37 * (i % 97)),  # crosses 4096
        "sub/small": str(i).encode() * 3,
        "big": BIG,
    }
    if i % 2:
        out["sub/odd"] = b"odd" * (i % 50)
    return out


def write_version(storage: object, i: int) -> None:
    """Turn ``storage`` (holding any version) into version ``i`` (uncommitted)."""
    st = storage  # a TreeStorage
    want = expected(i)
    st.write_stream("counter", want["counter"])  # type: ignore[attr-defined]
    st.write_stream("payload", want["payload"])  # type: ignore[attr-defined]
    with st.open_storage("sub", "r+") as sub:  # type: ignore[attr-defined]
        sub.write_stream("small", want["sub/small"])
        if "sub/odd" in want:
            sub.write_stream("odd", want["sub/odd"])
        elif sub.exists("odd"):
            sub.destroy("odd")
        sub.commit()


def _child(target: str, options: dict[str, object]) -> None:
    import imsg_core

    with imsg_core.Session() as s:
        st = s.open_storage(target, "r+", **options)
        with st.open_stream("counter") as f:
            i = int(f.read())
        while True:
            i += 1
            write_version(st, i)
            st.commit()
            os.write(1, f"C {os.getpid()} {i}\n".encode())


def main() -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped automatically
    import imsg_backends.ole
    import imsg_backends.remote  # noqa: F401

    import imsg_core  # noqa: F401 - warm the imports before forking

    with contextlib.suppress(ImportError):
        import s3fs  # noqa: F401
    os.write(1, b"READY\n")
    for line in sys.stdin:
        cmd, _, rest = line.strip().partition(" ")
        if cmd == "quit":
            return
        target, _, opts = rest.partition(" ")
        pid = os.fork()
        if pid == 0:
            try:
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                _child(target, json.loads(opts or "{}"))
            except BaseException as exc:  # reported to the test, which fails on it
                os.write(1, f"E {os.getpid()} {type(exc).__name__}: {exc}\n".encode())
            finally:
                os._exit(3)
        os.write(1, f"P {pid}\n".encode())


if __name__ == "__main__":
    main()
