"""Cases: the life of a household file, from application to exit (Articles 2 and 26)."""
