"""Text front-end: cleaners, symbol sets, phonemizers and the tokenizer that ties them together."""
