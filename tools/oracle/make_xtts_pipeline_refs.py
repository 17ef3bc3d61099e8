"""End-to-end XTTS references of upstream coqui-tts 0.28: a model folder through its ``Synthesizer``.

Run in the oracle venv from a folder outside the repo (after ``make_xtts_refs.py``):

    cd /tmp && /work/oracle/venv/bin/python /work/main/tools/oracle/make_xtts_pipeline_refs.py

Writes the tiny XTTS of ``tests/xtts/fixture.py`` as a released folder (config.json,
model.pth with legacy weight-norm keys, vocab.json), clones a voice from a 44.1 kHz
reference and speaks several sentences with the config's sampling settings after
seeding torch: the sentence cuts, the tokenizer, the sampled codes (the random stream
runs on across sentences), the decoder and the silences between sentences all count.
Writes ``tests/data/parity/xtts/pipeline.json`` and ``pipeline.npz``.
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
if Path.cwd().resolve() == REPO or REPO in Path.cwd().resolve().parents:
    sys.exit("Run this from a folder outside the repository (our TTS package would shadow upstream's).")

_spec = importlib.util.spec_from_file_location("make_xtts_refs", REPO / "tools" / "oracle" / "make_xtts_refs.py")
base = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(base)

# name -> (seed, text, language)
RUNS: dict[str, tuple[int, str, str]] = {
    "three_sentences_seed0": (0, "hello world. this is a test! is it done?", "en"),
}


def write_folder(folder: Path) -> None:
    from TTS.tts.configs.xtts_config import XttsConfig
    from TTS.tts.models.xtts import Xtts

    fixture = base.fixture
    manifest = json.loads((base.OUT / "manifest.json").read_text())
    config = XttsConfig()
    for key, value in fixture.TINY_ARGS.items():
        setattr(config.model_args, key, value)
    computed = {base.released_name(k): v.numpy() for k, v in Xtts(config).state_dict().items()}
    state = fixture.fixture_state_dict(manifest["keys"], computed)
    torch.save({"model": {k: torch.from_numpy(np.asarray(v)) for k, v in state.items()}}, folder / "model.pth")
    (folder / "config.json").write_text(json.dumps(config.to_dict()))
    (folder / "vocab.json").write_text(fixture.vocab_json())


def main() -> None:
    from TTS.utils.synthesizer import Synthesizer

    out: dict[str, np.ndarray] = {}
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "xtts"
        folder.mkdir()
        write_folder(folder)
        ref = Path(work) / "ref.wav"
        sf.write(ref, base.fixture.reference_audio(4.5), base.fixture.REFERENCE_RATE_HZ, subtype="FLOAT")
        synth = Synthesizer(tts_checkpoint=str(folder), tts_config_path=str(folder / "config.json"))
        for name, (seed, text, language) in RUNS.items():
            torch.manual_seed(seed)
            wav = synth.tts(text, speaker_name=None, speaker_wav=str(ref), language_name=language)
            out[name] = np.asarray(wav, dtype=np.float32)
            print(name, out[name].shape)
    np.savez_compressed(base.OUT / "pipeline.npz", **out)
    meta = {
        "generated_by": "tools/oracle/make_xtts_pipeline_refs.py with coqui-tts 0.28",
        "runs": {name: {"seed": s, "text": t, "language": lang} for name, (s, t, lang) in RUNS.items()},
    }
    (base.OUT / "pipeline.json").write_text(json.dumps(meta, indent=1) + "\n")


if __name__ == "__main__":
    main()
