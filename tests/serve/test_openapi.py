"""The OpenAPI document: checked in and current, served as checked in, and built from the
specs/ schemas rather than from a second model."""

from __future__ import annotations

import json

from starlette.testclient import TestClient

from smesdk.serve.openapi import document, render

from .conftest import ROOT


def test_checked_in_openapi_is_current() -> None:
    path = ROOT / "specs" / "openapi.json"
    assert path.read_text(encoding="utf-8") == render(), \
        f"{path} is stale: run `python -m smesdk.serve.openapi specs`"


def test_served_document_is_the_checked_in_one(client: TestClient) -> None:
    served = client.get("/openapi.json").json()
    assert served == json.loads((ROOT / "specs" / "openapi.json").read_text("utf-8"))
    assert served["openapi"].startswith("3.1")


def test_documents_are_the_specs_schemas_with_refs_moved() -> None:
    components = document()["components"]["schemas"]
    for name in ("answers", "result", "framework"):
        spec = json.loads((ROOT / "specs" / f"{name}.schema.json").read_text("utf-8"))
        for key, definition in spec["$defs"].items():
            moved = json.loads(json.dumps(definition).replace('"#/$defs/',
                                                              '"#/components/schemas/'))
            assert components[key] == moved, key
    text = json.dumps(document())
    assert "#/$defs/" not in text
    refs = {part.split('"', 1)[0] for part in text.split('"#/components/schemas/')[1:]}
    assert refs <= set(components), refs - set(components)


def test_every_route_is_documented_and_every_documented_path_routed() -> None:
    from smesdk.serve.application import routes

    routed = {(m, r.path) for r in routes() for m in (r.methods or ()) if m != "HEAD"}
    documented = {(m.upper(), p) for p, ops in document()["paths"].items() for m in ops}
    assert routed - {("GET", "/openapi.json")} == documented


def test_every_batch_format_is_reachable_over_http() -> None:
    from smesdk.batch.formats import FORMATS
    from smesdk.serve.jobs import OUTPUT_FORMATS
    from smesdk.serve.routes_jobs import _MEDIA, UPLOADS

    inputs = {name for name, f in FORMATS.items() if f.source is not None}
    assert set(UPLOADS.values()) == inputs, "give each batch input format a media type"
    assert set(_MEDIA) == set(OUTPUT_FORMATS), "give each batch output format a media type"
