"""Subprocess entry for memory measurements: ``python -m benchmarks.memrun JOB_JSON``.

JOB_JSON = ``{"target": "module:function", "args": [...], "warm_args": [...] | null}``.
Prints one JSON line: ``peak_mib`` (peak RSS growth over the baseline taken just before the
call), ``seconds``, ``work`` or ``error``, and, when the RSS growth is under 4 MiB (where
RSS is too coarse to compare), ``heap_peak_mib``: the tracemalloc peak of a second call.
The RSS peak is the larger of a 2 ms sampler and ``ru_maxrss`` growth, so short spikes
between samples are not missed.
"""

from __future__ import annotations

import gc
import importlib
import json
import resource
import sys
import threading
import time
import tracemalloc

import psutil

from .harness import NotAvailable
from .harness import describe_error

SMALL = 4 << 20  # below this RSS growth, also report the tracemalloc peak


class _Sampler(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.proc = psutil.Process()
        self.peak = self.proc.memory_info().rss
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            rss = self.proc.memory_info().rss
            self.peak = max(self.peak, rss)
            time.sleep(0.002)


def main() -> None:
    job = json.loads(sys.argv[1])
    mod_name, fn_name = job["target"].split(":")
    out: dict[str, object] = {}
    try:
        fn = getattr(importlib.import_module(mod_name), fn_name)
        if job.get("warm_args") is not None:
            fn(*job["warm_args"])
    except (NotAvailable, ImportError) as exc:
        print(json.dumps({"error": describe_error(exc), "not_available": True}))
        return
    except Exception as exc:
        print(json.dumps({"error": "warm-up: " + describe_error(exc)}))
        return
    gc.collect()
    proc = psutil.Process()
    base = proc.memory_info().rss
    maxrss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    sampler = _Sampler()
    sampler.start()
    t0 = time.perf_counter()
    try:
        work = fn(*job["args"])
        out["work"] = work
    except (NotAvailable, ImportError) as exc:
        out["error"], out["not_available"] = describe_error(exc), True
    except Exception as exc:
        out["error"] = describe_error(exc)
    t1 = time.perf_counter()
    sampler.stop.set()
    sampler.join()
    maxrss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    peak = max(sampler.peak, maxrss1 if maxrss1 > maxrss0 else 0) - base
    out["seconds"] = t1 - t0
    out["peak_mib"] = max(peak, 0) / (1 << 20)
    if "error" not in out and peak < SMALL:
        # RSS moves in pages and arenas; below a few MiB it says little. Repeat the call
        # under tracemalloc for the peak of Python allocations (timing is from the first call).
        gc.collect()
        tracemalloc.start()
        try:
            fn(*job["args"])
            out["heap_peak_mib"] = tracemalloc.get_traced_memory()[1] / (1 << 20)
        except Exception:
            pass
        finally:
            tracemalloc.stop()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
