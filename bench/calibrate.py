"""Estimate marsad's confidence table (marsad/knowledge/data/confidence.json) from the project's own gold.

    python bench/calibrate.py [--write] [--smoothing M]

Extracts the project's gold articles (the wire corpus, tests/data/wire + tests/data/wire_gold.jsonl;
the briefs written for calibration, tests/data/briefs + tests/data/briefs_gold.jsonl, which no rule of
the extractor was written against; the reports of incidents in small places, tests/data/villages
(bench/make_village_briefs.py), which judge the place only; and the seed articles, ../shared/seeds +
../shared/gold/seeds.jsonl), pairs every gold event with
the predicted event most like it, and counts, for each field and each evidence path the extractor
recorded (``confidence_evidence``), how many of the values found that way were right:

- event_type: the predicted event type is the gold one;
- actors: the predicted initiator (actor1) is the gold initiator (where the gold names one);
- place: right at the precision it claims (marsad.knowledge.confidence.place_level): a town within
  25 km of the gold place, a province or a country by name; no place is never right;
- date: the predicted day is within a day of the gold day (an undated event's is never right);
- fatalities: the predicted toll is the gold total (articles with one gold event and a total).

Each path's probability is its share right, smoothed towards its parent path's (``M`` pseudo-counts,
default 4): p(path) = (right + M * p(parent)) / (n + M), the parent of ``a/b/c`` being ``a/b``; a
first part (one mechanism, with no parent to lean on) gets Laplace's rule, (right + 1) / (n + 2).
Nothing here reads the development sets in ../shared/dev: those only
measure the table (bench/reliability.py). Prints the table; ``--write`` writes the file.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from marsad.evaluate import _actor_ids, _day, _distance, _pred_actor_ids  # noqa: E402
from marsad.extract.pipeline import extract_many  # noqa: E402
from marsad.knowledge.confidence import FIELDS, parse_table, place_level  # noqa: E402
from marsad.model import Article  # noqa: E402
from marsad.read import read_paths  # noqa: E402

SHARED = ROOT.parent / "shared"
CORPORA = (
    (ROOT / "tests/data/wire", ROOT / "tests/data/wire_gold.jsonl"),
    (ROOT / "tests/data/briefs", ROOT / "tests/data/briefs_gold.jsonl"),
    (ROOT / "tests/data/villages", ROOT / "tests/data/villages_gold.jsonl"),
    (SHARED / "seeds", SHARED / "gold/seeds.jsonl"),
)
OUT = ROOT / "marsad/knowledge/data/confidence.json"


def _likeness(g: dict[str, Any], p: dict[str, Any]) -> float:
    """How alike a gold and a predicted event are, every field counting a little, none required."""
    score = float(p.get("event_type") == g.get("event_type"))
    gold_ids = set().union(*(_actor_ids(a) for a in g.get("actors") or [])) if g.get("actors") else set()
    score += len(gold_ids & _pred_actor_ids(p)) / max(len(gold_ids), 1)
    dist = _distance(g, p)
    score += 1.0 if dist is not None and dist <= 50 else 0.0
    gd, pd = _day(g.get("event_date")), _day(p.get("event_date"))
    score += 0.5 if gd is not None and pd is not None and abs((pd - gd).days) <= 1 else 0.0
    return score


def pairs(golds: list[dict[str, Any]], preds: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Each gold event with the predicted event most like it, greedily, each used once."""
    ranked = sorted(
        ((_likeness(g, p), gi, pi) for gi, g in enumerate(golds) for pi, p in enumerate(preds)), reverse=True
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    least = (
        1.0 if len(golds) > 1 else float("-inf")
    )  # one gold event: its most alike, as the dev scorers pick
    for score, gi, pi in ranked:
        if score >= least and gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def judge(
    gold: dict[str, Any], article: dict[str, Any], g: dict[str, Any], p: dict[str, Any]
) -> dict[str, bool]:
    """Which of the predicted event's fields are right, for the fields the gold can judge (all
    of them, or those its ``judge`` list names)."""
    out = {"event_type": p.get("event_type") == g.get("event_type")} if g.get("event_type") else {}
    if g.get("initiator"):
        out["actors"] = bool(_actor_ids(g["initiator"]) & _actor_ids(p.get("actor1")))
    where = g.get("location") or {}
    level = place_level(p)
    if level == "none":
        out["place"] = False
    elif level == "country" and where.get("country"):
        out["place"] = _same_name(p.get("country"), where["country"])
    elif level == "province" and where.get("admin1"):
        out["place"] = _same_name(p.get("admin1"), where["admin1"])
    elif level == "town" and where.get("lat") is not None:
        dist = _distance(g, p)
        out["place"] = dist is not None and dist <= 25
    gd, pd = _day(g.get("event_date")), _day(p.get("event_date"))
    if gd is not None:  # an undated event's date is never right, publish date or none
        out["date"] = pd is not None and abs((pd - gd).days) <= 1
    if gold.get("fatalities_total") is not None and len(gold.get("events") or []) == 1:
        out["fatalities"] = int(p.get("fatalities") or 0) == gold["fatalities_total"]
    if "judge" in gold:
        out = {k: v for k, v in out.items() if k in gold["judge"]}
    return out


def _same_name(a: Any, b: Any) -> bool:
    """Two names of one province or country: equal once folded, or one inside the other
    ("North-West" and "North-West Province")."""
    x, y = (
        " ".join(w for w in re.sub(r"[^a-z0-9]+", " ", _fold(str(v or ""))).split() if w not in ("the", "of"))
        for v in (a, b)
    )
    return bool(x and y) and (x == y or f" {x} " in f" {y} " or f" {y} " in f" {x} ")


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def observations() -> list[tuple[str, str, bool]]:
    """(field, evidence path, right) for every judged field of every paired event."""
    out: list[tuple[str, str, bool]] = []
    for folder, gold_file in CORPORA:
        if not gold_file.exists():
            print(f"skipping {gold_file}: not found", file=sys.stderr)
            continue
        golds = [json.loads(line) for line in gold_file.read_text().splitlines() if line.strip()]
        articles: list[Article] = []
        for gold in golds:
            path = folder.parent / gold["file"] if "file" in gold else folder / f"{gold['id']}.txt"
            for article in read_paths([str(path)]):
                if isinstance(article, Article):  # read as `marsad extract` reads it, under the gold's id
                    articles.append(replace(article, article_id=gold["id"]))
        by_id = {r.article.article_id: r.events for r in extract_many(articles)}
        for gold in golds:
            preds = [e.to_dict() for e in by_id.get(gold["id"], [])]
            required = gold.get("events") or []
            for gi, pi in pairs(required, preds):
                p = preds[pi]
                for field, ok in judge(gold, p, required[gi], p).items():
                    out.append((field, p["confidence_evidence"].get(field, "none"), ok))
    return out


def table(obs: list[tuple[str, str, bool]], smoothing: float) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for field in FIELDS:
        mine = [(path, ok) for f, path, ok in obs if f == field]
        n, right = len(mine), sum(ok for _, ok in mine)
        prior = (right + 1) / (n + 2)  # Laplace: a field the gold never judges is a coin toss
        counts: dict[str, list[int]] = {}
        for path, ok in mine:
            parts = path.split("/")
            for k in range(1, len(parts) + 1):
                c = counts.setdefault("/".join(parts[:k]), [0, 0])
                c[0] += ok
                c[1] += 1
        probs: dict[str, float] = {}
        for key in sorted(counts, key=lambda k: k.count("/")):
            r, m = counts[key]
            if "/" in key:
                probs[key] = (r + smoothing * probs[key.rsplit("/", 1)[0]]) / (m + smoothing)
            else:  # another mechanism altogether: nothing to lean on but Laplace's rule
                probs[key] = (r + 1) / (m + 2)
        fields[field] = {
            "prior": {"p": round(prior, 3), "n": n, "right": right},
            "evidence": {
                k: {"p": round(probs[k], 3), "n": counts[k][1], "right": counts[k][0]} for k in sorted(counts)
            },
        }
    return fields


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(ROOT)}")
    ap.add_argument("--smoothing", type=float, default=4.0)
    args = ap.parse_args()
    obs = observations()
    about = (
        "Written by bench/calibrate.py (do not edit by hand): for each field, each evidence path's share "
        "of right values on the project's own gold (tests/data/wire with tests/data/wire_gold.jsonl, "
        "tests/data/briefs with tests/data/briefs_gold.jsonl, tests/data/villages with "
        "tests/data/villages_gold.jsonl (place only) and ../shared/seeds with "
        "../shared/gold/seeds.jsonl), smoothed towards its parent path with "
        f"{args.smoothing:g} pseudo-counts. Never fitted on ../shared/dev, which only measures it "
        "(bench/reliability.py, docs/confidence.md)."
    )
    data = {"about": about, "fields": table(obs, args.smoothing)}
    parse_table(data)  # what is written must load
    for field in FIELDS:
        entry = data["fields"][field]
        print(f"{field}: prior {entry['prior']['p']:.2f} ({entry['prior']['right']}/{entry['prior']['n']})")
        for path, cell in entry["evidence"].items():
            print(f"  {cell['p']:.2f} {cell['right']:3d}/{cell['n']:<3d} {path}")
    if args.write:
        OUT.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
