"""Reference outputs of upstream coqui-tts 0.28 Tacotron2 and HiFi-GAN for our parity tests.

Run in the oracle venv from a folder outside the repo:

    cd /tmp && /work/oracle/venv/bin/python /work/main/tools/oracle/make_spectrogram_refs.py

Tacotron2's layer sizes are fixed by its code (only the symbol table, the mel
channels and the options come from the config), so the Tacotron2 cases run the
full released architecture with deterministic weights (``tests/parity/weights.py``)
for a few dozen decoder steps. Cases:

- ``tacotron2_ddc``: graphemes + english_cleaners, r=6 in the config, r=2 stored in the
  checkpoint (as the released ``tacotron2-DDC``), location-sensitive attention, DDC coarse
  decoder. The stop-net bias is shifted (recorded under ``overrides``) so the stop token
  fires mid-utterance; a second run with a small ``max_decoder_steps`` hits the bound.
- ``tacotron2_fwd``: forward attention + transition agent + inference mask, windowing,
  softmax norm, batch-norm prenet.
- ``tacotron2_dca``: dynamic convolution attention (as ``tacotron2-DCA``).
- ``tacotron2_gst``: global style tokens from a reference mel and from token weights, with
  prenet dropout at inference (seeded).
- ``capacitron``: Capacitron VAE from a reference mel and its text (seeded sampling).
- ``hifigan_v2``: the HiFi-GAN v2 generator at its released size, legacy ``weight_g``/``weight_v``
  keys, in both checkpoint layouts (old ``model`` + ``model_disc``; new ``model_g.``/``model_d.``).
- ``synthesizer``: upstream's ``Synthesizer`` on the ``tacotron2_ddc`` model (with
  ``scale_stats.npy``) and the ``hifigan_v2`` vocoder, text -> waveform.

Writes ``tests/data/parity/spectrogram/<case>.json`` (config, key -> shape manifest of the
released layout, overrides, inputs) and ``<case>.npz`` (reference outputs).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
import torch
from _tacotron_oracle import REPO, build_from_checkpoint, run_tacotron, style_mel, weights
from _tacotron_oracle import decode_input as _decode_input
from _tacotron_oracle import manifest_and_weights as _manifest_and_weights
from _tacotron_oracle import save as _save

OUT = REPO / "tests" / "data" / "parity" / "spectrogram"

from TTS.config import load_config  # noqa: E402
from TTS.tts.configs.shared_configs import CapacitronVAEConfig, CharactersConfig, GSTConfig  # noqa: E402
from TTS.tts.configs.tacotron2_config import Tacotron2Config  # noqa: E402
from TTS.tts.models.tacotron2 import Tacotron2  # noqa: E402
from TTS.utils.synthesizer import Synthesizer  # noqa: E402
from TTS.vocoder.configs import HifiganConfig  # noqa: E402
from TTS.vocoder.models import setup_model as setup_vocoder  # noqa: E402

SALT = "spectrogram"
TEXT = "Hello world."
# Keys whose values a module computes (DCA's prior filter): taken from the model, like BN counters.
COMPUTED = (".attention.prior",)
LJSPEECH_CHARACTERS = CharactersConfig(
    pad="_",
    eos="~",
    bos="^",
    characters="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    punctuations="!'(),-.:;? ",
    phonemes=None,
    is_unique=True,
    is_sorted=True,
)
AUDIO = {
    "fft_size": 1024,
    "win_length": 1024,
    "hop_length": 256,
    "sample_rate": 22050,
    "num_mels": 80,
    "mel_fmin": 50.0,
    "mel_fmax": 7600.0,
    "spec_gain": 1,
    "signal_norm": True,
    "symmetric_norm": True,
    "max_norm": 4.0,
    "clip_norm": True,
    "min_level_db": -100,
    "ref_level_db": 20,
    "do_trim_silence": True,
    "trim_db": 60,
    "log_func": "np.log10",
}


def tacotron_config(**overrides) -> Tacotron2Config:
    config = Tacotron2Config(
        text_cleaner="english_cleaners",
        use_phonemes=False,
        characters=LJSPEECH_CHARACTERS,
        r=6,
        gradual_training=[[0, 6, 64], [10000, 4, 32], [50000, 3, 32], [100000, 2, 32]],
        double_decoder_consistency=True,
        ddc_r=6,
        prenet_type="original",
        prenet_dropout=True,
        prenet_dropout_at_inference=False,
        attention_type="original",
        attention_norm="sigmoid",
        location_attn=True,
        max_decoder_steps=60,
    )
    config.audio.update(AUDIO)
    for key, value in overrides.items():
        setattr(config, key, value)
    return config


def manifest_and_weights(model: torch.nn.Module, salt: str) -> tuple[dict, dict, list[str]]:
    return _manifest_and_weights(model, salt, COMPUTED)


def tokens(model: Tacotron2) -> list[int]:
    return model.tokenizer.text_to_ids(TEXT)


def stop_override(stop_probs: np.ndarray, offset: float, earliest: int = 8) -> tuple[float, int]:
    """A constant ``c`` such that the stop logit ``c - l_t`` first turns positive at a step >= ``earliest``.

    With random weights the decoder settles and its stop logits ``l_t`` fall slowly; negating the
    stop net (weight -> -weight, bias -> c - bias) turns the first new minimum after ``earliest``
    into the first confident stop. The decoder's trajectory does not depend on the stop net.
    ``stop_probs`` were measured with the bias lowered by ``offset``.
    """
    logits = np.log(stop_probs) - np.log1p(-stop_probs) + offset
    for step in range(earliest, len(logits)):
        lowest_before = logits[1:step].min()
        if lowest_before - logits[step] > 2e-4:
            return float((logits[step] + lowest_before) / 2.0), step
    raise RuntimeError("no usable stop step; change the salt or the text")


def save(case: str, meta: dict, arrays: dict) -> None:
    _save(OUT, case, meta, arrays)


def build_tacotron(config: Tacotron2Config, checkpoint_extra: dict, tmp: Path, overrides: dict | None = None):
    return build_from_checkpoint(Tacotron2, config, checkpoint_extra, tmp, SALT, overrides, COMPUTED)


def case_ddc(tmp: Path) -> tuple[Tacotron2Config, dict, Path]:
    config = tacotron_config()
    extra = {"r": 2}
    bias_key = "decoder.stopnet.1.linear_layer.bias"
    weight_key = "decoder.stopnet.1.linear_layer.weight"
    model, manifest, computed, _ = build_tacotron(config, extra, tmp)
    base_bias = weights.deterministic_array(bias_key, manifest[bias_key], SALT)
    base_weight = weights.deterministic_array(weight_key, manifest[weight_key], SALT)
    # Probe with the stop net silenced (bias - 40) to see the whole trajectory's stop logits.
    model, _, _, _ = build_tacotron(config, extra, tmp, {bias_key: (base_bias - 40.0).tolist()})
    ids = tokens(model)
    probe = run_tacotron(model, ids)
    probs = probe["stop_tokens"].reshape(-1).astype(np.float64)
    constant, stop_step = stop_override(probs, offset=40.0)
    overrides = {weight_key: (-base_weight).tolist(), bias_key: (constant - base_bias).tolist()}
    model, _, _, ckpt = build_tacotron(config, extra, tmp, overrides)
    stopped = run_tacotron(model, ids)
    assert stopped["stop_tokens"].shape[0] == stop_step + 1, (stopped["stop_tokens"].shape, stop_step)
    silenced = silence_stop(manifest)
    model, _, _, _ = build_tacotron(config, extra, tmp, silenced)
    model.decoder.max_decoder_steps = 12
    bounded = run_tacotron(model, ids)
    assert bounded["stop_tokens"].shape[0] == 12
    meta = {
        "config": config.to_dict(),
        "manifest": manifest,
        "computed": computed,
        "overrides": overrides,
        "bounded_overrides": silenced,
        "checkpoint": extra,
        "text": TEXT,
        "ids": ids,
        "stop_step": stop_step,
        "bounded_max_decoder_steps": 12,
        "salt": SALT,
    }
    arrays = {f"stopped_{k}": v for k, v in stopped.items()} | {f"bounded_{k}": v for k, v in bounded.items()}
    save("tacotron2_ddc", meta, arrays)
    return config, overrides, ckpt


def silence_stop(manifest: dict) -> dict:
    """Override that keeps the stop token below threshold, so decoding runs to ``max_decoder_steps``."""
    key = "decoder.stopnet.1.linear_layer.bias"
    return {key: (weights.deterministic_array(key, manifest[key], SALT) - 40.0).tolist()}


def case_variant(name: str, config: Tacotron2Config, extra: dict, runs: dict, tmp: Path) -> None:
    model = Tacotron2.init_from_config(config)
    overrides = silence_stop({k: list(v.shape) for k, v in model.state_dict().items()})
    model, manifest, computed, _ = build_tacotron(config, extra, tmp, overrides)
    ids = tokens(model)
    arrays = {}
    for run_name, (aux, seed) in runs.items():
        out = run_tacotron(model, ids, {k: decode_input(v) for k, v in (aux or {}).items()}, seed)
        arrays |= {f"{run_name}_{k}": v for k, v in out.items()}
    meta = {
        "config": config.to_dict(),
        "manifest": manifest,
        "computed": computed,
        "overrides": overrides,
        "checkpoint": extra,
        "text": TEXT,
        "ids": ids,
        "runs": {name: {"seed": seed, "aux": aux or {}} for name, (aux, seed) in runs.items()},
        "salt": SALT,
    }
    save(name, meta, arrays)


def decode_input(value):
    return _decode_input(value, SALT)


def vocoder_config() -> HifiganConfig:
    config = HifiganConfig()
    config.generator_model_params = {
        "upsample_factors": [8, 8, 2, 2],
        "upsample_kernel_sizes": [16, 16, 4, 4],
        "upsample_initial_channel": 128,
        "resblock_kernel_sizes": [3, 7, 11],
        "resblock_dilation_sizes": [[1, 3, 5], [1, 3, 5], [1, 3, 5]],
        "resblock_type": "1",
    }
    config.audio.update({**AUDIO, "mel_fmin": 0.0, "mel_fmax": 8000.0, "signal_norm": False, "log_func": "np.log"})
    return config


def legacy_name(key: str) -> str:
    return key.replace(".parametrizations.weight.original0", ".weight_g").replace(
        ".parametrizations.weight.original1", ".weight_v"
    )


def case_hifigan(tmp: Path) -> tuple[HifiganConfig, Path]:
    config = vocoder_config()
    model = setup_vocoder(config)
    generator = {
        legacy_name(k[len("model_g.") :]): list(v.shape)
        for k, v in model.state_dict().items()
        if k.startswith("model_g.")
    }
    state = {
        k: torch.from_numpy(v) for k, v in weights.deterministic_state_dict(generator, salt=SALT + "-hifigan").items()
    }
    old = tmp / "vocoder_old.pth"
    torch.save({"model": state, "model_disc": {"disc.weight": torch.zeros(1)}, "step": 1}, old)
    model.load_checkpoint(config, str(old), eval=True)
    mel = weights.deterministic_array("input.vocoder_mel", (1, 80, 24), SALT) * 2.0
    wav_old = model.inference(torch.from_numpy(mel)).detach().numpy()
    # New layout: generator keys under model_g., discriminator keys under model_d. (upstream loads all strictly).
    model_new = setup_vocoder(config)
    disc = {k: v for k, v in model_new.state_dict().items() if k.startswith("model_d.")}
    new_state = {f"model_g.{k}": v for k, v in state.items()} | disc
    new = tmp / "vocoder_new.pth"
    torch.save({"model": new_state, "step": 1}, new)
    model_new.load_checkpoint(config, str(new), eval=True)
    wav_new = model_new.inference(torch.from_numpy(mel)).detach().numpy()
    assert np.abs(wav_old - wav_new).max() < 1e-6
    meta = {
        "config": config.to_dict(),
        "manifest": generator,
        "salt": SALT + "-hifigan",
        "mel_key": "input.vocoder_mel",
        "mel_shape": [1, 80, 24],
        "mel_scale": 2.0,
    }
    save("hifigan_v2", meta, {"wav": wav_old})
    return config, old


def stats_arrays() -> dict:
    mel_mean = np.linspace(-40.0, -10.0, 80, dtype=np.float32)
    mel_std = np.linspace(8.0, 14.0, 80, dtype=np.float32)
    linear_mean = np.linspace(-45.0, -15.0, 513, dtype=np.float32)
    linear_std = np.linspace(9.0, 13.0, 513, dtype=np.float32)
    return {"mel_mean": mel_mean, "mel_std": mel_std, "linear_mean": linear_mean, "linear_std": linear_std}


def case_synthesizer(
    tts_config: Tacotron2Config, overrides: dict, voc_config: HifiganConfig, voc_ckpt: Path, tmp: Path
) -> None:
    tts_dir, voc_dir = tmp / "tts", tmp / "vocoder"
    tts_dir.mkdir()
    voc_dir.mkdir()
    np.save(tts_dir / "scale_stats.npy", {**stats_arrays(), "audio_config": {"sample_rate": 22050}}, allow_pickle=True)
    config = tacotron_config()
    config.audio.stats_path = str(tts_dir / "scale_stats.npy")
    (tts_dir / "config.json").write_text(json.dumps(config.to_dict(), indent=1))
    model = Tacotron2.init_from_config(load_config(str(tts_dir / "config.json")))
    _, state, _ = manifest_and_weights(model, SALT)
    for key, values in overrides.items():
        state[key] = torch.tensor(values, dtype=torch.float32)
    torch.save({"model": state, "step": 1000, "r": 2}, tts_dir / "model_file.pth")
    (voc_dir / "config.json").write_text(json.dumps(voc_config.to_dict(), indent=1))
    (voc_dir / "model_file.pth").write_bytes(voc_ckpt.read_bytes())
    synth = Synthesizer(
        tts_checkpoint=tts_dir / "model_file.pth",
        tts_config_path=tts_dir / "config.json",
        vocoder_checkpoint=voc_dir / "model_file.pth",
        vocoder_config=voc_dir / "config.json",
    )
    wav = np.asarray(synth.tts(TEXT), dtype=np.float32)
    meta = {"text": TEXT, "stats": {k: v.tolist() for k, v in stats_arrays().items()}}
    save("synthesizer", meta, {"wav": wav})


def main() -> None:
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        ddc_config, ddc_overrides, _ = case_ddc(tmp)

        fwd = tacotron_config(
            use_forward_attn=True,
            transition_agent=True,
            forward_attn_mask=True,
            attention_win=True,
            attention_norm="softmax",
            prenet_type="bn",
            double_decoder_consistency=False,
            r=2,
            max_decoder_steps=10,
        )
        case_variant("tacotron2_fwd", fwd, {"config": {"r": 2}}, {"plain": (None, None)}, tmp)

        dca = tacotron_config(
            attention_type="dynamic_convolution",
            location_attn=False,
            r=2,
            max_decoder_steps=10,
            double_decoder_consistency=False,
            bidirectional_decoder=True,
        )
        case_variant("tacotron2_dca", dca, {}, {"plain": (None, None)}, tmp)

        gst = tacotron_config(
            use_gst=True,
            gst=GSTConfig(gst_num_heads=4, gst_num_style_tokens=10),
            r=2,
            max_decoder_steps=8,
            prenet_dropout_at_inference=True,
            double_decoder_consistency=False,
        )
        case_variant(
            "tacotron2_gst",
            gst,
            {"r": 2},
            {
                "mel": ({"style_mel": style_mel((1, 80, 40), "gst_mel")}, 7),
                "weights": ({"style_mel": {"0": 0.3, "3": -0.2}}, 7),
                "none": (None, 7),
            },
            tmp,
        )

        cap = tacotron_config(
            use_capacitron_vae=True,
            capacitron_vae=CapacitronVAEConfig(
                capacitron_VAE_embedding_dim=128, capacitron_text_summary_embedding_dim=128
            ),
            r=2,
            max_decoder_steps=8,
            prenet_type="bn",
            double_decoder_consistency=False,
        )
        style_ids = {"ids": [[12, 30, 41, 7, 22]]}
        case_variant(
            "capacitron",
            cap,
            {"r": 2},
            {
                "reference": ({"style_mel": style_mel((1, 48, 80), "capacitron_mel"), "style_text": style_ids}, 11),
                "prior": (None, 11),
            },
            tmp,
        )

        voc_config, voc_ckpt = case_hifigan(tmp)
        case_synthesizer(ddc_config, ddc_overrides, voc_config, voc_ckpt, tmp)


if __name__ == "__main__":
    main()
