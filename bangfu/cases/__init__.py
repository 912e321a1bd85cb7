"""Cases: the life of a household file, from application to exit (issue 4, Articles 2 and 26)."""
