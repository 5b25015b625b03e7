"""The only place SQL is written: table definitions and query builders returning SQLAlchemy Core selects."""
