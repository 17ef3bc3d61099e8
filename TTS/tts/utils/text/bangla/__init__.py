"""Bangla text normalisation."""
