from taskctl.cli.completion.generate import main

raise SystemExit(main())
