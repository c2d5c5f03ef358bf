"""Readers that turn files into document records, and writers of results."""
