"""The API's settings: one ``BaseSettings``, read from ``PLANCHECK_*`` environment variables.

| variable | default | meaning |
|---|---|---|
| ``PLANCHECK_MODELS_DIR`` | ``plancheck.config.MODELS_DIR`` | folder holding ``current`` and the model versions |
| ``PLANCHECK_MAX_TEXT_CHARS`` | 100000 | longest text classified (never above the library's limit) |
| ``PLANCHECK_MAX_BODY_BYTES`` | 2 MiB | largest JSON request body (413 beyond) |
| ``PLANCHECK_MAX_UPLOAD_BYTES`` | 10 MiB | largest multipart upload to ``/v1/classify/file`` or ``/v1/outline/file`` (413 beyond) |
| ``PLANCHECK_MAX_BATCH_ITEMS`` | 100 | most items in one ``/v1/classify/batch`` request (413 beyond) |
| ``PLANCHECK_HOST`` / ``PLANCHECK_PORT`` | 127.0.0.1 / 8000 | where ``python -m api.main`` and ``python -m api.serve`` listen |
| ``PLANCHECK_LOG_LEVEL`` | INFO | level of the JSON request log |
| ``PLANCHECK_API_KEY`` | unset | when set, every ``/v1/*`` request needs it in ``X-API-Key`` |
| ``PLANCHECK_ALLOWED_HOSTS`` | 127.0.0.1, localhost, ::1 and ``PLANCHECK_HOST`` | comma-separated ``Host`` names answered (``*`` for any); others get 400 ``invalid_host`` |
| ``PLANCHECK_ALLOWED_ORIGINS`` | none | comma-separated origins (``https://app.example``) whose pages may POST besides the server's own |
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from plancheck import config


class Settings(BaseSettings):
    """Everything the API can be configured with; nothing else reads the environment."""

    model_config = SettingsConfigDict(env_prefix="PLANCHECK_", extra="ignore")

    models_dir: Path = Field(
        default=config.MODELS_DIR, description="Folder holding `current` and model versions."
    )
    max_text_chars: int = Field(
        default=config.MAX_TEXT_CHARS,
        ge=1,
        le=config.MAX_TEXT_CHARS,
        description="Longest text classified, in characters.",
    )
    max_body_bytes: int = Field(
        default=2 * 1024 * 1024, ge=1024, description="Largest JSON request body in bytes."
    )
    max_upload_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1024, description="Largest file upload request in bytes."
    )
    max_batch_items: int = Field(
        default=100, ge=1, le=10_000, description="Most items in one batch request."
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    api_key: SecretStr | None = Field(
        default=None, description="When set, `/v1/*` requests must send it as `X-API-Key`."
    )

    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default=list(config.ALLOWED_HOSTS),
        description="Host names answered besides `host` (comma-separated in the environment).",
    )
    allowed_origins: Annotated[list[str], NoDecode] = Field(
        default=[], description="Other sites' origins whose pages may send POST requests."
    )

    @field_validator("allowed_hosts", "allowed_origins", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    def trusted_hosts(self) -> frozenset[str]:
        """The ``Host`` names answered: the allowed list and the configured ``host`` (unless it
        is a wildcard address, which is no name a client sends)."""
        names = {h.strip().strip("[]").lower() for h in self.allowed_hosts}
        if self.host not in ("0.0.0.0", "::", ""):
            names.add(self.host.strip("[]").lower())
        return frozenset(names)

    @field_validator("api_key", mode="before")
    @classmethod
    def _empty_key_is_no_key(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    def describe(self) -> str:
        """The API description in the OpenAPI document, with the limits in force."""
        return (
            "Classifies a social-media marketing plan (Arabic, English or mixed) as a "
            "`strategy`, a `campaign` or `other`, and lists which of eight strategy "
            "elements it states, with evidence, and advice for the missing ones.\n\n"
            'Errors are `{"error": {"code", "message"}}` with a 4xx status. When the '
            "server sets `PLANCHECK_API_KEY`, `/v1/*` needs the `X-API-Key` header.\n\n"
            f"Limits: text {self.max_text_chars:,} characters; JSON body "
            f"{self.max_body_bytes:,} bytes; upload {self.max_upload_bytes:,} bytes; "
            f"batch {self.max_batch_items} items."
        )


@cache
def get_settings() -> Settings:
    """The settings from the environment, read once per process."""
    return Settings()
