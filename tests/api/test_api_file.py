"""POST /v1/classify/file: every supported type, and every way an upload can be bad."""

from __future__ import annotations

import codecs
import io
import zipfile

import pytest
from fastapi.testclient import TestClient

from tests.api.test_api_classify import assert_error, assert_result_shape
from tests.builders import hostile_docx


def upload(client: TestClient, name: str, data: bytes, include_text: bool = False, **kw):
    params = {"include_text": "true"} if include_text else None
    return client.post(
        "/v1/classify/file",
        files={"file": (name, data, "application/octet-stream")},
        params=params,
        **kw,
    )


@pytest.mark.parametrize(
    "name, encode",
    [
        ("plan.txt", lambda s: s.encode("utf-8")),
        ("plan.md", lambda s: codecs.BOM_UTF8 + s.encode("utf-8")),
        ("plan.TXT", lambda s: s.encode("utf-16")),
        ("plan.txt", lambda s: s.encode("cp1256")),
    ],
    ids=["utf-8", "md-utf-8-bom", "utf-16-bom", "windows-1256"],
)
def test_arabic_text_files(client: TestClient, plans, classifier, name, encode) -> None:
    response = upload(client, name, encode(plans.ar))
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["filename"] == name
    assert result["language"] == "ar"
    assert result["label"] == classifier.classify(plans.ar)["label"]
    assert "text" not in result


def test_docx(client: TestClient, plans, documents, classifier) -> None:
    lines = plans.en.split("\n")
    data = documents.docx(lines[:2], table=[["Budget", lines[2]]])
    response = upload(client, "plan.docx", data, include_text=True)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["filename"] == "plan.docx"
    assert "Budget | " + lines[2] in result["text"]
    assert_result_shape(result, result["text"])
    assert result["label"] == classifier.classify(result["text"])["label"]


def test_pdf(client: TestClient, plans, documents) -> None:
    lines = plans.en.split("\n")
    response = upload(client, "plan.pdf", documents.pdf(lines), include_text=True)
    assert response.status_code == 200, response.text
    result = response.json()
    for line in lines:
        assert line in result["text"]
    assert result["language"] == "en"
    assert_result_shape(result, result["text"])


def test_spans_point_into_the_returned_text(client: TestClient, plans) -> None:
    result = upload(client, "plan.txt", plans.ar.encode(), include_text=True).json()
    assert result["text"] == plans.ar
    for element in result["elements"]:
        for (start, end), evidence in zip(element["spans"], element["evidence"], strict=True):
            assert evidence.strip() in result["text"][start:end] or (
                result["text"][start:end].strip() in evidence
            )


@pytest.mark.parametrize("name", ["plan.doc", "plan.exe", "plan", "plan.html", "plan.rtf"])
def test_unsupported_file_type(client: TestClient, name: str) -> None:
    error = assert_error(upload(client, name, b"hello"), 415, "unsupported_file_type")
    assert ".pdf" in error["message"]


def test_docx_that_is_not_a_zip(client: TestClient) -> None:
    assert_error(upload(client, "plan.docx", b"plain text"), 422, "unreadable_document")


def test_zip_that_is_not_a_docx(client: TestClient) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", "hello")
    assert_error(upload(client, "plan.docx", buf.getvalue()), 422, "unreadable_document")


@pytest.mark.parametrize(
    "declared", [2000, None], ids=["forged-sizes", "honest-bomb-under-old-guard"]
)
def test_zip_bomb_docx_is_413(client: TestClient, declared: int | None) -> None:
    """Issue 12: the guard trusted declared sizes; now what is inflated is capped."""
    data = hostile_docx(40 * 2**20, declared=declared)
    assert_error(upload(client, "plan.docx", data), 413, "document_too_large")


@pytest.mark.parametrize(
    "data",
    [b"not a pdf at all", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog"],
    ids=["no-header", "truncated"],
)
def test_corrupt_pdf(client: TestClient, data: bytes) -> None:
    response = upload(client, "plan.pdf", data)
    assert response.status_code == 422
    assert response.json()["error"]["code"] in ("unreadable_document", "no_text")


def test_pdf_without_text(client: TestClient, documents) -> None:
    data = documents.pdf(raw_content=b"0 0 m 300 300 l S")
    error = assert_error(upload(client, "scan.pdf", data), 422, "no_text")
    assert "no extractable text" in error["message"]


def test_undecodable_text_file(client: TestClient) -> None:
    assert_error(upload(client, "plan.txt", bytes(range(256)) * 4), 422, "unreadable_document")


def test_empty_file(client: TestClient) -> None:
    assert_error(upload(client, "plan.txt", b""), 422, "no_text")


def test_text_from_file_over_the_limit(make_app) -> None:
    with TestClient(make_app(max_text_chars=100)) as c:
        assert_error(upload(c, "plan.txt", b"strategy " * 50), 413, "text_too_long")


def test_upload_over_the_limit(make_app) -> None:
    with TestClient(make_app(max_upload_bytes=4096)) as c:
        assert_error(upload(c, "plan.txt", b"a" * 10_000), 413, "body_too_large")
        assert upload(c, "plan.txt", b"strategy for three years").status_code == 200


def test_upload_limit_is_separate_from_the_json_limit(make_app, plans) -> None:
    data = (plans.en + "\n") * 30  # ~4.5 kB: over the JSON limit, under the upload limit
    with TestClient(make_app(max_body_bytes=2048, max_upload_bytes=64_000)) as c:
        assert upload(c, "plan.txt", data.encode()).status_code == 200


def test_missing_file_field(client: TestClient) -> None:
    response = client.post("/v1/classify/file", files={"document": ("a.txt", b"hello")})
    error = assert_error(response, 422, "validation_error")
    assert "file" in error["message"]


def test_json_sent_to_the_file_endpoint(client: TestClient) -> None:
    response = client.post("/v1/classify/file", json={"text": "hello"})
    error = assert_error(response, 415, "unsupported_media_type")
    assert "multipart/form-data" in error["message"]


def test_broken_multipart(client: TestClient) -> None:
    response = client.post(
        "/v1/classify/file",
        content=b'--xyz\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc',
        headers={"Content-Type": "multipart/form-data; boundary=xyz"},
    )
    assert 400 <= response.status_code < 500
    assert "error" in response.json()


def test_streamed_upload_over_the_limit(make_app) -> None:
    """A chunked upload (no Content-Length) is cut off once it passes the limit."""
    boundary = "plancheckboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    ).encode()

    def chunks():
        yield head
        for _ in range(20):
            yield b"strategy " * 100
        yield f"\r\n--{boundary}--\r\n".encode()

    with TestClient(make_app(max_upload_bytes=4096)) as c:
        response = c.post(
            "/v1/classify/file",
            content=chunks(),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
    assert_error(response, 413, "body_too_large")
