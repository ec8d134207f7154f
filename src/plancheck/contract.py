"""The result shape of the contract (``docs/contract.md``) as types.

A result is a plain ``dict`` at run time (JSON-ready, what the API and batch write); these
``TypedDict``s let the type checker hold every producer and consumer to the same fields.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict


class Element(TypedDict):
    id: str
    present: bool
    score: float
    evidence: list[str]
    spans: list[list[int]]


class Advice(TypedDict):
    element: str
    message: str


class Signal(TypedDict):
    kind: str
    text: str
    days: NotRequired[float]
    every_days: NotRequired[float]
    start: NotRequired[int]
    end: NotRequired[int]
    #: ``channels`` only: the platforms named, by id (``instagram``, ``tiktok``…).
    platforms: NotRequired[list[str]]
    #: ``channels`` only: the words the text names them with, as written.
    words: NotRequired[list[str]]


class Reason(TypedDict):
    term: str
    weight: float
    source: NotRequired[str]


class Result(TypedDict):
    id: NotRequired[Any]
    label: str
    confidence: float
    probabilities: dict[str, float]
    language: str
    elements: list[Element]
    missing: list[str]
    advice: list[Advice]
    signals: list[Signal]
    reasons: list[Reason]
    summary: str
    model_version: str


class ErrorDetail(TypedDict):
    code: str
    message: str


class ItemError(TypedDict):
    """What stands in a batch for a document that could not be classified."""

    id: Any
    error: ErrorDetail
