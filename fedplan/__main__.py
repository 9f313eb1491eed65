from fedplan.cli import entry

entry()
