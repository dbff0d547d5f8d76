"""Scoring: the skill model, the six components, the dense engine, history, ranking."""
