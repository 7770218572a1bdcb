"""NHS Digital staff-group labels → the dashboard's staff groups (config.yaml `staff_groups`).

Published files write the same group several ways: a sort prefix (`005_Nurses & health visitors`),
other capitalisation (`HCHS Doctors`), `and` for `&`, `HCHS doctors – All grades` for the doctors'
total. Labels are compared after `key()`: prefix stripped, lower case, `&` read as `and`,
punctuation and spaces collapsed. Totals map to the whole-organisation label; grade-level doctor
rows and main-staff-group subtotals are skipped (they would be counted twice).
"""

from __future__ import annotations

import re

from ...base.config import Config

PREFIX = re.compile(r"^\s*\d{1,3}_")

ALIASES = {  # extra spellings seen in NHS Digital files → a staff group in config.yaml
    "hchs doctors all grades": "HCHS doctors",
    "hchs medical staff": "HCHS doctors",
    "doctors": "HCHS doctors",
    "nurses and health visitors": "Nurses & health visitors",
    "nurses health visitors": "Nurses & health visitors",
    "scientific therapeutic and technical staff": "Scientific, therapeutic & technical staff",
    "st and t staff": "Scientific, therapeutic & technical staff",
    "support to st and t staff": "Support to ST&T staff",
    "support to scientific therapeutic and technical staff": "Support to ST&T staff",
    "support to doctors nurses and midwives": "Support to doctors, nurses & midwives",
    "hotel property and estates": "Hotel, property & estates",
    "other staff": "Other staff or those with unknown classification",
    "unknown classification": "Other staff or those with unknown classification",
    "other staff or unknown classification": "Other staff or those with unknown classification",
}
TOTALS = {"all staff groups", "all staff", "all", "total", "totals", "grand total", "all staff group",
          "total all staff groups", "all hchs staff", "total staff", "all groups"}
SUBGROUP_PREFIXES = ("hchs doctors ",)
DOCTOR_GRADES = {  # doctors' grades listed as staff groups in the older Staff Group and Organisation CSV
    "consultant", "associate specialist", "specialty doctor", "staff grade", "specialty registrar",
    "core training", "foundation doctor year 1", "foundation doctor year 2", "specialty doctor and associate specialist",
    "hospital practitioner clinical assistant", "other and local hchs doctor grades", "other doctors in training",
    "resident doctors", "speciality doctor", "speciality registrar", "core medical training"}  # grade-level rows, e.g. 'HCHS doctors – Consultant'
SKIP_SUBGROUP = "a sub-group of a staff group (e.g. a doctors' grade); its staff group's row is used"
SKIP_MAIN_GROUP = "a main staff group subtotal; the staff-group rows are used"


def key(label: str) -> str:
    text = PREFIX.sub("", str(label)).lower().replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def map_labels(labels: list[str], config: Config,
               overrides: dict[str, str] | None = None) -> tuple[list[str], list[str], list[str | None]]:
    """(raw, mapped, skip_reason) lists for the distinct labels of a file, for ingest/stage/apply_label_map.sql.

    overrides: a publication's own labels (by key()) for a staff group of the same definition. A group
    published under another definition (the turnover files' 'HCHS Doctors (exc. Resident doctors and
    equivalents)') is a staff group of its own in config.yaml, matched by its name, never an override."""
    known = {key(g): g for g in config.staff_group_names}
    known.update({k: v for k, v in ALIASES.items() if v in config.staff_group_names})
    known.update({k: v for k, v in (overrides or {}).items() if v in config.staff_group_names})
    mains = {key(g.main_group) for g in config.staff_groups} - set(known)
    raw, mapped, skip = [], [], []
    for label in labels:
        k = key(label)
        raw.append(label)
        if k in known:
            mapped.append(known[k])
            skip.append(None)
        elif k in TOTALS or k == key(config.all_staff_groups_label):
            mapped.append(config.all_staff_groups_label)
            skip.append(None)
        elif k.startswith(SUBGROUP_PREFIXES) or k in DOCTOR_GRADES:
            mapped.append(PREFIX.sub("", label).strip())
            skip.append(SKIP_SUBGROUP)
        elif k in mains:
            mapped.append(PREFIX.sub("", label).strip())
            skip.append(SKIP_MAIN_GROUP)
        else:  # left as written: validation names it and suggests the closest group
            mapped.append(PREFIX.sub("", label).strip())
            skip.append(None)
    return raw, mapped, skip
