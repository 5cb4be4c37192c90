"""National-scale data generator (`generate_national`) and benchmark (`bench`)."""
