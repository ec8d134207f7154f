"""The strategy outline of a plan, as a file to download (.docx or .md).

The input is the one of ``/v1/classify`` (JSON text) or ``/v1/classify/file`` (an upload),
checked by the same code; the outline is built by the library (``plancheck.outline``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Form, Request, UploadFile
from fastapi.responses import Response

from api.deps import ClassifierDep, SettingsDep
from api.routes.classify import FILE_DESCRIPTION, FILE_ERRORS, JSON_ERRORS, read_upload
from api.schemas import OUTLINE_EXAMPLES, OutlineFormat, OutlineRequest
from plancheck.outline import FORMATS, build_outline, render_outline
from plancheck.records import check_text

router = APIRouter(prefix="/v1/outline", tags=["outline"])

#: The file name a browser saves the outline under, per format.
FILENAMES = {fmt: f"plancheck-outline{suffix}" for fmt, (_, suffix) in FORMATS.items()}

_OK: dict[int | str, dict[str, Any]] = {
    200: {
        "description": (
            "The outline as a file to save (`Content-Disposition: attachment`): "
            "`plancheck-outline.docx` or `plancheck-outline.md`."
        ),
        "content": {
            FORMATS["docx"][0]: {"schema": {"type": "string", "format": "binary"}},
            "text/markdown": {"schema": {"type": "string"}},
        },
        "headers": {
            "Content-Disposition": {
                "description": 'attachment; filename="plancheck-outline.docx" (or .md)',
                "schema": {"type": "string"},
            }
        },
    }
}
_DESCRIPTION = (
    "The outline is written in the text's language (Arabic for Arabic and mixed texts, English "
    "for English ones): the verdict and summary, then each of the eight strategy elements with "
    "the sentences that state it, or two or three questions the client must answer to complete "
    "it. A campaign also gets *Where this campaign sits in a strategy*; a text that is not a "
    "plan gets the verdict and summary only. An Arabic DOCX is right to left throughout. "
    "Refusals are those of the classify endpoints, with the same codes."
)


def _file(request: Request, result: dict[str, Any], fmt: str) -> Response:
    request.state.label = result["label"]  # for the access log (never the text)
    media_type = FORMATS[fmt][0]
    return Response(
        render_outline(build_outline(result), fmt),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{FILENAMES[fmt]}"'},
    )


@router.post(
    "",
    response_class=Response,
    responses={**_OK, **JSON_ERRORS},
    description=_DESCRIPTION,
)
def outline(
    body: Annotated[OutlineRequest, Body(openapi_examples=OUTLINE_EXAMPLES)],
    model: ClassifierDep,
    settings: SettingsDep,
    request: Request,
) -> Response:
    """Classify one text and return its strategy outline as a .docx or .md file."""
    text = check_text(body.text, settings.max_text_chars)
    result = request.app.state.batcher.classify(model, text)
    return _file(request, result, body.format)


@router.post(
    "/file",
    response_class=Response,
    responses={**_OK, **FILE_ERRORS},
    description=_DESCRIPTION,
)
def outline_file(
    file: Annotated[UploadFile, File(description=FILE_DESCRIPTION)],
    model: ClassifierDep,
    settings: SettingsDep,
    request: Request,
    format: Annotated[OutlineFormat, Form(description="`docx` (default) or `markdown`.")] = "docx",
) -> Response:
    """Classify an uploaded .txt, .md, .docx or .pdf document and return its outline file."""
    text, _ = read_upload(file, settings)
    return _file(request, model.classify(text), format)
