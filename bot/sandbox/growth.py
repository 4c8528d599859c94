"""GrowthExperiments (placeholder)."""
