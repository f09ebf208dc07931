-- Where a review comment sits in the file (issue #13, `why PATH:LINES`): GitHub's review comment
-- fields, as the REST API returns them (pulls/{n}/comments). `line`/`start_line` are the last and
-- first line of the comment's range in the file at `commit_id` (the PR's head when GitHub last
-- placed it; null once outdated), `original_line`/`original_start_line` the same in
-- `original_commit_id` (the commit it was written on); `side` is RIGHT (the PR's version) or LEFT
-- (the base's, a deleted line); `in_reply_to_id` ties a reply to its thread's first comment;
-- `diff_hunk` is the diff GitHub shows above it (ending at the commented line). Rows written
-- before this migration keep nulls: `why` then counts them as discussion on the file.
alter table review_comments add column line integer;
alter table review_comments add column start_line integer;
alter table review_comments add column original_line integer;
alter table review_comments add column original_start_line integer;
alter table review_comments add column side text;
alter table review_comments add column commit_id text;
alter table review_comments add column original_commit_id text;
alter table review_comments add column diff_hunk text;
alter table review_comments add column in_reply_to_id text;
