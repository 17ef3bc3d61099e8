"""The shared reference-audio check (every voice-cloning model uses it) and audio error wording."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from TTS.core.audio.io import MIN_REFERENCE_SECONDS, check_reference_audio, load_audio
from TTS.core.errors import AudioLoadError


def test_silent_and_short_references_are_refused():
    with pytest.raises(AudioLoadError, match=r"Reference audio me\.wav is silent"):
        check_reference_audio(np.zeros(16000, dtype=np.float32), 16000, "me.wav")
    with pytest.raises(AudioLoadError, match="is silent"):
        check_reference_audio(torch.full((1, 16000), 1e-6), 16000, "me.wav")
    short = 0.3 * np.sin(np.arange(3040, dtype=np.float32) / 5)
    with pytest.raises(AudioLoadError, match=r"too short \(0\.19 s; at least 0\.33 s is needed"):
        check_reference_audio(short, 16000, "me.wav")
    assert MIN_REFERENCE_SECONDS == 0.33
    check_reference_audio(0.3 * np.sin(np.arange(5280, dtype=np.float32) / 5), 16000, "me.wav")  # 0.33 s
    check_reference_audio(torch.sin(torch.arange(24000.0) / 5)[None], 22050)


def test_undecodable_file_message_has_one_full_stop(tmp_path):
    bad = tmp_path / "voice.wav"
    bad.write_text("this is not audio")
    with pytest.raises(AudioLoadError) as info:
        load_audio(bad)
    message = str(info.value)
    assert ".." not in message and str(bad) in message and "wav, flac" in message
