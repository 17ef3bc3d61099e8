"""MPS emulation cases for voice conversion (see tests/mps/README.md).

OpenVoice: >= 6 s of conversion (STFT, tone-colour encoder, posterior encoder, flow both ways,
HiFi-GAN decoder). kNN-VC: a 21 s source, long enough that WavLM's first convolution makes more
than 65536 frames, matched against a target with silence to trim, then vocoded to 16 kHz.
"""

from __future__ import annotations

import torch

from tests.mps.cases import MpsCase
from tests.parity.weights import deterministic_state_dict

SAMPLE_RATE = 22050


def _make_model() -> torch.nn.Module:
    from TTS.vc.configs.openvoice_config import OpenVoiceArgs, OpenVoiceConfig
    from TTS.vc.models.openvoice import OpenVoice

    args = OpenVoiceArgs(
        inter_channels=16,
        hidden_channels=16,
        gin_channels=16,
        upsample_initial_channel=32,
        resblock_kernel_sizes=[3],
        resblock_dilation_sizes=[[1, 3, 5]],
        tau=0.0,  # the posterior mean: CPU and MPS would draw different noise
    )
    model = OpenVoice(OpenVoiceConfig(model_args=args))
    shapes = {k: v.shape for k, v in model.state_dict().items()}
    state = {k: torch.from_numpy(v) for k, v in deterministic_state_dict(shapes, salt="openvoice-mps").items()}
    model.load_state_dict(state, strict=True)
    return model.eval()


def _tone(seconds: float, f0: float) -> torch.Tensor:
    t = torch.arange(int(seconds * SAMPLE_RATE), dtype=torch.float32) / SAMPLE_RATE
    return 0.4 * torch.sin(2 * torch.pi * f0 * t) + 0.1 * torch.sin(2 * torch.pi * 3.1 * f0 * t)


def _run(model: torch.nn.Module, device: str | torch.device) -> torch.Tensor:
    wav = model.voice_conversion(_tone(6.1, 150.0).to(device), [_tone(1.0, 230.0).to(device)])
    return torch.from_numpy(wav)


KNNVC_RATE = 16000
_TINY_WAVLM = {
    "extractor_mode": "layer_norm",
    "encoder_layers": 2,
    "encoder_embed_dim": 16,
    "encoder_ffn_embed_dim": 32,
    "encoder_attention_heads": 2,
    "layer_norm_first": True,
    "conv_feature_layers": "[(16,10,5)] + [(16,3,2)] * 4 + [(16,2,2)] * 2",
    "conv_pos": 8,
    "conv_pos_groups": 2,
    "relative_position_embedding": True,
    "num_buckets": 16,
    "max_distance": 64,
    "gru_rel_pos": True,
}


class _KnnvcWithVocoder(torch.nn.Module):
    """kNN-VC and its features-to-audio vocoder, as the synthesizer pairs them."""

    def __init__(self) -> None:
        super().__init__()
        from TTS.vc.configs.knnvc_config import KNNVCConfig
        from TTS.vc.layers.freevc.wavlm import WavLM, WavLMConfig
        from TTS.vc.models.knnvc import KNNVC
        from TTS.vocoder.configs.hifigan_config import HifiganConfig
        from TTS.vocoder.models import setup_model

        wavlm = WavLM(WavLMConfig(dict(_TINY_WAVLM)))
        config = KNNVCConfig(wavlm_layer=2, topk=2)
        self.knnvc = KNNVC(config, wavlm=wavlm)
        params = {"upsample_factors": [5, 4, 4, 2, 2], "upsample_kernel_sizes": [11, 8, 8, 4, 4],
                  "upsample_initial_channel": 32, "resblock_kernel_sizes": [3], "resblock_dilation_sizes": [[1, 3, 5]],
                  "resblock_type": "1", "pre_linear": 16, "inference_padding": 0}  # fmt: skip
        voc_config = HifiganConfig(generator_model_params=params)
        voc_config.audio.sample_rate, voc_config.audio.num_mels = KNNVC_RATE, 16
        self.vocoder = setup_model(voc_config).model_g
        shapes = {k: v.shape for k, v in self.state_dict().items()}
        state = {k: torch.from_numpy(v) for k, v in deterministic_state_dict(shapes, salt="knnvc-mps").items()}
        self.load_state_dict(state, strict=True)


def _make_knnvc() -> torch.nn.Module:
    return _KnnvcWithVocoder().eval()


def _run_knnvc(model: torch.nn.Module, device: str | torch.device) -> torch.Tensor:
    t = torch.arange(int(21.0 * KNNVC_RATE), dtype=torch.float32) / KNNVC_RATE
    source = 0.4 * torch.sin(2 * torch.pi * 140.0 * t) * (0.6 + 0.4 * torch.sin(2 * torch.pi * 3.0 * t) ** 2)
    silence = torch.zeros(int(0.3 * KNNVC_RATE))
    phase = 2 * torch.pi * 230.0 * t[: 2 * KNNVC_RATE]
    noise = torch.randn(phase.shape, generator=torch.Generator().manual_seed(0))
    voiced = (0.4 * torch.sin(phase) + 0.2 * torch.sin(2 * phase) + 0.1 * torch.sin(3 * phase) + 0.05 * noise) * (
        0.6 + 0.4 * torch.sin(2 * torch.pi * 3.0 * t[: 2 * KNNVC_RATE]) ** 2
    )  # a voice-like harmonic sound (a pure tone does not trigger the silence detector)
    target = torch.cat([silence, voiced, silence])
    features = model.knnvc.voice_conversion(source.to(device), [target.to(device)])
    return model.vocoder.inference(features)


def mps_cases() -> list[MpsCase]:
    return [
        MpsCase.from_module("openvoice-6s", _make_model, _run, min_output_samples=6 * SAMPLE_RATE),
        MpsCase.from_module("knnvc-21s", _make_knnvc, _run_knnvc, min_output_samples=20 * KNNVC_RATE),
    ]
