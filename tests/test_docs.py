"""The docs cannot drift: their examples run here, and every command is in the README.

Issue 20.7: docs/python-api.md's examples once returned [] and raised IndexError on the
bundled examples. Now each ``>>>`` line runs as a doctest, on ``examples/articles``, in a
scratch folder; the shell block runs through the real command line.
"""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import marsad
from marsad.cli import main

REPO = Path(marsad.__file__).resolve().parent.parent
DOCS = REPO / "docs"


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with the repository's examples in it, as in the docs."""
    (tmp_path / "examples").symlink_to(REPO / "examples")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_python_api_examples_run(scratch: Path) -> None:
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testfile(
        str(DOCS / "python-api.md"), module_relative=False, optionflags=flags, verbose=False, report=True
    )
    assert result.attempted > 20
    assert result.failed == 0, "docs/python-api.md: an example no longer gives what it shows"
    assert (scratch / "somalia.csv").read_text(encoding="utf-8").startswith("event_id_cnty,")


def test_linking_examples_run(scratch: Path) -> None:
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testfile(
        str(DOCS / "linking.md"), module_relative=False, optionflags=flags, verbose=False, report=True
    )
    assert result.attempted >= 8 and result.failed == 0, "docs/linking.md: an example no longer holds"


def _shell_blocks(path: Path) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.DOTALL)


def _run_shell_examples(doc: str, then: str = "") -> subprocess.CompletedProcess[str]:
    """Run the doc's one ``sh`` block (and ``then``) in bash with ``marsad`` this checkout's CLI."""
    [block] = _shell_blocks(DOCS / doc)
    marsad_fn = f'marsad() {{ "{sys.executable}" -c "from marsad.cli import main; main()" "$@"; }}'
    script = f"set -euo pipefail\n{marsad_fn}\n{block}" + (f"\n{then}" if then else "")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done


def test_python_api_shell_examples_run(scratch: Path) -> None:
    done = _run_shell_examples("python-api.md")
    assert (scratch / "somalia.csv").read_text(encoding="utf-8").startswith("event_id_cnty,")
    assert "Somalia" in done.stdout  # the stats table


@pytest.mark.usefixtures("cached_extractor")
def test_review_examples_run(scratch: Path) -> None:
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testfile(
        str(DOCS / "review.md"), module_relative=False, optionflags=flags, verbose=False, report=True
    )
    assert result.attempted >= 25
    assert result.failed == 0, "docs/review.md: an example no longer gives what it shows"


def test_review_shell_examples_run(scratch: Path) -> None:
    done = _run_shell_examples("review.md")
    lines = done.stdout.splitlines()
    assert any(" [edited] " in line and "; 11 killed;" in line for line in lines)
    assert any(" [verified] " in line for line in lines)
    assert "event_id_cnty,event_date,year,time_precision" in lines  # the csv's header, then the event
    assert lines[-1].endswith("verified 0, edited 0, rejected 0, skipped 1")  # after the prompt


def test_history_examples_run(scratch: Path) -> None:
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testfile(
        str(DOCS / "history.md"), module_relative=False, optionflags=flags, verbose=False, report=True
    )
    assert result.attempted >= 15 and result.failed == 0, "docs/history.md: an example no longer holds"


def test_history_shell_examples_run(scratch: Path) -> None:
    done = _run_shell_examples("history.md")
    rows = (scratch / "changes.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("event_id,change,at,by") and len(rows) > 3
    assert "history of event" in done.stdout and "added" in done.stdout


def test_readme_lists_every_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = [line for line in readme.splitlines() if line.startswith("| `marsad ")]
    for name in main.commands:
        assert any(f"`marsad {name} " in line or f"`marsad {name}`" in line for line in table), name


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_has_help_with_an_example(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert f"Example: marsad {name}" in result.output


def test_docs_point_only_at_files_the_repository_has() -> None:
    """No more "see DESIGN.md" when the repository has no DESIGN.md."""
    texts = {p: p.read_text(encoding="utf-8") for p in [REPO / "README.md", *DOCS.glob("*.md")]}
    texts.update(
        {Path(f"marsad {n} --help"): CliRunner().invoke(main, [n, "--help"]).output for n in main.commands}
    )
    for source, text in texts.items():
        for name in re.findall(r"\b([\w/.-]+\.md)\b", text):
            base = REPO if "/" in name or source.parent != DOCS else DOCS
            assert (base / name).exists() or (REPO / name).exists(), f"{source} points at {name}"


def test_users_examples_run(scratch: Path) -> None:
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE | doctest.IGNORE_EXCEPTION_DETAIL
    result = doctest.testfile(
        str(DOCS / "users.md"), module_relative=False, optionflags=flags, verbose=False, report=True
    )
    assert result.attempted >= 30 and result.failed == 0, "docs/users.md: an example no longer holds"


def test_users_shell_examples_run(scratch: Path) -> None:
    done = _run_shell_examples("users.md", then='echo "TOKEN=$TOKEN"')
    lines = done.stdout.splitlines()
    assert lines[:2] == ["added amina (analyst)", "added karim (viewer)"]
    assert re.fullmatch(r"amina  analyst  since \d{4}-\d\d-\d\d, 0 tokens, 0 sessions", lines[2])
    assert "removed karim" in lines
    assert '"name": "amina", "role": "analyst"' in lines[-2] and '"tokens": 1' in lines[-2]
    assert re.fullmatch(r"TOKEN=marsad_[\w-]{40,}", lines[-1])
