"""ForwardTTS layers (FastPitch, FastSpeech, FastSpeech2, SpeedySpeech): encoders, decoders, predictors."""
