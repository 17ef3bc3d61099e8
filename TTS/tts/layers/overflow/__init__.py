"""OverFlow / Neural-HMM layers: text encoder, autoregressive HMM sampler, flow post-decoder."""
