"""Tacotron / Tacotron2 layers: prenet, attentions, encoder/decoder/postnet, GST and Capacitron."""
