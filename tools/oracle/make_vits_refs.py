"""Reference outputs of upstream coqui-tts 0.28 VITS for our parity tests.

Run in the oracle venv from a folder outside the repo:

    cd /tmp && /work/oracle/venv/bin/python /work/main/tools/oracle/make_vits_refs.py

Four tiny models in the released layout (config.json + model.pth key names with
legacy ``weight_g``/``weight_v``): (a) single-speaker phonemes, (b) multi-speaker
with speaker ids and the deterministic duration predictor, (c) YourTTS-like with
d-vectors, languages and a speaker encoder, (d) graphemes. Weights come from
``tests/parity/weights.py``; noise scales are 0 so every output is deterministic.
Writes ``tests/data/parity/vits/<case>.json`` (config, key -> shape manifest, side
files, inputs) and ``<case>.npz`` (reference waveforms, durations, token ids).
"""

from __future__ import annotations

import importlib.util
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf
import torch

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "tests" / "data" / "parity" / "vits"
if Path.cwd().resolve() == REPO or REPO in Path.cwd().resolve().parents:
    sys.exit("Run this from a folder outside the repository (our TTS package would shadow upstream's).")

_spec = importlib.util.spec_from_file_location("parity_weights", REPO / "tests" / "parity" / "weights.py")
weights = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(weights)

from TTS.tts.configs.shared_configs import CharactersConfig  # noqa: E402
from TTS.tts.configs.vits_config import VitsArgs, VitsConfig  # noqa: E402
from TTS.tts.models.vits import Vits  # noqa: E402
from TTS.tts.utils.text.characters import _characters, _phonemes, _punctuations  # noqa: E402

SALT = "vits"
TINY = {
    "hidden_channels": 32,
    "hidden_channels_ffn_text_encoder": 64,
    "num_heads_text_encoder": 2,
    "num_layers_text_encoder": 2,
    "num_layers_flow": 2,
    "num_layers_posterior_encoder": 2,
    "upsample_initial_channel_decoder": 32,
    "resblock_kernel_sizes_decoder": [3, 5],
    "resblock_dilation_sizes_decoder": [[1, 3, 5], [1, 3, 5]],
    "init_discriminator": False,
    "inference_noise_scale": 0.0,
    "inference_noise_scale_dp": 0.0,
}
ENCODER_CONFIG = {
    "model": "speaker_encoder",
    "model_params": {
        "model_name": "resnet",
        "input_dim": 64,
        "proj_dim": 512,
        "use_torch_spec": True,
        "log_input": True,
    },
    "audio": {
        "fft_size": 512,
        "win_length": 400,
        "hop_length": 160,
        "sample_rate": 16000,
        "preemphasis": 0.97,
        "num_mels": 64,
        "mel_fmin": 0.0,
        "mel_fmax": 8000.0,
        "do_trim_silence": False,
        "do_sound_norm": False,
        "resample": False,
        "signal_norm": False,
    },
}


def chars(phonemes: bool) -> CharactersConfig:
    return CharactersConfig(
        characters_class="TTS.tts.models.vits.VitsCharacters",
        characters=_characters,
        phonemes=_phonemes if phonemes else None,
        punctuations=_punctuations,
        pad="_",
        eos=None,
        bos=None,
        blank="<BLNK>",
        is_unique=False,
        is_sorted=True,
    )


def reference_wav() -> np.ndarray:
    """2 s at 16 kHz: a few partials plus deterministic noise (written as 16-bit PCM)."""
    t = np.arange(32000) / 16000
    wav = 0.3 * np.sin(2 * np.pi * 180 * t) + 0.2 * np.sin(2 * np.pi * 430 * t + 0.5) * np.sin(2 * np.pi * 3 * t)
    wav = wav + 0.05 * weights.deterministic_array("ref_wav_noise", (32000,)) / 0.05
    return (wav * 0.5).astype(np.float32)


def d_vectors(speakers: list[str], dim: int) -> dict:
    return {
        f"{spk}_{i}.wav": {"name": spk, "embedding": weights.deterministic_array(f"dvec.{spk}.{i}", (dim,)).tolist()}
        for spk in speakers
        for i in range(2)
    }


def released_layout(model: torch.nn.Module) -> dict[str, list[int]]:
    """Key -> shape as released checkpoints store it (legacy weight-norm names)."""
    out = {}
    for key, value in model.state_dict().items():
        key = key.replace(".parametrizations.weight.original0", ".weight_g")
        key = key.replace(".parametrizations.weight.original1", ".weight_v")
        out[key] = list(value.shape)
    return out


def fill(model: torch.nn.Module, shapes: dict[str, list[int]]) -> None:
    state = {k: torch.from_numpy(v) for k, v in weights.deterministic_state_dict(shapes, salt=SALT).items()}
    current = model.state_dict()
    loaded = {}
    for key in current:
        legacy = key.replace(".parametrizations.weight.original0", ".weight_g").replace(
            ".parametrizations.weight.original1", ".weight_v"
        )
        loaded[key] = state.get(legacy, current[key])
    model.load_state_dict(loaded, strict=True)


def build_case(name: str, work: Path) -> None:
    side: dict = {}
    synth: dict = {"text": "Hello world, this is a test.", "speaker": None, "language": None}
    if name == "single_phonemes":
        config = VitsConfig(
            model_args=VitsArgs(**TINY),
            use_phonemes=True,
            phonemizer="espeak",
            phoneme_language="en-us",
            text_cleaner="phoneme_cleaners",
            characters=chars(True),
            add_blank=True,
        )
    elif name == "multispeaker_ids":
        names = {"p225": 0, "p226": 1, "p227": 2}
        torch.save(names, work / "speakers.pth")
        side["speakers.pth"] = names
        config = VitsConfig(
            model_args=VitsArgs(
                **TINY,
                use_sdp=False,
                use_speaker_embedding=True,
                speaker_embedding_channels=16,
                speakers_file=str(work / "speakers.pth"),
            ),
            use_phonemes=True,
            phonemizer="espeak",
            phoneme_language="en",
            text_cleaner="phoneme_cleaners",
            characters=chars(True),
            add_blank=True,
        )
        synth["speaker"] = "p226"
    elif name == "yourtts_dvectors":
        dvecs = d_vectors(["female-en-5", "male-pt-3"], 512)
        (work / "speakers.json").write_text(json.dumps(dvecs))
        langs = {"en": 0, "fr-fr": 1, "pt-br": 2}
        (work / "language_ids.json").write_text(json.dumps(langs))
        (work / "config_se.json").write_text(json.dumps(ENCODER_CONFIG))
        from TTS.encoder.utils.generic_utils import setup_encoder_model

        from TTS.config import load_config

        enc_config = load_config(str(work / "config_se.json"))
        encoder = setup_encoder_model(enc_config)
        enc_shapes = {k: list(v.shape) for k, v in encoder.state_dict().items()}
        skip = [k for k in enc_shapes if k.endswith(".filter")]
        enc_state = {
            k: torch.from_numpy(v)
            for k, v in weights.deterministic_state_dict(enc_shapes, skip=skip, salt=SALT).items()
        }
        full = encoder.state_dict()
        full.update(enc_state)
        torch.save({"model": full}, work / "model_se.pth")
        sf.write(work / "ref.wav", reference_wav(), 16000, subtype="PCM_16")
        side.update(
            {
                "language_ids.json": langs,
                "d_vector_speakers": ["female-en-5", "male-pt-3"],
                "d_vector_dim": 512,
                "config_se.json": ENCODER_CONFIG,
                "encoder_shapes": enc_shapes,
                "encoder_skip": skip,
            }
        )
        config = VitsConfig(
            model_args=VitsArgs(
                **TINY,
                use_d_vector_file=True,
                d_vector_dim=512,
                d_vector_file=[str(work / "speakers.json")],
                use_language_embedding=True,
                embedded_language_dim=4,
                language_ids_file=str(work / "language_ids.json"),
                speaker_encoder_model_path=str(work / "model_se.pth"),
                speaker_encoder_config_path=str(work / "config_se.json"),
            ),
            use_phonemes=False,
            text_cleaner="multilingual_cleaners",
            characters=chars(False),
            add_blank=True,
        )
        synth.update({"speaker": "male-pt-3", "language": "fr-fr", "text": "Bonjour le monde."})
    elif name == "graphemes":
        config = VitsConfig(
            model_args=VitsArgs(**TINY),
            use_phonemes=False,
            text_cleaner="english_cleaners",
            characters=chars(False),
            add_blank=False,
        )
    else:
        raise ValueError(name)
    config.audio.sample_rate = 16000 if name == "yourtts_dvectors" else 22050

    model = Vits(config).eval()
    shapes = released_layout(model)
    fill(model, shapes)
    model.inference_noise_scale = 0.0
    model.inference_noise_scale_dp = 0.0
    num_chars = model.text_encoder.emb.num_embeddings
    ids = (np.arange(23) * 7 + 3) % num_chars
    x = torch.from_numpy(ids[None].astype(np.int64))
    aux: dict = {"x_lengths": torch.tensor([x.shape[1]])}
    if name == "multispeaker_ids":
        aux["speaker_ids"] = torch.tensor([2])
    if name == "yourtts_dvectors":
        aux["d_vectors"] = torch.tensor([dvecs["male-pt-3_1.wav"]["embedding"]])
        aux["language_ids"] = torch.tensor([1])
    with torch.inference_mode():
        out = model.inference(x, aux_input=aux)
        arrays = {
            "ids": ids.astype(np.int64),
            "wav_ids": out["model_outputs"][0, 0].numpy(),
            "durations_ids": out["durations"][0, 0].numpy(),
        }
        # Fixed durations path (no duration predictor), batch of two with padding.
        dur = torch.from_numpy(((np.arange(23) % 4) + 1).astype(np.float32))[None]
        aux_d = dict(aux, durations=dur)
        arrays["wav_fixed_durations"] = model.inference(x, aux_input=aux_d)["model_outputs"][0, 0].numpy()
        result = model.synthesize(synth["text"], speaker=synth["speaker"], language=synth["language"])
        arrays["wav_text"] = np.asarray(result["wav"], dtype=np.float32)
        arrays["ids_text"] = result["text_inputs"][0].numpy().astype(np.int64)
        if name == "yourtts_dvectors":
            emb = model.speaker_manager.compute_embedding_from_clip(str(work / "ref.wav"))
            arrays["dvector_ref_wav"] = np.asarray(emb, dtype=np.float32)
            cloned = model.synthesize(synth["text"], speaker_wav=str(work / "ref.wav"), language="pt-br")
            arrays["wav_cloned"] = np.asarray(cloned["wav"], dtype=np.float32)

    config_dict = config.to_dict()
    manifest = {
        "case": name,
        "salt": SALT,
        "upstream": "coqui-tts 0.28.0",
        "config": config_dict,
        "shapes": shapes,
        "side_files": side,
        "aux": {k: v.tolist() for k, v in aux.items() if k != "x_lengths"},
        "synthesize": synth,
    }
    (OUT / f"{name}.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    np.savez_compressed(OUT / f"{name}.npz", **arrays)
    print(name, {k: v.shape for k, v in arrays.items()}, "durations", arrays["durations_ids"].sum())


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    for name in ("single_phonemes", "multispeaker_ids", "yourtts_dvectors", "graphemes"):
        with tempfile.TemporaryDirectory() as work:
            build_case(name, Path(work))


if __name__ == "__main__":
    main()
