os.execute("touch /tmp/lawscore-pwned") return 10
