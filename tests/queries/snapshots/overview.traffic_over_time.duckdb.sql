SELECT rollup_key_hours.hour, f.account_id IS NOT NULL AS flagged, CAST(coalesce(sum(rollup_key_hours.calls), %(coalesce_1)s) AS BIGINT) AS calls, CAST(coalesce(sum(rollup_key_hours.output_tokens), %(coalesce_2)s) AS BIGINT) AS output_tokens 
FROM rollup_key_hours LEFT OUTER JOIN (SELECT account_scores.account_id AS account_id 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s AND account_scores.alerting IS true) AS f ON f.account_id = rollup_key_hours.account_id 
WHERE rollup_key_hours.hour >= %(hour_1)s AND rollup_key_hours.hour < %(hour_2)s AND rollup_key_hours.model = %(model_1)s GROUP BY rollup_key_hours.hour, f.account_id IS NOT NULL ORDER BY rollup_key_hours.hour
