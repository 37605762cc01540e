"""Benchmark of extraction and ingest: articles per second and peak memory, with the raw
spaCy pipeline timed in the same run as the reference.

    python bench/bench_extract.py                      # 2,000 articles, 1 and 2 workers, ingest runs
    python bench/bench_extract.py --articles 500 --no-ingest --json bench/out/extract.json

The corpus is variants of the repository's own wire-style test and example articles
(tests/data/wire, examples/articles): each variant changes the figures, weekdays and the
order of paragraphs, so every text is new to every cache. Each mode runs in a fresh
subprocess so that its peak RSS (ru_maxrss of that process and of its workers) is its own.
The ingest runs (extract + link + store, with the most workers given) write into a
temporary SQLite file and, when PostgreSQL is installed, a throwaway server on loopback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pwd
import random
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
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


def run_mode(mode: str, n: int, workers: int, db_url: str) -> dict[str, float]:
    """One measurement in this process (``main`` calls it in a fresh subprocess)."""
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
        if mode.startswith("ingest"):
            import marsad

            observatory = marsad.open(db_url)
            start = time.perf_counter()
            summary = observatory.ingest_articles(articles, workers=workers)
            assert summary.events > 0
        else:
            start = time.perf_counter()
            assert sum(len(r.events) for r in extract_many(articles, workers=workers)) > 0
    seconds = time.perf_counter() - start
    return {
        "articles": n,
        "seconds": seconds,
        "articles_per_s": n / seconds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_rss_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


@contextlib.contextmanager
def postgres() -> Iterator[str]:
    """A throwaway PostgreSQL server on loopback ("" when PostgreSQL is not installed)."""
    candidates = [
        Path(shutil.which("initdb") or "/nonexistent"),
        *Path("/usr/lib/postgresql").glob("*/bin/initdb"),
    ]
    initdb = next((p for p in candidates if p.exists()), None)
    if initdb is None:
        yield ""
        return
    root = Path(tempfile.mkdtemp(prefix="marsad-bench-pg-", dir="/tmp"))
    user: dict[str, int] = {}
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        entry = pwd.getpwnam("postgres" if _has_user("postgres") else "nobody")
        os.chown(root, entry.pw_uid, entry.pw_gid)
        user = {"user": entry.pw_uid, "group": entry.pw_gid}
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run: dict[str, object] = {"check": True, "capture_output": True, "cwd": root, **user}
    pg_ctl = initdb.with_name("pg_ctl")
    subprocess.run(
        [initdb, "-D", root / "data", "-U", "marsad", "-A", "trust", "-E", "UTF8", "--no-locale"], **run
    )  # type: ignore[call-overload]
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1"
    subprocess.run([pg_ctl, "-D", root / "data", "-l", root / "log", "-w", "-o", options, "start"], **run)  # type: ignore[call-overload]
    try:
        yield f"postgresql+psycopg://marsad@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([pg_ctl, "-D", root / "data", "-m", "fast", "-w", "stop"], **{**run, "check": False})  # type: ignore[call-overload]
        shutil.rmtree(root, ignore_errors=True)


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--no-ingest", action="store_true", help="skip the ingest (extract + link + store) runs"
    )
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--_mode", help=argparse.SUPPRESS)
    parser.add_argument("--_w", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--_db", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._mode:
        print(json.dumps(run_mode(args._mode, args.articles, args._w, args._db)))
        return
    results = {}
    most = max(args.workers)
    with tempfile.TemporaryDirectory() as tmp, postgres() as pg_url:
        modes = [("spacy", 1, "")] + [("extract", w, "") for w in args.workers]
        if not args.no_ingest:
            modes.append(("ingest_sqlite", most, f"sqlite:///{tmp}/bench.db"))
            if pg_url:
                modes.append(("ingest_postgresql", most, pg_url))
        for mode, workers, url in modes:
            command = [
                sys.executable,
                __file__,
                "--articles",
                str(args.articles),
                "--_mode",
                mode,
                "--_w",
                str(workers),
                "--_db",
                url,
            ]
            out = subprocess.run(command, capture_output=True, text=True)
            if out.returncode:
                sys.exit(f"{mode} failed:\n{out.stderr[-2000:]}")
            results[f"{mode}-{workers}"] = json.loads(out.stdout.strip().splitlines()[-1])
    raw = results["spacy-1"]["articles_per_s"]
    extract_most = results[f"extract-{most}"]["articles_per_s"]
    print(f"{args.articles} articles (variants of the bundled wire-style articles), {os.cpu_count()} cores")
    print(
        f"{'mode':24s} {'articles/s':>10s} {'x raw spaCy':>11s} {'x extract':>9s} {'peak RSS MB':>11s} "
        f"{'workers MB':>10s}"
    )
    for name, r in results.items():
        mode, procs = name.rsplit("-", 1)
        label = "raw spaCy nlp.pipe" if mode == "spacy" else f"{mode.replace('_', ' ')}, {procs} proc"
        vs_extract = f"{r['articles_per_s'] / extract_most:9.2f}" if mode.startswith("ingest") else " " * 9
        print(
            f"{label:24s} {r['articles_per_s']:10.1f} {r['articles_per_s'] / raw:11.2f} {vs_extract} "
            f"{r['peak_rss_mb']:11.0f} {r['peak_rss_children_mb']:10.0f}"
        )
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
