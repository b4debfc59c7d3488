"""Offline generators: build code-set files and packs from the real code sets.

These import `simple_icd_10_cm` and read ../shared/data; the running bot never does.
Their output is committed, and tests check that running them reproduces it byte for byte.
"""
