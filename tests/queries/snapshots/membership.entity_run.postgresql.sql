SELECT account_scores.run_id 
FROM account_scores JOIN score_runs ON score_runs.run_id = account_scores.run_id 
WHERE score_runs.status = %(status_1)s::VARCHAR AND account_scores.campaign_id = %(campaign_id_1)s::VARCHAR GROUP BY account_scores.run_id, score_runs.started_at ORDER BY score_runs.started_at DESC, account_scores.run_id DESC 
 LIMIT %(param_1)s::INTEGER
