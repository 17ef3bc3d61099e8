"""kNN-VC configuration: ``KNNVCConfig``, ``KNNVCArgs``, ``KNNVCAudioConfig``.

kNN-VC has no weights of its own: it matches WavLM features (``wavlm_layer``) of the source
against those of the target recordings (``topk`` nearest neighbours) and hands the result to a
vocoder trained on such features (``vocoder_models/en/librispeech100/wavlm-hifigan_prematched``).
The released model ships no config; the model manager writes this one's defaults, as upstream does.
"""

from dataclasses import dataclass, field

from TTS.config.shared_configs import BaseAudioConfig, ModelArgs
from TTS.vc.configs.shared_configs import BaseVCConfig

__all__ = ["KNNVCArgs", "KNNVCAudioConfig", "KNNVCConfig"]


@dataclass
class KNNVCAudioConfig(BaseAudioConfig):
    """Audio settings; ``sample_rate`` (Hz) is the rate WavLM takes (inputs are resampled to it)."""

    sample_rate: int = 16000


@dataclass
class KNNVCArgs(ModelArgs):
    """``ssl_dim``: width of the WavLM features (1024 for WavLM-Large)."""

    ssl_dim: int = 1024


@dataclass
class KNNVCConfig(BaseVCConfig):
    """kNN-VC settings: ``wavlm_layer`` (which transformer layer's output is matched) and ``topk``
    (how many nearest target frames are averaged per source frame)."""

    model: str = "knnvc"
    model_args: KNNVCArgs = field(default_factory=KNNVCArgs)
    audio: KNNVCAudioConfig = field(default_factory=KNNVCAudioConfig)
    wavlm_layer: int = 6
    topk: int = 4
