"""The IRM dataset's columns and the wordings of its coded cells, mapped to the platform's.

Column names are compared in a normalised form (`cells.normalise`: case, punctuation and
spacing do not matter), so `Did it open government (overall)` finds
`Did It Open Government (Overall)`.
"""

from ogp_platform.members.models import Region

from ..models import Assessment, Completion
from .cells import normalise

IDENTIFIER = "Commitment Unique Identifier"
MEMBER = "Country/Locality"
PLAN_ID = "Action Plan ID"
PLAN_NUMBER = "Action Plan Number"
NUMBER = "Commitment Number"
CODE = "Code"
REGION = "Region"
KIND = "National Or Local"
YEAR = "Year Of Submission"
END_YEAR = "Action Plan End Year"
DURATION = "Action Plan Duration (Years)"
TITLE = "Commitment Title"
SHORT_TITLE = "Short Title"
FULL_TEXT = "Full Text"
START = "Start Date"
END = "End Date"
LEAD = "Lead Institution"
SUPPORTING = "Supporting Institution(s)"
VALUE_ACCESS = "OGP Value Access To Information"
VALUE_PARTICIPATION = "OGP Value Civic Participation"
VALUE_ACCOUNTABILITY = "OGP Value Public Accountability"
# Spelt "OGP Value Technology And Innovation For Transparency And Accountability" in full, and
# shortened in some extracts: any column starting with these words is the one.
VALUE_TECHNOLOGY = "OGP Value Technology"
SPECIFICITY = "Specificity"
VERIFIABLE = "Verifiable"
POTENTIAL_IMPACT = "Potential Impact"
POTENTIAL_FOR_RESULTS = "Potential for Results"
COMPLETION_MIDTERM = "Completion (Progress Report)"
COMPLETION_END = "Completion (End Of Term)"
OPENED_GOVERNMENT = "Did It Open Government (Overall)"
EARLY_RESULTS = "Early Results"

# Without these the file is not the IRM dataset (or not one the importer can place): the import
# stops before writing anything and names the first one missing.
REQUIRED_COLUMNS = (
    IDENTIFIER,
    MEMBER,
    PLAN_ID,
    PLAN_NUMBER,
    NUMBER,
    CODE,
    REGION,
    KIND,
    YEAR,
    END_YEAR,
    TITLE,
    SHORT_TITLE,
    FULL_TEXT,
    START,
    END,
    LEAD,
    SUPPORTING,
    VALUE_ACCESS,
    VALUE_PARTICIPATION,
    VALUE_ACCOUNTABILITY,
)
# Read when present: older extracts lack the newer assessment columns and the other way round.
OPTIONAL_COLUMNS = (
    DURATION,
    VALUE_TECHNOLOGY,
    SPECIFICITY,
    VERIFIABLE,
    POTENTIAL_IMPACT,
    POTENTIAL_FOR_RESULTS,
    COMPLETION_MIDTERM,
    COMPLETION_END,
    OPENED_GOVERNMENT,
    EARLY_RESULTS,
)
KNOWN_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# Matched by their first words rather than in full.
PREFIX_COLUMNS = (VALUE_TECHNOLOGY,)

# The commitment's flags: column → OGP value (the `value_<name>` field of Commitment).
VALUE_COLUMNS = {
    VALUE_ACCESS: "access_to_information",
    VALUE_PARTICIPATION: "civic_participation",
    VALUE_ACCOUNTABILITY: "public_accountability",
    VALUE_TECHNOLOGY: "technology_innovation",
}
CORE_VALUE_COLUMNS = (VALUE_ACCESS, VALUE_PARTICIPATION, VALUE_ACCOUNTABILITY)


def _wordings(pairs: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {normalise(wording): value for value, wordings in pairs.items() for wording in wordings}


# The IRM's wordings of each judgement, over the years, → the platform's values.
SPECIFICITY_WORDINGS = _wordings(
    {
        Assessment.Specificity.NONE: ("None", "No specificity"),
        Assessment.Specificity.LOW: ("Low",),
        Assessment.Specificity.MEDIUM: ("Medium",),
        Assessment.Specificity.HIGH: ("High",),
    }
)
IMPACT_WORDINGS = _wordings(
    {
        Assessment.PotentialImpact.NONE: ("None", "No impact"),
        Assessment.PotentialImpact.MINOR: ("Minor",),
        Assessment.PotentialImpact.MODERATE: ("Moderate",),
        Assessment.PotentialImpact.TRANSFORMATIVE: ("Transformative",),
    }
)
RESULTS_WORDINGS = _wordings(
    {
        Assessment.PotentialForResults.UNCLEAR: ("Unclear",),
        Assessment.PotentialForResults.MODEST: ("Modest",),
        Assessment.PotentialForResults.SUBSTANTIAL: ("Substantial",),
    }
)
COMPLETION_WORDINGS = _wordings(
    {
        Completion.NOT_STARTED: ("Not Started", "Not started yet", "No evidence available"),
        Completion.LIMITED: ("Limited",),
        Completion.SUBSTANTIAL: ("Substantial",),
        Completion.COMPLETE: ("Complete", "Completed"),
        Completion.WITHDRAWN: ("Withdrawn",),
    }
)
OPENED_WORDINGS = _wordings(
    {
        Assessment.OpenedGovernment.WORSENED: ("Worsened", "Worsens"),
        Assessment.OpenedGovernment.DID_NOT_CHANGE: ("Did Not Change", "Did not change"),
        Assessment.OpenedGovernment.MARGINAL: ("Marginal",),
        Assessment.OpenedGovernment.MAJOR: ("Major",),
        Assessment.OpenedGovernment.OUTSTANDING: ("Outstanding",),
    }
)
# Column → (Assessment field, wordings) for the coded judgements.
ASSESSMENT_CHOICES = {
    SPECIFICITY: ("specificity", SPECIFICITY_WORDINGS),
    POTENTIAL_IMPACT: ("potential_impact", IMPACT_WORDINGS),
    POTENTIAL_FOR_RESULTS: ("potential_for_results", RESULTS_WORDINGS),
    COMPLETION_MIDTERM: ("completion_midterm", COMPLETION_WORDINGS),
    COMPLETION_END: ("completion_end", COMPLETION_WORDINGS),
    OPENED_GOVERNMENT: ("opened_government", OPENED_WORDINGS),
}

REGION_WORDINGS = _wordings(
    {
        Region.EUROPE: ("Europe",),
        Region.AMERICAS: ("Americas", "America", "Latin America", "North America"),
        Region.ASIA_PACIFIC: ("Asia Pacific", "Asia and the Pacific", "Asia", "Oceania"),
        Region.AFRICA_MIDDLE_EAST: (
            "Africa and Middle East",
            "Africa and the Middle East",
            "Africa",
            "Middle East",
            "Middle East and North Africa",
        ),
    }
)

NATIONAL = "national"
LOCAL = "local"
# OGP marks a few members as neither national nor local ("Other": Kosovo); the platform knows
# two kinds, and such a member takes part as a national one.
KIND_WORDINGS = _wordings(
    {
        NATIONAL: ("National", "Other"),
        LOCAL: ("Local", "Legacy Local", "OGP Local", "Subnational", "Sub-national"),
    }
)

# The IRM's names of policy-area columns that differ from the taxonomy's (`taxonomy.py`);
# columns named like an area (its name or slug) need no entry here.
POLICY_AREA_ALIASES = {
    normalise(alias): slug
    for slug, aliases in {
        "anti-corruption": ("Anti-Corruption", "Anti Corruption", "Integrity"),
        "right-to-information": ("Access to Information",),
        "justice": ("Open Justice", "Access to Justice"),
        "gender": ("Gender", "Gender and Sexuality", "Inclusion"),
        "environment-climate": (
            "Environment",
            "Climate",
            "Environment and Climate Change",
            "Climate and Environment",
        ),
        "freedom-of-association": ("Freedom of Association", "Freedom of Assembly"),
        "data-protection": ("Data Protection", "Privacy", "Data Stewardship and Privacy"),
        "land-spatial-planning": ("Land Rights and Spatial Planning", "Spatial Planning"),
        "labour": ("Labor",),
        "infrastructure": ("Infrastructure", "Public Works"),
        "security": ("Public Safety", "Safety", "Security"),
        "whistleblower-protection": ("Whistleblower Protections", "Whistleblowers"),
        "digital-governance": ("E-Government", "E Government", "Digital Government"),
        "local-government": ("Sub-National Governance", "Subnational Governance"),
        "fiscal-openness": ("Fiscal Transparency", "Budget Transparency"),
        "water-sanitation": ("Water", "Sanitation"),
        "media-freedom": ("Media",),
    }.items()
    for alias in aliases
}

# Words that may precede an area's name in a column's header ("Policy Area: Open Justice",
# "Theme - Gender"): the area is named by what follows.
POLICY_AREA_MARKERS = ("Policy Area", "Policy Areas", "Theme", "Area")

# Flag columns (1/0, Yes/No) of the IRM that are judgements, not policy areas: they are never
# taken for an area, however their cells look. Compared in normalised form, as a whole name or
# as the first words of one.
NOT_POLICY_AREAS = tuple(
    normalise(name)
    for name in (
        "Star",
        "Starred",
        "Potential Star",
        "Noteworthy",
        "Transformative",
        "Relevant",
        "Relevance",
        "Clearly Relevant",
        "Ongoing",
        "New Commitment",
        "Carried Over",
        "OGP Value",
        "Completion",
        "Did It Open Government",
        "Potential",
    )
)
