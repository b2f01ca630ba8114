"""The board's sector figures: aggregates over stored requirement scores, with suppression."""
