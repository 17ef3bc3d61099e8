"""Mandarin Chinese text normalisation."""
