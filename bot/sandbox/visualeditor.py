"""VisualEditor (placeholder)."""
