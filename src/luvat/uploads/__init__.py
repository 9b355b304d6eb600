"""Platform for file uploads: streaming with a hard cap, bounded content checks, virus scan."""
