"""Process measurements for the benchmarks: CPU inside chosen functions, RSS peaks per phase."""

from __future__ import annotations

import os
import resource
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import psutil

__all__ = [
    "RssSampler",
    "ThreadCpu",
    "children_cpu_seconds",
    "cpu_seconds",
    "host_activity",
    "peak_rss_mb",
    "shifted",
]


class ThreadCpu:
    """Thread CPU and wall seconds spent inside chosen functions (wrapped in place for the run).

    ``blocking[label]`` is the wall time spent on the event loop's own thread (the main one):
    time during which no other source's request could be sent or answered.
    """

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.wall: Counter[str] = Counter()
        self.blocking: Counter[str] = Counter()
        self._lock = threading.Lock()

    def wrap(self, module: Any, name: str, label: str) -> None:
        original: Callable[..., Any] = getattr(module, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            start, wall = time.thread_time(), time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent = time.perf_counter() - wall
                with self._lock:
                    self.seconds[label] += time.thread_time() - start
                    self.wall[label] += spent
                    if threading.current_thread() is threading.main_thread():
                        self.blocking[label] += spent

        setattr(module, name, timed)


class RssSampler:
    """The process's resident set, sampled every 0.1 s: the high-water mark of each phase."""

    def __init__(self) -> None:
        self.peaks: dict[str, float] = {}
        self.phase = "start"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        process = psutil.Process()
        while not self._stop.wait(0.1):
            rss = process.memory_info().rss / 2**20
            self.peaks[self.phase] = max(self.peaks.get(self.phase, 0.0), rss)
            pool = 0.0
            for child in process.children():
                try:
                    if "spawn_main" in " ".join(child.cmdline()):
                        pool += child.memory_info().rss / 2**20
                except psutil.Error:
                    continue
            key = f"{self.phase} (parse pool)"
            self.peaks[key] = max(self.peaks.get(key, 0.0), pool)

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        return {k: round(v) for k, v in self.peaks.items()}


def cpu_seconds() -> float:
    times = psutil.Process().cpu_times()
    return times.user + times.system


def children_cpu_seconds() -> float:
    """CPU of finished (reaped) child processes: the parse pool, shut down at each run's end."""
    times = os.times()
    return times.children_user + times.children_system


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def shifted(timeline: list[list[Any]], started: float) -> list[list[Any]]:
    """The servers' request log with times in seconds since ``started`` (their clock)."""
    return [[h, k, round(a - started, 4), round(b - started, 4)] for h, k, a, b in timeline]


def host_activity(timeline: list[list[Any]], wall: float, concurrency: int) -> dict[str, float]:
    """How busy the hosts were in run 1, from the servers' request log (:func:`shifted`).

    Per host, over ``[0, wall]``: seconds with no request in flight (idle),
    seconds with all ``concurrency`` slots in flight (full), and the mean requests in flight;
    reported as the mean over hosts, with the latest first request and the host that was idle
    longest. Wall minus a host's full time is what its politeness bound could not use.
    """
    by_host: dict[int, list[tuple[float, int]]] = {}
    for host, _kind, arrived, answered in timeline:
        events = by_host.setdefault(int(host), [])
        events += [(arrived, 1), (answered, -1)]
    idle, full, mean, first, worst = [], [], [], [], 0.0
    for events in by_host.values():
        events.sort()
        level, last, spans = 0, 0.0, {"idle": 0.0, "full": 0.0, "busy": 0.0}
        for when, step in [*events, (wall, 0)]:
            span = max(0.0, min(when, wall) - last)
            spans["idle"] += span if level == 0 else 0.0
            spans["full"] += span if level >= concurrency else 0.0
            spans["busy"] += span * level
            last = max(last, min(when, wall))
            level += step
        idle.append(spans["idle"])
        full.append(spans["full"])
        mean.append(spans["busy"] / wall if wall else 0.0)
        first.append(events[0][0])
        worst = max(worst, spans["idle"])
    count = max(1, len(by_host))
    return {
        "idle_s": round(sum(idle) / count, 2),
        "full_s": round(sum(full) / count, 2),
        "mean_in_flight": round(sum(mean) / count, 2),
        "first_request_s": round(max(first, default=0.0), 2),
        "most_idle_s": round(worst, 2),
    }
