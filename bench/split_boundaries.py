"""Splitting whole paper files by content (pipelines/steps/boundaries.py) and finding PATCH-T
sheets (pipelines/tools/patchcode.py): what they cost per page on top of OCR, and how often
the split is right, unsure (a person confirms) or wrong.

    python bench/split_boundaries.py [--seed 17] [--stacks 10] [--docs 4] [--record]

Stacks are drawn from the labelled corpus (held-out seed: not the model's training seed),
rendered as noisy 300-dpi scans and OCR'd once (tesseract, OMP_THREAD_LIMIT=1, one page per
core); then the boundary detection runs alone on the OCR results, as a batch does after its
single OCR pass. The same stacks' ground-truth text gives the figures without OCR noise, and
the text model's fit of later pages to their own document's type (LOW_FIT).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))


def outcome(starts: list[int], truth: list[int], sure: bool) -> str:
    if starts == truth:
        return "right, sure" if sure else "right, unsure (inbox)"
    return "wrong, sure (MISSPLIT)" if sure else "wrong, unsure (inbox)"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--stacks", type=int, default=10)
    ap.add_argument("--docs", type=int, default=4)
    ap.add_argument("--record", action="store_true")
    args = ap.parse_args()

    import numpy as np
    from PIL import Image

    from classifiers import mrz
    from efile.samples.corpus import generate
    from efile.samples.render import scan_pages
    from efile.services.classification import base_model
    from pipelines.process import pooled_ocr
    from pipelines.steps.boundaries import fits, split_by_content
    from pipelines.steps.normalise import PageJob, _pnm
    from pipelines.steps.ocr import PageResult
    from pipelines.tools.patchcode import find_patch_codes

    model = base_model()
    docs, _ = generate(args.seed, 3)
    rng = random.Random(args.seed)
    stacks = [rng.sample(docs, args.docs) for _ in range(args.stacks)]

    # the text model's fit of a later page to its own document's type, and of another
    # document's first page to the type before it
    later, other = [], []
    text_docs, _ = generate(args.seed, 10)  # text only: more documents cost nothing to render
    for d in text_docs:
        texts = [d.doc.page_text(i) for i in range(len(d.doc.pages))]
        later += [f[d.doc.kind] for f in fits(model, texts[1:])]
    for _ in range(1000):
        a, b = rng.sample(text_docs, 2)
        if a.doc.kind != b.doc.kind:
            other.append(fits(model, [b.doc.page_text(0)])[0][a.doc.kind])

    truth_outcomes: dict[str, int] = {}
    ocr_outcomes: dict[str, int] = {}
    pages_total, ocr_seconds, detect_seconds, patch_seconds = 0, 0.0, 0.0, 0.0
    ocr = pooled_ocr("deu+eng", os.cpu_count() or 1)
    for n, stack in enumerate(stacks):
        truth, texts, images = [], [], []
        for d in stack:
            truth.append(len(texts))
            texts += [d.doc.page_text(i) for i in range(len(d.doc.pages))]
            images += scan_pages(d.doc, seed=args.seed + n)
        idx = list(range(len(texts)))
        plain = []
        for i, t in enumerate(texts):
            zone = mrz.find(t)
            plain.append(PageResult(i, t, "ocr", 90.0, len(t.split()), 0, None,
                                    zone[0].to_dict() if zone else None))
        found = split_by_content(plain, idx, model=model)
        o = outcome(found.starts, truth, found.sure)
        truth_outcomes[o] = truth_outcomes.get(o, 0) + 1

        t0 = time.perf_counter()
        results = ocr([PageJob(i, _pnm(img), ".pnm", dpi=300) for i, img in enumerate(images)])
        ocr_seconds += time.perf_counter() - t0
        t0 = time.perf_counter()
        found = split_by_content(results, idx, model=model)
        detect_seconds += time.perf_counter() - t0
        o = outcome(found.starts, truth, found.sure)
        ocr_outcomes[o] = ocr_outcomes.get(o, 0) + 1
        for img in images:
            small = img.resize((img.width // 2, img.height // 2), Image.BOX)  # 150 dpi
            t0 = time.perf_counter()
            assert not find_patch_codes(small, 150)
            patch_seconds += time.perf_counter() - t0
        pages_total += len(images)
        print(f"stack {n + 1}/{len(stacks)}: {len(images)} pages, {o}", file=sys.stderr)

    later_a, other_a = np.array(later), np.array(other)
    order = ["right, sure", "right, unsure (inbox)", "wrong, unsure (inbox)",
             "wrong, sure (MISSPLIT)"]
    rows = "\n".join(f"| {k:<24} | {truth_outcomes.get(k, 0):>10} | {ocr_outcomes.get(k, 0):>8} |"
                     for k in order)
    body = (f"| stacks of {args.docs} documents     | text (truth) | OCR text |\n"
            f"|--------------------------|------------|----------|\n{rows}\n\n"
            f"| per page ({pages_total} pages, 300-dpi scans) | ms |\n|---|---|\n"
            f"| OCR (tesseract, {os.cpu_count()} at once; wall time / pages) | "
            f"{ocr_seconds / pages_total * 1000:.0f} |\n"
            f"| boundary evidence and decisions (after OCR) | "
            f"{detect_seconds / pages_total * 1000:.1f} |\n"
            f"| PATCH-T detection at 150 dpi (every page of a batch) | "
            f"{patch_seconds / pages_total * 1000:.1f} |\n\n"
            f"Text model fit to the document's own type: later pages min "
            f"{later_a.min():.3f}, 1st percentile {np.quantile(later_a, 0.01):.3f} "
            f"({len(later_a)} pages); other documents' first pages below 0.02: "
            f"{(other_a < 0.02).mean():.1%} ({len(other_a)} pairs).")
    print(body)
    if args.record:
        from results import record

        record("split_boundaries", f"{len(stacks)} stacks, {pages_total} pages, corpus seed "
                                   f"{args.seed}", body)


if __name__ == "__main__":
    main()
