"""An Arabic plan exported to PDF by LibreOffice gets the verdict of the text it was made from.

The PDFs are made at test time (see ``tests/code/test_pdf_libreoffice.py``; skipped without
``soffice``). The model is the one in ``PLANCHECK_MODELS_DIR`` when that is set (e.g. a
trained ``models/``), else the session's quick model of ``tests/model/conftest.py``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from plancheck import load_model
from plancheck.errors import ModelIntegrityError, ModelNotFoundError
from plancheck.reading import read_document
from tests.builders import rtl_docx
from tests.code.test_pdf_libreoffice import DOCX_SOURCES, make_arabic_pdfs
from tests.model.test_behaviour import (
    RAMADAN_CALLED_STRATEGY_AR,
    THREE_YEARS_CALLED_CAMPAIGN_AR,
)

SOURCES: dict[str, bytes] = {
    **{name: data for name, (_, data) in DOCX_SOURCES.items()},
    "ramadan_strategy.docx": rtl_docx(RAMADAN_CALLED_STRATEGY_AR.split("\n")),
    "three_years_campaign.docx": rtl_docx(THREE_YEARS_CALLED_CAMPAIGN_AR.split("\n")),
}


@pytest.fixture(scope="module")
def model(request: pytest.FixtureRequest):
    folder = os.environ.get("PLANCHECK_MODELS_DIR")
    if not folder:
        return request.getfixturevalue("classifier")
    try:
        return load_model(models_dir=folder)
    except (ModelNotFoundError, ModelIntegrityError) as exc:
        pytest.skip(f"no usable model in PLANCHECK_MODELS_DIR={folder}: {exc}")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return make_arabic_pdfs(tmp_path_factory.mktemp("libreoffice"), SOURCES)


@pytest.mark.parametrize("name", list(SOURCES))
def test_pdf_verdict_equals_the_source_verdict(model, pdfs: dict[str, bytes], name: str) -> None:
    """Same label; same missing elements once the PDF's blank lines are closed up.

    A PDF shows paragraphs apart (pypdf's layout reading puts a blank line between them)
    and a .docx reads one paragraph a line; the blank lines alone can move an element
    (measured: ``budget`` in campaign_rtl.docx with the model of 2026-12-03).
    """
    source = model.classify(read_document(SOURCES[name], name))
    text = read_document(pdfs[name], Path(name).with_suffix(".pdf").name)
    assert model.classify(text)["label"] == source["label"]
    closed_up = re.sub(r"\n\s*\n", "\n", text)
    assert model.classify(closed_up)["missing"] == source["missing"]
