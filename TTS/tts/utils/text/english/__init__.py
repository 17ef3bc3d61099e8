"""English text normalisation: numbers, currency, ordinals, times and abbreviations."""
