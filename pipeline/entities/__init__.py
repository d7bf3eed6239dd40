"""Legal entities found in text: patterns as documented data (``legal.find_legal_entities``) and
the cached spaCy and slovnet NER loaders (``nlp``)."""
