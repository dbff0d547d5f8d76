"""Skills: spelling and splitting, aliases, the vocabulary, similarity."""
