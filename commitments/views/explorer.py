from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ogp_platform import pagecache

from ..explorer import commitment_explorer
from ..forms import ExplorerFilterForm

PAGE_SIZE = 20


@require_GET
@pagecache.cached_page(lambda request: (pagecache.EPOCH, pagecache.DIRECTORY, pagecache.EXPLORER))
def explorer(request):
    """Commitments of every member, filtered and searched through the query string, so that
    every state of the page has a URL to share. Invalid filter values are ignored, and the form
    says which."""
    form = ExplorerFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    commitments = commitment_explorer(user=request.user, **filters)
    page = Paginator(commitments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "commitments/explorer.html",
        {
            "form": form,
            "page": page,
            "filtered": form.filtered,
            "searching": bool(filters.get("q")),
        },
    )
