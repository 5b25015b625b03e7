SELECT api_keys.revoked_at, count(*) AS keys, count(distinct(api_keys.account_id)) AS accounts, min(api_keys.api_key_id) AS first_key 
FROM api_keys 
WHERE api_keys.account_id IN (SELECT account_scores.account_id 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s AND account_scores.campaign_id = %(campaign_id_1)s) AND api_keys.revoked_at IS NOT NULL GROUP BY api_keys.revoked_at ORDER BY api_keys.revoked_at
