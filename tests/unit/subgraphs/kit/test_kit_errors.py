"""Errors as clients see them: AppError extensions kept, anything else INTERNAL and logged."""

from __future__ import annotations

import logging
import re

import asyncpg  # type: ignore[import-untyped]
import pytest
import strawberry

from common.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from subgraphs.kit.schema import build_schema


@strawberry.type
class Query:
    @strawberry.field
    def missing(self) -> str:
        raise NotFound("No widget with id 3.", field="id")

    @strawberry.field
    def invalid(self) -> str:
        raise ValidationFailed.of([FieldProblem("a", "bad"), FieldProblem("b", "worse")])

    @strawberry.field
    async def clash(self) -> str:
        raise Conflict("Taken.", field="email")

    @strawberry.field
    def broken(self) -> str:
        raise ZeroDivisionError("secret internals")

    @strawberry.field
    def unstorable(self) -> str:
        # What SQLAlchemy raises when asyncpg refuses a value (out of int32 range, a NUL).
        try:
            raise asyncpg.exceptions.DataError("invalid input for query argument $1: 2**40")
        except asyncpg.exceptions.DataError as driver_error:
            raise RuntimeError("(sqlalchemy.dialects.postgresql.asyncpg.Error)") from driver_error

    @strawberry.field
    def fine(self) -> str:
        return "ok"

    @strawberry.field
    def gone(self) -> str | None:
        raise NotFound("Gone.")


schema = build_schema(query=Query)


async def only_error(query: str) -> dict:
    result = await schema.execute(query)
    assert result.errors is not None and len(result.errors) == 1
    return result.errors[0].formatted


@pytest.mark.parametrize(
    ("field", "extensions", "message"),
    [
        ("missing", {"code": "NOT_FOUND", "field": "id"}, "No widget with id 3."),
        ("clash", {"code": "CONFLICT", "field": "email"}, "Taken."),
        (
            "invalid",
            {
                "code": "VALIDATION_FAILED",
                "field": "a",
                "problems": [{"field": "a", "message": "bad"}, {"field": "b", "message": "worse"}],
            },
            "Invalid input: a: bad; b: worse",
        ),
    ],
)
async def test_app_errors_keep_message_code_and_field(field, extensions, message) -> None:
    error = await only_error(f"{{ {field} }}")

    assert error["extensions"] == extensions
    assert error["message"] == message
    assert error["path"] == [field]


async def test_other_exceptions_are_internal_with_a_request_id_and_logged(caplog) -> None:
    with caplog.at_level(logging.ERROR):
        error = await only_error("{ broken }")

    assert error["extensions"] == {"code": "INTERNAL"}
    assert "secret" not in error["message"]
    request_id = re.search(r"request id (\S+) ", error["message"]).group(1)
    [record] = [r for r in caplog.records if r.name == "subgraphs.kit.errors"]
    assert record.request_id == request_id
    assert record.exc_info[0] is ZeroDivisionError


async def test_app_errors_are_not_logged_as_errors(caplog) -> None:
    with caplog.at_level(logging.DEBUG):
        await only_error("{ missing }")

    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_parse_and_validation_errors_get_codes() -> None:
    parse = await only_error("{ fine ")
    validation = await only_error("{ nope }")

    assert parse["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert validation["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_sibling_fields_still_resolve() -> None:
    result = await schema.execute("{ fine gone }")

    assert result.data == {"fine": "ok", "gone": None}
    assert [error.extensions for error in result.errors] == [{"code": "NOT_FOUND"}]


async def test_a_value_the_database_refuses_is_the_clients_to_mend(caplog) -> None:
    with caplog.at_level(logging.WARNING):
        error = await only_error("{ unstorable }")

    assert error["extensions"] == {"code": "VALIDATION_FAILED"}
    assert "out of range" in error["message"] and "NUL" in error["message"]
    assert "value refused by the database" in caplog.text
