-- One definition of a person, read by every agent and by hygiene (none re-derives one).
--
-- An account (identities row) belongs to the person `developer_key` that identity resolution
-- chose; an account it has not placed yet is its own person (SortingHat keeps unmatched
-- identities too). The person's name is the developer's, else the account's first non-empty
-- label. A person is a bot when its developer is (resolution marks a developer a bot when any
-- of its accounts is) or when this account is.
create view persons as
select i.key as account_key,
       coalesce(i.developer_key, i.key) as person_key,
       coalesce(d.name, nullif(i.display_name, ''), nullif(i.name, ''), nullif(i.login, ''),
                nullif(i.email, ''), i.key) as person_name,
       case when coalesce(d.is_bot, 0) = 1 or coalesce(i.is_bot, 0) = 1 then 1 else 0 end as is_bot
  from identities i
  left join developers d on d.key = i.developer_key;
