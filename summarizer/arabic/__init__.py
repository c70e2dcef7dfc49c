"""The language and the knowledge: Arabic normalization (``normalize``), numbers, dates, the gazetteer
and its identity keys, the lexicon of cue words, outlets' marks and prompt-injection patterns.

Imports only the package's base modules (errors, the contracts in ``schema`` and ``script``).
"""
