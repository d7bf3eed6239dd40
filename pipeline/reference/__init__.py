"""Legal reference data, kept once: the calendar and its date reader (``calendar``), the
respondent States of the European Court of Human Rights (``states``), names as keys (``names``),
and the Court's list of case-law references (``caselaw``)."""
