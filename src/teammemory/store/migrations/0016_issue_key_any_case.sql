-- 0016: issue-context for a key in any letter case (issue 11, bench/RESULTS.md "startup").
-- An issue never ingested is found by the key as commits and PRs spell it
-- (agents/sql/context_issue.sql `referenced-keys`, `lower(issue_key) = lower(:key)`): one index
-- lookup each instead of reading every commit-issue link (~20 ms on the 100,000-commit store).
create index commit_issues_key_lower on commit_issues (lower(issue_key));
create index pr_issues_key_lower on pr_issues (lower(issue_key));
