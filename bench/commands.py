"""How long a no-change ``pressroom ingest`` takes, without and with ``pressroom server start``.

    .venv/bin/python bench/commands.py            # three runs each
    .venv/bin/python bench/commands.py --runs 5

The bench serves the demo newsroom itself (``pressroom.demo.DemoNewsroom``, as ``pressroom
demo`` does), writes its config in a temp folder and loads it once (not timed), so every timed
run is an ingest that finds nothing new (every article answers 304). Each run is the real
command line, ``pressroom --config ... ingest``, in a new process, timed from start to exit, in
a private ``PREFECT_HOME`` with no ``PREFECT_API_URL``. CPU is the command's own (user +
system, with the temporary API's server process, which it starts and reaps; the managed
server's CPU is not in it): on a machine other work loads, wall time follows the load and CPU
tells more. The table:

- with the server: after ``pressroom server start`` (on a free port), which the commands find
  through its state file, exactly as a user's would;
- without: after ``pressroom server stop``, so each command starts Prefect's temporary API.
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pressroom.demo import DemoNewsroom, write_demo_config

BIN = Path(sys.executable).parent
CPU: list[float] = []  # CPU seconds of each command run, in order


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _pressroom(env: dict[str, str], *args: str) -> tuple[float, str]:
    """Run ``pressroom ARGS``; its wall seconds and output. A failing command stops the bench."""
    started = time.perf_counter()
    cpu = _children_cpu()
    done = subprocess.run(
        [str(BIN / "pressroom"), *args], env=env, capture_output=True, text=True, timeout=600
    )
    seconds = time.perf_counter() - started
    CPU.append(_children_cpu() - cpu)
    if done.returncode != 0:
        raise SystemExit(f"pressroom {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    return seconds, done.stdout + done.stderr


def _ingest(env: dict[str, str], config: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one no-change ingest."""
    seconds, output = _pressroom(env, "--config", str(config), "ingest")
    if " 0 new" not in output or "errors (" not in output:
        raise SystemExit(f"not a no-change ingest:\n{output}")
    return seconds, CPU[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    load_before = f"{os.getloadavg()[0]:.1f}"

    with (
        tempfile.TemporaryDirectory(prefix="pressroom-bench-commands-") as tmp,
        DemoNewsroom() as newsroom,
    ):
        root = Path(tmp)
        config = write_demo_config(root / "pressroom.toml", newsroom, root / "pressroom.duckdb")
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        env["PREFECT_HOME"] = str(root / "prefect-home")

        started, _ = _pressroom(env, "server", "start", "--port", str(_free_port()))
        try:
            first, _ = _pressroom(env, "--config", str(config), "ingest")  # loads the demo
            with_server = [_ingest(env, config) for _ in range(args.runs)]
        finally:
            _pressroom(env, "server", "stop")
        without = [_ingest(env, config) for _ in range(args.runs)]

    print(f"pressroom server start: {started:.1f} s (new database); first ingest {first:.1f} s")
    print(f"load average before and after: {load_before} / {os.getloadavg()[0]:.1f}")
    print("\nno-change `pressroom ingest` of the demo (2 sources), seconds per command\n")
    print("| run | without a server: wall | CPU | with `pressroom server start`: wall | CPU |")
    print("|---|---|---|---|---|")
    for n, ((a, a_cpu), (b, b_cpu)) in enumerate(zip(without, with_server, strict=True), 1):
        print(f"| {n} | {a:.1f} | {a_cpu:.1f} | {b:.1f} | {b_cpu:.1f} |")
    med = [statistics.median(x[i] for x in runs) for runs in (without, with_server) for i in (0, 1)]
    print(f"| median | {med[0]:.1f} | {med[1]:.1f} | {med[2]:.1f} | {med[3]:.1f} |")


if __name__ == "__main__":
    main()
