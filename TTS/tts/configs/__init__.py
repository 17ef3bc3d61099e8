"""TTS model configs: one module per family (``<family>_config.py``) plus the shared base.

Nothing is imported eagerly; import the family module you need, e.g.
``from TTS.tts.configs.vits_config import VitsConfig``.
"""
