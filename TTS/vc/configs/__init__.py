"""Configs of the voice conversion families."""
