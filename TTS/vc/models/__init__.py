"""Voice conversion model classes (inference)."""
