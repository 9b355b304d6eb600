"""HTML views of the projects app: parse input, call one service, render."""
