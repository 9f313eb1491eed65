"""fedplan: a women's federation office's work plan, ledger, reports and proposals as data."""

__version__ = "0.1.0"
