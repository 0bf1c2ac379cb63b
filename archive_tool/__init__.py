"""archive-tool: keep the evidence archive of a 文明单位 campaign."""
__version__ = "0.1.0"
