"""Publishing: Parquet twins, downloads, the site, the README tables."""
