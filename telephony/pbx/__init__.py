"""The Asterisk PBX of the project: build its root, render its configuration, run it."""
