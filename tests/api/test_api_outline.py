"""POST /v1/outline and /v1/outline/file: the outline as a download, the classify endpoints'
refusals with the same codes."""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn
from fastapi.testclient import TestClient

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _paragraphs(data: bytes) -> list:
    return docx.Document(io.BytesIO(data)).paragraphs


def test_docx_by_default(client: TestClient, plans) -> None:
    response = client.post("/v1/outline", json={"text": plans.ar})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == DOCX
    assert (
        response.headers["content-disposition"] == 'attachment; filename="plancheck-outline.docx"'
    )
    paragraphs = _paragraphs(response.content)
    assert paragraphs[0].text == "مخطط استراتيجية التواصل الاجتماعي"
    assert all(p._p.pPr.find(qn("w:bidi")) is not None for p in paragraphs)


def test_markdown(client: TestClient, plans, classifier) -> None:
    response = client.post("/v1/outline", json={"text": plans.en, "format": "markdown"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/markdown; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="plancheck-outline.md"'
    md = response.text
    assert md.startswith("# Social-media strategy outline\n")
    assert classifier.classify(plans.en)["summary"] in md  # built from the same result


def test_english_docx_is_left_to_right(client: TestClient, plans) -> None:
    response = client.post("/v1/outline", json={"text": plans.en, "format": "docx"})
    assert response.status_code == 200
    assert b"w:bidi" not in docx.Document(io.BytesIO(response.content)).element.xml.encode()


def test_a_bad_format_is_a_validation_error(client: TestClient, plans) -> None:
    response = client.post("/v1/outline", json={"text": plans.en, "format": "pdf"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert "format" in error["message"]


def test_empty_text_is_refused_as_by_classify(client: TestClient) -> None:
    for text in ("", "   \n"):
        outline = client.post("/v1/outline", json={"text": text})
        classify = client.post("/v1/classify", json={"text": text})
        assert outline.status_code == classify.status_code == 422
        assert outline.json()["error"]["code"] == classify.json()["error"]["code"] == "empty_text"
    response = client.post("/v1/outline", json={"text": "..."})  # no letters: the library's rule
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "empty_text"


def test_same_limits_and_content_type_as_classify(make_app, plans) -> None:
    with TestClient(make_app(max_text_chars=50, max_body_bytes=2048)) as c:
        long = c.post("/v1/outline", json={"text": "خطة " * 20})
        assert long.status_code == 413 and long.json()["error"]["code"] == "text_too_long"
        big = c.post("/v1/outline", json={"text": "a" * 4000})
        assert big.status_code == 413 and big.json()["error"]["code"] == "body_too_large"
        form = c.post("/v1/outline", data={"text": plans.en})
        assert form.status_code == 415
        assert form.json()["error"]["code"] == "unsupported_media_type"


def test_upload(client: TestClient, plans, documents) -> None:
    data = documents.docx(plans.ar.split("\n"))
    response = client.post(
        "/v1/outline/file",
        files={"file": ("plan.docx", data, DOCX)},
        data={"format": "markdown"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"] == 'attachment; filename="plancheck-outline.md"'
    assert response.text.startswith("# مخطط استراتيجية التواصل الاجتماعي")
    default = client.post("/v1/outline/file", files={"file": ("plan.txt", plans.en.encode())})
    assert default.headers["content-type"] == DOCX


def test_upload_refusals_are_the_classify_ones(client: TestClient) -> None:
    cases = [
        (("plan.doc", b"old"), 415, "unsupported_file_type"),
        (("plan.docx", b"not a zip"), 422, "unreadable_document"),
        (("plan.txt", b"  "), 422, "no_text"),
    ]
    for file, status, code in cases:
        for path in ("/v1/outline/file", "/v1/classify/file"):
            response = client.post(path, files={"file": file})
            assert response.status_code == status, (path, response.text)
            assert response.json()["error"]["code"] == code
    bad = client.post("/v1/outline/file", files={"file": ("p.txt", b"x")}, data={"format": "rtf"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "validation_error"


def test_in_the_openapi_document(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/v1/outline", "/v1/outline/file"):
        op = spec["paths"][path]["post"]
        assert "eight strategy elements" in op["description"]
        assert set(op["responses"]["200"]["content"]) == {DOCX, "text/markdown"}
        assert {"413", "415", "422"} <= set(op["responses"])
    body = spec["paths"]["/v1/outline"]["post"]["requestBody"]["content"]["application/json"]
    schema = spec["components"]["schemas"][body["schema"]["$ref"].rsplit("/", 1)[1]]
    assert schema["properties"]["format"]["enum"] == ["docx", "markdown"]
