SELECT %(param_1)s AS edge_type, c_payment.value, c_payment.account_id, c_payment.n_accounts 
FROM (SELECT p_payment.value AS value, p_payment.account_id AS account_id, count(*) OVER (PARTITION BY p_payment.value) AS n_accounts 
FROM (SELECT DISTINCT accounts.payment_fingerprint AS value, accounts.account_id AS account_id 
FROM accounts 
WHERE accounts.created_at < %(created_at_1)s AND accounts.payment_fingerprint IS NOT NULL) AS p_payment) AS c_payment 
WHERE c_payment.n_accounts >= %(n_accounts_1)s AND c_payment.n_accounts <= %(n_accounts_2)s
