"""schemathesis generates requests from the OpenAPI document and sends them to the app in-process: no
generated input may make the API answer 500 (bounded: a few dozen examples per operation)."""
from datetime import UTC, datetime

import schemathesis
from hypothesis import HealthCheck, given, settings

from caseflow.services import integrations

EXAMPLES = int(__import__("os").environ.get("FUZZ_EXAMPLES", "25"))


def test_no_generated_input_makes_the_api_answer_500(app, offices, make_user):
    officer = make_user("officer", offices["samhallsbyggnad"])
    token = integrations.create_token("fuzz", ["submit", "read-own", "officer"], datetime.now(UTC), officer)
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures, operations = [], 0
    def fuzz(operation):
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def run(case):
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures.append(f"{operation.label}: {response.status_code} for {case.body!r} {case.query!r}")

        run()

    for result in schema.get_all_operations():
        operations += 1
        fuzz(result.ok())
    assert operations >= 9  # every documented operation was exercised
    assert failures == []
