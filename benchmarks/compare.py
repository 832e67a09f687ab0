"""Compare two result files of the benchmark harness, read by read and size by size.

    python benchmarks/compare.py OLD.json NEW.json [--threshold 1.2]

Prints each read's 95th percentile before and after and their ratio, marks the reads that became slower than the
threshold allows, and exits 1 when any did, so a script can stop on a regression.
"""

import argparse
import json
import sys
from pathlib import Path


def load(path: Path) -> dict[tuple[int, str], dict]:
    try:
        report = json.loads(path.read_text())
        return {(size["events"], read["key"]): read for size in report["sizes"] for read in size["reads"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"error: {path} is not a benchmark result file ({exc})", file=sys.stderr)
        sys.exit(2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--threshold", type=float, default=1.2, help="slower by more than this factor is a regression")
    args = parser.parse_args()
    if args.threshold <= 1:
        print("error: --threshold must be above 1", file=sys.stderr)
        return 2
    old, new = load(args.old), load(args.new)
    shared = sorted(old.keys() & new.keys())
    if not shared:
        print("error: the two files have no read at the same size in common", file=sys.stderr)
        return 2
    slower = 0
    print("| events | read | old p95 ms | new p95 ms | new ÷ old |\n|---:|---|---:|---:|---:|")
    for events, key in shared:
        before, after = old[events, key]["app_p95_ms"], new[events, key]["app_p95_ms"]
        ratio = after / before if before else float("inf")
        mark = " **slower**" if ratio > args.threshold else ""
        slower += bool(mark)
        print(f"| {events:,} | {new[events, key]['label']} | {before:.1f} | {after:.1f} | {ratio:.2f}{mark} |")
    print(f"\n{slower} of {len(shared)} reads slower than {args.threshold}× their old 95th percentile")
    return 1 if slower else 0


if __name__ == "__main__":
    sys.exit(main())
