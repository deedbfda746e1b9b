"""What a page costs in SQL queries does not grow with the data it shows.

`assert_queries_constant(page, small, large)` counts the queries of `page(small)` and of
`page(large)` and asserts they are as many; on failure it prints both lists of queries, so the
one that repeats for each row is in the message.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_of(do) -> list[str]:
    """The SQL of the queries `do()` runs."""
    with CaptureQueriesContext(connection) as captured:
        do()
    return [query["sql"] for query in captured.captured_queries]


def get_ok(client, url, params=None):
    """GET the URL, which must answer 200 (a page for `assert_queries_constant`)."""
    response = client.get(url, params)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response


def _listing(name: str, queries: list[str]) -> str:
    lines = "\n".join(f"  {number}. {sql}" for number, sql in enumerate(queries, 1))
    return f"{name} ({len(queries)} queries):\n{lines}"


def assert_queries_constant(page, small, large) -> int:
    """Assert that `page(small)` and `page(large)` run as many queries; return that number.

    `small` and `large` are what `page` is given (an object, a URL), or callables that build the
    data: each is called just before its own count (so the large one may add to what is there),
    and `page` gets what it returns. `None` for `small` counts the data as it is."""
    counts = []
    for setup in (small, large):
        value = setup() if callable(setup) else setup
        counts.append(queries_of(lambda value=value: page(value)))
    few, many = counts
    assert len(few) == len(many), "\n\n".join(
        ["The queries grow with the data.", _listing("small", few), _listing("large", many)]
    )
    return len(few)
