"""Identity-document OCR: field accuracy on synthetic documents of the four kinds, clean and degraded.

Run: `.venv/bin/python bench/ocr_bench.py` (writes bench/results/ocr.md); `--per-kind 3 --no-write` for a quick look,
`--show` prints every wrong field. Documents come from tests/synthetic_documents.py (fixed seeds).
"""
from __future__ import annotations

import argparse
import os
import datetime as dt
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend.adapters.ocr.engine import default_engine, model_files  # noqa: E402
from backend.adapters.ocr.images import decode  # noqa: E402
from backend.services.ocr import DocumentReader, read_lines  # noqa: E402
from bench.common import RESULTS, machine  # noqa: E402
from tests.synthetic_documents import KINDS, TODAY, samples  # noqa: E402

# Numbers a check digit covers: the mainland and Hong Kong card numbers, the passport number and MRZ line 2.
CHECKSUMMED = {"cn_resident_id": ("number",), "hk_id": ("number",), "passport": ("number", "mrz_line2")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-kind", type=int, default=13, help="documents of each kind, each clean and degraded")
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    engine = default_engine()
    reader = DocumentReader(engine=engine)
    started = time.perf_counter()
    engine.read(decode(samples("hk_id", seed=999, degraded=False)[0].image, part="warm-up"))
    load_s = time.perf_counter() - started
    stats = defaultdict(lambda: [0, 0])  # (kind, condition) -> [exact, total]
    checks = defaultdict(lambda: [0, 0])
    silent_wrong = 0
    silent_wrong_checked = 0
    flagged_wrong = 0
    times: list[float] = []
    documents = 0
    for kind in KINDS:
        for condition in ("clean", "degraded"):
            for seed in range(args.per_kind):
                parts = samples(kind, seed=seed, degraded=condition == "degraded")
                lines, truth = {}, {}
                for sample in parts:
                    image = decode(sample.image, part=sample.part)
                    t = time.perf_counter()
                    lines[sample.part] = reader.read_image(kind, image)
                    times.append(time.perf_counter() - t)
                    truth.update(sample.truth)
                documents += 1
                result = read_lines(kind, lines, today=TODAY)
                for _, field in result.fields:
                    exact = field.value == truth.get(field.name)
                    stats[(kind, condition)][0] += exact
                    stats[(kind, condition)][1] += 1
                    if field.name in CHECKSUMMED.get(kind, ()):
                        checks[(kind, condition)][0] += exact
                        checks[(kind, condition)][1] += 1
                    if not exact:
                        if field.needs_confirmation:
                            flagged_wrong += 1
                        else:
                            silent_wrong += 1
                            silent_wrong_checked += field.name in CHECKSUMMED.get(kind, ())
                        if args.show:
                            print(f"{kind} {condition} {seed} {field.name}: {field.value!r} != {truth.get(field.name)!r}"
                                  f" (conf {field.confidence:.3f}, {'confirm' if field.needs_confirmation else 'OK'})")
    rows = ["| kind | photo | fields exact | checksummed numbers exact |", "|---|---|---:|---:|"]
    for (kind, condition), (exact, total) in stats.items():
        c_exact, c_total = checks[(kind, condition)]
        numbers = f"{c_exact}/{c_total}" if c_total else "(no check digit)"
        rows.append(f"| {kind} | {condition} | {exact}/{total} ({exact / total:.1%}) | {numbers} |")
    exact = sum(v[0] for v in stats.values())
    total = sum(v[1] for v in stats.values())
    c_exact = sum(v[0] for v in checks.values())
    c_total = sum(v[1] for v in checks.values())
    rows.append(f"| **all** | | **{exact}/{total} ({exact / total:.1%})** | **{c_exact}/{c_total}** |")
    mean = sum(times) / len(times)
    load_after = os.getloadavg()[0]
    lines_out = [
        "# Identity-document OCR: field accuracy",
        "",
        f"Command: `.venv/bin/python bench/ocr_bench.py --per-kind {args.per_kind}` ({dt.date.today().isoformat()}, "
        f"{machine()}).",
        "",
        f"{documents} synthetic documents ({args.per_kind} of each of the 4 kinds, each clean and degraded; the "
        "mainland card has both sides), rendered by `tests/synthetic_documents.py` with the shipped CJK font; "
        "degraded = textured background, rotation up to 5 degrees, Gaussian blur 1 px, 1,000 px wide, JPEG quality 50.",
        f"Engine: rapidocr_onnxruntime (PP-OCRv4 ONNX models shipped in the wheel: "
        f"{', '.join(p.name for p in model_files())}); nothing downloaded.",
        "",
        *rows,
        "",
        f"Wrong fields flagged for the applicant to confirm: {flagged_wrong}; wrong fields not flagged: {silent_wrong} "
        f"(of which checksummed numbers: {silent_wrong_checked}). A checksummed number that fails its check digit is "
        "always shown for confirmation.",
        f"OCR time: {mean:.2f} s an image on average ({len(times)} images; model load and first run {load_s:.1f} s); "
        f"load average {load_before:.1f} before, {load_after:.1f} after (the machine is shared, so times vary). "
        "Passport pages are 1,250 px wide and a name or a missed MRZ line may be read a second time.",
        "Figures can move by a field or two between runs: onnxruntime's multi-threaded kernels are not bit-exact.",
        "",
    ]
    print("\n".join(lines_out))
    if not args.no_write:
        (RESULTS / "ocr.md").write_text("\n".join(lines_out), encoding="utf-8")


if __name__ == "__main__":
    main()
