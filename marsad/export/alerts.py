"""Alerts: rules in TOML that pick events, and their delivery (stdout, a file, a webhook, e-mail).

A rules file (docs/watch.md)::

    [delivery]
    map_url = "http://127.0.0.1:8000/"     # each alert links to its event there
    stdout = true                          # JSON lines on standard output
    file = "alerts.jsonl"                  # JSON lines appended to a file
    webhook = "https://example.org/hook"   # HTTP POST of the alert as JSON, with retries
    [delivery.email]
    host = "localhost"
    port = 25
    from = "marsad@example.org"
    to = ["analyst@example.org"]

    [[alert]]
    name = "idlib-deadly"
    country = "Syria"
    admin1 = "Idlib"
    sub_event_types = ["Air/drone strike", "Shelling/artillery/missile attack"]
    min_fatalities = 10
    on = ["new", "toll"]

Every condition a rule states must hold (a list means any of its values); a rule with
none matches every event. What an alert says (:func:`payload`): the rule, ``new`` or
``toll`` (with the toll alerted before), the event with its sources and their quoted
evidence, and a link to the event on the map. Deciding whether an alert is due against
what was sent before is the watcher's (marsad.watch), with the store's record.
"""

from __future__ import annotations

import json
import math
import os
import smtplib
import sys
import time
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import IO, Any, Protocol

from marsad import __version__
from marsad.errors import WatchError
from marsad.knowledge.taxonomy import EVENT_TYPES
from marsad.store.filters import sub_event_types
from marsad.store.knowledge import canonical

KINDS = ("new", "toll")
RULE_KEYS = frozenset(
    [
        *("name", "country", "admin1", "bbox", "lat", "lon", "radius_km"),
        *("actors", "event_types", "sub_event_types", "min_fatalities", "on"),
    ]
)
DELIVERY_KEYS = frozenset(["map_url", "stdout", "file", "webhook", "webhook_retries", "email"])
EMAIL_KEYS = frozenset(["host", "port", "from", "to", "starttls", "username", "password_env", "timeout"])
EARTH_KM = 6371.0088


class DeliveryError(Exception):
    """A sink that did not take an alert; one line saying why."""


# -- rules --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """Which events an alert rule picks (every stated condition must hold)."""

    name: str
    countries: tuple[str, ...] = ()
    admin1: tuple[str, ...] = ()
    bbox: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat
    center: tuple[float, float] | None = None  # lat, lon
    radius_km: float | None = None
    actors: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    sub_event_types: tuple[str, ...] = ()
    min_fatalities: int = 0
    on: frozenset[str] = frozenset(KINDS)

    def matches(self, event: dict[str, Any]) -> bool:
        """Does this EVENT dict meet every condition of the rule?"""
        if self.countries:
            names = {_fold(event.get("country")), _fold(event.get("iso3"))}
            if not names & {_fold(c) for c in self.countries}:
                return False
        if self.admin1 and _fold(event.get("admin1")) not in {_fold(a) for a in self.admin1}:
            return False
        if self.event_types and event.get("event_type") not in self.event_types:
            return False
        if self.sub_event_types and event.get("sub_event_type") not in self.sub_event_types:
            return False
        if (event.get("fatalities") or 0) < self.min_fatalities:
            return False
        if self.actors:
            present = {_fold(event.get("actor1")), _fold(event.get("actor2"))}
            present |= {
                _fold(a) for a in (event.get("assoc_actor_1") or []) + (event.get("assoc_actor_2") or [])
            }
            if not present & {_fold(a) for a in self.actors}:
                return False
        lat, lon = event.get("latitude"), event.get("longitude")
        if self.bbox is not None or self.center is not None:
            if lat is None or lon is None:
                return False
            if self.bbox is not None:
                west, south, east, north = self.bbox
                inside_lon = west <= lon <= east if west <= east else (lon >= west or lon <= east)
                if not (south <= lat <= north and inside_lon):
                    return False
            center, radius = self.center, self.radius_km
            if center is not None and radius is not None and distance_km(center, (lat, lon)) > radius:
                return False
        return True


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def _fold(value: object) -> str:
    return str(value).casefold().strip() if value else ""


# -- configuration ------------------------------------------------------------------------


@dataclass(frozen=True)
class EmailConfig:
    host: str
    port: int
    sender: str
    to: tuple[str, ...]
    starttls: bool = False
    username: str | None = None
    password_env: str | None = None
    timeout: float = 20.0


@dataclass(frozen=True)
class Delivery:
    """Where alerts go; every rule's alerts go to every sink configured here."""

    map_url: str = "http://127.0.0.1:8000/"
    stdout: bool = True
    file: str | None = None
    webhook: str | None = None
    webhook_retries: int = 3
    email: EmailConfig | None = None

    def sink_names(self) -> list[str]:
        names = ["stdout"] if self.stdout else []
        names += [f"file:{self.file}"] if self.file else []
        names += [f"webhook:{self.webhook}"] if self.webhook else []
        names += [f"email:{','.join(self.email.to)}"] if self.email else []
        return names


@dataclass(frozen=True)
class AlertConfig:
    rules: tuple[Rule, ...]
    delivery: Delivery = field(default_factory=Delivery)


def read_toml(path: str | os.PathLike[str], what: str) -> dict[str, Any]:
    """A TOML file's tables; a one-line WatchError naming the file when it cannot be read or
    is not TOML (``what``: what the file holds, for the message)."""
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise WatchError(f"{path}: cannot read the {what} ({exc.strerror or exc})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise WatchError(f"{path}: not valid TOML ({exc})") from None


def load_alerts(path: str | os.PathLike[str]) -> AlertConfig:
    """Rules and delivery from a TOML file; WatchError naming the file and key when wrong."""
    return parse_alerts(read_toml(path, "alert rules"), where=str(path))


def parse_alerts(data: dict[str, Any], *, where: str = "alerts") -> AlertConfig:
    unknown = set(data) - {"alert", "delivery"}
    if unknown:
        raise WatchError(f"{where}: unknown table {sorted(unknown)[0]!r}; use [[alert]] and [delivery]")
    raw_rules = data.get("alert", [])
    if not isinstance(raw_rules, list) or not raw_rules:
        raise WatchError(f"{where}: no [[alert]] rule; add at least one (docs/watch.md)")
    rules = tuple(_rule(r, where=f"{where}: alert {i}") for i, r in enumerate(raw_rules, 1))
    names = [r.name for r in rules]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise WatchError(
            f"{where}: two rules are named {dup!r}; names must be unique (alerts are kept by name)"
        )
    return AlertConfig(rules, _delivery(data.get("delivery", {}), where=f"{where}: [delivery]"))


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise WatchError(f"{where}: give a string or a list of strings")
    return tuple(v.strip() for v in value)


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise WatchError(f"{where}: give a number")
    return float(value)


def _rule(raw: Any, *, where: str) -> Rule:
    if not isinstance(raw, dict):
        raise WatchError(f"{where}: not a table")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise WatchError(f"{where}: every rule needs a name")
    where = f"{where} ({name})"
    unknown = set(raw) - RULE_KEYS
    if unknown:
        raise WatchError(f"{where}: unknown key {sorted(unknown)[0]!r}; use: {', '.join(sorted(RULE_KEYS))}")
    kw: dict[str, Any] = {"name": name.strip()}
    if "country" in raw:
        kw["countries"] = _strings(raw["country"], f"{where}: country")
    if "admin1" in raw:
        kw["admin1"] = _strings(raw["admin1"], f"{where}: admin1")
    if "actors" in raw:
        kw["actors"] = tuple(canonical(a) for a in _strings(raw["actors"], f"{where}: actors"))
    if "event_types" in raw:
        kw["event_types"] = _taxonomy(raw["event_types"], EVENT_TYPES, f"{where}: event_types")
    if "sub_event_types" in raw:
        kw["sub_event_types"] = _taxonomy(
            raw["sub_event_types"], sub_event_types(), f"{where}: sub_event_types"
        )
    if "min_fatalities" in raw:
        n = raw["min_fatalities"]
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise WatchError(f"{where}: min_fatalities: give a whole number, 0 or more")
        kw["min_fatalities"] = n
    if "bbox" in raw:
        box = raw["bbox"]
        if not isinstance(box, list) or len(box) != 4:
            raise WatchError(f"{where}: bbox: give [min_lon, min_lat, max_lon, max_lat]")
        west, south, east, north = (_number(v, f"{where}: bbox") for v in box)
        if not (-90 <= south <= north <= 90 and -180 <= west <= 180 and -180 <= east <= 180):
            raise WatchError(f"{where}: bbox: give [min_lon, min_lat, max_lon, max_lat] in degrees")
        kw["bbox"] = (west, south, east, north)
    if any(k in raw for k in ("lat", "lon", "radius_km")):
        if not all(k in raw for k in ("lat", "lon", "radius_km")):
            raise WatchError(f"{where}: a radius needs lat, lon and radius_km together")
        lat, lon = _number(raw["lat"], f"{where}: lat"), _number(raw["lon"], f"{where}: lon")
        radius = _number(raw["radius_km"], f"{where}: radius_km")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or radius <= 0:
            raise WatchError(f"{where}: lat/lon out of range or radius_km not above 0")
        kw["center"], kw["radius_km"] = (lat, lon), radius
    if "on" in raw:
        on = _strings(raw["on"], f"{where}: on")
        bad = [k for k in on if k not in KINDS]
        if bad:
            raise WatchError(f"{where}: on: {bad[0]!r} is not a trigger; use {', '.join(KINDS)}")
        kw["on"] = frozenset(on)
    return Rule(**kw)


def _taxonomy(value: Any, allowed: Sequence[str], where: str) -> tuple[str, ...]:
    out = []
    spelled = {a.casefold(): a for a in allowed}
    for v in _strings(value, where):
        if v.casefold() not in spelled:
            raise WatchError(f"{where}: {v!r} is not in ACLED's taxonomy; use one of: {', '.join(allowed)}")
        out.append(spelled[v.casefold()])
    return tuple(out)


def _delivery(raw: Any, *, where: str) -> Delivery:
    if not isinstance(raw, dict):
        raise WatchError(f"{where}: not a table")
    unknown = set(raw) - DELIVERY_KEYS
    if unknown:
        raise WatchError(
            f"{where}: unknown key {sorted(unknown)[0]!r}; use: {', '.join(sorted(DELIVERY_KEYS))}"
        )
    kw: dict[str, Any] = {}
    for key in ("map_url", "file", "webhook"):
        if key in raw:
            if not isinstance(raw[key], str) or not raw[key].strip():
                raise WatchError(f"{where}: {key}: give a string")
            kw[key] = raw[key].strip()
    if "webhook" in kw and not kw["webhook"].startswith(("http://", "https://")):
        raise WatchError(f"{where}: webhook: give an http(s) URL")
    if "stdout" in raw:
        if not isinstance(raw["stdout"], bool):
            raise WatchError(f"{where}: stdout: give true or false")
        kw["stdout"] = raw["stdout"]
    if "webhook_retries" in raw:
        n = raw["webhook_retries"]
        if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= 10:
            raise WatchError(f"{where}: webhook_retries: give 0 to 10")
        kw["webhook_retries"] = n
    if "email" in raw:
        kw["email"] = _email(raw["email"], where=f"{where}.email")
    return Delivery(**kw)


def _email(raw: Any, *, where: str) -> EmailConfig:
    if not isinstance(raw, dict):
        raise WatchError(f"{where}: not a table")
    unknown = set(raw) - EMAIL_KEYS
    if unknown:
        raise WatchError(f"{where}: unknown key {sorted(unknown)[0]!r}; use: {', '.join(sorted(EMAIL_KEYS))}")
    for key in ("host", "from", "to"):
        if key not in raw:
            raise WatchError(f"{where}: {key} is required")
    port = raw.get("port", 25)
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise WatchError(f"{where}: port: give a TCP port")
    return EmailConfig(
        host=_strings(raw["host"], f"{where}: host")[0],
        port=port,
        sender=_strings(raw["from"], f"{where}: from")[0],
        to=_strings(raw["to"], f"{where}: to"),
        starttls=bool(raw.get("starttls", False)),
        username=raw.get("username"),
        password_env=raw.get("password_env"),
        timeout=_number(raw.get("timeout", 20.0), f"{where}: timeout"),
    )


# -- what an alert says -------------------------------------------------------------------


def event_url(map_url: str, event_id: str) -> str:
    """The event on the map page (it opens the event given as ``?event=``)."""
    return f"{map_url.rstrip('/')}/?event={event_id}"


def payload(
    alert_id: str, rule: Rule, event: dict[str, Any], *, kind: str, previous: int | None, map_url: str
) -> dict[str, Any]:
    """The alert as one JSON object: rule, kind, the event with its sources and evidence, link."""
    keep = {k: v for k, v in event.items() if k not in ("reports", "claims", "links")}
    return {
        "alert_id": alert_id,
        "rule": rule.name,
        "kind": kind,
        "previous_fatalities": previous,
        "fatalities": event.get("fatalities") or 0,
        "url": event_url(map_url, str(event["event_id"])),
        "event": keep,
        "sender": f"marsad {__version__}",
    }


def summary(alert: dict[str, Any]) -> str:
    """A few lines for people: what, where, when, the toll, the sources' own words, the link."""
    e = alert["event"]
    place = (
        ", ".join(p for p in (e.get("location"), e.get("admin1"), e.get("country")) if p) or "place unknown"
    )
    what = e.get("sub_event_type") or e.get("event_type") or "event"
    toll = f"{alert['fatalities']} killed"
    if alert["kind"] == "toll":
        toll += f" (was {alert['previous_fatalities']})"
    lines = [f"{what} in {place} on {e.get('event_date') or 'an unknown date'}: {toll}."]
    if e.get("notes"):
        lines.append(str(e["notes"]))
    lines.append("")
    for s in e.get("sources") or []:
        who = " / ".join(x for x in (s.get("publisher"), s.get("claimant")) if x) or s.get("article_id")
        lines.append(f'- {who}: "{s.get("quote")}"')
    lines += ["", f"On the map: {alert['url']}", f"Rule: {alert['rule']}; alert {alert['alert_id']}"]
    return "\n".join(lines)


def subject(alert: dict[str, Any]) -> str:
    e = alert["event"]
    what = e.get("sub_event_type") or e.get("event_type") or "event"
    where = e.get("location") or e.get("country") or "unknown place"
    prefix = "toll raised" if alert["kind"] == "toll" else "new"
    return f"[marsad {alert['rule']}] {prefix}: {what} in {where}, {alert['fatalities']} killed"


# -- sinks --------------------------------------------------------------------------------


class Sink(Protocol):
    name: str

    def send(self, alert: dict[str, Any]) -> None: ...


class StreamSink:
    """JSON lines on a stream (standard output by default)."""

    def __init__(self, stream: IO[str] | None = None, name: str = "stdout") -> None:
        self.stream = stream
        self.name = name

    def send(self, alert: dict[str, Any]) -> None:
        out = self.stream or sys.stdout
        try:
            out.write(json.dumps(alert, ensure_ascii=False) + "\n")
            out.flush()
        except (OSError, ValueError) as exc:
            raise DeliveryError(f"could not write to {self.name} ({exc})") from None


class FileSink:
    """JSON lines appended to a file, each flushed to disk before it counts as delivered.

    A crash between writing an alert and recording it as delivered would send it again after
    the restart; so the first delivery of a run skips alerts whose id is already among the
    file's last lines.
    """

    TAIL = 256_000

    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self.name = f"file:{path}"
        self._recent: set[str] | None = None

    def _tail_ids(self) -> set[str]:
        ids: set[str] = set()
        try:
            with self.path.open("rb") as handle:
                size = handle.seek(0, os.SEEK_END)
                handle.seek(max(0, size - self.TAIL))
                for line in handle.read().splitlines():
                    try:
                        ids.add(str(json.loads(line)["alert_id"]))
                    except (ValueError, KeyError, TypeError):
                        continue
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise DeliveryError(f"could not read {self.path} ({exc.strerror or exc})") from None
        return ids

    def send(self, alert: dict[str, Any]) -> None:
        if self._recent is None:
            self._recent = self._tail_ids()
        if alert["alert_id"] in self._recent:
            return
        try:
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(alert, ensure_ascii=False) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise DeliveryError(f"could not append to {self.path} ({exc.strerror or exc})") from None


class WebhookSink:
    """HTTP POST of the alert as JSON; 5xx, 408, 429 and network errors are retried with
    back-off, other 4xx are final. The alert id goes as ``Idempotency-Key`` so a receiver
    can drop a repeat."""

    def __init__(self, url: str, *, retries: int = 3, timeout: float = 10.0, backoff: float = 0.5) -> None:
        self.url = url
        self.name = f"webhook:{url}"
        self.retries = retries
        self.timeout = timeout
        self.backoff = backoff

    def send(self, alert: dict[str, Any]) -> None:
        import httpx

        from marsad.read.fetch import user_agent

        headers = {"User-Agent": user_agent(), "Idempotency-Key": str(alert["alert_id"])}
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                r = httpx.post(self.url, json=alert, headers=headers, timeout=self.timeout)
            except httpx.HTTPError as exc:
                problem = f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
                continue
            if 200 <= r.status_code < 300:
                return
            problem = f"HTTP {r.status_code}"
            if 400 <= r.status_code < 500 and r.status_code not in (408, 429):
                break
        raise DeliveryError(f"{self.url} did not take the alert ({problem}) after {attempt + 1} attempt(s)")


class EmailSink:
    """One e-mail per alert over SMTP (smtplib): the summary as text, the alert as JSON attached."""

    def __init__(self, config: EmailConfig) -> None:
        self.config = config
        self.name = f"email:{','.join(config.to)}"

    def message(self, alert: dict[str, Any]) -> EmailMessage:
        msg = EmailMessage()
        msg["Subject"] = subject(alert)
        msg["From"] = self.config.sender
        msg["To"] = ", ".join(self.config.to)
        msg["Message-ID"] = f"<{alert['alert_id']}@marsad>"  # the same alert is the same message
        msg.set_content(summary(alert))
        data = json.dumps(alert, ensure_ascii=False, indent=2).encode("utf-8")
        msg.add_attachment(data, maintype="application", subtype="json", filename=f"{alert['alert_id']}.json")
        return msg

    def send(self, alert: dict[str, Any]) -> None:
        c = self.config
        try:
            with smtplib.SMTP(c.host, c.port, timeout=c.timeout) as smtp:
                if c.starttls:
                    smtp.starttls()
                if c.username:
                    smtp.login(c.username, os.environ.get(c.password_env or "", ""))
                smtp.send_message(self.message(alert))
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"SMTP {c.host}:{c.port} did not take the alert ({exc})") from None


def sinks(delivery: Delivery, *, stdout: IO[str] | None = None) -> dict[str, Sink]:
    """The configured sinks by name (the names the store keeps deliveries under)."""
    out: dict[str, Sink] = {}
    if delivery.stdout:
        out["stdout"] = StreamSink(stdout)
    if delivery.file:
        out[f"file:{delivery.file}"] = FileSink(delivery.file)
    if delivery.webhook:
        out[f"webhook:{delivery.webhook}"] = WebhookSink(delivery.webhook, retries=delivery.webhook_retries)
    if delivery.email:
        sink = EmailSink(delivery.email)
        out[sink.name] = sink
    return out
