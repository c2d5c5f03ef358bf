"""Text utilities: normalisation with offsets, segmentation, lexicon matching."""
