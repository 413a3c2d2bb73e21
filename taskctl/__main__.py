from taskctl.cli.app import main

main()
