from gigmatch.cli.app import main

main()
