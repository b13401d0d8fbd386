"""schemathesis generates requests from the OpenAPI document and sends them to the app in-process: valid
requests (positive) and requests the document says are invalid (negative), for every operation. The answers
must be what the document says (status, content type, headers, body schema), no input may make the API answer
500, and every request the document calls invalid must be refused.

Bounded by default (FUZZ_EXAMPLES examples per operation and mode, 25); raise it for a longer hunt, e.g.
``FUZZ_EXAMPLES=500 pytest tests/web/test_api_fuzz.py``. Random locally (finds new inputs); fixed in CI (a red
build means a change broke something, not luck)."""
import os
from datetime import UTC, datetime

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from caseflow.services import integrations
from tests.conftest import VALID_FORM

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance, negative_data_rejection]


def test_every_operation_answers_as_documented_and_refuses_what_the_document_calls_invalid(
        app, offices, make_user, submit):
    officer = make_user("officer", offices["samhallsbyggnad"])
    token = integrations.create_token("fuzz", ["submit", "read-own", "officer"], datetime.now(UTC), officer)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)

    @schema.auth()
    class Bearer:  # schemathesis sets it, so a negative case may leave the token out on purpose
        def get(self, case, context):
            return token

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    failures: dict[str, str] = {}
    operations = 0

    def fuzz(operation, mode):
        fixed = {}
        if mode is GenerationMode.POSITIVE and "{reference}" in operation.path:
            # a case of the officer's office, so that valid requests get past the 404 to the operation itself
            fixed = {"path_parameters": {"reference": submit(**{**VALID_FORM, "subject": "Fuzz"}).reference}}

        @given(case=operation.as_strategy(generation_mode=mode, **fixed))
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=bool(os.environ.get("CI")),
                  suppress_health_check=list(HealthCheck))
        def run(case):
            response = case.call()
            try:
                case.validate_response(response, checks=CHECKS)
            except FailureGroup as group:  # collected: one example of each kind of failure per operation and mode
                for failure in group.exceptions:
                    failures.setdefault(f"{operation.label} [{mode.value}] {failure.title}",
                                        f"{failure.message}\n  request: {case.headers!r} {case.query!r} "
                                        f"{case.body!r}\n  answer: {response.status_code} {response.text[:300]}")

        try:
            run()
        except Unsatisfiable:  # nothing in the request can be invalid (no parameters, no body)
            nothing_to_negate.add(operation.label)

    nothing_to_negate: set[str] = set()
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzz(operation, mode)
    assert operations >= 9  # every documented operation was exercised
    assert nothing_to_negate <= {"GET /api/v1/kinds", "GET /api/v1/categories"}
    assert failures == {}, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
