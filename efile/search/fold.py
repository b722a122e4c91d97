"""Folding for search lives with the other text rules in classifiers/text.py; one rule for
indexing, queries, name lookups and routing."""

from classifiers.text import WORD, fold, fold_words, raw_words

__all__ = ["WORD", "fold", "fold_words", "raw_words"]
