"""Benchmark of extraction and ingest on real articles: articles per second, seconds per
100 kB of one long article, and peak memory, with the raw spaCy pipeline timed in the same
run as the reference.

    python bench/bench_extract.py                       # every corpus, 1 and 2 workers, ingest runs
    python bench/bench_extract.py --no-ingest --no-long --json bench/out/extract.json

Corpora. ``fakes``: the FA-KES dev articles (``../shared/dev/fakes_dev_articles.jsonl``), real
Syrian-war news. ``stream``: a realistic feed in which most articles are not about conflict,
about three non-conflict articles (``../shared/dev/nonconflict_dev.jsonl``, repeated with their
figures and weekdays varied so that every text is new to every cache) to one FA-KES article,
shuffled. The dev files are read at run time for measuring only; nothing of them is in the
repository. Without ``../shared/dev`` (or ``--dev DIR``) the corpus is variants of the
repository's own wire-style articles (tests/data/wire, examples/articles) and there is no stream.

Figures. Per core: one ``extract`` process against one ``nlp.pipe`` process on the same texts
(the reference runs every component of the model). The pool: ``extract`` with the most
``--workers``, against the same one ``nlp.pipe`` process. Linear time: seconds per 100 kB of
one long article at 50, 100, 200 and 400 kB (``bench_long_article.py``'s text). Each mode runs
in a fresh subprocess so that its peak RSS (ru_maxrss of that process and of its workers) is
its own. The ingest runs (extract + link + store, with the most workers given) write into a
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


def dev_dir(given: str | None) -> Path | None:
    path = Path(given) if given else ROOT.parent / "shared" / "dev"
    return path if (path / "fakes_dev_articles.jsonl").exists() else None


def _records(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _varied(text: str, rng: random.Random) -> str:
    text = re.sub(r"\b\d{1,3}\b", lambda m: str(max(1, int(m.group(0)) + rng.randint(-3, 3))), text)
    return re.sub("|".join(WEEKDAYS), lambda m: rng.choice(WEEKDAYS), text)


def texts_of(name: str, n: int, dev: Path | None, seed: int = 7) -> list[tuple[str, str | None]]:
    """(text, title) of the corpus ``name`` (``fakes`` or ``stream``); ``n`` > 0 caps the
    FA-KES articles (the stream has about three times as many others)."""
    if dev is None:
        return [(t, None) for t in corpus(n or 400, seed)]
    fakes = [(r["text"], r.get("title")) for r in _records(dev / "fakes_dev_articles.jsonl")]
    fakes = fakes[:n] if n else fakes
    if name == "fakes":
        return fakes
    rng = random.Random(seed)
    others = [(r["text"], r.get("title")) for r in _records(dev / "nonconflict_dev.jsonl")]
    stream = [
        (_varied(others[i % len(others)][0], rng), others[i % len(others)][1]) for i in range(3 * len(fakes))
    ]
    stream += fakes
    rng.shuffle(stream)
    return stream


def run_mode(mode: str, name: str, n: int, workers: int, db_url: str, dev: Path | None) -> dict[str, float]:
    """One measurement in this process (``main`` calls it in a fresh subprocess)."""
    from marsad.read import read_text

    articles = [
        read_text(t, article_id=f"bench-{i}", title=title)
        for i, (t, title) in enumerate(texts_of(name, n, dev))
    ]
    chars = sum(len(a.text) for a in articles)
    if mode == "spacy":
        from marsad.annotate.pipeline import load_model

        nlp = load_model()
        list(nlp.pipe([a.text for a in articles[:20]]))  # warm up, as extract's first batch does
        start = time.perf_counter()
        for _ in nlp.pipe((a.text for a in articles), batch_size=16):
            pass
    else:
        from marsad.extract import extract_many

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
        "articles": len(articles),
        "kb": chars / 1000,
        "seconds": seconds,
        "articles_per_s": len(articles) / seconds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_rss_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def run_long(sizes: list[int]) -> dict[str, float]:
    """Seconds per 100 kB of one long article at each size (one process)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_long_article import long_text

    from marsad.extract.pipeline import Extractor
    from marsad.model import Article

    extractor = Extractor()
    extractor.extract(Article("warm-up", long_text(2)))
    out: dict[str, float] = {}
    for kb in sizes:
        article = Article(f"long-{kb}", long_text(kb))
        start = time.perf_counter()
        extractor.extract(article)
        out[str(kb)] = 100 * (time.perf_counter() - start) / kb
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


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


def _run(args: list[str]) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{out.stderr[-2000:]}")
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=0, help="cap on the FA-KES articles (0: all)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--dev", help="the dev sets' folder (default: ../shared/dev)")
    parser.add_argument("--corpora", nargs="+", default=["fakes", "stream"], choices=["fakes", "stream"])
    parser.add_argument(
        "--no-ingest", action="store_true", help="skip the ingest (extract + link + store) runs"
    )
    parser.add_argument("--no-long", action="store_true", help="skip the long-article runs")
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 200, 400], help="long article, kB")
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--_mode", help=argparse.SUPPRESS)
    parser.add_argument("--_corpus", default="fakes", help=argparse.SUPPRESS)
    parser.add_argument("--_w", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--_db", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    dev = dev_dir(args.dev)
    if args._mode == "long":
        print(json.dumps(run_long(args.sizes)))
        return
    if args._mode:
        print(json.dumps(run_mode(args._mode, args._corpus, args.articles, args._w, args._db, dev)))
        return
    load_before = os.getloadavg()[0]
    corpora = args.corpora if dev is not None else ["fakes"]
    most = max(args.workers)
    results: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp, postgres() as pg_url:
        for name in corpora:
            modes = [("spacy", 1, "")] + [("extract", w, "") for w in args.workers]
            if not args.no_ingest and name == "fakes":
                modes.append(("ingest_sqlite", most, f"sqlite:///{tmp}/bench.db"))
                if pg_url:
                    modes.append(("ingest_postgresql", most, pg_url))
            results[name] = {}
            for mode, workers, url in modes:
                common = [
                    "--articles",
                    str(args.articles),
                    "--_corpus",
                    name,
                    "--_w",
                    str(workers),
                    "--_db",
                    url,
                ]
                results[name][f"{mode}-{workers}"] = _run(
                    [*common, "--_mode", mode, *(["--dev", args.dev] if args.dev else [])]
                )
    long = None if args.no_long else _run(["--_mode", "long", "--sizes", *map(str, args.sizes)])
    print(
        f"{os.cpu_count()} cores; load average {load_before:.1f} before the run, "
        f"{os.getloadavg()[0]:.1f} after (above about 1, other work shares the cores: "
        "compare ratios within one run)"
    )
    for name, runs in results.items():
        first = next(iter(runs.values()))
        what = {
            "fakes": "FA-KES dev articles" if dev else "variants of the bundled wire-style articles",
            "stream": "stream: non-conflict and FA-KES dev articles, 3 to 1",
        }[name]
        print(f"\n{what}: {first['articles']} articles, {first['kb']:.0f} kB")
        raw = runs["spacy-1"]["articles_per_s"]
        extract_most = runs[f"extract-{most}"]["articles_per_s"]
        print(
            f"{'mode':26s} {'articles/s':>10s} {'x 1 nlp.pipe':>12s} {'x extract':>9s} {'peak RSS MB':>11s} "
            f"{'workers MB':>10s}"
        )
        for key, r in runs.items():
            mode, procs = key.rsplit("-", 1)
            label = (
                "raw spaCy nlp.pipe, 1 proc" if mode == "spacy" else f"{mode.replace('_', ' ')}, {procs} proc"
            )
            vs_extract = (
                f"{r['articles_per_s'] / extract_most:9.2f}" if mode.startswith("ingest") else " " * 9
            )
            print(
                f"{label:26s} {r['articles_per_s']:10.1f} {r['articles_per_s'] / raw:12.2f} {vs_extract} "
                f"{r['peak_rss_mb']:11.0f} {r['peak_rss_children_mb']:10.0f}"
            )
    if long is not None:
        print("\none long article, extract in one process: seconds per 100 kB")
        print("  " + "  ".join(f"{kb} kB {long[str(kb)]:.2f}" for kb in args.sizes), end="")
        print(f"  (peak RSS {long['peak_rss_mb']:.0f} MB)")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({"runs": results, "long": long}, indent=2))


if __name__ == "__main__":
    main()
