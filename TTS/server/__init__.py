"""``tts-server``: an HTTP server for one loaded model (upstream's flags and endpoints, plus streaming)."""
