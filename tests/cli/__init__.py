"""The command line: exit codes and one-line errors of every command."""
