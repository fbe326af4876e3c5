"""Resolution of extracted mentions to reference ids (places → GeoNames)."""
