SELECT date_trunc('day', requests.ts) AS day, requests.model, count(*) AS calls 
FROM requests 
WHERE requests.ts >= %(ts_1)s AND requests.ts < %(ts_2)s AND requests.model = %(model_1)s AND requests.account_id IN (SELECT account_scores.account_id 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s AND account_scores.campaign_id = %(campaign_id_1)s) GROUP BY date_trunc('day', requests.ts), requests.model ORDER BY date_trunc('day', requests.ts), requests.model
