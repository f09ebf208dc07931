-- The people behind accounts, from the `persons` view (store/migrations/0003_persons.sql): the
-- one definition of a person that every agent reads.

-- name: accounts
-- The person of each of these accounts.
-- slot: keys  an in-list of account keys (queries.in_list)
select account_key, person_key, person_name, is_bot
  from persons
 where account_key in ({keys})

-- name: people
-- Every account of these people.
-- slot: keys  an in-list of person keys (queries.in_list)
select account_key, person_key, person_name, is_bot
  from persons
 where person_key in ({keys})
