"""The model of a package: its descriptor, paths, fields and their mapping to every backend, findings, numbers."""
