"""The GitHub Action's entry point (`python -m teammemory.action`, run by action.yml).

On a `pull_request` event it ingests the checked-out history, syncs the repository's PRs when
it has a token, and keeps one PR comment (found again by a hidden marker) with the suggested
reviewers and the risk of the PR's files: the same Markdown `review-suggest N --format markdown`
and `file-risk PATH --format markdown` print. event.py reads the environment, body.py writes
the comment, comment.py finds and updates (or creates) it, run.py ties them together.
docs/action.md says how to use it.
"""
