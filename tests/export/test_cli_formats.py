"""`marsad events --format plover|cameo|ucdp`: the command line writes what the library writes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from marsad.api import Observatory
from marsad.cli import main


@pytest.mark.parametrize("fmt", ["plover", "cameo", "ucdp"])
def test_events_format(example_db: Path, obs: Observatory, fmt: str) -> None:
    result = CliRunner().invoke(
        main, ["events", "--db", str(example_db), "--format", fmt, "--country", "Somalia"]
    )
    assert result.exit_code == 0, result.output
    out = io.StringIO()
    n = obs.export(out, format=fmt, country="Somalia")  # type: ignore[arg-type]
    assert n >= 1 and result.stdout_bytes.decode("utf-8") == out.getvalue()


def test_unknown_format_is_a_usage_error(example_db: Path) -> None:
    result = CliRunner().invoke(main, ["events", "--db", str(example_db), "--format", "gdelt"])
    assert result.exit_code == 2
    assert "plover" in result.output and "ucdp" in result.output
