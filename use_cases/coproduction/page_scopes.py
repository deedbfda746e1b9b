"""Which cached pages a change in the co-production core touches (see `ogp_platform.pagecache`).
Declared in `CoproductionConfig.ready()`; every model of the app is tracked or ignored.

- A **process** and everything in it (its tree, teams, resources, rules and their amendments)
  belong to the scopes of its owning members: the primary member's, where its pages are cached
  (`process_page_scopes` for its pages' `cached_page`), and the other owning members', whose
  pages may list it. Each also touches `PROCESSES`, the scope of the list of processes.
- The **catalogue** (enablers, their ratings, problem profiles, schemas) has a scope of its
  own, `CATALOGUE`, for the catalogue's pages; a resource that instantiates an enabler touches
  it too (an enabler's page says in how many processes it is used).

Decision on the lists: the list of processes and the catalogue are public pages most visitors
read without signing in, and what they show depends only on the data, the language and the URL
(filters and search included), so they may be kept whole with `cached_page` under
`list_page_scopes` / `catalogue_page_scopes`; their scopes are bumped here either way, so a
view that caches or stops caching needs nothing more.
"""

from ogp_platform.pagecache import EPOCH, member_scope, owner_by, track

from .models import (
    Enabler,
    EnablerRating,
    EnablerSearchDocument,
    Governance,
    GovernanceAmendment,
    ProblemProfile,
    Process,
    Resource,
    Schema,
    Team,
    TreeItem,
    TreeItemGroupObjectPermission,
)

CATALOGUE = "coproduction:catalogue"
PROCESSES = "coproduction:processes"


def process_scopes(process_id) -> tuple[str, ...]:
    """The scopes of the members owning the process (the primary one first) and of the list
    of processes, in one query."""
    rows = Process.objects.filter(pk=process_id).values_list("primary_member_id", "owner_members")
    members = dict.fromkeys(member for row in rows for member in row if member is not None)
    return (*(member_scope(member) for member in members), PROCESSES)


def _process(process: Process) -> tuple[str, ...]:
    # The primary member is read from the object: right even before the owning members are
    # added, and when the process is being deleted.
    return (member_scope(process.primary_member_id), *process_scopes(process.pk))


def _resource(resource: Resource) -> tuple[str, ...]:
    scopes = _item(resource.task_id)
    return (*scopes, CATALOGUE) if resource.enabler_id else scopes


def _item(item_id) -> tuple[str, ...]:
    return process_scopes(TreeItem.objects.values_list("process_id", flat=True).get(pk=item_id))


def _amendment(amendment: GovernanceAmendment) -> tuple[str, ...]:
    process_id = Governance.objects.values_list("process_id", flat=True).get(
        pk=amendment.governance_id
    )
    return process_scopes(process_id)


# Functions for the views' `cached_page(...)`: a process's pages are kept under its primary
# member's scope (which every change of the process bumps), the lists under their own.
process_page_scopes = owner_by(Process, "slug", "primary_member_id")


def list_page_scopes(request, **kwargs) -> tuple[str, ...]:
    return (EPOCH, PROCESSES)


def catalogue_page_scopes(request, **kwargs) -> tuple[str, ...]:
    return (EPOCH, CATALOGUE)


def register() -> None:
    track(Process, _process)
    for model in (TreeItem, Team, Governance):
        track(model, lambda obj: process_scopes(obj.process_id))
    track(Resource, _resource)
    # A team's rights on items may show on the process's pages (who may add resources where).
    track(TreeItemGroupObjectPermission, lambda grant: _item(grant.content_object_id))
    track(GovernanceAmendment, _amendment)
    # The search documents are what the catalogue's search finds: its results change with them.
    for model in (Enabler, EnablerRating, EnablerSearchDocument, ProblemProfile, Schema):
        track(model, lambda obj: (CATALOGUE,))
