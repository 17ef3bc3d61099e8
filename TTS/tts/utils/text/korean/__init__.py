"""Korean text normalisation and grapheme-to-phoneme conversion."""
