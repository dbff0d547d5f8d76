from gigmatch.cli import main

main()
