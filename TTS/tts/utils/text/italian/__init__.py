"""Italian text normalisation: times, decimal numbers and abbreviations."""
