SELECT requests.account_id, date_trunc('hour', requests.ts) AS hour, count(*) AS calls 
FROM requests 
WHERE requests.ts >= %(ts_1)s::TIMESTAMP WITH TIME ZONE AND requests.ts < %(ts_2)s::TIMESTAMP WITH TIME ZONE AND requests.model = %(model_1)s::VARCHAR AND requests.account_id IN (SELECT requests.account_id 
FROM requests 
WHERE requests.ts >= %(ts_3)s::TIMESTAMP WITH TIME ZONE AND requests.ts < %(ts_4)s::TIMESTAMP WITH TIME ZONE AND requests.model = %(model_2)s::VARCHAR AND requests.account_id IN (SELECT account_scores.account_id 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s::VARCHAR AND account_scores.campaign_id = %(campaign_id_1)s::VARCHAR) GROUP BY requests.account_id ORDER BY count(*) DESC, requests.account_id 
 LIMIT %(param_1)s::INTEGER) GROUP BY requests.account_id, date_trunc('hour', requests.ts) ORDER BY requests.account_id, date_trunc('hour', requests.ts)
