SELECT date_trunc('day', requests.ts) AS day, count(*) AS calls, sum(requests.output_tokens) AS output_tokens, count(distinct(requests.account_id)) AS accounts 
FROM requests 
WHERE requests.ts >= %(ts_1)s AND requests.ts < %(ts_2)s AND requests.account_id IN (SELECT account_scores.account_id 
FROM account_scores 
WHERE account_scores.run_id = %(run_id_1)s AND account_scores.campaign_id = %(campaign_id_1)s) GROUP BY date_trunc('day', requests.ts) ORDER BY day
