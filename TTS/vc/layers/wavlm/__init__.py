"""WavLM self-supervised speech features (shared by FreeVC and kNN-VC).

- :class:`WavLMConfig`: settings, built from the ``cfg`` dict of a released checkpoint;
- :class:`WavLM`: the model, ``extract_features`` with upstream's return convention;
- :func:`load_wavlm`: a released ``WavLM-Large.pt`` file -> model, loaded safely.

The download of the released file lives in ``TTS.vc.layers.freevc.wavlm.get_wavlm``.
"""

from TTS.vc.layers.wavlm.checkpoint import load_wavlm, wavlm_from_state_dict, wavlm_state_dict
from TTS.vc.layers.wavlm.config import WavLMConfig, parse_conv_layers
from TTS.vc.layers.wavlm.model import WavLM

__all__ = ["WavLM", "WavLMConfig", "load_wavlm", "parse_conv_layers", "wavlm_from_state_dict", "wavlm_state_dict"]
