"""Vocoder building blocks (MelGAN residual stack, PQMF, upsampling, WaveNet/LVC/WaveGrad blocks)."""
