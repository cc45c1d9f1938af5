"""Assemble docs/BENCHMARKS.md from the result files each benchmark writes under bench/results/.

Run: .venv/bin/python -m bench.report   (after one or more of the benchmarks; `make bench` runs them all first)
"""
from __future__ import annotations

import argparse
from pathlib import Path

from bench.common import RESULTS

DOCS = Path(__file__).resolve().parent.parent / "docs" / "BENCHMARKS.md"

# The order sections appear in; result files not listed here follow in name order.
ORDER = ("ledger", "names", "scope", "ocr", "verify", "documents", "formation", "profile")

HEADER = """# Benchmarks

Every figure below was produced by the command quoted in its section, on the machine that section names, and
measured side by side with its baseline in the same run (the ratio column). Benchmarks live in `bench/` and never run
in `make test`. `make bench` is the quick profile: every benchmark but OCR, in fixed windows (10 to 60 s), with the
generated name registers and the profile's baseline checkout cached under `var/bench/`, in under 15 minutes on the
2-core machine (12 min 40 s); `make bench-full` is the full run: OCR too, and windows of 30 s (21 min 15 s there).
Either rewrites this file (`python -m bench.report` only reassembles it from `bench/results/`), so a section keeps
the figures of the last run that made it: its command line says which. Goals come from the issues; a figure that
misses its goal says so.
"""


def sections(results: Path) -> list[str]:
    """The result files' texts, in report order."""
    files = {path.stem: path for path in sorted(results.glob("*.md"))}
    names = [name for name in ORDER if name in files] + [name for name in files if name not in ORDER]
    return [_as_section(files[name].read_text(encoding="utf-8").strip()) for name in names]


def _as_section(text: str) -> str:
    """Every result file becomes a second-level section of the report, whatever heading level it was written at."""
    lines = text.splitlines()
    if lines and lines[0].startswith("# "):
        lines[0] = "#" + lines[0]
    return "\n".join(lines)


def render(results: Path) -> str:
    """The whole BENCHMARKS.md text."""
    body = sections(results)
    if not body:
        body = ["No benchmark has been run yet: `make bench`."]
    return HEADER + "\n" + "\n\n".join(body) + "\n"


def cli() -> None:
    """Write docs/BENCHMARKS.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--out", type=Path, default=DOCS)
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(args.results), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    cli()
