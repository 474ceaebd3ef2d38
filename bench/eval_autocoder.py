"""Accuracy of the occupation autocoder on job titles it was not built from.

    .venv/bin/python bench/eval_autocoder.py [--split test]

Two labelled sets: `bench/data/vi/autocoder_titles.tsv` (501 titles as people write them: accented, without
diacritics, with typos, English; split dev/test, written independently of the alias lists) and the 620
posting titles of the Vietnamese relevance world (their judged occupation). Prints top-1 and top-3 accuracy
per kind of title, and what the auto-coding threshold does: the share of titles coded without asking
(confidence >= CONFIDENT) and how often those are right. No server needed.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jobmatch.lookups.occupations import CONFIDENT, autocoder

DATA = Path(__file__).resolve().parent / "data" / "vi"


def score(items: list[tuple[str, str, str]]) -> dict[str, float]:
    """Return top-1, top-3, coverage and precision at the threshold over (title, code, group) items."""
    top1 = top3 = coded = coded_right = 0
    for title, code, _ in items:
        best, candidates = autocoder().code(title)
        codes = [c.code for c in candidates]
        top1 += bool(codes) and codes[0] == code
        top3 += code in codes
        if best is not None:
            coded += 1
            coded_right += best.code == code
    n = len(items)
    return {"n": n, "top1": top1 / n, "top3": top3 / n, "coded": coded / n,
            "precision_coded": coded_right / coded if coded else float("nan")}


def main() -> None:
    """Print the accuracy tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("dev", "test", "all"), default="test")
    args = parser.parse_args()
    with open(DATA / "autocoder_titles.tsv", encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle, delimiter="\t") if args.split in ("all", r["split"])]
    titles = [(r["title"], r["code"], r["variant"]) for r in rows]
    postings = [json.loads(line) for path in sorted(DATA.glob("postings_*.jsonl"))
                for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    posted = [(p["title"], p["true_occupation"], p["noise"]) for p in postings]
    autocoder()  # build the index before timing
    began = time.perf_counter()
    print(f"Occupation autocoder; auto-codes from confidence {CONFIDENT}\n")
    print("| set | titles | top-1 | top-3 | coded without asking | right when coded |\n|---|---|---|---|---|---|")
    for name, items in ((f"autocoder_titles.tsv ({args.split})", titles), ("posting titles (all)", posted)):
        groups = sorted({group for _, _, group in items})
        for label, subset in [(f"{name}, all", items)] + [(f"{name}, {g}", [i for i in items if i[2] == g])
                                                          for g in groups]:
            s = score(subset)
            print(f"| {label} | {s['n']} | {s['top1']:.3f} | {s['top3']:.3f} | {s['coded']:.3f} | "
                  f"{s['precision_coded']:.3f} |")
    count = len(titles) + len(posted)
    print(f"\n{(time.perf_counter() - began) / count * 1000 / 2:.1f} ms per title (each scored twice above)")


if __name__ == "__main__":
    main()
