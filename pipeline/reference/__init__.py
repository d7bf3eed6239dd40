"""Legal reference data, kept once: the calendar and its date reader (``calendar``), and the
respondent States of the European Court of Human Rights (``states``)."""
