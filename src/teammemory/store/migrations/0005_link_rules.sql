-- 0005: the issue links of a store written before link rules had a fingerprint are re-derived.
-- derive.refresh_links keeps the fingerprint of the rules that found commit_issues and pr_issues
-- (issue-key pattern, ignored projects, closing keywords, the parsers' link-rule version) as the
-- cursor ('derive', 'link_rules'), and the next ingest re-derives both tables from the stored
-- messages, titles and bodies when the rules differ. A store without that cursor was written
-- entirely by the rules of the ingest that creates it. A store that holds commits or PRs here was
-- written by older rules (a parser before closing keywords kept 4 of 7 links), so it gets a
-- fingerprint that no rules have; a fresh store holds neither, and gets nothing.
insert into cursors (source, target, value, updated_at)
select 'derive', 'link_rules', 'written before link rules had a fingerprint', 0
 where exists (select 1 from commits) or exists (select 1 from pull_requests)
    on conflict (source, target) do nothing;  -- a fingerprint a newer ingest recorded stays
