"""XTTS layers: tokenizer, GPT, perceiver, HiFi-GAN decoder glue."""
