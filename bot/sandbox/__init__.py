"""The sandbox wiki: a local double of MediaWiki, CampaignEvents and GrowthExperiments."""
