"""Tests of the typed CampaignEvents client (bot.campaignevents)."""
