"""Child process for the warehouse concurrency tests: ``python wh_child.py COMMAND ARGS``.

Commands:
    hold-ro WH SECONDS READY     open WH read-only, touch READY, hold it SECONDS, close
    load WH STAGING OUT          load_pending (30 s lock timeout), write the report to OUT
    load-hang WH STAGING MARKER N  load; before the COMMIT of batch N touch MARKER and hang
    run WH STAGING RUN_ID FIRST COUNT  stage COUNT articles from FIRST in 3 batches, load after each
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main(argv: list[str]) -> None:
    import duckdb

    from pressroom.warehouse import load_pending, stage_batch

    cmd, *args = argv
    if cmd == "hold-ro":
        con = duckdb.connect(args[0], read_only=True)
        Path(args[2]).touch()
        time.sleep(float(args[1]))
        con.close()
    elif cmd == "load":
        report = load_pending(args[0], args[1], lock_timeout=30)
        Path(args[2]).write_text(
            json.dumps(
                {
                    "loaded": report.loaded,
                    "skipped": report.skipped,
                    "pending": report.pending,
                    "failed": report.failed,
                }
            )
        )
    elif cmd == "load-hang":
        calls = {"n": 0}

        def hang(batch: Path) -> None:
            calls["n"] += 1
            if calls["n"] == int(args[3]):
                Path(args[2]).touch()
                time.sleep(60)

        load_pending(args[0], args[1], lock_timeout=30, before_commit=hang)
    elif cmd == "run":
        from wh_helpers import article, run

        wh, staging, run_id, first, count = args[0], args[1], args[2], int(args[3]), int(args[4])
        numbers = list(range(first, first + count))
        for chunk in (numbers[0::3], numbers[1::3], numbers[2::3]):
            stage_batch(staging, run=run(run_id), articles=[article(n) for n in chunk])
            load_pending(wh, staging, lock_timeout=30)
    else:
        raise SystemExit(f"unknown command {cmd}")


if __name__ == "__main__":
    main(sys.argv[1:])
