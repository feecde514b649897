"""The index store: Chroma collection, BM25 index, chunk records and manifest, built aside and swapped."""
