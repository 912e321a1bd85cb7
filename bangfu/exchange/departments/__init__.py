"""Other departments' files (Article 27): their formats, matching by ID number, facts, disagreements and alerts."""
