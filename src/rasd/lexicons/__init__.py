"""Lexicon data files (TSV); see the README_*.md files beside them for their columns."""
