"""fedplan's built-in templates. Copy one into your repository's templates/ to override it."""
