"""The demo partnership's CSE leads (seed 002 appendix 1, seed 004: a CSE lead in every
agency), so the directory and the notifications that use it have someone to name
(lantern.site.demo calls `load`). Everything is invented: the telephone numbers are from
Ofcom's range for drama (0161 496 0000 to 0999), the addresses end in .example."""

from . import actions

# Agency, the lead's name and job title (three of them are demo accounts too).
LEADS = [
    ("Northbridge Children's Services", "Carys Penrose", "CSE team manager"),
    ("Northbridge Police", "Pat Quayle", "Detective sergeant, CSE team"),
    ("Riverside Academy", "Dev Sandhu", "Designated safeguarding lead"),
    ("Hillcrest School", "Maxine Doyle", "Designated safeguarding lead"),
    ("Northbridge Community Health", "Ruth Akintola", "Named nurse for safeguarding children"),
    ("Northbridge Youth Justice Service", "Owen Price", "Case manager"),
    ("Safe Steps Project", "Leah Brennan", "Project worker, missing and exploitation"),
    ("Eastmoor Children's Services", "Imran Shah", "CSE coordinator"),
]


def load(users: dict, agencies: dict) -> None:
    for number, (agency, name, title) in enumerate(LEADS):
        first, last = name.split(" ", 1)
        domain = agency.lower().replace("'", "").replace(" ", "-")
        actions.add_lead(agencies[agency], by=users["admin"], name=name, job_title=title,
                         phone=f"0161 496 0{100 + number:03d}",
                         email=f"{first.lower()}.{last.lower()}@{domain}.example")
