"""Who may read and do what: the policy (one data file), need-to-know as SQL conditions,
accounts and sign-in."""
