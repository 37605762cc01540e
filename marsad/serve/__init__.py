"""serve: the database as a read-only JSON API and an offline web page (map, timeline, evidence).

``create_app`` builds the FastAPI application around a :class:`marsad.store.Store`;
``serve`` runs it with uvicorn, bound to 127.0.0.1 unless told otherwise.
"""

from marsad.serve.app import create_app, serve

__all__ = ["create_app", "serve"]
