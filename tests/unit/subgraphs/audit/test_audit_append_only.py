"""The audit log is append-only: no layer offers a way to change or remove a row."""

from __future__ import annotations

import inspect

from subgraphs.audit import repository, service
from subgraphs.audit.schema import schema
from subgraphs.kit.schema import print_sdl

CHANGING_WORDS = ("update", "delete", "remove", "set", "change", "edit", "purge", "truncate")


def test_the_repository_offers_append_and_reads_only() -> None:
    functions = {
        name
        for name, member in inspect.getmembers(repository, inspect.isfunction)
        if member.__module__ == repository.__name__ and not name.startswith("_")
    }

    assert functions == {"append", "get_many", "list_page", "trails_by_users", "has_event"}


def test_the_service_cannot_change_a_row() -> None:
    methods = [name for name, _ in inspect.getmembers(service.AuditService, inspect.isfunction)]
    source = inspect.getsource(service)

    assert not [m for m in methods if any(word in m.lower() for word in CHANGING_WORDS)]
    assert "repository.append" not in source, "the service does not even append"
    for statement in ("update(", "delete(", ".delete", "session.add", "execute("):
        assert statement not in source


def test_the_schema_has_no_mutations() -> None:
    assert schema.mutation is None
    assert "type Mutation" not in print_sdl(schema)
