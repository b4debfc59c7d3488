"""StudyBot core: platform-agnostic use cases. Never imports an adapter or a platform SDK."""
