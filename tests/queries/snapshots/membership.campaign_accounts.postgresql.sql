SELECT account_scores.account_id 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s::VARCHAR AND account_scores.campaign_id = %(campaign_id_1)s::VARCHAR ORDER BY account_scores.account_id
