"""Reading a package: CSV files into typed frames, Parquet twins into tables."""
