"""The console adapter: a terminal chat that drives the real core, no tokens needed."""
