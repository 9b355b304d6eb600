"""A customer's project list and project page: a fixed number of statements whatever the data,
at most one write (the access-log row) and at most one commit per GET: the session is not
saved again within a minute (luvat.web.sessions), the access-log row is a single insert in
autocommit, and the person is loaded once (the door's actor and the page header share it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.projects.test_project_pages import create_project, customer  # noqa: F401

WRITES = ("INSERT", "UPDATE", "DELETE")
# Session, user, person (once: the actor and the page header share it), the page's own reads
# and the access-log row; see docs/operations.md for the figures.
LIST_STATEMENTS = 6
PAGE_STATEMENTS = 10  # one of them the changes of shared data sent and their acknowledgements


class Commits:
    """Counts the commits a block makes on the real database: every ``COMMIT`` (the end of an
    outermost ``atomic``) and every write run in autocommit (a commit of its own)."""

    def __init__(self) -> None:
        self.explicit = 0
        self.implicit: list[str] = []

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        if not connection.in_atomic_block and sql.lstrip().upper().startswith(WRITES):
            self.implicit.append(sql)
        return execute(sql, params, many, context)

    @property
    def total(self) -> int:
        return self.explicit + len(self.implicit)


def get_measured(client, path: str) -> tuple[list[str], Commits]:
    client.get(path)  # the first GET after a change may refresh the session
    commits = Commits()
    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(commits):
        assert client.get(path).status_code == 200
    sql = [q["sql"] for q in captured.captured_queries]
    commits.explicit = sum(1 for s in sql if s == "COMMIT")
    statements = [s for s in sql if s not in ("BEGIN", "COMMIT", "ROLLBACK")]
    return statements, commits


def pages(client) -> list[tuple[str, int]]:
    project = create_project(client)
    more = [client.post("/fi/projects/new/", {"name": f"Hanke {n}"}) for n in range(3)]
    assert all(r.status_code == 302 for r in more)
    return [
        ("/fi/projects/", LIST_STATEMENTS),
        (f"/fi/projects/{project.public_id}/", PAGE_STATEMENTS),
    ]


@pytest.mark.django_db
def test_the_project_list_and_page_take_a_fixed_number_of_statements_and_one_write(
    customer,  # noqa: F811
):
    for path, budget in pages(customer):
        sql, _ = get_measured(customer, path)
        assert len(sql) <= budget, "\n".join(sql)
        writes = [s for s in sql if s.upper().startswith(WRITES)]
        assert len(writes) <= 1, writes
        assert all("audit_accessevent" in s for s in writes), writes
        assert not [s for s in sql if "django_session" in s and s.startswith("UPDATE")]
        assert sum(1 for s in sql if 'FROM "identity_person"' in s) == 1, "\n".join(sql)


@pytest.mark.django_db(transaction=True)
def test_a_get_of_the_project_list_or_page_commits_at_most_once(customer):  # noqa: F811
    """On the real database, outside a test transaction: what a GET really commits."""
    for path, budget in pages(customer):
        sql, commits = get_measured(customer, path)
        assert commits.total <= 1, (commits.explicit, commits.implicit)
        assert len(sql) <= budget, "\n".join(sql)
        assert all("audit_accessevent" in s for s in commits.implicit), commits.implicit
        assert not any(s.upper().startswith(("SAVEPOINT", "RELEASE")) for s in sql), sql
