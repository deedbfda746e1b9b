"""The co-production core's models: the catalogue (what INTERLINK publishes: enablers, problem
profiles, schemas) and the processes built with it (tree, teams, resources, governance)."""

from .catalogue import (
    Enabler,
    EnablerRating,
    EnablerSearchDocument,
    ProblemProfile,
    Schema,
    translated,
)
from .processes import (
    Governance,
    GovernanceAmendment,
    Process,
    Resource,
    Team,
    TreeItem,
)
from .rights import TreeItemGroupObjectPermission

__all__ = [
    "Enabler",
    "EnablerRating",
    "EnablerSearchDocument",
    "Governance",
    "GovernanceAmendment",
    "ProblemProfile",
    "Process",
    "Resource",
    "Schema",
    "Team",
    "TreeItem",
    "TreeItemGroupObjectPermission",
    "translated",
]
