"""etik – the ethics self-assessment platform for LOS members."""
