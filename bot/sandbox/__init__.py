"""The sandbox wiki: a local double of MediaWiki's Action API subset, CampaignEvents REST and
GrowthExperiments, following contracts/ (see `serve`)."""

from bot.sandbox.config import SandboxConfig, SandboxConfigError, load_config
from bot.sandbox.server import SandboxServer, serve

__all__ = ["SandboxConfig", "SandboxConfigError", "SandboxServer", "load_config", "serve"]
