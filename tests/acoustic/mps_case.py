"""MPS emulation cases of the spectrogram models (see ``tests/mps/README.md``).

Mel frames are what gets long here: each case pushes more than 65536 frames (after the
flow's squeeze) through the convolutions that run over time, with tiny channels.
ForwardTTS's transformer decoders cannot reach that length (attention is quadratic and
the positional table stops at 5000 frames), so its case uses the conv decoder.
"""

from __future__ import annotations

import torch

from tests.mps.cases import MpsCase
from tests.parity.weights import deterministic_state_dict

FRAMES = 2 * 66000  # Glow-style flows halve the time axis: still > 65536 after the squeeze


def _fill(model: torch.nn.Module, salt: str) -> torch.nn.Module:
    state = model.state_dict()
    filled = deterministic_state_dict(
        {k: v.shape for k, v in state.items()}, skip=[k for k in state if k.endswith(".pe")], salt=salt
    )
    state.update({k: torch.from_numpy(v) for k, v in filled.items()})
    model.load_state_dict(state)
    return model.eval()


def _glow() -> torch.nn.Module:
    from TTS.tts.configs.glow_tts_config import GlowTTSConfig
    from TTS.tts.models.glow_tts import GlowTTS

    config = GlowTTSConfig(
        hidden_channels_enc=8,
        hidden_channels_dec=4,
        hidden_channels_dp=8,
        num_flow_blocks_dec=1,
        num_block_layers=2,
        out_channels=4,
        text_cleaner="basic_cleaners",
        encoder_params={"kernel_size": 3, "dropout_p": 0.1, "num_layers": 1, "num_heads": 2, "hidden_channels_ffn": 8},
    )
    return _fill(GlowTTS(config), "mps-glow")


def _run_glow(model, device):
    ids = torch.arange(1, 41, device=device)[None]
    model.inference(ids)  # encoder + duration predictor on a normal sentence
    g = torch.Generator().manual_seed(0)
    z = torch.randn(1, 4, FRAMES, generator=g).to(device) * 0.5
    mask = torch.ones(1, 1, FRAMES, device=device)
    with torch.inference_mode():
        return model.decoder.inverse(z, mask)


def _speedy() -> torch.nn.Module:
    from TTS.tts.configs.forward_tts_config import ForwardTTSArgs
    from TTS.tts.configs.speedy_speech_config import SpeedySpeechConfig
    from TTS.tts.models.forward_tts import ForwardTTS

    args = ForwardTTSArgs(
        hidden_channels=8,
        out_channels=4,
        use_pitch=True,
        use_energy=True,
        positional_encoding=False,
        pitch_predictor_hidden_channels=8,
        energy_predictor_hidden_channels=8,
        duration_predictor_hidden_channels=8,
        encoder_type="residual_conv_bn",
        encoder_params={"kernel_size": 4, "dilations": [1, 2], "num_conv_blocks": 1, "num_res_blocks": 2},
        decoder_type="residual_conv_bn",
        decoder_params={"kernel_size": 4, "dilations": [1, 2], "num_conv_blocks": 1, "num_res_blocks": 2},
    )
    return _fill(ForwardTTS(SpeedySpeechConfig(model_args=args, text_cleaner="basic_cleaners")), "mps-speedy")


def _run_speedy(model, device):
    ids = torch.arange(1, 21, device=device)[None]
    durations = torch.full((1, 20), 3300.0, device=device)  # 66000 frames
    return model.inference(ids, aux_input={"durations": durations})["model_outputs"].transpose(1, 2)


def _overflow() -> torch.nn.Module:
    from TTS.tts.configs.overflow_config import OverflowConfig
    from TTS.tts.models.overflow import Overflow

    config = OverflowConfig(
        encoder_in_out_features=8,
        prenet_dim=8,
        memory_rnn_dim=8,
        outputnet_size=[8],
        out_channels=4,
        hidden_channels_dec=4,
        num_flow_blocks_dec=1,
        num_block_layers=2,
        text_cleaner="basic_cleaners",
    )
    return _fill(Overflow(config), "mps-overflow")


def _run_overflow(model, device):
    g = torch.Generator().manual_seed(0)
    hmm_frames = torch.randn(1, 4, FRAMES, generator=g).to(device) * 0.5
    with torch.inference_mode():
        mel, _ = model.decoder.inverse(hmm_frames, torch.tensor([FRAMES], device=device))
    return mel


def mps_cases() -> list[MpsCase]:
    return [
        MpsCase.from_module("glow-tts-long-flow", _glow, _run_glow, min_output_samples=FRAMES),
        MpsCase.from_module("forward-tts-long-conv-decoder", _speedy, _run_speedy, min_output_samples=66000),
        MpsCase.from_module("overflow-long-flow", _overflow, _run_overflow, min_output_samples=FRAMES),
    ]
