"""The process page's forms that move tasks along and reorder the tree are sent in place by
`static/js/enhance.js`, which swaps the region named by `data-enhance` with the fresh page's. The
region must hold the progress overview as well as the tree: otherwise, with JavaScript, the tree
says a task has finished while the overview above it still says 0 of 2 (found by the browser
journey, tests/browser/test_coproduction.py)."""

from html.parser import HTMLParser

import pytest

from tests.coproduction.process_factories import world

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Regions(HTMLParser):
    """The ids around each element: those of every element with an id, and of each form sent in
    place (with the region it names)."""

    def __init__(self):
        super().__init__()
        self.open = []  # (tag, id) of the elements open here
        self.around = {}  # id -> ids of the elements it is inside
        self.enhanced = []  # (region selector, ids of the elements the form is inside)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        inside = [found for _tag, found in self.open if found]
        if attrs.get("id"):
            self.around[attrs["id"]] = inside
        if tag == "form" and attrs.get("data-enhance"):
            self.enhanced.append((attrs["data-enhance"], inside))
        if tag not in VOID:
            self.open.append((tag, attrs.get("id")))

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                break


def test_moving_a_task_along_in_place_refreshes_the_progress_overview_too(client, people):
    w = world(people)
    client.force_login(w.owner)
    page = Regions()
    page.feed(client.get(w.process.get_absolute_url()).content.decode())

    # Start, and the arrows that reorder: each form is sent in place.
    assert len(page.enhanced) >= 3
    for selector, inside in page.enhanced:
        assert selector.startswith("#")
        region = selector[1:]
        assert region in inside, f"a form names {selector}, which it is not inside"
        assert region in page.around["progress"], (
            f"{selector} does not hold the progress overview: it would not change with the tree"
        )
        assert region in page.around["tree-title"]
