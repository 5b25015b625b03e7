SELECT date_trunc('day', requests.ts) AS day, count(*) AS calls, sum(requests.output_tokens) AS output_tokens 
FROM requests 
WHERE requests.ts >= %(ts_1)s::TIMESTAMP WITH TIME ZONE AND requests.ts < %(ts_2)s::TIMESTAMP WITH TIME ZONE AND requests.account_id IN (SELECT account_scores.account_id 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s::VARCHAR AND account_scores.campaign_id = %(campaign_id_1)s::VARCHAR) GROUP BY date_trunc('day', requests.ts) ORDER BY day
