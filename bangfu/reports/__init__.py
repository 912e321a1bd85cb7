"""Reports for leaders: counts, flows, help delivered and entitlements of a union's area, drillable."""
