"""The board's pages: the sector dashboard, its exports and the board pack."""
