"""Rendering the digest: the only place that produces HTML."""
