"""Benchmark of extraction: articles per second and peak memory, with the raw spaCy
pipeline timed in the same run as the reference.

    python bench/bench_extract.py                      # 2,000 articles, 1 and 2 workers
    python bench/bench_extract.py --articles 500 --json bench/out/extract.json

The corpus is variants of the repository's own wire-style test and example articles
(tests/data/wire, examples/articles): each variant changes the figures, weekdays and
the order of paragraphs, so every text is new to every cache. Each mode runs in a fresh
subprocess so that its peak RSS (ru_maxrss of the process tree) is its own.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def corpus(n: int, seed: int = 7) -> list[str]:
    """``n`` article texts: deterministic variants of the bundled wire-style articles."""
    sources = sorted((ROOT / "tests" / "data" / "wire").glob("*.txt")) + sorted(
        (ROOT / "examples" / "articles").glob("*.txt")
    )
    base = [p.read_text(encoding="utf-8") for p in sources]
    rng = random.Random(seed)
    out = []
    for i in range(n):
        text = base[i % len(base)]
        text = re.sub(r"\b\d{1,3}\b", lambda m: str(max(1, int(m.group(0)) + rng.randint(-3, 3))), text)
        text = re.sub("|".join(WEEKDAYS), lambda m: rng.choice(WEEKDAYS), text)
        paras = text.split("\n\n")
        if len(paras) > 3:
            body = paras[2:]
            rng.shuffle(body)
            paras = paras[:2] + body
        out.append("\n\n".join(paras))
    return out


def run_mode(mode: str, n: int, workers: int) -> dict[str, float]:
    """One measurement in this process (called in a fresh subprocess by ``main``)."""
    texts = corpus(n)
    if mode == "spacy":
        from marsad.annotate.pipeline import load_model

        nlp = load_model()
        list(nlp.pipe(texts[:20]))  # warm up, as extract's first batch does
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=16):
            pass
    else:
        from datetime import date

        from marsad.extract import extract_many
        from marsad.read import read_text

        articles = [
            read_text(t, article_id=f"bench-{i}", publish_date=date(2024, 6, 1)) for i, t in enumerate(texts)
        ]
        list(extract_many(articles[:20], workers=1))  # load the model and knowledge once
        start = time.perf_counter()
        events = sum(len(r.events) for r in extract_many(articles, workers=workers))
        assert events > 0
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "articles": n,
        "seconds": seconds,
        "articles_per_s": n / seconds,
        "peak_rss_mb": own,
        "peak_rss_children_mb": children,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--_mode", help=argparse.SUPPRESS)
    parser.add_argument("--_w", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._mode:
        print(json.dumps(run_mode(args._mode, args.articles, args._w)))
        return
    results = {}
    modes = [("spacy", 1)] + [("extract", w) for w in args.workers]
    for mode, workers in modes:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--articles",
                str(args.articles),
                "--_mode",
                mode,
                "--_w",
                str(workers),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        results[f"{mode}-{workers}"] = json.loads(out.stdout.strip().splitlines()[-1])
    raw = results["spacy-1"]["articles_per_s"]
    print(f"{args.articles} articles (variants of the bundled wire-style articles)")
    print(
        f"{'mode':22s} {'articles/s':>10s} {'x raw spaCy':>11s} {'peak RSS MB':>12s} {'workers RSS MB':>15s}"
    )
    for name, r in results.items():
        label = "raw spaCy nlp.pipe" if name == "spacy-1" else f"marsad extract, {name.split('-')[1]} proc"
        print(
            f"{label:22s} {r['articles_per_s']:10.1f} {r['articles_per_s'] / raw:11.2f} "
            f"{r['peak_rss_mb']:12.0f} {r['peak_rss_children_mb']:15.0f}"
        )
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
