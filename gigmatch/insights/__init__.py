"""What the data says: check, explain, tune, forecast, price."""
