"""Reports for leaders (issue 14): counts, flows, help delivered and entitlements of a union's area, drillable."""
