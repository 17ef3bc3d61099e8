"""Seeded-noise references of upstream coqui-tts 0.28 VITS for our parity tests.

Run in the oracle venv from a folder outside the repo (after ``make_vits_refs.py``):

    cd /tmp && /work/oracle/venv/bin/python /work/main/tools/oracle/make_vits_noise_refs.py

Rebuilds two of the committed tiny cases (``single_phonemes``: stochastic duration
predictor; ``multispeaker_ids``: deterministic one, speaker ids) from their
manifests, loads them through upstream's ``load_checkpoint``, and runs
``inference`` with non-zero noise scales after seeding torch. With the same seed,
our model must draw the same noise in the same order and give the same durations
and waveform. Writes ``tests/data/parity/vits/noise.json`` and ``noise.npz``.
"""

from __future__ import annotations

import importlib.util
import json
import tempfile
from pathlib import Path

import numpy as np
import torch

REPO = Path(__file__).resolve().parents[2]
# make_vits_refs.py refuses to run from inside the repository and provides the deterministic weights,
# the d-vectors and the reference audio its cases were built with.
_spec = importlib.util.spec_from_file_location("make_vits_refs", REPO / "tools" / "oracle" / "make_vits_refs.py")
vits_refs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(vits_refs)
weights, OUT = vits_refs.weights, vits_refs.OUT

# name -> (case, seed, noise_scale, noise_scale_dp, length_scale)
RUNS: dict[str, tuple[str, int, float, float, float]] = {
    "sdp_defaults_seed0": ("single_phonemes", 0, 0.667, 0.8, 1.0),
    "sdp_seed9_slow": ("single_phonemes", 9, 0.5, 1.0, 1.4),
    "ids_defaults_seed2": ("multispeaker_ids", 2, 0.667, 0.8, 1.0),
}


def write_yourtts_side_files(config: dict, side: dict, salt: str, folder: Path) -> None:
    """d-vectors, language ids, the speaker encoder (config_se.json, model_se.pth) and ref.wav, as
    ``make_vits_refs.py`` wrote them, with the config's paths pointing into ``folder``."""
    import soundfile as sf
    from TTS.encoder.utils.generic_utils import setup_encoder_model

    from TTS.config import load_config

    refs = vits_refs
    args = config["model_args"]
    (folder / "speakers.json").write_text(json.dumps(refs.d_vectors(side["d_vector_speakers"], side["d_vector_dim"])))
    args["d_vector_file"] = config["d_vector_file"] = [str(folder / "speakers.json")]
    (folder / "language_ids.json").write_text(json.dumps(side["language_ids.json"]))
    args["language_ids_file"] = str(folder / "language_ids.json")
    (folder / "config_se.json").write_text(json.dumps(side["config_se.json"]))
    encoder = setup_encoder_model(load_config(str(folder / "config_se.json")))
    filled = weights.deterministic_state_dict(side["encoder_shapes"], skip=side["encoder_skip"], salt=salt)
    full = encoder.state_dict()
    full.update({k: torch.from_numpy(v) for k, v in filled.items()})
    torch.save({"model": full}, folder / "model_se.pth")
    args["speaker_encoder_model_path"] = str(folder / "model_se.pth")
    args["speaker_encoder_config_path"] = str(folder / "config_se.json")
    sf.write(folder / "ref.wav", refs.reference_wav(), 16000, subtype="PCM_16")


def load_upstream(case: str, folder: Path):
    from TTS.config import load_config
    from TTS.tts.models.vits import Vits

    manifest = json.loads((OUT / f"{case}.json").read_text(encoding="utf-8"))
    config = manifest["config"]
    side = manifest["side_files"]
    if "speakers.pth" in side:
        torch.save(side["speakers.pth"], folder / "speakers.pth")
        config["model_args"]["speakers_file"] = config["speakers_file"] = str(folder / "speakers.pth")
    if "d_vector_speakers" in side:
        write_yourtts_side_files(config, side, manifest["salt"], folder)
    state = weights.deterministic_state_dict(manifest["shapes"], salt=manifest["salt"])
    torch.save({"model": {k: torch.from_numpy(v) for k, v in state.items()}, "step": 1}, folder / "model.pth")
    (folder / "config.json").write_text(json.dumps(config, ensure_ascii=False))
    loaded = load_config(str(folder / "config.json"))
    model = Vits.init_from_config(loaded)
    model.load_checkpoint(loaded, str(folder / "model.pth"), eval=True)
    return model, manifest


# name -> (case, seed, text, speaker): whole pipeline through upstream's Synthesizer with the default
# noise scales (0.667 / 0.8), several sentences (each one spoken separately, silence between).
SYNTH_RUNS: dict[str, tuple[str, int, str, str | None]] = {
    # YourTTS: "ref.wav" clones from the reference with the speaker encoder; the language picks the splitter
    "synth_yourtts_clone_seed3": ("yourtts_dvectors", 3, "Bonjour. Ça va? Oui!|fr-fr", "ref.wav"),
    "synth_yourtts_dvector_seed4": ("yourtts_dvectors", 4, "Hi. Mr. Brown is here!|en", "male-pt-3"),
    "synth_graphemes_seed1": ("graphemes", 1, "Hello world. Wait... What?! Mr. Smith said so.\nIs it done?", None),
    "synth_ids_seed6": ("multispeaker_ids", 6, "The quick brown fox. It jumps over the lazy dog!", "p226"),
}


def synthesizer_runs() -> dict[str, np.ndarray]:
    from TTS.utils.synthesizer import Synthesizer

    out: dict[str, np.ndarray] = {}
    for name, (case, seed, text, speaker) in SYNTH_RUNS.items():
        with tempfile.TemporaryDirectory() as work:
            folder = Path(work)
            load_upstream(case, folder)  # writes the released-layout folder
            config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
            config["model_args"]["inference_noise_scale"] = 0.667
            config["model_args"]["inference_noise_scale_dp"] = 0.8
            (folder / "config.json").write_text(json.dumps(config, ensure_ascii=False))
            synth = Synthesizer(tts_checkpoint=str(folder / "model.pth"), tts_config_path=str(folder / "config.json"))
            text, _, language = text.partition("|")
            # speaker_name=None: upstream saves a cloned voice under the default name "" and crashes
            if speaker == "ref.wav":
                voice = {"speaker_wav": str(folder / speaker), "speaker_name": None}
            else:
                voice = {"speaker_name": speaker}
            torch.manual_seed(seed)
            wav = synth.tts(text, language_name=language or None, **voice)
            out[name] = np.asarray(wav, dtype=np.float32)
            print(name, out[name].shape)
    return out


def main() -> None:
    out: dict[str, np.ndarray] = {}
    for name, (case, seed, noise, noise_dp, length_scale) in RUNS.items():
        with tempfile.TemporaryDirectory() as work:
            model, manifest = load_upstream(case, Path(work))
            ids = np.load(OUT / f"{case}.npz")["ids"]
            x = torch.from_numpy(ids)[None]
            aux = {"x_lengths": torch.tensor([x.shape[1]])}
            aux.update({k: torch.tensor(v) for k, v in manifest["aux"].items()})
            model.inference_noise_scale, model.inference_noise_scale_dp = noise, noise_dp
            model.length_scale = length_scale
            torch.manual_seed(seed)
            with torch.inference_mode():
                result = model.inference(x, aux_input=aux)
            out[f"{name}_wav"] = result["model_outputs"][0, 0].numpy()
            out[f"{name}_durations"] = result["durations"][0, 0].numpy()
            print(name, out[f"{name}_wav"].shape, out[f"{name}_durations"].sum())
    np.savez_compressed(OUT / "noise.npz", **out)
    runs = {
        name: {"case": c, "seed": s, "noise_scale": n, "noise_scale_dp": d, "length_scale": ls}
        for name, (c, s, n, d, ls) in RUNS.items()
    }
    meta = {"generated_by": "tools/oracle/make_vits_noise_refs.py with coqui-tts 0.28", "runs": runs}
    (OUT / "noise.json").write_text(json.dumps(meta, indent=1) + "\n")
    runs = synthesizer_runs()  # two files, each under 200 KB
    np.savez_compressed(OUT / "synth_noise.npz", **{k: v for k, v in runs.items() if "yourtts" not in k})
    np.savez_compressed(OUT / "synth_noise_yourtts.npz", **{k: v for k, v in runs.items() if "yourtts" in k})
    synth_meta = {
        "generated_by": "tools/oracle/make_vits_noise_refs.py with coqui-tts 0.28",
        "runs": {n: {"case": c, "seed": s, "text": t, "speaker": sp} for n, (c, s, t, sp) in SYNTH_RUNS.items()},
    }
    (OUT / "synth_noise.json").write_text(json.dumps(synth_meta, indent=1) + "\n")


if __name__ == "__main__":
    main()
