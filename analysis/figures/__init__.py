"""Chart builders: each returns a Chart result with its slide text, in one theme."""
