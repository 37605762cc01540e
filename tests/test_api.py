"""The public Python API: marsad.open(...).ingest / events / to_pandas / export."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from store.fakes import article_text, dump, fake_events, write_corpus

import marsad
from marsad.api import Observatory
from marsad.export import ACLED_COLUMNS
from marsad.store.query import EVENT_KEYS

REPO = Path(marsad.__file__).resolve().parent.parent


def test_import_marsad_stays_light() -> None:
    code = (
        "import sys, marsad; "
        "heavy = [m for m in ('sqlalchemy', 'marsad.api', 'pandas', 'spacy') if m in sys.modules]; "
        "assert not heavy, heavy; assert callable(marsad.open)"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def export(obs: Observatory, fmt: str = "jsonl", **filters: object) -> str:
    out = io.StringIO()
    obs.export(out, format=fmt, **filters)  # type: ignore[arg-type]
    return out.getvalue()


@pytest.mark.usefixtures("fake_extractor")
def test_ingest_query_and_reingest(db_url: str, tmp_path: Path) -> None:
    paths = write_corpus(tmp_path / "in", 12)
    with marsad.open(db_url) as obs:
        summary = obs.ingest([str(tmp_path / "in")], batch_size=5)
        assert (summary.read, summary.articles, summary.duplicates, summary.exit_code) == (12, 12, 0, 0)
        expected = sum(len(fake_events(_article(p))) for p in paths)
        assert summary.reports == summary.events == expected == obs.count_events()
        first = export(obs)
        before = dump(obs.store)

        again = obs.ingest(str(tmp_path / "in"))  # a lone path, not its characters
        assert (again.read, again.duplicates, again.articles, again.events) == (12, 12, 0, 0)
        assert export(obs) == first
        assert dump(obs.store) == before

        events = obs.events(country="Syria", min_fatalities=3)
        assert events and all(e["fatalities"] >= 3 for e in events)
        detail = obs.event(events[0]["event_id"])
        assert detail is not None and detail["reports"][0]["article_id"].startswith("art")
        article = obs.article(detail["reports"][0]["article_id"])
        assert article is not None
        span = article["spans"][0]
        assert "people were killed" in article["text"][span["start"] : span["end"]]
        assert obs.actors()[0]["name"] == "Islamic State"
        assert sum(r["events"] for r in obs.stats()["by_type"]) == expected


def _article(path: Path):
    from marsad.model import Article

    return Article(path.stem, path.read_text().strip(), publisher=None)


@pytest.mark.usefixtures("fake_extractor")
def test_to_pandas(tmp_path: Path) -> None:
    write_corpus(tmp_path / "in", 8)
    with marsad.open(str(tmp_path / "m.db")) as obs:
        obs.ingest([str(tmp_path / "in")])
        df = obs.to_pandas()
        assert list(df.columns) == list(EVENT_KEYS)
        assert len(df) == obs.count_events()
        assert pd.api.types.is_datetime64_any_dtype(df["event_date"])
        may = obs.to_pandas(since="2018-05-01", until="2018-05-31")
        assert len(may) > 0 and (may["event_date"].dt.month == 5).all()
        acled = obs.to_pandas(acled=True)
        assert list(acled.columns) == list(ACLED_COLUMNS)
        assert set(acled["disorder_type"]) == {"Political violence"}


@pytest.mark.usefixtures("fake_extractor")
def test_sqlite_and_postgresql_export_the_same_bytes(tmp_path: Path, pg_db: str) -> None:
    write_corpus(tmp_path / "in", 10)
    outputs = {}
    for name, url in (("sqlite", str(tmp_path / "m.db")), ("postgresql", pg_db)):
        with marsad.open(url) as obs:
            obs.ingest([str(tmp_path / "in")], batch_size=3)
            outputs[name] = (export(obs, "jsonl"), export(obs, "geojson"), obs.stats(), obs.actors())
    assert outputs["sqlite"] == outputs["postgresql"]


@pytest.mark.usefixtures("fake_extractor")
def test_corrected_file_is_a_new_version(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_corpus(folder, 3)
    with marsad.open(str(tmp_path / "m.db")) as obs:
        obs.ingest([str(folder)])
        (folder / "art001.txt").write_text(article_text(1).replace("1 people", "11 people") + "\n")
        summary = obs.ingest([str(folder)])
        assert (summary.duplicates, summary.articles, summary.new_versions) == (2, 1, 1)
        events = [e for e in obs.events() if e["sources"][0]["article_id"] == "art001"]
        assert [e["fatalities"] for e in events] == [11]


@pytest.mark.usefixtures("fake_extractor")
def test_newer_extractor_reextracts_stored_articles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_corpus(tmp_path / "in", 4)
    with marsad.open(str(tmp_path / "m.db")) as obs:
        monkeypatch.setattr("marsad.api.extractor_version", lambda: "1.0")
        obs.ingest([str(tmp_path / "in")])
        first = export(obs)
        monkeypatch.setattr("marsad.api.extractor_version", lambda: "2.0")
        summary = obs.ingest([str(tmp_path / "in")])
        assert (summary.reextracted, summary.duplicates) == (4, 0)
        assert export(obs) == first  # same extractor output: same record
        monkeypatch.setattr("marsad.api.extractor_version", lambda: "1.5")
        assert obs.ingest([str(tmp_path / "in")]).duplicates == 4


@pytest.mark.usefixtures("fake_extractor")
def test_rejected_inputs_are_reported_and_the_rest_stored(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_corpus(folder, 2)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    seen = []
    with marsad.open(str(tmp_path / "m.db")) as obs:
        summary = obs.ingest([str(folder)], on_reject=seen.append)
        assert summary.exit_code == 1 and summary.articles == 2
        assert sorted(Path(r.source).name for r in summary.rejected) == ["empty.txt", "image.png"]
        assert seen == summary.rejected
        assert json.loads(json.dumps(summary.to_dict()))["rejected"][0]["reason"]


@pytest.mark.usefixtures("fake_extractor")
def test_articles_with_no_text_are_rejected(tmp_path: Path) -> None:
    from marsad.model import Article

    with marsad.open(str(tmp_path / "m.db")) as obs:
        summary = obs.ingest_articles([Article("blank", "  \n ", source_path="x/blank.txt")])
        assert [(r.source, r.reason) for r in summary.rejected] == [
            ("x/blank.txt", "no text after boilerplate removal")
        ]


@pytest.mark.usefixtures("fake_extractor")
def test_progress_in_a_pipe_is_one_line_per_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_corpus(tmp_path / "in", 7)
    with marsad.open(str(tmp_path / "m.db")) as obs:
        obs.ingest([str(tmp_path / "in")], progress=True, batch_size=3)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 3 and all(line.startswith("marsad: ") for line in lines)
    assert "stored 7 articles" in lines[-1]
    # issue 20.4: the number of files is known, so each line says how far, how fast, how long
    assert re.match(
        r"marsad: 3/7 articles \(42%\), [\d.]+ articles/s, about \d+ s left; extracted 3", lines[0]
    )
    assert lines[-1].startswith("marsad: 7/7 articles (100%)")


@pytest.mark.usefixtures("cached_extractor")
def test_real_extractor_results_are_stored_idempotently(tmp_path: Path) -> None:
    write_corpus(tmp_path / "in", 6)
    with marsad.open(str(tmp_path / "m.db")) as obs:
        summary = obs.ingest([str(tmp_path / "in")])
        assert summary.articles == 6 and summary.reports == summary.events == obs.count_events()
        first = export(obs)
        assert obs.ingest([str(tmp_path / "in")]).duplicates == 6
        assert export(obs) == first
        for event in obs.events():
            for source in event["sources"]:
                article = obs.article(source["article_id"])
                assert article is not None
                assert article["text"][source["start"] : source["end"]] == source["quote"]


def test_process_pool_stores_what_one_process_stores(tmp_path: Path) -> None:
    write_corpus(tmp_path / "in", 6)
    outputs = []
    for workers in (1, 2):
        with marsad.open(str(tmp_path / f"w{workers}.db")) as obs:
            assert obs.ingest([str(tmp_path / "in")], workers=workers).articles == 6
            outputs.append(export(obs))
    assert outputs[0] == outputs[1]


@pytest.mark.usefixtures("fake_extractor")
def test_progress_on_a_terminal_is_a_live_bar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    write_corpus(tmp_path / "in", 5)
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    rejected = []
    with marsad.open(str(tmp_path / "m.db")) as obs:
        summary = obs.ingest([str(tmp_path / "in")], progress=True, batch_size=2, on_reject=rejected.append)
    assert summary.articles == 5 and len(rejected) == 1
    assert "stored 5, skipped 0, rejected 1" in terminal.getvalue()  # drawn by rich, not printed as lines
    assert not terminal.getvalue().startswith("marsad: extracted")
    assert "/6" in terminal.getvalue() and "ETA" in terminal.getvalue()  # issue 20.4: a total, a time left


def test_an_article_over_the_parsers_limit_costs_only_itself(tmp_path: Path) -> None:
    """Issue 20.9: a 2 MB article beside a good one is refused unparsed; the good one is stored."""
    folder = tmp_path / "in"
    write_corpus(folder, 1)
    words = ("shelling", "near", "the", "market", "was", "reported", "again", "today.")
    huge = " ".join(words[i % len(words)] for i in range(260_000))
    assert 1_000_000 < len(huge) < 5_000_000  # under the readers' 5 MB limit, over spaCy's
    (folder / "huge.txt").write_text(huge, encoding="utf-8")
    with marsad.open(str(tmp_path / "m.db")) as obs:
        summary = obs.ingest([str(folder)], batch_size=50)
        assert summary.articles == 1 and summary.exit_code == 1
        [rejected] = summary.rejected
        assert Path(rejected.source).name == "huge.txt"
        assert "longer than the parser's limit of 1,000,000" in rejected.reason
        assert {a["article_id"] for e in obs.events() for a in e["sources"]} == {"art000"}


def _children(pid: int) -> set[int]:
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.add(int(stat.parent.name))
    return out


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_pool_workers_die_with_a_killed_parent() -> None:
    """Issue 20.12: kill -9 of an ingest must not leave its extraction workers running."""
    import signal
    import time

    code = (
        "import os, sys, time\n"
        "from marsad.extract.pipeline import worker_pool\n"
        "pool = worker_pool(2)\n"
        "[f.result() for f in [pool.submit(time.sleep, 0.2) for _ in range(4)]]\n"
        "print('ready', flush=True)\n"
        "time.sleep(600)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    parent = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None and parent.stdout.readline().strip() == "ready"
        workers = _children(parent.pid)
        assert len(workers) >= 2
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 10
    while (alive := {w for w in workers if Path(f"/proc/{w}").exists()}) and time.monotonic() < deadline:
        time.sleep(0.1)
    for w in alive:
        os.kill(w, signal.SIGKILL)
    assert not alive, "workers outlived their killed parent"


@pytest.mark.usefixtures("fake_extractor")
def test_files_of_the_same_name_in_two_folders_are_both_stored(tmp_path: Path) -> None:
    """Issue 20.10: ``ingest a b`` with a/report.txt and b/report.txt keeps both."""
    for i, folder in enumerate(("a", "b")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(article_text(100 + i), encoding="utf-8")
        records = [{"text": article_text(10 * i + n)} for n in (1, 2)]  # no ids: articles-1, -2
        (tmp_path / folder / "articles.jsonl").write_text(
            "\n".join(json.dumps(r) for r in records), encoding="utf-8"
        )
    with marsad.open(str(tmp_path / "m.db")) as obs:
        summary = obs.ingest([str(tmp_path / "a"), str(tmp_path / "b")])
        assert (summary.articles, summary.new_versions, summary.exit_code) == (6, 0, 0)
        texts = {obs.store.article(h)["text"] for h in _current_hashes(obs)}  # type: ignore[index]
        assert len(texts) == 6


def _current_hashes(obs: Observatory) -> list[str]:
    import sqlalchemy as sa

    with obs.store.engine.connect() as conn:
        return list(conn.scalars(sa.text("SELECT content_hash FROM articles WHERE is_current")))


@pytest.mark.usefixtures("fake_extractor")
def test_python_api_refuses_filters_that_cannot_match(tmp_path: Path) -> None:
    """Issue 20.2, 20.14, 20.15: ValueError naming the valid values, never a silent []."""
    write_corpus(tmp_path / "in", 3)
    with marsad.open(str(tmp_path / "m.db")) as obs:
        obs.ingest([str(tmp_path / "in")])
        with pytest.raises(ValueError, match="'bombing' is not an ACLED event type; use one of: Battles"):
            obs.events(event_type="bombing")
        with pytest.raises(ValueError, match="after until"):
            obs.count_events(since="2024-06-01", until="2024-01-01")
        with pytest.raises(ValueError, match="not a date"):
            obs.stats(since="June")
        with pytest.raises(ValueError, match="offset: 9223372036854775808 is out of range"):
            obs.events(offset=2**63)
        with pytest.raises(ValueError, match="min_fatalities"):
            export(obs, min_fatalities=10**22)
        with pytest.raises(ValueError, match="NUL"):
            obs.events(text="\x00")
        with pytest.raises(ValueError, match="limit"):
            export(obs, limit=-1)
        assert obs.events(event_type="battles") == obs.events(event_type="Battles")  # any case
