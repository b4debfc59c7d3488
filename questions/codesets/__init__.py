"""Code sets shipped with StudyBot, as compact files: the running bot reads these,
never the ICD-10-CM library itself (which costs ~190 MB to import)."""
