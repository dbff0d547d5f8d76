"""Scoring: the skill model, the six components, the dense engine, history, ranking.

`engine.score_block(engine, block, filters, k)` scores one block of projects against a shared
`engine.Engine.build(...)`: the unit of work to hand to a pool of processes or machines.
"""
