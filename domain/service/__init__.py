"""The application service, one module per area of the scheme; `domain.register` composes them."""
