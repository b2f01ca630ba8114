"""LOS advisors' pages: flagged members, the gap heatmap, the member dossier."""
