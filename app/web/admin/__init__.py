"""LOS administration: cycles, catalogues, members, users, outbox, audit."""
