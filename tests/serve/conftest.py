"""Fixtures for the serve tests: one example database per session, and an app over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from serve_examples import example_results

from marsad.serve import create_app
from marsad.store import Store


@pytest.fixture(scope="session")
def example_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path: Path = tmp_path_factory.mktemp("serve") / "examples.db"
    url = f"sqlite:///{path}"
    store = Store(url)
    store.add(example_results())
    store.close()
    return url


@pytest.fixture(scope="session")
def store(example_db: str) -> Iterator[Store]:
    s = Store(example_db)
    yield s
    s.close()


@pytest.fixture(scope="session")
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store)) as c:
        yield c
