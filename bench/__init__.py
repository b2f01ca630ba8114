"""`make bench`: etik under load at LOS scale and at ten times that."""
