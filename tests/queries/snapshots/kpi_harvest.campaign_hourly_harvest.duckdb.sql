SELECT account_scores.campaign_id, rollup_key_hours.hour, CAST(coalesce(sum(rollup_key_hours.calls), %(coalesce_1)s) AS BIGINT) AS calls, CAST(coalesce(sum(rollup_key_hours.output_tokens), %(coalesce_2)s) AS BIGINT) AS output_tokens 
FROM rollup_key_hours JOIN account_scores ON account_scores.account_id = rollup_key_hours.account_id 
WHERE account_scores.run_id = %(run_id_1)s AND account_scores.campaign_id IS NOT NULL GROUP BY account_scores.campaign_id, rollup_key_hours.hour ORDER BY account_scores.campaign_id, rollup_key_hours.hour
