"""Ingest: read, clean, parse structure, chunk and embed documents into the index store."""
