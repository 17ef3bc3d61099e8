"""Japanese text normalisation and kana-to-phoneme conversion."""
