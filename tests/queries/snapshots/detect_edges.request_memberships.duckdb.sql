SELECT %(param_1)s AS edge_type, c_prefix.value, c_prefix.account_id, c_prefix.n_accounts 
FROM (SELECT p_prefix.value AS value, p_prefix.account_id AS account_id, count(*) OVER (PARTITION BY p_prefix.value) AS n_accounts 
FROM (SELECT DISTINCT requests.ip_prefix AS value, requests.account_id AS account_id 
FROM requests 
WHERE requests.ts >= %(ts_1)s AND requests.ts < %(ts_2)s AND requests.ip_prefix IS NOT NULL) AS p_prefix) AS c_prefix 
WHERE c_prefix.n_accounts >= %(n_accounts_1)s AND c_prefix.n_accounts <= %(n_accounts_2)s
