"""Exercises: the content model, the tool catalogue and the pack loader. No UI, no database."""

from exercises.loader import Bank, Problem, load_bank
from exercises.model import AnyExercise, Kind, Sector

__all__ = ["AnyExercise", "Bank", "Kind", "Problem", "Sector", "load_bank"]
