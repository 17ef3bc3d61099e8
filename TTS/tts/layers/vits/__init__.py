"""VITS building blocks (inference): text encoder, duration predictors, flows, WaveNet."""
