"""LOS advisors' work: which members need them and why, cases, contacts, the dossier."""
