"""Building blocks shared by several spectrogram model families (Glow-TTS, ForwardTTS, OverFlow)."""
