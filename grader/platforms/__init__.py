"""The platforms stage (see ARCHITECTURE.md)."""
