"""Layers used only by voice conversion models."""
