"""Pure builders of layout and figures: data in, component or figure out. No SQL."""
