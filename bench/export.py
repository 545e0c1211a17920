"""Time and peak memory of `reclamations export` on a generated register.

    RECLAMATIONS_DATA_DIR=/tmp/bench-sqlite .venv/bin/python bench/export.py [--runs 3]
    (DATABASE_URL=postgres://... for PostgreSQL; generate the register first: bench/README.md)

Each export runs as its own process (the real command), for the last full year and for the
whole register, in CSV and in XLSX; the PDF for the year only (a printed register holds at most
50,000 complaints). The process reports its wall time and its peak resident
memory (`ru_maxrss`): memory is flat when the whole register costs no more than one year.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs in the child: the command itself, then its own measures on the last line.
RUNNER = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from reclamations.cli import main
started = time.perf_counter()
main(sys.argv[2:])
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "peak_mb": peak / 1024}))
"""


def run_once(fmt: str, period: tuple[str, str] | None, target: Path) -> dict[str, float]:
    arguments = ["export", "--format", fmt, "-o", str(target)]
    if period:
        arguments += ["--from", period[0], "--to", period[1]]
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, str(ROOT), *arguments],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    )
    said, measures = done.stdout.strip().splitlines()[-2:]
    result = json.loads(measures)
    result["rows"] = float(said.split(" ", 1)[0].replace("\xa0", ""))
    result["megabytes"] = target.stat().st_size / 1e6
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--formats", default="csv,xlsx,pdf", help="comma-separated")
    args = parser.parse_args()
    year = date.today().year - 1
    periods = {f"{year}": (f"{year}-01-01", f"{year}-12-31"), "all": None}
    print("| Format | Period | Complaints | File | Median time | Peak memory |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as folder:
        for fmt in args.formats.split(","):
            for label, period in periods.items():
                if fmt == "pdf" and period is None:
                    continue  # a printed register holds at most 50,000 complaints
                runs = [
                    run_once(fmt, period, Path(folder) / f"export.{fmt}") for _ in range(args.runs)
                ]
                seconds = statistics.median(run["seconds"] for run in runs)
                peak = statistics.median(run["peak_mb"] for run in runs)
                print(
                    f"| {fmt.upper()} | {label} | {runs[0]['rows']:,.0f} | "
                    f"{runs[0]['megabytes']:.1f} MB | {seconds:.2f} s | {peak:.0f} MB |"
                )


if __name__ == "__main__":
    main()
