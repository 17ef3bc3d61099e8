"""The ``tts-server`` HTTP server (not available yet in coqui-tts-ng)."""
