from taskctl.cli.entry import main

main()
