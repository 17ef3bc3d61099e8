"""Fairseq MMS voice layout: original-VITS key names, vocab.txt, config.json (rates, blanks)."""

from __future__ import annotations

import json
import re

import torch

from tests.parity.weights import deterministic_state_dict

# Our key -> Fairseq key, written from the original VITS module layout (Flip layers
# occupy every other flow slot; the affine flow stores m / logs).
_TO_FAIRSEQ = (
    (r"^text_encoder\.", "enc_p."),
    (r"^waveform_decoder\.", "dec."),
    (r"^flow\.flows\.(\d+)\.", lambda m: f"flow.flows.{2 * int(m.group(1))}."),
    (r"^duration_predictor\.flows\.0\.translation$", "dp.flows.0.m"),
    (r"^duration_predictor\.flows\.0\.log_scale$", "dp.flows.0.logs"),
    (r"^duration_predictor\.flows\.(\d+)\.", lambda m: f"dp.flows.{2 * int(m.group(1)) - 1}."),
    (r"^duration_predictor\.", "dp."),
)
VOCAB = ["_", " ", "a", "b", "c", "d", "e", "h", "l", "o", "r", "w", "'", "-"]


def _to_fairseq(key: str) -> str:
    for pattern, repl in _TO_FAIRSEQ:
        if re.search(pattern, key):
            return re.sub(pattern, repl, key, count=1)
    return key


def _tiny_config():
    from TTS.tts.configs.vits_config import VitsArgs, VitsConfig

    args = VitsArgs(
        hidden_channels=16,
        hidden_channels_ffn_text_encoder=32,
        num_layers_text_encoder=1,
        num_layers_flow=1,
        upsample_initial_channel_decoder=16,
        resblock_kernel_sizes_decoder=[3],
        resblock_dilation_sizes_decoder=[[1, 3, 5]],
        inference_noise_scale=0.0,
        inference_noise_scale_dp=0.0,
    )
    return VitsConfig(model_args=args)


def test_mms_voice_folder_loads_and_speaks(tmp_path):
    from TTS.tts.models.vits import Vits

    reference = Vits(_tiny_config())
    reference.text_encoder.emb = torch.nn.Embedding(len(VOCAB), 16)
    shapes = {k: tuple(v.shape) for k, v in reference.state_dict().items()}
    ours = {k: torch.from_numpy(v) for k, v in deterministic_state_dict(shapes, salt="mms").items()}
    reference.load_state_dict(ours)
    fairseq = {_to_fairseq(k): v for k, v in ours.items()}
    fairseq["enc_q.pre.weight"] = torch.zeros(16, 513, 1)  # training-only parts are ignored
    fairseq["dp.post_flows.0.m"] = torch.zeros(2, 1)
    torch.save({"model": fairseq, "iteration": 1}, tmp_path / "G_100000.pth")
    (tmp_path / "vocab.txt").write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    data = {"sampling_rate": 16000, "training_files": "train.ltr", "add_blank": True}
    (tmp_path / "config.json").write_text(json.dumps({"data": data}))

    config = _tiny_config()
    model = Vits(config)
    model.load_checkpoint(config, checkpoint_dir=str(tmp_path), eval=True)
    assert model.output_sample_rate == 16000
    assert model.text_encoder.emb.num_embeddings == len(VOCAB)
    ids = model.tokenizer.text_to_ids("Hello World")
    assert ids[0] == 0 and ids[1] == VOCAB.index("h")  # blank first, lower-cased graphemes
    out = model.synthesize("hello world")
    x = torch.tensor([ids])
    expected = reference.eval().inference(x)["model_outputs"][0, 0].numpy()
    assert out["wav"].shape == expected.shape
    assert float(abs(out["wav"] - expected).max()) < 1e-5
