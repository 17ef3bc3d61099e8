"""Layers of FreeVC under upstream's import paths (``TTS.vc.layers.freevc.wavlm``)."""
