"""How a brief is made: the pipeline and its profiles (``pipeline``), code's reading of incidents
(``reading``), the model's narrow questions (``questions``) and the large profile's answers (``steps``),
the checks of those answers (``grounding``, ``crossscript``), the composition of what the reader sees
(``compose``) and its Markdown (``markdown``).

Imports the base modules, :mod:`summarizer.arabic` and :mod:`summarizer.llm`.
"""
