"""Small CSV files in the shape of the IRM's commitments dataset, for the import tests.

`dataset_csv(rows)` writes the dataset's full header (the known columns, ten policy-area
columns, and two columns the importer does not know) and one line per row; each row is a dict
of the cells that differ from `BASE_ROW`. `latvia(...)` and `madrid(...)` give the usual rows.
"""

import csv
import io

POLICY_AREA_COLUMNS = [
    "Right To Information",
    "Open Data",
    "Public Service Delivery",
    "Anti Corruption",
    "Fiscal Openness",
    "Gender",
    "Justice",
    "Environment And Climate",
    "E-Government",
    "Open Parliaments",
]
UNKNOWN_COLUMNS = ["Theme", "IRM Researcher Notes"]

HEADER = [
    "Commitment Unique Identifier",
    "Country/Locality",
    "Action Plan ID",
    "Action Plan Number",
    "Commitment Number",
    "Code",
    "Region",
    "National Or Local",
    "Year Of Submission",
    "Action Plan End Year",
    "Action Plan Duration (Years)",
    "Commitment Title",
    "Short Title",
    "Full Text",
    "Start Date",
    "End Date",
    "Lead Institution",
    "Supporting Institution(s)",
    "OGP Value Access To Information",
    "OGP Value Civic Participation",
    "OGP Value Public Accountability",
    "OGP Value Technology And Innovation For Transparency And Accountability",
    *POLICY_AREA_COLUMNS,
    "Specificity",
    "Verifiable",
    "Potential Impact",
    "Potential for Results",
    "Completion (Progress Report)",
    "Completion (End Of Term)",
    "Did It Open Government (Overall)",
    "Early Results",
    "URL",
    *UNKNOWN_COLUMNS,
]

BASE_ROW = {
    "Commitment Unique Identifier": "LV0019",
    "Country/Locality": "Latvia",
    "Action Plan ID": "AP_LVA02",
    "Action Plan Number": "2",
    "Commitment Number": "1",
    "Code": "LVA",
    "Region": "Europe",
    "National Or Local": "National",
    "Year Of Submission": "2015",
    "Action Plan End Year": "2017",
    "Action Plan Duration (Years)": "2",
    "Commitment Title": "Publish the state budget as open data",
    "Short Title": "Open budget",
    "Full Text": "Publish the budget.\n\nEvery ministry publishes its spending.",
    "Start Date": "9/1/2015",
    "End Date": "6/30/2017",
    "Lead Institution": "Ministry of Finance",
    "Supporting Institution(s)": "State Chancellery; Treasury",
    "OGP Value Access To Information": "1",
    "OGP Value Civic Participation": "0",
    "OGP Value Public Accountability": "1",
    "OGP Value Technology And Innovation For Transparency And Accountability": "1",
    "Right To Information": "0",
    "Open Data": "1",
    "Public Service Delivery": "0",
    "Anti Corruption": "0",
    "Fiscal Openness": "1",
    "Gender": "0",
    "Justice": "0",
    "Environment And Climate": "0",
    "E-Government": "0",
    "Open Parliaments": "0",
    "Specificity": "High",
    "Verifiable": "Yes",
    "Potential Impact": "Moderate",
    "Potential for Results": "NA",
    "Completion (Progress Report)": "Limited",
    "Completion (End Of Term)": "Substantial",
    "Did It Open Government (Overall)": "Major",
    "Early Results": "NA",
    "URL": "https://www.opengovpartnership.org/members/latvia/commitments/LV0019/",
    "Theme": "Fiscal transparency",
    "IRM Researcher Notes": "Reviewed in 2018",
}


def latvia(identifier="LV0019", **cells) -> dict:
    return {"Commitment Unique Identifier": identifier, **cells}


def madrid(identifier="MAD0005", **cells) -> dict:
    return {
        "Commitment Unique Identifier": identifier,
        "Country/Locality": "Madrid, Spain",
        "Action Plan ID": "AP_MAD01",
        "Action Plan Number": "1",
        "Code": "ESP",
        "National Or Local": "Legacy Local",
        "Year Of Submission": "2017",
        "Action Plan End Year": "2019",
        "Lead Institution": "Área de Gobierno de Participación Ciudadana",
        "Supporting Institution(s)": "NA",
        **cells,
    }


def dataset_csv(rows, *, header=None, drop=(), bom=False, delimiter=",") -> str:
    """The CSV text of the rows (dicts of the cells that differ from BASE_ROW). `drop` leaves
    columns out of the header; `header` replaces it."""
    header = [name for name in (header or HEADER) if name not in drop]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        cells = {**BASE_ROW, **row}
        writer.writerow([cells.get(name, "") for name in header])
    return ("\ufeff" if bom else "") + out.getvalue()


def dataset_bytes(rows, **kwargs) -> bytes:
    return dataset_csv(rows, **kwargs).encode("utf-8")


NATIONALS = [
    ("Latvia", "LVA", "LV"),
    ("Italy", "ITA", "IT"),
    ("Spain", "ESP", "ES"),
    ("Estonia", "EST", "EE"),
    ("Lithuania", "LTU", "LT"),
    ("Finland", "FIN", "FI"),
    ("Portugal", "PRT", "PT"),
    ("Ireland", "IRL", "IE"),
    ("France", "FRA", "FR"),
    ("Germany", "DEU", "DE"),
]

LONG_TEXT = (
    "Valsts kanceleja publicēs atvērtos datus par budžeta izpildi; ņemot vērā sabiedrības "
    "ieteikumus, tiks izstrādāta jauna platforma. La Città di Roma pubblicherà i dati sulla "
    "mobilità e sull'attività amministrativa. El Ayuntamiento de Madrid abrirá un año de "
    "participación ciudadana.\n\n"
)


def many_rows(count: int, *, plans_per_member: int = 3) -> list[dict]:
    """`count` national commitments spread over ten members and their plans, with long texts."""
    rows = []
    for n in range(count):
        name, alpha3, alpha2 = NATIONALS[n % len(NATIONALS)]
        plan = (n // len(NATIONALS)) % plans_per_member + 1
        year = 2012 + 2 * plan
        rows.append(
            {
                "Commitment Unique Identifier": f"{alpha2}{n + 1:04d}",
                "Country/Locality": name,
                "Action Plan ID": f"AP_{alpha3}{plan:02d}",
                "Action Plan Number": str(plan),
                "Commitment Number": str(n // len(NATIONALS) + 1),
                "Code": alpha3,
                "Year Of Submission": str(year),
                "Action Plan End Year": str(year + 2),
                "Commitment Title": f"Commitment {n} on open data and participation",
                "Full Text": LONG_TEXT * 8,
                "Start Date": f"{1 + n % 12}/1/{year}",
                "End Date": f"June {year + 2}",
                "Lead Institution": f"Ministry {n % 7} of {name}",
                "Supporting Institution(s)": f"Agency {n % 5}; Agency {n % 3 + 5}",
                "Open Data": str(n % 2),
                "Gender": str((n // 2) % 2),
            }
        )
    return rows


# --- An extract shaped like a real IRM export ------------------------------------------------

# One flag column per policy area or theme, as the IRM's export has them: areas the platform
# has under another name, areas it lacks ("Youth", "Elections & Political Finance"), a theme no
# row ticks ("Human Rights") and a judgement that is not an area ("Starred").
IRM_AREA_COLUMNS = [
    "Anti-corruption",
    "Civic Space",
    "Open Contracting",
    "Fiscal Openness",
    "Gender",
    "Open Justice",
    "Youth",
    "Policy Area: Elections & Political Finance",
    "Human Rights",
    "Starred",
]
IRM_HEADER = [name for name in HEADER if name not in POLICY_AREA_COLUMNS] + IRM_AREA_COLUMNS
# BASE_ROW ticks Fiscal Openness: the IRM rows tick only what they say.
NO_AREAS = dict.fromkeys(IRM_AREA_COLUMNS, "")

# Member → the cells its rows share: OGP's own prefixes (UK, MO, PNG) and Kosovo, "Other".
IRM_MEMBERS = {
    "UK": {
        "Country/Locality": "United Kingdom",
        "Code": "GBR",
        "Region": "Europe",
        "Action Plan ID": "AP_GBR03",
        "Action Plan Number": "3",
        "Year Of Submission": "2016",
        "Action Plan End Year": "2018",
        "Lead Institution": "Cabinet Office",
    },
    "MO": {
        "Country/Locality": "Morocco",
        "Code": "MAR",
        "Region": "Africa and Middle East",
        "Action Plan ID": "AP_MAR01",
        "Action Plan Number": "1",
        "Year Of Submission": "2018",
        "Action Plan End Year": "2020",
        "Lead Institution": "Ministère de la Réforme de l'Administration",
    },
    "PNG": {
        "Country/Locality": "Papua New Guinea",
        "Code": "PNG",
        "Region": "Asia Pacific",
        "Action Plan ID": "AP_PNG01",
        "Action Plan Number": "1",
        "Year Of Submission": "2018",
        "Action Plan End Year": "2020",
        "Lead Institution": "Department of National Planning and Monitoring",
    },
    "XK": {
        "Country/Locality": "Kosovo",
        "Code": "XKX",
        "Region": "Europe",
        "National Or Local": "Other",
        "Action Plan ID": "AP_XKX01",
        "Action Plan Number": "1",
        "Year Of Submission": "2023",
        "Action Plan End Year": "2025",
        "Lead Institution": "Office of the Prime Minister",
    },
}
# The flags of the n-th row: 1, 0, Yes, Y, TRUE, x and blank, as the export mixes them.
IRM_FLAGS = [
    {"Anti-corruption": "1", "Civic Space": "0", "Open Justice": "", "Youth": "Yes"},
    {"Civic Space": "Yes", "Open Contracting": "1", "Human Rights": "0", "Starred": "1"},
    {"Fiscal Openness": "Y", "Gender": "TRUE", "Starred": "0"},
    {"Open Justice": "x", "Policy Area: Elections & Political Finance": "1"},
]


def irm_export(per_member: int = 2) -> list[dict]:
    """Rows of UK, MO, PNG and XK (Kosovo) with `per_member` commitments each, Latvia and
    Madrid as usual, and last a row that gives Morocco an id of the United Kingdom's (the one
    real conflict). Write them with `dataset_csv(rows, header=IRM_HEADER)`."""
    rows = []
    for prefix, cells in IRM_MEMBERS.items():
        for n in range(1, per_member + 1):
            rows.append(
                {
                    **cells,
                    "Commitment Unique Identifier": f"{prefix}{n:04d}",
                    "Commitment Number": str(n),
                    "Commitment Title": f"Commitment {n} of {cells['Country/Locality']}",
                    "Short Title": "",
                    "Supporting Institution(s)": "",
                    "URL": "",
                    **NO_AREAS,
                    **IRM_FLAGS[len(rows) % len(IRM_FLAGS)],
                }
            )
    rows += [
        latvia(**{**NO_AREAS, "Anti-corruption": "1"}),
        madrid(**{**NO_AREAS, "Civic Space": "1"}),
        {
            **IRM_MEMBERS["MO"],
            **NO_AREAS,
            "Commitment Unique Identifier": "UK0001",
            "Commitment Title": "A Moroccan commitment filed under a British id",
        },
    ]
    return rows
