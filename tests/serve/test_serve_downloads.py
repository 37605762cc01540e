"""/api/events?format=csv|plover|cameo|ucdp: the filtered set as a file, the same bytes as `marsad events`."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from marsad.api import Observatory
from marsad.export.cameo import CAMEO_COLUMNS
from marsad.export.schema_check import validate
from marsad.export.ucdp import UCDP_COLUMNS
from marsad.knowledge.codes import load_codes
from marsad.store import Store


def cli_bytes(store: Store, fmt: str, **filters: object) -> str:
    out = io.StringIO()
    Observatory(store).export(out, format=fmt, **filters)  # type: ignore[arg-type]
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "plover", "cameo", "ucdp"])
@pytest.mark.parametrize(
    ("query", "filters"),
    [("", {}), ("&country=Syria&since=2018-06-08", {"country": "Syria", "since": "2018-06-08"})],
)
def test_download_is_what_the_command_line_exports(
    client: TestClient, store: Store, fmt: str, query: str, filters: dict[str, object]
) -> None:
    response = client.get(f"/api/events?format={fmt}{query}")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    assert f"marsad-events-{'acled' if fmt == 'csv' else fmt}." in response.headers["content-disposition"]
    assert response.text == cli_bytes(store, fmt, **filters)
    assert len(response.text.splitlines()) >= (2 if fmt != "plover" else 1)  # not an empty file


def test_downloads_open_in_pandas_with_their_columns(client: TestClient, store: Store) -> None:
    cameo = pd.read_csv(io.StringIO(client.get("/api/events?format=cameo").text), dtype={"EventCode": str})
    assert list(cameo.columns) == list(CAMEO_COLUMNS) and len(cameo) >= 1
    ucdp = pd.read_csv(io.StringIO(client.get("/api/events?format=ucdp").text))
    assert list(ucdp.columns) == list(UCDP_COLUMNS) and len(ucdp) >= 1
    lines = client.get("/api/events?format=plover").text.splitlines()
    assert lines and all(validate(json.loads(line), load_codes().plover_schema) == [] for line in lines)
    assert client.get("/api/events?format=plover").headers["content-type"].startswith("application/x-ndjson")


def test_download_takes_every_event_unless_a_limit_is_given(client: TestClient, store: Store) -> None:
    total = client.get("/api/events?limit=0").json()["total"]
    assert total > 2
    everything = client.get("/api/events?format=csv").text.splitlines()
    assert len(everything) == total + 1  # header and one line per event (no newlines in the notes here)
    two = client.get("/api/events?format=csv&limit=2&offset=1").text.splitlines()
    assert two[1:] == everything[2:4]


def test_unknown_format_is_refused_with_the_choices(client: TestClient) -> None:
    response = client.get("/api/events?format=xml")
    assert response.status_code == 422
    assert "ucdp" in response.text


def test_page_offers_each_download_and_keeps_them_on_the_filters(client: TestClient) -> None:
    page = client.get("/").text
    for fmt in ("csv", "plover", "cameo", "ucdp"):
        assert f'href="/api/events?format={fmt}" data-format="{fmt}" download' in page
        assert client.get(f"/api/events?format={fmt}").status_code == 200
    script = client.get("/static/marsad.js").text
    assert "syncDownloads(filters)" in script  # hrefs follow the form's filters on every load
