"""Legal entities found in text: identifiers now; the spaCy components arrive with issue 3."""
