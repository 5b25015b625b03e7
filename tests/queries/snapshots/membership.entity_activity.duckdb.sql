SELECT date_trunc('day', rollup_account_hours.hour) AS day, CAST(coalesce(sum(rollup_account_hours.calls), %(coalesce_1)s) AS BIGINT) AS calls, CAST(coalesce(sum(rollup_account_hours.output_tokens), %(coalesce_2)s) AS BIGINT) AS output_tokens 
FROM rollup_account_hours 
WHERE rollup_account_hours.hour >= %(hour_1)s AND rollup_account_hours.hour < %(hour_2)s AND rollup_account_hours.account_id IN (SELECT account_scores.account_id 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s AND account_scores.campaign_id = %(campaign_id_1)s) GROUP BY date_trunc('day', rollup_account_hours.hour) ORDER BY day
