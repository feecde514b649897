"""Evaluation: the eval set, the runner, reports and the CI gate."""
