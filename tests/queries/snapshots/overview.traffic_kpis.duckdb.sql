SELECT CAST(coalesce(sum(rollup_key_hours.calls), %(coalesce_1)s) AS BIGINT) AS requests, count(DISTINCT rollup_key_hours.api_key_id) AS active_keys, count(DISTINCT rollup_key_hours.account_id) AS active_accounts, CAST(coalesce(sum(rollup_key_hours.output_tokens), %(coalesce_2)s) AS BIGINT) AS output_tokens, CAST(coalesce(sum(CASE WHEN (f.account_id IS NOT NULL) THEN rollup_key_hours.calls ELSE %(param_1)s END), %(coalesce_3)s) AS BIGINT) AS flagged_requests, CAST(coalesce(sum(CASE WHEN (f.account_id IS NOT NULL) THEN rollup_key_hours.output_tokens ELSE %(param_2)s END), %(coalesce_4)s) AS BIGINT) AS flagged_output_tokens 
FROM rollup_key_hours LEFT OUTER JOIN (SELECT account_scores.account_id AS account_id 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s AND account_scores.alerting IS true) AS f ON f.account_id = rollup_key_hours.account_id 
WHERE rollup_key_hours.hour >= %(hour_1)s AND rollup_key_hours.hour < %(hour_2)s AND rollup_key_hours.model = %(model_1)s
