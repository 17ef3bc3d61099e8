"""French text normalisation."""
