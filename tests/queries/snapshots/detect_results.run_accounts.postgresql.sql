SELECT account_scores.account_id, account_scores.score, account_scores.cluster_id, account_scores.campaign_id, account_scores.allowlisted, account_scores.reasons 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s::VARCHAR ORDER BY account_scores.account_id
