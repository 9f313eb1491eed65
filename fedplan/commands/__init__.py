"""One module per command: orchestrate the core and hand the result to a reporter."""
