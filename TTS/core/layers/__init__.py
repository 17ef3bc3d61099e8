"""Neural building blocks shared by several model families.

- :mod:`TTS.core.layers.hifigan`: the HiFi-GAN generator and its residual blocks.
- :mod:`TTS.core.layers.speaker_encoder`: the ResNet speaker encoder.

Import the submodules directly; this package imports nothing (no torch) itself.
"""
