"""The OpenAPI 3.1 document of /api/v1, kept beside the routes it describes. Request bodies and the ``limit``
parameter are written by the same field definitions the routes read them with (``fields``)."""
from __future__ import annotations

from ...domain import complaints, workflow
from ...services.casework import MESSAGE_LIMIT, OUTCOMES
from ...services.intake import LIMITS
from .fields import Choice, Count, Id, Text, body_schema

ERROR = {"$ref": "#/components/schemas/Error"}

# What the API reads; routes.py reads request bodies with these, and the document below is written from them.
SUBMISSION = {
    "kind": Choice(workflow.KINDS, required=True),
    "category_id": Id(),
    "org_number": Text(20, required=True, example="556036-0793"),
    "company_name": Text(LIMITS["company_name"], required=True),
    "contact_name": Text(LIMITS["contact_name"], required=True),
    "contact_email": Text(LIMITS["contact_email"], required=True, email=True),
    "contact_phone": Text(LIMITS["contact_phone"]),
    "subject": Text(LIMITS["subject"], required=True),
    "description": Text(LIMITS["description"], required=True, one_line=False),
    "complaint_ground": Choice(complaints.ACCEPTED, nullable=True),
    "related_reference": Text(20, example="CF-2026-00012"),
    "priority": Choice(workflow.PRIORITIES, default="normal"),
    "language": Choice(("sv", "en"), default="sv"),
}
MESSAGE = {"body": Text(MESSAGE_LIMIT, required=True, one_line=False)}
# "duplicate" is the outcome of linking a case to its original, not one to choose
API_OUTCOMES = tuple(o for o in OUTCOMES if o != "duplicate")
DECISION = {"outcome": Choice(API_OUTCOMES, required=True), "text": Text(MESSAGE_LIMIT, required=True, one_line=False)}
CLOSING = {"outcome": Choice(API_OUTCOMES, required=True), "comment": Text(MESSAGE_LIMIT, one_line=False)}
LIMIT = Count(1, 200, 50)


def _resp(desc: str, schema: dict | None = None) -> dict:
    out: dict = {"description": desc}
    if schema is not None:
        out["content"] = {"application/json": {"schema": schema}}
    return out


ERRORS = {
    "400": _resp("The request cannot be read (e.g. a NUL character in the query or a header)", ERROR),
    "401": _resp("No or an unknown API token", ERROR), "403": _resp("The token lacks the scope", ERROR),
    "404": _resp("Not found, or not readable with this token", ERROR),
    "422": _resp("Invalid input; `fields` says which", ERROR), "429": _resp("Rate limit exceeded", ERROR),
}
REF = {"name": "reference", "in": "path", "required": True,
       "schema": {"type": "string", "pattern": "^CF-[0-9]{4}-[0-9]{5,}$"}, "example": "CF-2026-00012"}
LIMIT_PARAM = {"name": "limit", "in": "query", "schema": LIMIT.schema()}


def _json_body(fields: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": body_schema(fields)}}}


def document(server: str) -> dict:
    case = {"$ref": "#/components/schemas/Case"}
    row = {"$ref": "#/components/schemas/CaseRow"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "caseflow API", "version": "1.0.0",
                 "description": "File and follow company cases of Norrköping municipality. Token authentication "
                                "(`Authorization: Bearer cf_…`) with scopes submit, read-own and officer. Errors "
                                "are always `{\"error\": {\"code\", \"message\", \"fields\"}}`: `code` for programs, "
                                "`message` and each of `fields` sentences for people, in English, or in Swedish with "
                                "`Accept-Language: sv`. One rate limit per token for the whole API and Open311 "
                                "(429 when spent)."},
        "servers": [{"url": server}],
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/kinds": {"get": {"summary": "Case kinds and complaint grounds", "security": [],
                                      "responses": {"200": _resp("Kinds", {"type": "object"})}}},
            "/api/v1/categories": {"get": {"summary": "Categories (areas) and the kinds each accepts",
                                           "security": [], "responses": {"200": _resp("Categories",
                                                                                       {"type": "object"})}}},
            "/api/v1/cases": {
                "post": {
                    "summary": "Submit a case (scope submit)",
                    "parameters": [{"name": "Idempotency-Key", "in": "header", "required": False,
                                    "schema": {"type": "string", "maxLength": 200},
                                    "description": "The same key returns the same case, never a second one."}],
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Submission"}}}},
                    "responses": {"201": _resp("Created", case), "200": _resp("Same Idempotency-Key: the case",
                                                                               case),
                                  "409": _resp("Idempotency-Key reused with another body", ERROR), **ERRORS},
                },
                "get": {
                    "summary": "Cases of the officer's office, newest first (scope officer)",
                    "parameters": [{"name": "cursor", "in": "query", "schema": {"type": "string"}},
                                   LIMIT_PARAM,
                                   {"name": "status", "in": "query", "schema": {"type": "string"}},
                                   {"name": "q", "in": "query", "schema": {"type": "string"}}],
                    "responses": {"200": _resp("A page", {"type": "object", "properties": {
                        "cases": {"type": "array", "items": row},
                        "next_cursor": {"type": ["string", "null"]}}}), **ERRORS},
                },
            },
            "/api/v1/cases/{reference}": {"get": {
                "summary": "A case: status, public messages, clocks (read-own: own submissions; officer: office)",
                "parameters": [REF], "responses": {"200": _resp("The case", case), **ERRORS}}},
            "/api/v1/queue": {"get": {
                "summary": "The officer's queue, nearest deadline first (scope officer)",
                "parameters": [LIMIT_PARAM],
                "responses": {"200": _resp("Open cases", {"type": "object", "properties": {
                    "cases": {"type": "array", "items": row}}}), **ERRORS}}},
            "/api/v1/cases/{reference}/reply": {"post": {
                "summary": "Public reply to the company (scope officer)", "parameters": [REF],
                "requestBody": _json_body(MESSAGE),
                "responses": {"200": _resp("The case", case), "409": _resp("Not in this status", ERROR),
                              **ERRORS}}},
            "/api/v1/cases/{reference}/completion": {"post": {
                "summary": "Ask the company for completion: the case waits, pausable clocks pause (scope officer)",
                "parameters": [REF],
                "requestBody": _json_body(MESSAGE),
                "responses": {"200": _resp("The case", case), "409": _resp("Not in this status", ERROR),
                              **ERRORS}}},
            "/api/v1/cases/{reference}/decision": {"post": {
                "summary": "Record the decision, sent to the company (scope officer)", "parameters": [REF],
                "requestBody": _json_body(DECISION),
                "responses": {"200": _resp("The case", case), "409": _resp("Not in this status", ERROR),
                              **ERRORS}}},
            "/api/v1/cases/{reference}/notes": {"post": {
                "summary": "Internal note (scope officer)", "parameters": [REF],
                "requestBody": _json_body(MESSAGE),
                "responses": {"200": _resp("The case", case), **ERRORS}}},
            "/api/v1/cases/{reference}/close": {"post": {
                "summary": "Close with an outcome (scope officer)", "parameters": [REF],
                "requestBody": _json_body(CLOSING),
                "responses": {"200": _resp("The case", case), "409": _resp("Already closed", ERROR), **ERRORS}}},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {
                    "type": "object", "required": ["code", "message", "fields"], "properties": {
                        "code": {"type": "string"}, "message": {"type": "string"},
                        "fields": {"type": "object", "additionalProperties": {"type": "string"}}}}}},
                "Submission": body_schema(SUBMISSION),
                "Case": {"type": "object", "required": ["reference", "status", "messages", "clocks"], "properties": {
                    "reference": {"type": "string"}, "kind": {"type": "string"}, "status": {"type": "string"},
                    "office": {"type": "string"}, "subject": {"type": "string"},
                    "received_at": {"type": "string", "format": "date-time"},
                    "tracking_url": {"type": "string", "description": "Only in the 201 of a new submission"},
                    "messages": {"type": "array", "items": {"type": "object"}},
                    "clocks": {"type": "array", "items": {"type": "object"}}}},
                "CaseRow": {"type": "object", "properties": {
                    "reference": {"type": "string"}, "status": {"type": "string"}, "kind": {"type": "string"},
                    "subject": {"type": "string"}, "received_at": {"type": "string"},
                    "next_due_at": {"type": ["string", "null"]}, "assignee": {"type": ["string", "null"]}}},
            },
        },
    }
