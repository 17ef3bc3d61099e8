"""Reference outputs of upstream coqui-tts 0.28 Tacotron (v1) for our parity tests.

Run in the oracle venv from a folder outside the repo:

    cd /tmp && /work/oracle/venv/bin/python /work/main/tools/oracle/make_tacotron1_refs.py

Tacotron's layer sizes are fixed by its code (the config chooses the symbol table, the
mel / linear channels, ``r``, the decoder memory and the options), so every case runs
the full architecture with deterministic weights (``tests/parity/weights.py``) for a
few decoder steps. Cases:

- ``tacotron1_ddc``: graphemes + english_cleaners, r=3 in the config and r=2 stored in
  the checkpoint, location-sensitive "original" attention, DDC coarse decoder. The stop
  net is overridden (recorded under ``overrides``) so the stop token fires
  mid-utterance; a second run with the stop net silenced hits ``max_decoder_steps``.
- ``tacotron1_fwd``: forward attention + transition agent + inference mask, windowing,
  softmax norm, batch-norm prenet, a 5-frame decoder memory queue, backward decoder.
- ``tacotron1_graves``: Graves attention, r=3 with a 1-frame memory queue.
- ``tacotron1_gst``: global style tokens from a reference mel and from token weights,
  with prenet dropout at inference (seeded).
- ``tacotron1_capacitron``: Capacitron VAE from a reference mel and its text, and from
  the prior (seeded sampling).
- ``tacotron1_synthesizer``: upstream's ``Synthesizer`` on the ``tacotron1_ddc`` model and
  no vocoder: Griffin-Lim on the linear output, with NumPy's global generator seeded (it
  draws the initial phases). Without ``scale_stats.npy``: with mean-std statistics upstream
  cannot denormalise a linear spectrogram (it expects ``fft_size / 2`` bins, there are
  ``fft_size / 2 + 1``) and raises; see docs/upstream/tacotron1-linear-output.md.

Writes ``tests/data/parity/tacotron1/<case>.json`` (config, key -> shape manifest of the
released layout, overrides, inputs) and ``<case>.npz`` (reference outputs).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
import torch
from _tacotron_oracle import REPO, build_from_checkpoint, manifest_and_weights, run_tacotron, style_mel, weights
from _tacotron_oracle import decode_input as _decode_input
from _tacotron_oracle import save as _save

OUT = REPO / "tests" / "data" / "parity" / "tacotron1"

from TTS.tts.configs.shared_configs import CapacitronVAEConfig, CharactersConfig, GSTConfig  # noqa: E402
from TTS.tts.configs.tacotron_config import TacotronConfig  # noqa: E402
from TTS.tts.models.tacotron import Tacotron  # noqa: E402
from TTS.utils.synthesizer import Synthesizer  # noqa: E402

SALT = "tacotron1"
TEXT = "Hello world."
STOP_KEYS = ("decoder.stopnet.linear.weight", "decoder.stopnet.linear.bias")
STOP_LOGIT = float(np.log(0.6 / 0.4))  # upstream stops once the stop probability exceeds 0.6
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
    "spec_gain": 20,
    "signal_norm": True,
    "symmetric_norm": True,
    "max_norm": 4.0,
    "clip_norm": True,
    "min_level_db": -100,
    "ref_level_db": 20,
    "do_trim_silence": True,
    "trim_db": 60,
    "power": 1.5,
    "griffin_lim_iters": 30,
    "log_func": "np.log10",
}


def tacotron_config(**overrides) -> TacotronConfig:
    config = TacotronConfig(
        text_cleaner="english_cleaners",
        use_phonemes=False,
        characters=LJSPEECH_CHARACTERS,
        r=3,
        double_decoder_consistency=True,
        ddc_r=6,
        prenet_type="original",
        prenet_dropout=True,
        prenet_dropout_at_inference=False,
        attention_type="original",
        attention_norm="sigmoid",
        location_attn=True,
        max_decoder_steps=40,
        out_channels=513,
        decoder_output_dim=80,
    )
    config.audio.update(AUDIO)
    for key, value in overrides.items():
        setattr(config, key, value)
    return config


def build(config: TacotronConfig, extra: dict, tmp: Path, overrides: dict | None = None):
    return build_from_checkpoint(Tacotron, config, extra, tmp, SALT, overrides)


def run(model: Tacotron, ids: list[int], aux: dict | None = None, seed: int | None = None) -> dict:
    return run_tacotron(model, ids, aux, seed)


def base(manifest: dict, key: str) -> np.ndarray:
    return weights.deterministic_array(key, manifest[key], SALT)


def silence_stop(manifest: dict) -> dict:
    """Override that keeps the stop probability far below 0.6 (decoding runs to the bound)."""
    return {STOP_KEYS[1]: (base(manifest, STOP_KEYS[1]) - 40.0).tolist()}


def stop_override(manifest: dict, probe_probs: np.ndarray, earliest: int = 8) -> tuple[dict, int]:
    """Stop-net override whose probability first exceeds 0.6 at a step >= ``earliest``.

    Negating the stop net (weight -> -weight, bias -> c - bias) turns its logit into
    ``c - l_t``; choosing ``c`` between the first new minimum of ``l_t`` after ``earliest``
    and the minimum before it makes that step the first confident stop. ``probe_probs``
    were measured with the bias lowered by 40. The decoder's trajectory does not depend
    on the stop net.
    """
    logits = np.log(probe_probs) - np.log1p(-probe_probs) + 40.0
    for step in range(earliest, len(logits)):
        lowest_before = logits[:step].min()
        if lowest_before - logits[step] > 2e-4:
            c = float((logits[step] + lowest_before) / 2.0) + STOP_LOGIT
            weight, bias = base(manifest, STOP_KEYS[0]), base(manifest, STOP_KEYS[1])
            return {STOP_KEYS[0]: (-weight).tolist(), STOP_KEYS[1]: (c - bias).tolist()}, step
    raise RuntimeError("no usable stop step; change the salt or the text")


def save(case: str, meta: dict, arrays: dict) -> None:
    _save(OUT, case, meta, arrays)


def case_ddc(tmp: Path) -> dict:
    config = tacotron_config()
    extra = {"r": 2}
    model, manifest, computed, _ = build(config, extra, tmp)
    probe_model, _, _, _ = build(config, extra, tmp, silence_stop(manifest))
    ids = probe_model.tokenizer.text_to_ids(TEXT)
    probe = run(probe_model, ids)
    overrides, stop_step = stop_override(manifest, probe["stop_tokens"].reshape(-1).astype(np.float64))
    model, _, _, _ = build(config, extra, tmp, overrides)
    stopped = run(model, ids)
    assert stopped["stop_tokens"].shape[0] == stop_step + 1, (stopped["stop_tokens"].shape, stop_step)
    bounded_steps = 5
    model, _, _, _ = build(config, extra, tmp, silence_stop(manifest))
    model.decoder.max_decoder_steps = bounded_steps
    bounded = run(model, ids)
    print("bounded run: max_decoder_steps", bounded_steps, "-> steps", bounded["stop_tokens"].shape[0])
    meta = {
        "config": config.to_dict(),
        "manifest": manifest,
        "computed": computed,
        "overrides": overrides,
        "bounded_overrides": silence_stop(manifest),
        "checkpoint": extra,
        "text": TEXT,
        "ids": ids,
        "stop_step": stop_step,
        "bounded_max_decoder_steps": bounded_steps,
        "bounded_steps": int(bounded["stop_tokens"].shape[0]),
        "salt": SALT,
    }
    arrays = {f"stopped_{k}": v for k, v in stopped.items()} | {f"bounded_{k}": v for k, v in bounded.items()}
    save("tacotron1_ddc", meta, arrays)
    return overrides


def case_variant(name: str, config: TacotronConfig, extra: dict, runs: dict, tmp: Path) -> None:
    manifest = {k: list(v.shape) for k, v in Tacotron.init_from_config(config).state_dict().items()}
    overrides = silence_stop(manifest)
    model, manifest, computed, _ = build(config, extra, tmp, overrides)
    ids = model.tokenizer.text_to_ids(TEXT)
    arrays = {}
    for run_name, (aux, seed) in runs.items():
        out = run(model, ids, {k: decode_input(v) for k, v in (aux or {}).items()}, seed)
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


def case_synthesizer(overrides: dict, tmp: Path) -> None:
    folder = tmp / "tts"
    folder.mkdir()
    config = tacotron_config()
    (folder / "config.json").write_text(json.dumps(config.to_dict(), indent=1))
    model = Tacotron.init_from_config(config)
    _, state, _ = manifest_and_weights(model, SALT)
    for key, values in overrides.items():
        state[key] = torch.tensor(values, dtype=torch.float32)
    torch.save({"model": state, "step": 1000, "r": 2}, folder / "model_file.pth")
    synth = Synthesizer(tts_checkpoint=folder / "model_file.pth", tts_config_path=folder / "config.json")
    np.random.seed(0)
    wav = np.asarray(synth.tts(TEXT), dtype=np.float32)
    save("tacotron1_synthesizer", {"text": TEXT, "numpy_seed": 0}, {"wav": wav})


def main() -> None:
    torch.set_num_threads(1)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        overrides = case_ddc(tmp)

        fwd = tacotron_config(
            use_forward_attn=True,
            transition_agent=True,
            forward_attn_mask=True,
            windowing=True,
            attention_norm="softmax",
            prenet_type="bn",
            double_decoder_consistency=False,
            bidirectional_decoder=True,
            memory_size=5,
            r=2,
            max_decoder_steps=9,
        )
        case_variant("tacotron1_fwd", fwd, {"config": {"r": 2}}, {"plain": (None, None)}, tmp)

        graves = tacotron_config(
            attention_type="graves",
            attention_heads=5,
            location_attn=False,
            double_decoder_consistency=False,
            memory_size=1,
            r=3,
            max_decoder_steps=6,
        )
        case_variant("tacotron1_graves", graves, {}, {"plain": (None, None)}, tmp)

        gst = tacotron_config(
            use_gst=True,
            gst=GSTConfig(gst_num_heads=4, gst_num_style_tokens=10),
            r=2,
            max_decoder_steps=5,
            prenet_dropout_at_inference=True,
            double_decoder_consistency=False,
        )
        case_variant(
            "tacotron1_gst",
            gst,
            {"r": 2},
            {
                "mel": ({"style_mel": style_mel((1, 40, 80), "gst_mel")}, 7),
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
            max_decoder_steps=5,
            prenet_type="bn",
            double_decoder_consistency=False,
        )
        case_variant(
            "tacotron1_capacitron",
            cap,
            {"r": 2},
            {
                "reference": (
                    {
                        "style_mel": style_mel((1, 48, 80), "capacitron_mel"),
                        "style_text": {"ids": [[12, 30, 41, 7, 22]]},
                    },
                    11,
                ),
                "prior": (None, 11),
            },
            tmp,
        )

        case_synthesizer(overrides, tmp)


if __name__ == "__main__":
    main()
