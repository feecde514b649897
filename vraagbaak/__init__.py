"""Vraagbaak AI & Werk: Dutch question answering over the SER's documents on AI and work."""

__version__ = "0.1.0"
