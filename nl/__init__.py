"""Dutch language knowledge in one home: text analysis, dates, numbers, references, footnote markers,
sentence splitting and question understanding (the answer-type registry).

Word lists and tables are data files in ``nl/data/`` loaded once (``nl.resources``); the modules here hold the
mechanisms that use them. Nothing here knows a particular corpus: corpus knowledge lives beside the corpus
(``corpus/domain.toml``, read by ``rag.domain``).
"""
