"""Reference outputs of upstream coqui-tts 0.28 VITS voice conversion for our parity tests.

Run in the oracle venv from a folder outside the repo:

    cd /tmp && /work/oracle/venv/bin/python /work/main/tools/oracle/make_vits_vc_refs.py

Reuses the tiny released-layout models of ``make_vits_refs.py`` (their committed
manifests in ``tests/data/parity/vits/``: config, key -> shape, side files, salt), so
the posterior-encoder weights are the deterministic ones of those cases:

- ``multispeaker_ids`` (speaker table, 22.05 kHz): ``inference_voice_conversion`` on
  the spectrogram of the source file as upstream's ``voice_conversion`` loads it
  (upstream's high-level call builds a 4-D speaker embedding for id models and fails;
  recorded in the json).
- ``yourtts_dvectors`` (d-vectors, speaker encoder, 16 kHz): the high-level
  ``voice_conversion`` with source/target d-vectors from audio, and by speaker names.

The posterior sample ``mean + randn * exp(log_scale)`` is made deterministic by
replacing ``torch.randn_like`` with a stored noise tensor (or zeros) during the call.
Writes ``tests/data/parity/vits_vc/<case>.npz`` (source/target PCM, noise, outputs)
and ``<case>.json``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf
import torch

REPO = Path(__file__).resolve().parents[2]
VITS_DATA = REPO / "tests" / "data" / "parity" / "vits"
OUT = REPO / "tests" / "data" / "parity" / "vits_vc"
if Path.cwd().resolve() == REPO or REPO in Path.cwd().resolve().parents:
    sys.exit("Run this from a folder outside the repository (our TTS package would shadow upstream's).")

_spec = importlib.util.spec_from_file_location("parity_weights", REPO / "tests" / "parity" / "weights.py")
weights = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(weights)

from TTS.utils.audio.torch_transforms import wav_to_spec  # noqa: E402

from TTS.config import load_config  # noqa: E402
from TTS.tts.models.vits import Vits  # noqa: E402


def tone(rate: int, seconds: float, key: str, lead_silence: float = 0.1) -> np.ndarray:
    """A gliding harmonic tone after a near-silent lead (which upstream's loader trims), as int16."""
    n = int(rate * seconds)
    t = np.arange(n) / rate
    f0 = 150.0 + 35.0 * np.sin(2 * np.pi * 2.5 * t)
    phase = 2 * np.pi * np.cumsum(f0) / rate
    wav = 0.4 * np.sin(phase) + 0.15 * np.sin(2 * phase + 0.3) + 0.08 * np.sin(5 * phase + 1.0)
    wav = wav * np.clip(t / 0.03, 0.0, 1.0) + 0.004 * weights.deterministic_array(key, (n,)) / 0.05
    lead = 1e-4 * weights.deterministic_array(key + ".lead", (int(rate * lead_silence),)) / 0.05
    return np.round(np.clip(np.concatenate([lead, wav]), -1, 1) * 32767).astype(np.int16)


@contextlib.contextmanager
def fixed_noise(noise: torch.Tensor):
    """Every ``torch.randn_like`` returns ``noise`` (the posterior sample is the only one on this path)."""
    original = torch.randn_like

    def replacement(t, *args, **kwargs):
        assert tuple(t.shape) == tuple(noise.shape), (t.shape, noise.shape)
        return noise.to(t)

    torch.randn_like = replacement
    try:
        yield
    finally:
        torch.randn_like = original


def build_model(manifest: dict, work: Path) -> Vits:
    """Upstream Vits from the manifest: side files, config.json, deterministic weights (legacy names mapped)."""
    config = manifest["config"]
    args = config["model_args"]
    side = manifest["side_files"]
    salt = manifest["salt"]
    if "speakers.pth" in side:
        torch.save(side["speakers.pth"], work / "speakers.pth")
        args["speakers_file"] = config["speakers_file"] = str(work / "speakers.pth")
    if "d_vector_speakers" in side:
        dvecs = {
            f"{spk}_{i}.wav": {
                "name": spk,
                "embedding": weights.deterministic_array(f"dvec.{spk}.{i}", (side["d_vector_dim"],)).tolist(),
            }
            for spk in side["d_vector_speakers"]
            for i in range(2)
        }
        (work / "speakers.json").write_text(json.dumps(dvecs))
        args["d_vector_file"] = config["d_vector_file"] = [str(work / "speakers.json")]
    if "language_ids.json" in side:
        (work / "language_ids.json").write_text(json.dumps(side["language_ids.json"]))
        args["language_ids_file"] = str(work / "language_ids.json")
    if "config_se.json" in side:
        from TTS.encoder.utils.generic_utils import setup_encoder_model

        (work / "config_se.json").write_text(json.dumps(side["config_se.json"]))
        encoder = setup_encoder_model(load_config(str(work / "config_se.json")))
        state = encoder.state_dict()
        filled = weights.deterministic_state_dict(side["encoder_shapes"], skip=side["encoder_skip"], salt=salt)
        state.update({k: torch.from_numpy(v) for k, v in filled.items()})
        torch.save({"model": state}, work / "model_se.pth")
        args["speaker_encoder_model_path"] = str(work / "model_se.pth")
        args["speaker_encoder_config_path"] = str(work / "config_se.json")
    (work / "config.json").write_text(json.dumps(config, ensure_ascii=False))
    model = Vits.init_from_config(load_config(str(work / "config.json"))).eval()
    filled = weights.deterministic_state_dict(manifest["shapes"], salt=salt)
    current = model.state_dict()
    loaded = {}
    for key in current:
        legacy = key.replace(".parametrizations.weight.original0", ".weight_g").replace(
            ".parametrizations.weight.original1", ".weight_v"
        )
        loaded[key] = torch.from_numpy(filled[legacy]) if legacy in filled else current[key]
    model.load_state_dict(loaded, strict=True)
    return model


def source_spec(model: Vits, path: Path) -> torch.Tensor:
    """The spectrogram upstream's ``voice_conversion`` computes from a file."""
    audio = model.config.audio
    y = torch.tensor(model.ap.load_wav(str(path), sr=model.ap.sample_rate), dtype=torch.float)[None]
    return wav_to_spec(y, audio.fft_size, audio.hop_length, audio.win_length, center=False)


def make_noise(key: str, shape: tuple[int, ...]) -> torch.Tensor:
    flat = weights.deterministic_array(key, (int(np.prod(shape)),)) / 0.05  # standard normal draws
    return torch.from_numpy(flat.reshape(shape).astype(np.float32))


def case_multispeaker(model: Vits, work: Path) -> tuple[dict, dict]:
    rate = model.ap.sample_rate
    pcm = tone(rate, 0.5, "vc.source.ids")
    sf.write(work / "source.wav", pcm, rate, subtype="PCM_16")
    spec = source_spec(model, work / "source.wav")
    lengths = torch.tensor([spec.shape[-1]])
    noise = make_noise("vc.noise.ids", (1, model.args.hidden_channels, spec.shape[-1]))
    arrays = {"source_pcm": pcm, "noise": noise.numpy(), "spec_head": spec[0, :, :4].numpy()}
    arrays["spec_frame_sums"] = spec[0].sum(0).numpy()
    with torch.inference_mode():
        with fixed_noise(noise):
            arrays["wav_noise"] = model.inference_voice_conversion(spec, lengths, 0, 2)[0][0, 0].numpy()
        with fixed_noise(torch.zeros_like(noise)):
            arrays["wav_mean"] = model.inference_voice_conversion(spec, lengths, 1, 0)[0][0, 0].numpy()
    try:
        with torch.inference_mode(), fixed_noise(noise):
            model.voice_conversion(str(work / "source.wav"), None, source_speaker="p225", speaker="p227")
        high_level = "works"
    except Exception as exc:  # noqa: BLE001  (recording upstream's behaviour)
        high_level = f"{type(exc).__name__}: {exc}"
    info = {
        "source_rate": rate,
        "runs": {
            "wav_noise": {"source_id": 0, "target_id": 2, "noise": "noise"},
            "wav_mean": {"source_id": 1, "target_id": 0, "noise": "zeros"},
        },
        "upstream_voice_conversion_by_names": high_level,
    }
    return arrays, info


def case_yourtts(model: Vits, work: Path) -> tuple[dict, dict]:
    rate = model.ap.sample_rate
    source = tone(rate, 0.6, "vc.source.dvec")
    target = tone(rate, 1.0, "vc.target.dvec", lead_silence=0.05)
    sf.write(work / "source.wav", source, rate, subtype="PCM_16")
    sf.write(work / "target.wav", target, rate, subtype="PCM_16")
    frames = source_spec(model, work / "source.wav").shape[-1]
    noise = make_noise("vc.noise.dvec", (1, model.args.hidden_channels, frames))
    arrays = {"source_pcm": source, "target_pcm": target, "noise": noise.numpy()}
    manager = model.speaker_manager
    arrays["dvec_source"] = np.asarray(manager.compute_embedding_from_clip(str(work / "source.wav")), np.float32)
    arrays["dvec_target"] = np.asarray(manager.compute_embedding_from_clip(str(work / "target.wav")), np.float32)
    with fixed_noise(noise):
        arrays["wav_clone"] = model.voice_conversion(str(work / "source.wav"), str(work / "target.wav")).numpy()
    with fixed_noise(torch.zeros_like(noise)):
        arrays["wav_names_mean"] = model.voice_conversion(
            str(work / "source.wav"), None, source_speaker="female-en-5", speaker="male-pt-3"
        ).numpy()
    info = {
        "source_rate": rate,
        "runs": {
            "wav_clone": {"source": "source.wav (speaker encoder)", "target": "target.wav", "noise": "noise"},
            "wav_names_mean": {"source_speaker": "female-en-5", "speaker": "male-pt-3", "noise": "zeros"},
        },
    }
    return arrays, info


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    for name, run in (("multispeaker_ids", case_multispeaker), ("yourtts_dvectors", case_yourtts)):
        manifest = json.loads((VITS_DATA / f"{name}.json").read_text(encoding="utf-8"))
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            model = build_model(manifest, work)
            arrays, info = run(model, work)
        info.update({"case": name, "upstream": "coqui-tts 0.28.0", "model_manifest": f"vits/{name}.json"})
        (OUT / f"{name}.json").write_text(json.dumps(info, indent=1))
        np.savez_compressed(OUT / f"{name}.npz", **arrays)
        print(name, {k: v.shape for k, v in arrays.items()}, info.get("upstream_voice_conversion_by_names", ""))


if __name__ == "__main__":
    main()
