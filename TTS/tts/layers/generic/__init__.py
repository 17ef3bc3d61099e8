"""Building blocks shared by several TTS model families (VITS, Glow-TTS, ForwardTTS, OverFlow); see docs/architecture.md."""
