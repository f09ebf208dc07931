"""One REST endpoint per registry question, built in a loop over `QUESTIONS`.

`PATHS` says where each question lives; its subject is the path's one `{placeholder}` (or the
`path` query parameter for files) and its options are query parameters, with `now`. Each
endpoint opens the store read-only, calls `documents.answer_document` and returns exactly the
document `--json` prints.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from teammemory.api import documents
from teammemory.api.parameters import NOW, OPTIONS, Param, now_of, params_of
from teammemory.config import Config
from teammemory.errors import InputError
from teammemory.outputs.commands_agents import BOUNDS
from teammemory.outputs.questions import QUESTIONS
from teammemory.store import Reader

PATHS: dict[str, str] = {
    "issue-context": "/issues/{key}/context",
    "pr-context": "/prs/{number}/context",
    "file-context": "/files/context",
    "file-experts": "/files/experts",
    "component-experts": "/components/{name}/experts",
    "file-risk": "/files/risk",
    "component-risk": "/components/{name}/risk",
    "risky-files": "/risky-files",
    "review-suggest": "/prs/{number}/reviewers",
    "onboarding": "/components/{name}/onboarding",
    "hygiene": "/hygiene",
    "components": "/components",
    "why-changed": "/why-changed",
    "bus-factor": "/bus-factor",
    "coupling": "/files/coupling",
    "why": "/files/why",
    "similar": "/similar",
    "incidents": "/incidents",
    "timeline": "/timeline",
}

Opener = Callable[[], AbstractContextManager[Reader]]


class AnswerDocument(BaseModel):
    """What `--json` prints: the question, the moment that counted as now, and the result."""

    question: str
    now: str
    result: dict[str, Any]


class ErrorDetail(BaseModel):
    """What `--json` prints on failure: a stable code, the message, the argument at fault, and
    the close matches a not-found offers."""

    code: str
    message: str
    argument: str | None
    suggestions: list[str]


class ErrorDocument(BaseModel):
    """Every error: `ok` false, the error, and the HTTP status."""

    ok: bool
    error: ErrorDetail
    status: int


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorDocument, "description": text} for code, text in
    ((401, "Missing or wrong bearer token"), (404, "Not in the store (with close matches)"),
     (422, "A bad parameter, named"), (503, "The store cannot be read"))}


def annotation(param: Param, where: str) -> Any:
    """The FastAPI annotation of a parameter: its type, its place (path or query), its bounds."""
    low, high = param.bounds or (None, None)
    place = Path if where == "path" else Query
    extra: dict[str, Any] = {"min_length": 1} if param.required and param.type is str else {}
    info = place(description=param.help, ge=low, le=high, **extra)
    base: Any = Literal[param.choices] if param.choices else param.type
    kind: Any = base if param.required else (base | None)
    return Annotated[kind, info]


def signature(path: str, subject: Param | None, options: tuple[Param, ...]) -> inspect.Signature:
    """The endpoint's signature as FastAPI reads it (it builds the OpenAPI document from it)."""
    params = [inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request)]
    if subject is not None:
        where = "path" if "{" in path else "query"
        default = inspect.Parameter.empty if subject.required else None  # an optional subject (scope)
        params.append(inspect.Parameter(subject.name, inspect.Parameter.KEYWORD_ONLY, default=default,
                                        annotation=annotation(subject, where)))
    for p in (*options, NOW):  # an option may be required too (timeline's `since`)
        params.append(inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY,
                                        default=inspect.Parameter.empty if p.required else None,
                                        annotation=annotation(p, "query")))
    return inspect.Signature(params, return_annotation=JSONResponse)


def question_endpoint(name: str, open_reader: Opener, config: Config) -> Callable[..., JSONResponse]:
    """The endpoint of question `name` (a plain function: FastAPI runs it in its thread pool)."""
    subject, options = params_of(QUESTIONS[name])
    known = {p.name for p in (*options, NOW)} | ({subject.name} if subject is not None else set())

    def endpoint(request: Request, **given: Any) -> JSONResponse:
        unknown = sorted(set(request.query_params) - known)
        if unknown:  # refused, not ignored, as the CLI refuses an option: `repo` must never be dropped silently
            raise InputError(unknown[0], f"{name} does not take this parameter (it takes {', '.join(sorted(known))})")
        now = now_of(given.pop("now"))
        value = given.pop(subject.name) if subject is not None else None
        documents.check_question(name, value, given)
        with open_reader() as db:
            doc = documents.answer_document(db, name, value, now=now, config=config, options=given)
        return JSONResponse(doc)

    endpoint.__name__ = name.replace("-", "_")
    endpoint.__doc__ = QUESTIONS[name].help
    return endpoint


def question_routes(open_reader: Opener, config: Config) -> APIRouter:
    """Every registry question as a GET endpoint at its PATHS entry, and POST /reviewers."""
    router = APIRouter(tags=["questions"])
    for name, question in QUESTIONS.items():
        path = PATHS[name]
        subject, options = params_of(question)
        endpoint = question_endpoint(name, open_reader, config)
        endpoint.__signature__ = signature(path, subject, options)  # type: ignore[attr-defined]
        router.add_api_route(path, endpoint, methods=["GET"], name=name, summary=question.help,
                             response_model=AnswerDocument, responses=ERRORS, response_class=JSONResponse)
    router.add_api_route("/reviewers", reviewers_endpoint(open_reader, config), methods=["POST"],
                         name="reviewers", summary="Reviewer candidates for a change given as its files or a"
                         " unified diff: review-suggest --files / review-suggest - as JSON.",
                         response_model=AnswerDocument, responses=ERRORS, response_class=JSONResponse)
    return router


Path_ = Annotated[str, Field(min_length=1, max_length=4096)]


class ReviewersBody(BaseModel):
    """POST /reviewers: a change as its `files` or as a unified `diff` (exactly one of them)."""

    model_config = ConfigDict(extra="forbid")

    files: list[Path_] | None = Field(None, min_length=1, description="The changed paths (review-suggest --files).")
    diff: str | None = Field(None, description="A unified diff, e.g. the output of `git diff` (review-suggest -).")
    authors: list[Annotated[str, Field(min_length=1)]] | None = Field(
        None, description="Who wrote the change (emails or person keys): never suggested.")
    repo: str | None = Field(None, description=OPTIONS["repo"].help)
    now: str | None = Field(None, description=NOW.help)
    limit: int | None = Field(None, ge=BOUNDS["limit"].low, le=BOUNDS["limit"].high, description=OPTIONS["limit"].help)
    include_inactive: bool | None = Field(None, description=OPTIONS["include_inactive"].help)
    scoring: Literal["fading", "article"] | None = Field(None, description=OPTIONS["scoring"].help)


def reviewers_endpoint(open_reader: Opener, config: Config) -> Callable[[ReviewersBody], JSONResponse]:
    """POST /reviewers: exactly the document `review-suggest --files ... --json` (or `-`) prints."""

    def reviewers(body: ReviewersBody) -> JSONResponse:
        if (body.files is None) == (body.diff is None):
            raise InputError("diff" if body.files is not None else "files",
                             "give exactly one of `files` (a list of paths) or `diff` (a unified diff)")
        now = now_of(body.now)
        options = body.model_dump(exclude={"now"}, exclude_none=True)
        documents.check_question("review-suggest", None, options)
        with open_reader() as db:
            doc = documents.answer_document(db, "review-suggest", None, now=now, config=config, options=options)
        return JSONResponse(doc)

    return reviewers

