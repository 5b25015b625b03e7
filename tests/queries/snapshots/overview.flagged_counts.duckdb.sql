SELECT (SELECT count(*) AS count_1 
FROM campaigns 
WHERE campaigns.run_id = %(run_id_1)s AND (campaigns.last_seen IS NULL OR campaigns.last_seen >= %(last_seen_1)s) AND (campaigns.first_seen IS NULL OR campaigns.first_seen < %(first_seen_1)s)) AS campaigns, (SELECT count(*) AS count_2 
FROM key_scores 
WHERE key_scores.run_id = %(run_id_2)s AND key_scores.allowlisted IS false AND key_scores.account_id IN (SELECT account_scores.account_id 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_3)s AND account_scores.alerting IS true)) AS flagged_keys
