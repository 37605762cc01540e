"""Benchmark of one long article: extraction seconds per 100 kB as the text grows.

    python bench/bench_long_article.py                       # 50, 100, 200 and 400 kB
    python bench/bench_long_article.py --sizes 50 100 --max-seconds 120

Every stage must be linear in the text (issue 20.9): seconds per 100 kB should stay
about flat from row to row. The text is the repository's example articles (places,
actors, figures) repeated with their numbers changed, so every sentence is parsed and
geocoded like news. Sizes past the parser's limit of a million characters are refused
before parsing (``marsad.extract.pipeline.too_long``), never parsed. A size that takes
longer than ``--max-seconds`` ends the run, so a quadratic stage cannot hold it for hours.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _shifted(paragraph: str, by: int) -> str:
    """The paragraph with every number raised by ``by`` (a new text for every cache)."""
    return re.sub(r"\d+", lambda m: str(int(m.group()) + by), paragraph)


def long_text(kilobytes: int) -> str:
    """About ``kilobytes`` kB of news text: the example articles, figures varied per copy."""
    paragraphs = [
        p.strip()
        for path in sorted((ROOT / "examples" / "articles").glob("*.txt"))
        for p in path.read_text(encoding="utf-8").split("\n\n")
        if len(p.strip()) > 80
    ]
    out: list[str] = []
    size, n = 0, 0
    while size < kilobytes * 1000:
        paragraph = _shifted(paragraphs[n % len(paragraphs)], n % 7)
        out.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
        n += 1
    return "\n\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 200, 400], help="kB")
    parser.add_argument("--max-seconds", type=float, default=600.0, help="stop after a size this slow")
    args = parser.parse_args()

    from marsad.extract.pipeline import Extractor, too_long
    from marsad.model import Article

    extractor = Extractor()
    extractor.extract(Article("warm-up", long_text(2)))  # model and indexes loaded before timing
    print(f"{'kB':>6} {'characters':>11} {'seconds':>9} {'s per 100 kB':>13} {'events':>7}")
    for kb in args.sizes:
        article = Article(f"long-{kb}", long_text(kb))
        if (reason := too_long(article)) is not None:
            print(f"{kb:>6} {len(article.text):>11,} refused unparsed: {reason}")
            continue
        started = time.perf_counter()
        events = extractor.extract(article)
        seconds = time.perf_counter() - started
        per = 100 * seconds / kb
        print(f"{kb:>6} {len(article.text):>11,} {seconds:>9.1f} {per:>13.2f} {len(events):>7}")
        sys.stdout.flush()
        if seconds > args.max_seconds:
            print(f"stopped: {kb} kB took over {args.max_seconds:g} s; larger sizes would take longer")
            break
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
