"""Voice conversion models (``voice_conversion_models/...``): OpenVoice."""
