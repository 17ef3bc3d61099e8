"""The synthesizer cuts text into the sentences upstream's does (refs: tools/oracle/make_split_refs.py).

Upstream speaks each sentence separately with silence between, so the cuts decide the audio.
The default splitting language comes from the model (its languages, else the config's
languages, datasets or phoneme language), as upstream's language manager decides it.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch

from TTS.utils.synthesizer import Synthesizer

REFS = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "parity" / "text" / "sentence_splits.json").read_text("utf-8")
)
TINY = {"hidden_channels": 8, "hidden_channels_ffn_text_encoder": 8, "num_layers_text_encoder": 1,
        "num_layers_flow": 1, "num_layers_posterior_encoder": 1, "upsample_initial_channel_decoder": 8,
        "init_discriminator": False}  # fmt: skip


def _synthesizer(name: str, work: Path) -> Synthesizer:
    from TTS.config.shared_configs import BaseDatasetConfig
    from TTS.tts.configs.vits_config import VitsArgs, VitsConfig
    from TTS.tts.configs.xtts_config import XttsConfig
    from TTS.tts.models.vits import Vits

    synth = Synthesizer.__new__(Synthesizer)
    if isinstance(synth, torch.nn.Module):
        torch.nn.Module.__init__(synth)
    if name == "xtts":
        config = XttsConfig()
        synth.tts_config, synth.tts_model = config, SimpleNamespace(language_names=list(config.languages))
        return synth
    fields = json.loads(json.dumps(REFS["configs"][name]))
    args = {**TINY, **fields.pop("model_args", {})}
    ids = fields.pop("language_ids", None)
    if ids is not None:
        (work / "language_ids.json").write_text(json.dumps(ids))
        args["language_ids_file"] = str(work / "language_ids.json")
    datasets = fields.pop("datasets", None)
    config = VitsConfig(model_args=VitsArgs(**args), **fields)
    if datasets is not None:
        config.datasets = [BaseDatasetConfig(**d) for d in datasets]
    synth.tts_config, synth.tts_model = config, Vits(config)
    return synth


@pytest.mark.parametrize("config_name", sorted({case["config"] for case in REFS["cases"]}))
def test_sentence_splits_match_upstream(config_name, tmp_path):
    synth = _synthesizer(config_name, tmp_path)
    for case in (c for c in REFS["cases"] if c["config"] == config_name):
        got = synth.split_into_sentences(case["text"], case["language"])
        assert got == case["sentences"], (case["language"], case["text"])
