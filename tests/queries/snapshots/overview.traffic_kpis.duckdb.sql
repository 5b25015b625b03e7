SELECT count(*) AS requests, approx_count_distinct(requests.api_key_id) AS active_keys, approx_count_distinct(requests.account_id) AS active_accounts, coalesce(sum(requests.output_tokens), %(coalesce_1)s) AS output_tokens, count(f.account_id) AS flagged_requests, coalesce(sum(CASE WHEN (f.account_id IS NOT NULL) THEN requests.output_tokens ELSE %(param_1)s END), %(coalesce_2)s) AS flagged_output_tokens 
FROM requests LEFT OUTER JOIN (SELECT account_scores.account_id AS account_id 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s AND account_scores.alerting IS true) AS f ON f.account_id = requests.account_id 
WHERE requests.ts >= %(ts_1)s AND requests.ts < %(ts_2)s AND requests.model = %(model_1)s
