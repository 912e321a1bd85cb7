"""The household file (一户一档): households, members, income, documents, and the engine's view of them."""
