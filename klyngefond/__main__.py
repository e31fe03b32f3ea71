from klyngefond.cli.main import main

main()
