"""A customer's project list and project page: a fixed number of statements whatever the data,
and at most one write (the access-log row) per GET: the session is not saved again within
a minute (luvat.web.sessions)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.projects.test_project_pages import create_project, customer  # noqa: F401

WRITES = ("INSERT", "UPDATE", "DELETE")
# Session, user, person (twice: the actor and the page header), the page's own reads and
# the access-log row; see bench/README.md for the figures.
LIST_STATEMENTS = 7
PAGE_STATEMENTS = 11  # one of them the changes of shared data sent and their acknowledgements


def statements(client, path: str) -> list[str]:
    client.get(path)  # the first GET after a change may refresh the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.django_db
def test_the_project_list_and_page_take_a_fixed_number_of_statements_and_one_write(
    customer,  # noqa: F811
):
    project = create_project(customer)
    more = [customer.post("/fi/projects/new/", {"name": f"Hanke {n}"}) for n in range(3)]
    assert all(r.status_code == 302 for r in more)
    for path, budget in (
        ("/fi/projects/", LIST_STATEMENTS),
        (f"/fi/projects/{project.public_id}/", PAGE_STATEMENTS),
    ):
        sql = statements(customer, path)
        assert len(sql) <= budget, "\n".join(sql)
        writes = [s for s in sql if s.upper().startswith(WRITES)]
        assert len(writes) <= 1, writes
        assert all("audit_accessevent" in s for s in writes), writes
        assert not [s for s in sql if "django_session" in s and s.startswith("UPDATE")]
