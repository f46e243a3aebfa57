#!/usr/bin/env python3
"""Side-by-side benchmark: `aims monitor compute` against the Python peers, on the same files.

One run times, for every log size and format:
  aims   the release binary as a user runs it, one process per task (--only performance,
         fairness, drift) and one for all metrics, under /usr/bin/time -v;
  peers  scikit-learn, fairlearn, scipy/numpy (and optionally evidently) through the shared
         peer driver, bench_driver.py (referenced in place, never copied), also under
         /usr/bin/time -v;
and prints one table: medians of the wall times, the maximum peak RSS, and the ratio of the
fastest peer for a task to aims.

Files: preds_<N>.parquet and preds_<N>.csv in --data-dir, made by the shared gen_predlog.py;
--check-data recomputes each file's fingerprint and compares it with preds_<N>.meta.json.

The peers' CSV figure per task: the driver runs a task on Parquet only unless told otherwise
(its compute time does not depend on the format), so for sizes above --peer-all-formats-up-to the
CSV figure is derived as the task's Parquet wall time - its Parquet load time + the measured
CSV load time (the "load" task run on the CSV file); such figures are marked "derived".

Usage (from the repository root, with a Python environment that has the peers installed):
  cargo build --release -p aims-cli
  $VENV/bin/python bench/monitoring/bench.py --data-dir $SCRATCH/monitoring-data \\
      --sizes 1000000,10000000 --out $SCRATCH/monitoring-bench.json
Environment: AIMS_PEERS_DIR = the folder holding bench_driver.py and gen_predlog.py
(default: ../shared/bench/monitoring beside the repository).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CUTOFF = "2025-01-31T00:00:00Z"
AIMS_TASKS = ["performance", "fairness", "drift", "all"]
# Which peer tasks answer which aims task (the fastest measured one is compared).
PEERS_FOR = {
    "performance": ["performance"],
    "fairness": ["fairness_core", "fairness"],
    "drift": ["drift_scipy", "evidently", "nannyml"],
}


def peers_dir() -> str:
    return os.environ.get("AIMS_PEERS_DIR") or os.path.join(
        os.path.dirname(ROOT), "shared", "bench", "monitoring")


def timed(cmd: list[str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MiB, exit code) of one process under /usr/bin/time -v."""
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v", *cmd], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    if p.returncode not in (0, 3):
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr[-2000:]}")
    return wall, (int(m.group(1)) / 1024 if m else float("nan")), p.returncode


def check_data(data_dir: str, n: int, formats: list[str]) -> None:
    sys.path.insert(0, peers_dir())
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.csv as pacsv  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415
    from gen_predlog import NUM_FEATURES, fingerprint  # noqa: PLC0415

    # CSV has no types: integral columns such as the count num_5 must be read back as floats.
    floats = pacsv.ConvertOptions(
        column_types={c: pa.float64() for c in NUM_FEATURES + ["score"]})

    with open(os.path.join(data_dir, f"preds_{n}.meta.json")) as f:
        want = json.load(f)["fingerprint"]
    for fmt in formats:
        path = os.path.join(data_dir, f"preds_{n}.{fmt}")
        table = pq.read_table(path) if fmt == "parquet" else pacsv.read_csv(path, convert_options=floats)
        got = fingerprint(table)
        if got != want:
            diff = {k: (got.get(k), want[k]) for k in want if got.get(k) != want[k]}
            sys.exit(f"{path}: fingerprint differs from the .meta.json: {diff}")
        print(f"data ok: {os.path.basename(path)} matches its .meta.json fingerprint", flush=True)


def run_aims(aims: str, schema: str, path: str, task: str, runs: int) -> dict:
    cmd = [aims, "monitor", "compute", "--current", path, "--split-at", CUTOFF,
           "--schema", schema, "--json"]
    if task != "all":
        cmd += ["--only", task]
    walls, rss = [], []
    for _ in range(runs):
        w, r, _ = timed(cmd)
        walls.append(w)
        rss.append(r)
    return {"wall_s_median": statistics.median(walls), "peak_rss_mib_max": max(rss),
            "runs": runs, "all_runs": [round(w, 3) for w in walls]}


def run_peers(args, n: int) -> list[dict]:
    out = os.path.join(args.work_dir, f"peers_{n}.json")
    if args.reuse_peers and os.path.exists(out):
        with open(out) as f:
            return json.load(f)
    if os.path.exists(out):
        os.remove(out)
    cmd = [args.peer_python, os.path.join(peers_dir(), "bench_driver.py"),
           "--data-dir", args.data_dir, "--sizes", str(n), "--tasks", args.peer_tasks,
           "--formats", "parquet,csv", "--runs", str(args.runs),
           "--single-run-above", str(args.peer_single_run_above), "--out", out,
           "--python", args.peer_python]
    if n <= args.peer_all_formats_up_to:
        cmd.append("--compute-all-formats")
    subprocess.run(cmd, check=True)
    with open(out) as f:
        return json.load(f)


def peer_cell(cells: list[dict], task: str, fmt: str) -> dict | None:
    """The peer's wall time and RSS for one task and format (derived for CSV if not run)."""
    by = {(c["task"], c["format"]): c for c in cells if "error" not in c}
    if (task, fmt) in by:
        c = by[(task, fmt)]
        return {"wall_s": c["wall_s_median"], "rss": c["peak_rss_mib_max"], "derived": False,
                "runs": c["runs"]}
    pq, load_csv = by.get((task, "parquet")), by.get(("load", "csv"))
    if fmt == "csv" and pq and load_csv:
        wall = pq["wall_s_median"] - pq["load_s_median"] + load_csv["load_s_median"]
        return {"wall_s": wall, "rss": max(pq["peak_rss_mib_max"], load_csv["peak_rss_mib_max"]),
                "derived": True, "runs": pq["runs"]}
    return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--sizes", default="1000000,10000000")
    ap.add_argument("--formats", default="parquet,csv")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--aims", default=os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "aims"))
    ap.add_argument("--schema", default=os.path.join(
        ROOT, "crates", "monitor", "examples", "predlog.schema.toml"))
    ap.add_argument("--peer-python", default=sys.executable)
    ap.add_argument("--peer-tasks", default="load,performance,drift_scipy,fairness_core")
    ap.add_argument("--peer-single-run-above", type=float, default=60.0)
    ap.add_argument("--peer-all-formats-up-to", type=int, default=1_000_000)
    ap.add_argument("--no-peers", action="store_true", help="time aims only")
    ap.add_argument("--peers-only", action="store_true", help="time the peers only")
    ap.add_argument("--reuse-peers", action="store_true",
                    help="reuse peers_<N>.json in --work-dir instead of running the peers again")
    ap.add_argument("--check-data", action="store_true")
    ap.add_argument("--work-dir", default=None, help="default: --data-dir")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    args.work_dir = args.work_dir or args.data_dir
    formats = args.formats.split(",")
    sizes = [int(s) for s in args.sizes.split(",")]

    results = {"aims": {}, "peers": {}, "started": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                                time.gmtime())}
    for n in sizes:
        if args.check_data:
            check_data(args.data_dir, n, formats)
        for fmt in [] if args.peers_only else formats:
            path = os.path.join(args.data_dir, f"preds_{n}.{fmt}")
            for task in AIMS_TASKS:
                cell = run_aims(args.aims, args.schema, path, task, args.runs)
                results["aims"][f"{n}/{fmt}/{task}"] = cell
                print(f"aims {task:12s} {fmt:8s} n={n:<9d} median {cell['wall_s_median']:.3f}s "
                      f"rss {cell['peak_rss_mib_max']:.0f}MiB", flush=True)
        if not args.no_peers:
            results["peers"][str(n)] = run_peers(args, n)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=1)
    if not args.peers_only:
        print_table(results, sizes, formats)


def print_table(results: dict, sizes: list[int], formats: list[str]) -> None:
    print("\n| rows | format | task | aims (median) | aims peak RSS | fastest peer | peer (median) "
          "| peer peak RSS | peer / aims |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n in sizes:
        cells = results["peers"].get(str(n), [])
        for fmt in formats:
            for task in AIMS_TASKS:
                a = results["aims"][f"{n}/{fmt}/{task}"]
                names = PEERS_FOR.get(task, [])
                found = [(p, peer_cell(cells, p, fmt)) for p in names]
                found = [(p, c) for p, c in found if c]
                if task == "all":
                    parts = [min((c for _, c in [(p, peer_cell(cells, p, fmt))
                                                 for p in PEERS_FOR[t]] if c),
                                 key=lambda c: c["wall_s"], default=None)
                             for t in ("performance", "fairness", "drift")]
                    if all(parts):
                        found = [("sum of the three", {
                            "wall_s": sum(c["wall_s"] for c in parts),
                            "rss": max(c["rss"] for c in parts),
                            "derived": any(c["derived"] for c in parts)})]
                if found:
                    p, c = min(found, key=lambda pc: pc[1]["wall_s"])
                    mark = " (derived)" if c["derived"] else ""
                    peer = f"{p}{mark} | {c['wall_s']:.2f} s | {c['rss']:.0f} MiB | " \
                           f"{c['wall_s'] / a['wall_s_median']:.0f}x"
                else:
                    peer = "- | - | - | -"
                print(f"| {n:,} | {fmt} | {task} | {a['wall_s_median']:.3f} s | "
                      f"{a['peak_rss_mib_max']:.0f} MiB | {peer} |")


if __name__ == "__main__":
    main()
