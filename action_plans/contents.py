"""What a plan holds, as the app that fills plans tells it.

A plan holds commitments, but action_plans never imports the commitments app: commitments
builds on plans, and the import contract (`./ogp lint`) keeps the dependency one way. Wherever
action_plans needs what a plan holds (the plan page's list and submission checklist, the PDF,
the plan's changes page, the check of a new period, what an input of its register can be taken
into, the PDF of one commitment), it asks the provider that the app holding them registers in
its `AppConfig.ready()`:

    from action_plans import contents

    contents.register(CommitmentsOfPlans())

The provider subclasses `PlanContents`; each method's docstring is its contract. Without a
provider a plan holds nothing (`PlanContents` itself: empty lists, nothing to check).
Registering again replaces the provider (`ready()` may run more than once).

The templates that show the items (`action_plans/_commitment_list.html`, the PDF's
`action_plans/pdf/_commitment.html`) read the attributes of the objects the provider returns.
"""

from dataclasses import dataclass, field

from django.db.models import Value


@dataclass
class History:
    """Every item a plan ever had, removed ones too, for the plan's changes page: each a dict
    of `identifier`, `title`, `removed` and `changes_url`, under a title and an introduction."""

    title: str = ""
    intro: str = ""
    items: list[dict] = field(default_factory=list)


class PlanContents:
    """What a plan holds. This base holds nothing; a provider overrides every method."""

    def listed(self, plan, *, for_checklist: bool = False) -> list:
        """The plan's items in order, for its page: each with what the list shows (and
        `milestone_count`); with every part the submission checklist reads when
        `for_checklist`. A number of queries that does not grow with the items."""
        return []

    def checklist(self, plan, items=None) -> list:
        """The submission checklist's lines about the items (`selectors.ChecklistItem`): what
        the plan must hold, and what each item still lacks. `items`: the plan's items as
        `listed(for_checklist=True)` gave them, when already read."""
        return []

    def document(self, plan, *, identifier: str = "") -> list:
        """The plan's items in order (or only the one with `identifier`) with everything the
        PDF shows, in a number of queries that does not grow with the items."""
        return []

    def find(self, identifier: str):
        """The item with this identifier, whatever its plan (with `plan_id` and
        `get_absolute_url()`), or None."""
        return None

    def history(self, plan) -> History:
        """Every item the plan ever had, removed ones too, in one query (see `History`)."""
        return History()

    def check_period(self, plan, start_date, end_date) -> None:
        """Raise ValidationError when items would fall outside the plan's new period."""

    def takeable(self, plan):
        """What an input of the plan's register can be taken into, in order (a queryset or a
        list)."""
        return []

    def count(self):
        """An expression counting a plan's items, to annotate a queryset of plans with."""
        return Value(0)


_provider: PlanContents = PlanContents()


def register(provider: PlanContents) -> None:
    global _provider
    _provider = provider


def provider() -> PlanContents:
    """The registered provider (the empty `PlanContents` when no app registered one)."""
    return _provider
