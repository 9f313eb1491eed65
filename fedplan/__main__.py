from fedplan.cli import main

main()
