"""Property-based tests against the app's own OpenAPI schema (schemathesis 4).

Schemathesis' documented ``schema.as_strategy()`` with Hypothesis' ``@given`` (its pytest
loader ``from_fixture`` breaks on pytest 9: it writes ``Function._nodeid``). The schema comes
from the same app fixture as every other API test, so the one ``classifier`` fixture decides
the model here too.

Bounded: per operation, ``POSITIVE`` schema-valid cases and ``NEGATIVE`` schema-violating
cases (the operations without inputs get positive cases only) — about 350 requests. Every
response must be documented, match its schema and content type, and never be a 5xx.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

POSITIVE = 50
NEGATIVE = 30
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
WITH_INPUT = [
    "POST /v1/classify",
    "POST /v1/classify/batch",
    "POST /v1/classify/file",
    "POST /v1/outline",
    "POST /v1/outline/file",
]
WITHOUT_INPUT = ["GET /v1/model", "POST /v1/admin/reload", "GET /healthz", "GET /readyz"]


@pytest.fixture
def api_schema(make_app):
    app = make_app(max_body_bytes=256 * 1024, max_upload_bytes=256 * 1024)
    app.state.models.load()  # what the lifespan does at start-up
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_every_operation_is_fuzzed(api_schema) -> None:
    labels = {result.ok().label for result in api_schema.get_all_operations()}
    assert labels == set(WITH_INPUT + WITHOUT_INPUT)


def _run(api_schema, label: str, mode: GenerationMode, examples: int) -> None:
    operation = api_schema.find_operation_by_label(label)
    assert operation is not None, label

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def check(case) -> None:
        case.call_and_validate(checks=CHECKS)

    check()


@pytest.mark.parametrize("label", WITH_INPUT + WITHOUT_INPUT)
def test_schema_valid_requests(api_schema, label: str) -> None:
    _run(api_schema, label, GenerationMode.POSITIVE, POSITIVE)


@pytest.mark.parametrize("label", WITH_INPUT)
def test_schema_violating_requests(api_schema, label: str) -> None:
    _run(api_schema, label, GenerationMode.NEGATIVE, NEGATIVE)
