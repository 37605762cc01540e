"""How well marsad's confidences are calibrated: reliability tables and expected calibration error.

    python bench/reliability.py SCORECARD_OUT [--tools ../shared/tools] [--bins 10] [--markdown]

Reads the predictions the team scorecard left in SCORECARD_OUT
(``SCORECARD_OUT=DIR ../shared/tools/dev_scorecard.sh MARSAD``) and judges each field the way the
scorecard's scorers do (they are imported from --tools): for each gold record, the scorer's best
event, and for each field the scorer judges, whether it is right:

- fakes: event_type = ``type``, actors = ``perpetrator``, place = ``admin1``, date = ``date``
  (within a day), fatalities = ``fatalities`` (exact);
- rand: event_type = ``type``, actors = ``perpetrator``, place = ``location``, fatalities;
- acled: event_type = ``type``, actors = ``actor1``, place = ``location25``, fatalities;
- place is judged at the precision the event claims (marsad.knowledge.confidence.place_level):
  a town as above, a province by the gold admin1 (not in rand's gold: not judged there), a
  country by the scorer's country test, no place as wrong; date, where the scorer does not judge
  it (rand, acled), as score_fakes does: within a day of the gold event_date.

Beside each judgement it puts the confidence the best event gives that field, and prints per field
and set the reliability table (equal-width bins: count, mean confidence, accuracy) and the ECE (the
bins' |accuracy - mean confidence| weighted by their share of values). ``event`` is the event's own
confidence against "type, place and date all right" where the set judges all three (fakes), else
against the ones it judges, with the product of their confidences. The dev sets are only read here,
never fitted: the table the confidences come from is made by bench/calibrate.py from the project's
own gold.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from marsad.extract.confidence import score  # noqa: E402
from marsad.knowledge.confidence import place_level  # noqa: E402
from marsad.model import Event  # noqa: E402

RESCORE = False  # --rescore: the confidences the current table gives the predictions' evidence

FIELDS = ("event_type", "actors", "place", "date", "fatalities")
SETS: dict[str, dict[str, str]] = {
    "fakes": {
        "event_type": "type",
        "actors": "perpetrator",
        "place": "admin1",
        "date": "date",
        "fatalities": "fatalities",
    },
    "rand": {"event_type": "type", "actors": "perpetrator", "place": "location", "fatalities": "fatalities"},
    "acled": {"event_type": "type", "actors": "actor1", "place": "location25", "fatalities": "fatalities"},
}
GOLD = {"fakes": "fakes_dev_gold.jsonl", "rand": "rand_dev_gold.jsonl", "acled": "acled_dev_gold.jsonl"}
JOINT = ("event_type", "place", "date")


def _best_events(name: str, mod: Any, gold_rows: list[dict[str, Any]], preds: dict[str, list]) -> list:
    """The event each scorer judges for each gold row (its own rule, as in its score())."""
    common = importlib.import_module("scoring_common")

    class c:  # noqa: N801 - the scorer's names first, then the shared helpers
        def __getattr__(self, key: str) -> Any:
            return getattr(mod, key) if hasattr(mod, key) else getattr(common, key)

    c = c()  # type: ignore[assignment,misc]
    out = []
    for gold in gold_rows:
        g = gold.get("gold") or {}
        if name == "fakes":
            article = f"fakes-{(gold.get('meta') or {}).get('doc_id')}"
            events = preds.get(article, [])
            gov = c.norm(g.get("location")).strip()
            best = max(events, key=lambda e: (c.matches_governorate(e, gov), c.fatalities(e)), default=None)
        elif name == "rand":
            events = preds.get(c.text_of(gold.get("id")), [])
            city = c.text_of(g.get("location")).strip()
            city = "" if city.lower() in c.NOT_NAMED else city
            point = c.gold_point(gold) if city else None
            best = max(
                events,
                key=lambda e: (bool(city) and c.location_match(city, point, e), c.fatalities(e)),
                default=None,
            )
        else:
            best = c.best_event(g, preds.get(c.text_of(gold.get("id")), []))
        out.append(best)
    return out


def _place(
    name: str, common: Any, g: dict[str, Any], gold: dict[str, Any], row: dict[str, Any], best: dict
) -> bool | None:
    """The place judged at the precision it claims (``place_level``): a town as the set's scorer
    judges it (acled: within 25 km; rand: the town; fakes: the governorate), a province by the
    gold admin1 (acled, fakes), a country by the scorer's country test; None where the set
    cannot judge that level (rand has no province)."""
    level = place_level(best)
    if level == "none":
        return False
    if level == "country":
        return (
            bool(row["country"]) if "country" in row else bool(common.country_match(g.get("country"), best))
        )
    if level == "province":
        if name == "fakes":
            return bool(row["admin1"])
        admin1 = (gold.get("gold_extra") or {}).get("admin1")
        if not admin1:
            return None
        return common.has_phrase(common.norm(best.get("admin1")), admin1) or common.has_phrase(
            common.norm(admin1), best.get("admin1") or ""
        )
    key = SETS[name]["place"]
    return bool(row[key]) if key in row else None


def judged(name: str, out_dir: Path, tools: Path, dev: Path) -> list[tuple[str, float, bool]]:
    """(field, confidence, right) for every field the set's scorer judges on a best event."""
    sys.path.insert(0, str(tools))
    mod = importlib.import_module(f"score_{name}")
    gold_path = out_dir / f"{name}.gold.jsonl"
    common = importlib.import_module("scoring_common")
    gold_rows = common.read_jsonl(str(gold_path if gold_path.exists() else dev / GOLD[name]))
    stats: dict[str, Any] = {}
    pred_rows = common.read_jsonl(str(out_dir / f"{name}.pred.jsonl"), stats)
    result = mod.score(gold_rows, pred_rows, stats)
    bests = _best_events(name, mod, gold_rows, common.events_by_article(pred_rows, {}))
    out: list[tuple[str, float, bool]] = []
    for gold, row, best in zip(gold_rows, result["rows"], bests, strict=True):
        if best is None:
            continue
        conf = best.get("field_confidence") or {}
        if RESCORE and best.get("confidence_evidence"):
            ev = Event(event_id="", confidence_evidence=dict(best["confidence_evidence"]))
            score(ev)
            conf = ev.field_confidence
        judged = {field: bool(row[key]) for field, key in SETS[name].items() if key in row}
        g = gold.get("gold") or {}
        place = _place(name, common, g, gold, row, best)
        if place is None:
            judged.pop("place", None)
        else:
            judged["place"] = place
        gday, pday = common.to_day(g.get("event_date")), common.to_day(best.get("event_date"))
        if "date" not in judged and gday is not None:  # as score_fakes judges a date
            judged["date"] = pday is not None and abs((pday - gday).days) <= 1
        joint: list[tuple[float, bool]] = []
        for field, ok in judged.items():
            if field in conf:
                out.append((field, float(conf[field]), ok))
                if field in JOINT:
                    joint.append((float(conf[field]), ok))
        if joint:
            p = 1.0
            for c, _ in joint:
                p *= c
            out.append(("event", p, all(ok for _, ok in joint)))
    return out


def reliability(
    values: list[tuple[float, bool]], bins: int
) -> tuple[list[tuple[str, int, float, float]], float]:
    """Rows (bin, count, mean confidence, accuracy) of the non-empty bins, and the ECE."""
    groups: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for p, ok in values:
        groups[min(int(p * bins), bins - 1)].append((p, ok))
    rows, ece = [], 0.0
    for i, group in enumerate(groups):
        if not group:
            continue
        conf = sum(p for p, _ in group) / len(group)
        acc = sum(ok for _, ok in group) / len(group)
        ece += len(group) / len(values) * abs(acc - conf)
        rows.append((f"{i / bins:.1f}-{(i + 1) / bins:.1f}", len(group), conf, acc))
    return rows, ece


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", help="the SCORECARD_OUT directory of a full scorecard run")
    ap.add_argument("--tools", default=str(ROOT.parent / "shared/tools"))
    ap.add_argument("--dev", default=str(ROOT.parent / "shared/dev"))
    ap.add_argument("--bins", type=int, default=10)
    ap.add_argument(
        "--markdown", action="store_true", help="print the tables as Markdown (docs/confidence.md)"
    )
    ap.add_argument("--json", action="store_true", help="print the ECEs as JSON")
    ap.add_argument(
        "--rescore",
        action="store_true",
        help="read each field's confidence from its recorded evidence with the current table "
        "(what a new extraction would give), not the confidence the predictions carry",
    )
    args = ap.parse_args()
    global RESCORE
    RESCORE = args.rescore
    summary: dict[str, dict[str, Any]] = {}
    for name in SETS:
        if not (Path(args.out) / f"{name}.pred.jsonl").exists():
            print(f"{name}: no predictions in {args.out}", file=sys.stderr)
            continue
        values = judged(name, Path(args.out), Path(args.tools), Path(args.dev))
        summary[name] = {}
        for field in (*FIELDS, "event"):
            mine = [(p, ok) for f, p, ok in values if f == field]
            if not mine:
                continue
            rows, ece = reliability(mine, args.bins)
            acc = sum(ok for _, ok in mine) / len(mine)
            conf = sum(p for p, _ in mine) / len(mine)
            summary[name][field] = {"n": len(mine), "ece": round(ece, 3), "accuracy": acc, "confidence": conf}
            if args.json:
                continue
            if args.markdown:
                print(
                    f"\n**{name} / {field}**: ECE {ece:.3f} over {len(mine)} values "
                    f"(accuracy {acc:.2f}, mean confidence {conf:.2f})\n"
                )
                print("| bin | count | mean confidence | accuracy |\n|---|---:|---:|---:|")
                for b, n, c, a in rows:
                    print(f"| {b} | {n} | {c:.2f} | {a:.2f} |")
            else:
                print(
                    f"{name} {field}: ECE {ece:.3f}  n {len(mine)}  "
                    f"accuracy {acc:.2f}  mean confidence {conf:.2f}"
                )
                for b, n, c, a in rows:
                    print(f"    {b}  {n:4d}  conf {c:.2f}  acc {a:.2f}")
    if args.json:
        print(json.dumps(summary, indent=1))
    elif not args.markdown:
        print("\nECE (fields ≤ 0.05 is the goal)")
        print(f"{'set':8s}" + "".join(f"{f:>12s}" for f in (*FIELDS, "event")))
        for name, fields in summary.items():
            cells = "".join(
                f"{fields[f]['ece']:12.3f}" if f in fields else f"{'-':>12s}" for f in (*FIELDS, "event")
            )
            print(f"{name:8s}{cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
