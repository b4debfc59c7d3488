"""The question bank: pack schema, loading, importing, and the bundled packs."""
