"""The PSO scheme rules as versioned data, and pure functions that apply them.

Imports nothing of ours and no framework: norms/ is the bottom layer.
"""
