"""Reference mels of upstream coqui-tts 0.28 spectrogram models for our parity tests.

Run in the oracle venv from a folder outside the repo:

    cd /tmp && /work/oracle/venv/bin/python /work/main/tools/oracle/make_acoustic_refs.py [case ...]

Each case is a tiny model in the released layout (config.json + model.pth key names,
legacy ``weight_g``/``weight_v`` for weight norm). Weights come from
``tests/parity/weights.py`` (computed buffers such as the positional-encoding table
and BatchNorm counters stay as the model computes them). Fixed token ids go through
``model.inference``; one text per case also goes through ``model.synthesize`` so the
tokenizer and the denormalisation are covered. Writes
``tests/data/parity/acoustic/<case>.json`` (config, key -> shape manifest, inputs) and
``<case>.npz`` (reference arrays).
"""

from __future__ import annotations

import importlib.util
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import torch

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "tests" / "data" / "parity" / "acoustic"
if Path.cwd().resolve() == REPO or REPO in Path.cwd().resolve().parents:
    sys.exit("Run this from a folder outside the repository (our TTS package would shadow upstream's).")

_spec = importlib.util.spec_from_file_location("parity_weights", REPO / "tests" / "parity" / "weights.py")
weights = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(weights)

from TTS.tts.configs.fast_pitch_config import FastPitchConfig  # noqa: E402
from TTS.tts.configs.fast_speech_config import FastSpeechConfig  # noqa: E402
from TTS.tts.configs.fastspeech2_config import Fastspeech2Config  # noqa: E402
from TTS.tts.configs.forward_tts_config import ForwardTTSArgs  # noqa: E402
from TTS.tts.configs.glow_tts_config import GlowTTSConfig  # noqa: E402
from TTS.tts.configs.neuralhmm_tts_config import NeuralhmmTTSConfig  # noqa: E402
from TTS.tts.configs.overflow_config import OverflowConfig  # noqa: E402
from TTS.tts.configs.shared_configs import BaseAudioConfig  # noqa: E402
from TTS.tts.configs.speedy_speech_config import SpeedySpeechConfig  # noqa: E402

# Small audio block shared by all cases (16 mel bins, simple dB normalisation).
AUDIO = {
    "sample_rate": 22050,
    "fft_size": 256,
    "win_length": 256,
    "hop_length": 64,
    "num_mels": 16,
    "mel_fmin": 0.0,
    "mel_fmax": 8000.0,
    "signal_norm": True,
    "symmetric_norm": True,
    "max_norm": 4.0,
    "clip_norm": True,
    "min_level_db": -100,
    "ref_level_db": 20,
    "do_trim_silence": False,
}
IDS = [3, 17, 25, 9, 40, 12, 5, 33, 21, 8, 14, 30]
TEXT = "Hello world, this is a test."
SPEAKERS = {"p225": 0, "p226": 1, "p227": 2}
GLOW_TINY = {
    "hidden_channels_enc": 32,
    "hidden_channels_dec": 32,
    "hidden_channels_dp": 32,
    "num_flow_blocks_dec": 2,
    "num_block_layers": 2,
    "out_channels": 16,
    "text_cleaner": "basic_cleaners",
}
FFT = {"hidden_channels_ffn": 48, "num_heads": 2, "num_layers": 2, "dropout_p": 0.1}
FORWARD_TINY = {
    "hidden_channels": 32,
    "out_channels": 16,
    "pitch_predictor_hidden_channels": 24,
    "energy_predictor_hidden_channels": 24,
    "duration_predictor_hidden_channels": 24,
    "length_scale": 20,  # random predictors give durations near 0: stretch them so tokens span several frames
}


HMM_TINY = {
    "encoder_in_out_features": 24,
    "prenet_dim": 16,
    "memory_rnn_dim": 24,
    "outputnet_size": [24],
    "out_channels": 16,
    "max_sampling_time": 300,
    "text_cleaner": "basic_cleaners",
}
# Integer statistics: upstream keeps int64 ``mean``/``std`` buffers and truncates what it loads
# (we keep floats); with integer values both agree.
HMM_STATS = {"mean": -4.0, "std": 2.0, "init_transition_prob": 0.1}
SEED = 1234


def glow_encoder(window: int | None) -> dict[str, Any]:
    params = {
        "kernel_size": 3,
        "dropout_p": 0.1,
        "num_layers": 2,
        "num_heads": 2,
        "hidden_channels_ffn": 48,
        "input_length": None,
    }
    if window is not None:
        params["rel_attn_window_size"] = window
    return params


def build_config(name: str, work: Path) -> tuple[Any, dict[str, Any]]:
    """Upstream config of a case and what the test needs beyond it (inputs, side files)."""
    audio = BaseAudioConfig(**AUDIO)
    extra: dict[str, Any] = {"ids": IDS, "speaker": None, "side_files": {}, "aux": {}, "salt": name}
    if name == "glow_single":
        # salt picked so that two random flows stay in a sane range (|mel| < 10)
        config = GlowTTSConfig(**GLOW_TINY, audio=audio, encoder_params=glow_encoder(None), length_scale=20.0)
        extra["salt"] = "d"
    elif name == "glow_noise":
        # prior sampling at the released temperature: seeded, it must give upstream's exact sample
        config = GlowTTSConfig(
            **GLOW_TINY, audio=audio, encoder_params=glow_encoder(None), length_scale=20.0, inference_noise_scale=0.33
        )
        extra["salt"] = "d"
    elif name == "glow_multi":
        (work / "speakers.json").write_text(json.dumps(SPEAKERS))
        extra["side_files"]["speakers.json"] = SPEAKERS
        config = GlowTTSConfig(
            **GLOW_TINY,
            audio=audio,
            encoder_params=glow_encoder(4),
            mean_only=False,
            sigmoid_scale=True,
            use_speaker_embedding=True,
            speakers_file=str(work / "speakers.json"),
            inference_noise_scale=0.0,
            length_scale=20.0,
        )
        extra["speaker"] = "p226"
        extra["aux"] = {"speaker_ids": [1]}
    elif name == "fast_pitch":
        args = ForwardTTSArgs(**FORWARD_TINY, encoder_params=dict(FFT), decoder_params=dict(FFT))
        config = FastPitchConfig(model_args=args, audio=audio, text_cleaner="basic_cleaners")
    elif name == "fast_pitch_multi":
        (work / "speakers.json").write_text(json.dumps(SPEAKERS))
        extra["side_files"]["speakers.json"] = SPEAKERS
        args = ForwardTTSArgs(**FORWARD_TINY, encoder_params=dict(FFT), decoder_params=dict(FFT))
        config = FastPitchConfig(
            model_args=args,
            audio=audio,
            text_cleaner="basic_cleaners",
            use_speaker_embedding=True,
            speakers_file=str(work / "speakers.json"),
        )
        extra["speaker"] = "p227"
        extra["aux"] = {"speaker_ids": [2]}
    elif name == "fastspeech2":
        args = ForwardTTSArgs(
            **FORWARD_TINY, use_pitch=True, use_energy=True, encoder_params=dict(FFT), decoder_params=dict(FFT)
        )
        config = Fastspeech2Config(model_args=args, audio=audio, text_cleaner="basic_cleaners")
    elif name == "speedy_speech":
        args = ForwardTTSArgs(
            **{**FORWARD_TINY, "hidden_channels": 24},
            use_pitch=False,
            positional_encoding=True,
            encoder_type="residual_conv_bn",
            encoder_params={"kernel_size": 4, "dilations": [1, 2, 4, 1], "num_conv_blocks": 2, "num_res_blocks": 4},
            decoder_type="residual_conv_bn",
            decoder_params={"kernel_size": 4, "dilations": [1, 2, 4, 8, 1], "num_conv_blocks": 2, "num_res_blocks": 5},
            detach_duration_predictor=True,
        )
        extra["ids"] = IDS + [6, 19, 27, 11, 2, 36, 15, 24]  # its unpadded convs need >= 13 tokens
        config = SpeedySpeechConfig(model_args=args, audio=audio, text_cleaner="basic_cleaners")
    elif name == "fast_speech_relpos_wavenet":
        args = ForwardTTSArgs(
            **FORWARD_TINY,
            use_pitch=False,
            positional_encoding=False,
            use_aligner=False,
            encoder_type="relative_position_transformer",
            encoder_params={
                "hidden_channels_ffn": 48,
                "num_heads": 2,
                "kernel_size": 3,
                "dropout_p": 0.1,
                "num_layers": 2,
                "rel_attn_window_size": 4,
                "input_length": None,
            },
            decoder_type="wavenet",
            decoder_params={
                "num_blocks": 2,
                "hidden_channels": 32,
                "kernel_size": 5,
                "dilation_rate": 2,
                "num_layers": 3,
                "dropout_p": 0.05,
            },
        )
        config = FastSpeechConfig(model_args=args, audio=audio, text_cleaner="basic_cleaners")
    elif name == "overflow":
        config = OverflowConfig(
            **HMM_TINY,
            audio=audio,
            hidden_channels_dec=16,
            num_flow_blocks_dec=2,
            num_block_layers=2,
            mel_statistics_parameter_path=str(work / "mel_statistics.pth"),
            duration_threshold=0.2,
        )
        extra["stats"] = HMM_STATS
        extra["salt"] = "c"  # keeps the random flow's output in a sane range
    elif name == "neuralhmm":
        config = NeuralhmmTTSConfig(
            **HMM_TINY, audio=audio, ar_order=2, mel_statistics_parameter_path=str(work / "mel_statistics.pth")
        )
        extra["stats"] = HMM_STATS
    elif name == "neuralhmm_stochastic":
        config = NeuralhmmTTSConfig(
            **HMM_TINY,
            audio=audio,
            sampling_temp=0.5,
            deterministic_transition=False,
            mel_statistics_parameter_path=str(work / "mel_statistics.pth"),
        )
        extra["stats"] = HMM_STATS
    else:
        raise SystemExit(f"unknown case {name}")
    return config, extra


def model_class(config: Any) -> type:
    if config.model == "glow_tts":
        from TTS.tts.models.glow_tts import GlowTTS

        return GlowTTS
    if config.model == "Overflow":
        from TTS.tts.models.overflow import Overflow

        return Overflow
    if config.model == "NeuralHMM_TTS":
        from TTS.tts.models.neuralhmm_tts import NeuralhmmTTS

        return NeuralhmmTTS
    from TTS.tts.models.forward_tts import ForwardTTS

    return ForwardTTS


def legacy_key(key: str) -> str:
    return key.replace(".parametrizations.weight.original0", ".weight_g").replace(
        ".parametrizations.weight.original1", ".weight_v"
    )


COMPUTED = (".pe",)


def fill(
    model: torch.nn.Module, salt: str, stats: dict[str, float] | None = None
) -> tuple[dict[str, list[int]], list[str]]:
    """Fill ``model`` from key names; returns the released key -> shape manifest and computed keys.

    ``stats`` gives the values of the ``mean``/``std`` buffers (HMM models).
    """
    current = model.state_dict()
    shapes = {legacy_key(k): list(v.shape) for k, v in current.items()}
    computed = [k for k in shapes if k.endswith(COMPUTED)]
    fixed = [k for k in ("mean", "std") if stats and k in shapes]
    filled = weights.deterministic_state_dict(shapes, skip=computed + fixed, salt=salt)
    for key in fixed:
        filled[key] = np.asarray(stats[key], dtype=np.float32)
    loaded = {k: torch.from_numpy(filled[legacy_key(k)]) if legacy_key(k) in filled else v for k, v in current.items()}
    model.load_state_dict(loaded, strict=True)
    return shapes, computed


def run_case(name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        config, extra = build_config(name, work)
        cls = model_class(config)
        model = cls(config)
        stats = extra.get("stats")
        shapes, computed = fill(model, salt=extra["salt"], stats=stats)
        if stats:
            torch.save(stats, work / "mel_statistics.pth")
        model.eval()
        if hasattr(model, "store_inverse"):
            model.store_inverse()
        x = torch.tensor([extra["ids"]])
        aux = {"x_lengths": torch.tensor([x.shape[1]]), "speaker_ids": None, "d_vectors": None}
        for key, value in extra["aux"].items():
            aux[key] = torch.tensor(value)
        with torch.inference_mode():
            torch.manual_seed(SEED)
            out = model.inference(x, aux_input=aux)
            torch.manual_seed(SEED)
            synth = model.synthesize(TEXT, speaker=extra["speaker"])
        mel_text = model.ap.denormalize(synth["outputs"]["model_outputs"][0].cpu().numpy().T)
        arrays = {
            "ids": np.asarray(extra["ids"], dtype=np.int64),
            "model_outputs": out["model_outputs"][0].cpu().numpy(),
            "alignments": out["alignments"][0].cpu().numpy(),
            "text_ids": synth["text_inputs"][0].cpu().numpy(),
            "text_mel": mel_text.astype(np.float32),
        }
        for key in ("pitch", "energy"):
            if out.get(key) is not None:
                arrays[key] = out[key][0].cpu().numpy()
        manifest = {
            "case": name,
            "salt": extra["salt"],
            "config": json.loads(json.dumps(config.to_dict())),
            "shapes": shapes,
            "computed": computed,
            "side_files": extra["side_files"],
            "aux": extra["aux"],
            "speaker": extra["speaker"],
            "stats": extra.get("stats"),
            "seed": SEED,
            "text": TEXT,
            "upstream": "coqui-tts 0.28.0",
        }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    np.savez_compressed(OUT / f"{name}.npz", **arrays)
    print(
        f"{name}: mel {arrays['model_outputs'].shape}, text mel {arrays['text_mel'].shape}, "
        f"max |mel| {np.abs(arrays['model_outputs']).max():.3f}"
    )


CASES = (
    "glow_single",
    "glow_noise",
    "glow_multi",
    "fast_pitch",
    "fast_pitch_multi",
    "fastspeech2",
    "speedy_speech",
    "fast_speech_relpos_wavenet",
    "overflow",
    "neuralhmm",
    "neuralhmm_stochastic",
)

if __name__ == "__main__":
    torch.manual_seed(0)
    for case in sys.argv[1:] or CASES:
        run_case(case)
