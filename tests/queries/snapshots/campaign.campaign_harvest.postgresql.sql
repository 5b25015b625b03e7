SELECT requests.model, CASE WHEN (requests.ts >= (SELECT min(api_keys.revoked_at) AS min_1 
FROM api_keys 
WHERE api_keys.account_id IN (SELECT account_scores.account_id 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s::VARCHAR AND account_scores.campaign_id = %(campaign_id_1)s::VARCHAR))) THEN %(param_1)s::VARCHAR ELSE %(param_2)s::VARCHAR END AS phase, count(*) AS exchanges, sum(requests.input_tokens) AS input_tokens, sum(requests.output_tokens) AS output_tokens, (SELECT min(api_keys.revoked_at) AS min_1 
FROM api_keys 
WHERE api_keys.account_id IN (SELECT account_scores.account_id 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s::VARCHAR AND account_scores.campaign_id = %(campaign_id_1)s::VARCHAR)) AS first_action 
FROM requests 
WHERE requests.ts >= %(ts_1)s::TIMESTAMP WITH TIME ZONE AND requests.ts < %(ts_2)s::TIMESTAMP WITH TIME ZONE AND requests.model = %(model_1)s::VARCHAR AND requests.account_id IN (SELECT account_scores.account_id 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s::VARCHAR AND account_scores.campaign_id = %(campaign_id_1)s::VARCHAR) GROUP BY requests.model, CASE WHEN (requests.ts >= (SELECT min(api_keys.revoked_at) AS min_1 
FROM api_keys 
WHERE api_keys.account_id IN (SELECT account_scores.account_id 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s::VARCHAR AND account_scores.campaign_id = %(campaign_id_1)s::VARCHAR))) THEN %(param_1)s::VARCHAR ELSE %(param_2)s::VARCHAR END ORDER BY requests.model, phase
