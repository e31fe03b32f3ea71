from klyngefond.cli.app import main

main()
