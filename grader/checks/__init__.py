"""One checker per answer type; each returns an :class:`~grader.result.Outcome`."""
