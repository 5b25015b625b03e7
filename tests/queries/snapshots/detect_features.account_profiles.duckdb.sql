SELECT accounts.account_id, accounts.created_at, accounts.verification, accounts.org_id, accounts.email_domain, accounts.payment_fingerprint, accounts.signup_ip, accounts.signup_prefix 
FROM accounts
