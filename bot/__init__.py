"""gatebot's I/O shell: wiki transport, extension clients, orchestration and the CLI."""

__version__ = "0.1.0"
