"""Pure support rules: no I/O, no database, no Qt. Most unit tests point here."""
