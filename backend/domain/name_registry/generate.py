"""CLI: write a synthetic registry as CSV (`python -m backend.domain.name_registry.generate --count N ...`)."""
from __future__ import annotations

import argparse
import datetime as dt
import sys

from backend.domain.name_registry.generator import DEFAULT_TODAY, generate_rows
from backend.domain.name_registry.loader import write_csv


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and write the file (or stdout with `--out -`)."""
    parser = argparse.ArgumentParser(description="Write a synthetic Guangzhou name registry as CSV.")
    parser.add_argument("--count", type=int, required=True, help="number of names")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same file)")
    parser.add_argument("--out", default="-", help="output file, '-' for stdout")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=DEFAULT_TODAY, help="status dates end here")
    args = parser.parse_args(argv)
    rows = ((r.name, r.status, r.status_date, r.uscc) for r in generate_rows(count=args.count, seed=args.seed,
                                                                            today=args.today))
    if args.out == "-":
        write_csv(sys.stdout, rows)
    else:
        with open(args.out, "w", encoding="utf-8", newline="") as handle:
            written = write_csv(handle, rows)
        print(f"wrote {written} names to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
