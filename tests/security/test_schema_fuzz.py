"""Schema-driven fuzzing (schemathesis) of every operation of /api/openapi.json against a served process, once per
role with valid tokens: anonymous, an applicant, a reviewer, an admin and a signed partner. Each operation gets at
least FUZZ_EXAMPLES generated requests (valid and invalid), then a stateful run follows the links of the document.
Every answer must be below 500 and match the document: status code, content type, headers and body schema."""
from __future__ import annotations

import asyncio
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.checks import not_a_server_error

from tests.conftest import PG_URL, _drop_postgres_database, _fresh_postgres_database
from tests.security.fuzz_server import FuzzServer, document, partner_headers
from tests.security.test_access_matrix import MATRIX

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))
FUZZ_LOG = os.environ.get("FUZZ_LOG")  # a file: every request's role, operation and status
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
# Moving the shared mock clock ahead expires every token of the server: fuzzed on a server of its own.
CLOCK_MOVERS = {("POST", "/mock/clock/advance")}
ROLE_COLUMN = {"anonymous": "anonymous", "applicant": "owner", "reviewer": "reviewer", "admin": "admin",
               "partner": "partner"}

SCHEMA = schemathesis.openapi.from_dict(document())
# Ids of objects the fuzz server holds (filled when it starts): path parameters are often one of these, so the
# fuzzer reaches past the 404 of a random id into each handler.
KNOWN: dict[str, list[str]] = {}


@SCHEMA.hook
def flatmap_path_parameters(context, path_parameters):
    """Each path parameter as generated, or the id of an object the server holds."""
    options = [st.just(path_parameters)]
    for name in path_parameters or {}:
        for value in KNOWN.get(name, []):
            options.append(st.just({**path_parameters, name: value}))
    return st.one_of(options)


def _allowed(role: str):
    """Operations `role` may call by the access matrix (anonymous: every operation, to meet every refusal too)."""
    column = ROLE_COLUMN[role]

    def matches(ctx) -> bool:
        key = (ctx.operation.method.upper(), ctx.operation.path)
        if key in CLOCK_MOVERS:
            return False
        if role == "anonymous":
            return True
        wanted = MATRIX[key][column] == "ok"
        # the public operations are fuzzed once, anonymously; officers and partners fuzz their own
        return wanted and MATRIX[key]["anonymous"] != "ok"

    return matches


FUZZ_SETTINGS = settings(
    max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, database=None,
    suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate],
)


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory):
    """One served Kaiban process (mock mode, rate limits raised) with a token for every role, on PostgreSQL when
    TEST_DATABASE_URL is set (it refuses what SQLite takes, such as NUL in text), else on SQLite."""
    folder = tmp_path_factory.mktemp("fuzz")
    url = asyncio.run(_fresh_postgres_database()) if PG_URL else f"sqlite://{folder}/kaiban.sqlite3"
    try:
        with FuzzServer.start(folder, database_url=url) as server:
            KNOWN.update(server.known)
            yield server
            KNOWN.clear()
    finally:
        if PG_URL:
            asyncio.run(_drop_postgres_database(url))


@pytest.fixture(scope="module")
def clock_server(tmp_path_factory):
    """A served process of its own for the operations that move the shared mock clock (and so expire its tokens)."""
    folder = tmp_path_factory.mktemp("fuzz-clock")
    with FuzzServer.start(folder, database_url=f"sqlite://{folder}/kaiban.sqlite3") as server:
        yield server


def _call(case, server: FuzzServer, role: str) -> None:
    headers = {"Accept-Language": "en"}
    if role == "partner":
        kwargs = case.as_transport_kwargs(base_url=server.base)
        headers.update(partner_headers(server, method=kwargs["method"], url=kwargs["url"], body=kwargs.get("data")))
    elif role != "anonymous":
        headers["Authorization"] = f"Bearer {server.tokens[role]}"
    response = case.call(base_url=server.base, session=server.session, headers=headers, timeout=30)
    if FUZZ_LOG:  # one line a request, for counting examples and statuses per operation and role
        with open(FUZZ_LOG, "a", encoding="utf-8") as log:
            log.write(f"{role}\t{case.method}\t{case.path}\t{response.status_code}\n")
    case.validate_response(response, checks=CHECKS, headers=headers)


def _fuzz_test(role: str):
    @SCHEMA.include(_allowed(role)).parametrize()
    @FUZZ_SETTINGS
    def test(case, fuzz_server) -> None:
        _call(case, fuzz_server, role)

    test.__name__ = f"test_fuzz_as_{role}"
    test.__doc__ = f"Every operation {role} may call: no 5xx, every answer as documented."
    return test


@SCHEMA.include(lambda ctx: (ctx.operation.method.upper(), ctx.operation.path) in CLOCK_MOVERS).parametrize()
@FUZZ_SETTINGS
def test_fuzz_the_mock_clock(case, clock_server) -> None:
    """Moving the mock clock by any amount: no 5xx, every answer as documented."""
    _call(case, clock_server, "anonymous")


test_fuzz_as_anonymous = _fuzz_test("anonymous")
test_fuzz_as_applicant = _fuzz_test("applicant")
test_fuzz_as_reviewer = _fuzz_test("reviewer")
test_fuzz_as_admin = _fuzz_test("admin")
test_fuzz_as_partner = _fuzz_test("partner")


STATEFUL_SETTINGS = settings(
    max_examples=int(os.environ.get("FUZZ_STATEFUL_EXAMPLES", "25")), stateful_step_count=8, deadline=None,
    derandomize=True, database=None, suppress_health_check=list(HealthCheck),
)


def test_the_document_links_a_created_application_to_its_steps() -> None:
    links = SCHEMA.raw_schema["paths"]["/api/v1/applications"]["post"]["responses"]["201"]["links"]
    assert len(links) >= 15 and all(link["parameters"] == {"path.id": "$response.body#/id"} for link in links.values())


def test_stateful_sequences_as_applicant(fuzz_server) -> None:
    """Sequences that follow the links: create an application, then call its steps with its id."""
    machine = SCHEMA.include(_allowed("applicant")).as_state_machine()
    headers = {"Accept-Language": "en", "Authorization": f"Bearer {fuzz_server.tokens['applicant']}"}

    class Applicant(machine):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case):
            return {"base_url": fuzz_server.base, "session": fuzz_server.session, "headers": headers, "timeout": 30}

        def validate_response(self, response, case, additional_checks=None, **kwargs) -> None:
            if FUZZ_LOG:
                with open(FUZZ_LOG, "a", encoding="utf-8") as log:
                    log.write(f"stateful\t{case.method}\t{case.path}\t{response.status_code}\n")
            case.validate_response(response, checks=CHECKS, headers=headers)

    Applicant.run(settings=STATEFUL_SETTINGS)
