"""Every undecodable JSON body answers ``invalid_json``; the upload's rules are in the schema."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from plancheck.reading import SUPPORTED_EXTENSIONS
from tests.api.test_api_classify import assert_error

JSON = {"Content-Type": "application/json"}
UNDECODABLE = {
    "invalid utf-8 in a string": b'{"text": "\xff\xfe a plan"}',
    "latin-1 bytes": '{"text": "caf\xe9 plan"}'.encode("latin-1"),
    "nesting bomb": b"[" * 100_000 + b"]" * 100_000,
    "nested text": b'{"text": ' + b"[" * 5_000 + b"]" * 5_000 + b"}",
    "syntax": b'{"text": "a plan",}',
    "truncated": b'{"text": "a pl',
    "trailing data": b'{"text": "a plan"} {}',
}


@pytest.mark.parametrize("path", ["/v1/classify", "/v1/classify/batch"])
@pytest.mark.parametrize("body", UNDECODABLE.values(), ids=UNDECODABLE.keys())
def test_undecodable_bodies_are_invalid_json(client: TestClient, path: str, body: bytes) -> None:
    error = assert_error(client.post(path, content=body, headers=JSON), 400, "invalid_json")
    assert "JSON" in error["message"]


def test_admin_reload_invalid_json(client: TestClient) -> None:
    response = client.post("/v1/admin/reload", content=b"\xff{", headers=JSON)
    assert_error(response, 400, "invalid_json")


@pytest.mark.parametrize("bad_id", [False, True, 1.5, None, [1]])
def test_ids_are_strings_or_integers(client: TestClient, bad_id) -> None:
    body = {"items": [{"id": bad_id, "text": "Our strategy for three years."}]}
    assert_error(client.post("/v1/classify/batch", json=body), 422, "validation_error")
    if bad_id is not None:
        single = {"id": bad_id, "text": "Our strategy for three years."}
        assert_error(client.post("/v1/classify", json=single), 422, "validation_error")


def test_upload_schema_names_the_extensions_and_415(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    upload = spec["paths"]["/v1/classify/file"]["post"]
    answer_415 = upload["responses"]["415"]["description"]
    assert "unsupported_file_type" in answer_415
    ref = upload["requestBody"]["content"]["multipart/form-data"]["schema"]["$ref"]
    field = spec["components"]["schemas"][ref.rsplit("/", 1)[-1]]["properties"]["file"]
    for ext in SUPPORTED_EXTENSIONS:
        assert ext in answer_415 and ext in field["description"]


def test_upload_without_extension_is_415(client: TestClient) -> None:
    response = client.post("/v1/classify/file", files={"file": ("plan", b"a plan for 3 years")})
    assert_error(response, 415, "unsupported_file_type")
