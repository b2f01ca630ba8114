"""The catalogue: file format, validation, loading, stored versions."""
