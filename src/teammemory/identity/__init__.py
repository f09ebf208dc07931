"""Identities as SortingHat models them: keep every account, group accounts into developers by
named rules, store why each grouping happened, keep bots apart."""
