"""Blueprints. Thin: parse input, call one service, render or redirect."""
