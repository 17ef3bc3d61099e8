"""Command-line entry points (``tts``, ``tts-server``). Importing this package loads nothing heavy."""
