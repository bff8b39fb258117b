"""Evidence retrieval (placeholder until the ISAPI client lands)."""
